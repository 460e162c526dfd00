#!/usr/bin/env bash
# Set up (apt), build, and run the whole CTest suite: unit, CLI, sox null, real-time safety,
# JACK realtime = offline, and the GUI under Xvfb. Artefacts: build/Testing/artifacts/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
cd "${CUEGRID_BUILD_DIR:-$root/build}"
ctest --output-on-failure --timeout 300 -j2 "$@"
