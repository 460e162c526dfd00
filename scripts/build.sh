#!/usr/bin/env bash
# Configure (CMake + Ninja, Release, ccache) and build everything into build/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${CUEGRID_BUILD_DIR:-$root/build}"
# One build at a time on this machine: concurrent callers wait for the lock.
exec 9>"${TMPDIR:-/tmp}/cuegrid-build.lock"
flock 9
export CCACHE_SLOPPINESS=time_macros CCACHE_BASEDIR="$root"
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build" -- -j"$(nproc)" > "$build/build.log" 2>&1 || { tail -50 "$build/build.log"; echo "build failed (full log: $build/build.log)"; exit 1; }
echo "build: ok ($build)"
