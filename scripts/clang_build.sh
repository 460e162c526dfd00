# Sourced by scripts/fuzz.sh and scripts/test.sh (which set `root`): one way to configure and
# build a clang-14 RelWithDebInfo tree with a sanitizer (CUEGRID_SANITIZE), under the machine's
# build lock and through ccache.

# clang_build DIR SANITIZER TARGET...: configure DIR once (CUEGRID_SANITIZE=SANITIZER), build
# the TARGETs with two jobs, and say how long it took; on failure show the log's tail and exit 1.
clang_build() {
  local build=$1 sanitizer=$2; shift 2
  local who; who=$(basename "$0" .sh)
  (
    # One build at a time on this machine.
    exec 9>"${TMPDIR:-/tmp}/cuegrid-build.lock"
    flock 9
    # -g objects: hash without the build folder (the debug info holds none: -fdebug-compilation-dir=.)
    export CCACHE_SLOPPINESS=time_macros CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
    if [[ ! -f "$build/build.ninja" ]]; then
      mkdir -p "$build"
      cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DCUEGRID_SANITIZE="$sanitizer" \
        > "$build/configure.log" 2>&1 || { cat "$build/configure.log"; echo "$who: configure of $build failed"; exit 1; }
    fi
    local start=$SECONDS
    cmake --build "$build" --target "$@" -- -j2 > "$build/build.log" 2>&1 \
      || { tail -50 "$build/build.log"; echo "$who: build failed (full log: $build/build.log)"; exit 1; }
    echo "$who: $sanitizer build ok ($build, $((SECONDS - start)) s)"
  )
}
