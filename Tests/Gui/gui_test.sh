#!/usr/bin/env bash
# Test 6: the app as a person uses it. Under a private Xvfb display with a private JACK dummy
# server, CueGrid opens the demo show; a real X pointer click (xdotool) on a clip button must
# appear as a voice start in the event log, and the Escape key must stop it. Screenshots are
# kept as test artefacts.
# Usage: gui_test.sh CUEGRID_APP SESSION CLIP_ID ARTIFACT_DIR
set -euo pipefail
app=$1 session=$2 clip=$3 artifacts=$4
mkdir -p "$artifacts"
rm -f "$artifacts"/*.png "$artifacts/events.ndjson" "$artifacts/ui.map"
export JACK_DEFAULT_SERVER="cuegrid_gui_$$"
export JACK_NO_AUDIO_RESERVATION=1
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < deadline )) || { echo "timed out waiting for: $*"; return 1; }
    sleep 0.1
  done
}

# A free display number of our own.
display=$((100 + $$ % 400))
while [[ -e /tmp/.X11-unix/X$display || -e /tmp/.X$display-lock ]]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp > "$artifacts/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY=":$display"
wait_for 10 xdpyinfo

jackd --no-realtime -d dummy -r 48000 -p 128 > "$artifacts/jackd.log" 2>&1 &
pids+=($!)
wait_for 10 jack_lsp

"$app" "$session" --event-log "$artifacts/events.ndjson" --ui-map "$artifacts/ui.map" > "$artifacts/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
wait_for 20 test -s "$artifacts/ui.map"
wait_for 10 bash -c "jack_lsp | grep -q '^cuegrid:out_1$'"
sleep 0.5
import -window root "$artifacts/1-opened.png"

read -r _ _ x y < <(grep "^clip $clip " "$artifacts/ui.map")
echo "clicking clip '$clip' at $x,$y"
xdotool mousemove "$x" "$y" click 1
wait_for 5 grep -q "\"event\":\"voiceStart\".*\"clip\":\"$clip\"" "$artifacts/events.ndjson" \
  || { echo "the click did not start '$clip'"; cat "$artifacts/app.log"; exit 1; }
sleep 0.5
import -window root "$artifacts/2-playing.png"

xdotool key Escape
wait_for 5 grep -q "\"event\":\"voiceEnd\".*\"clip\":\"$clip\".*\"reason\":\"stopped\"" "$artifacts/events.ndjson" \
  || { echo "Escape did not stop '$clip'"; cat "$artifacts/events.ndjson"; exit 1; }
sleep 0.3
import -window root "$artifacts/3-stopped.png"
kill -0 "$app_pid" || { echo "the app exited early"; cat "$artifacts/app.log"; exit 1; }
echo "click started '$clip', Escape stopped it; screenshots in $artifacts"
