#!/usr/bin/env bash
# The app opens before its audio device exists (the JACK server or the USB interface comes up
# later). Under a private Xvfb display, CueGrid opens a copy of the demo show while no JACK
# server runs: the status bar says there is no device and that it keeps trying; a click is
# refused in words. Then the private JACK dummy server starts: the app finds it by itself
# (a deviceOpened event, our ports in jack_lsp), and a click plays (a voiceStart event, sound
# on our ports).
# Usage: device_late_test.sh CUEGRID_APP SESSION CLIP_ID ARTIFACT_DIR
set -euo pipefail
app=$1 source_session=$2 clip=$3 artifacts=$4
source "$(dirname "$0")/../Support/test_env.sh"
copy_show "$source_session"
trap cleanup EXIT
use_private_jack "cuegrid_late_$$" "$artifacts/jackd.log"

start_xvfb "$artifacts/xvfb.log"

# 1. No JACK server: the app opens, says so, and keeps trying.
"$app" "$session" --event-log "$artifacts/events.ndjson" --ui-map "$artifacts/ui.map" \
  --status-file "$artifacts/status.txt" > "$artifacts/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
wait_for 20 test -s "$artifacts/ui.map" || fail "no UI map"
wait_for 5 grep -q "No audio device: .*trying again every 2 s (attempt [1-9]" "$artifacts/status.txt" \
  || fail "the status does not say that it keeps trying"
click clip "$clip"
wait_for 3 grep -q "not played: no audio device" "$artifacts/status.txt" || fail "a click without a device was dropped silently"
import -window root "$artifacts/1-no-device.png"
echo "without a device: $(cat "$artifacts/status.txt")"

# 2. The server comes up: the app finds it by itself.
started_at=$(date +%s.%N)
start_jack
wait_for 10 grep -q '"event":"deviceOpened"' "$artifacts/events.ndjson" || fail "no deviceOpened event"
wait_for 5 bash -c "jack_lsp | grep -q '^cuegrid:out_1$'" || fail "our JACK ports did not appear"
echo "found the device after $(echo "$(date +%s.%N) - $started_at" | bc) s"
wait_for 3 bash -c "! grep -q 'No audio device' '$artifacts/status.txt'" || fail "the status still says there is no device"

# 3. A click plays, and it is heard on our ports.
click clip "$clip"
wait_for 5 grep -q "\"event\":\"voiceStart\".*\"clip\":\"$clip\"" "$artifacts/events.ndjson" || fail "the click did not start '$clip'"
peak=$(record_peak "$artifacts/after.wav")
echo "peak after the device appeared: $peak"
awk -v p="$peak" 'BEGIN { exit !(p > 0.01) }' || fail "nothing heard on our ports (peak $peak)"
import -window root "$artifacts/2-found.png"
kill -0 "$app_pid" || fail "the app died"
echo "ok: $(cat "$artifacts/status.txt")"
