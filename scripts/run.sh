#!/usr/bin/env bash
# Set up if needed, build, then open CueGrid on SESSION (default: the bundled demo show).
# Without a display, render the demo show's script with the CLI instead and say where the WAV went.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${CUEGRID_BUILD_DIR:-$root/build}"
session="${1:-$root/Resources/Demo/demo.cuegrid}"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"

if [[ -n "${DISPLAY:-}" ]] && xdpyinfo >/dev/null 2>&1; then
  exec "$build/bin/CueGrid" "$session"
fi

out="$build/demo-render.wav"
echo "run: no display (DISPLAY is unset or unreachable), so the app cannot open."
echo "run: rendering the demo show with the CLI instead:"
"$build/bin/cuegrid" render "$root/Resources/Demo/demo.cuegrid" --script "$root/Resources/Demo/demo-script.json" --out "$out"
echo "run: the demo show's WAV is at $out"
