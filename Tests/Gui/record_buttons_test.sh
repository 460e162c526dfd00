#!/usr/bin/env bash
# Issue 10 (Record A/B in the app): under a private Xvfb display with a private JACK dummy server
# (2 capture ports), CueGrid opens a copy of a show; jack-play plays a corpus file into the app's
# inputs 1/2 while a real click on REC A starts a take and a second click stops it. The take is in
# the show's Recordings/ folder with a time-stamped name, lasts about as long as the button was
# on, holds the file's sound (not silence), and the event log has recordStart, recordFile,
# recordStop and recordClosed. Screenshots show the lit button with its meter and elapsed time.
# Usage: record_buttons_test.sh CUEGRID_APP SESSION SOURCE_WAV ARTIFACT_DIR
set -euo pipefail
app=$1 source_session=$2 source=$3 artifacts=$4
source "$(dirname "$0")/../Support/test_env.sh"
copy_show "$source_session"
ln -sfn "$(cd "$(dirname "$source_session")/../corpus" && pwd)" "$artifacts/corpus"
rm -rf "$artifacts/app-home" "$artifacts/show/Recordings"
trap cleanup EXIT
use_private_jack "cuegrid_recbuttons_$$" "$artifacts/jackd.log"
map=$artifacts/ui.map log=$artifacts/events.ndjson
shot() { sleep 0.3; import -window root "$artifacts/$1.png"; }

start_xvfb "$artifacts/xvfb.log"
start_jack -- -C 2 -P 2
"$app" "$session" --event-log "$log" --ui-map "$map" --status-file "$artifacts/status.txt" > "$artifacts/app.log" 2>&1 &
pids+=($!)
wait_for 20 grep -q "^button reca " "$map" || fail "the app shows no REC A button"
wait_for 10 bash -c "jack_lsp | grep -q '^cuegrid:in_1$'" || fail "the app has no JACK input port"
shot before

JACK_PLAY_CONNECT_TO='cuegrid:in_%d' jack-play "$source" > "$artifacts/jack-play.log" 2>&1 &
pids+=($!)
sleep 0.5
click button reca
wait_for 5 grep -q '"event":"recordStart".*"bus":"A"' "$log" || fail "REC A started no take"
sleep 3
shot recording
click button reca
wait_for 5 grep -q '"event":"recordStop".*"bus":"A"' "$log" || fail "a second click on REC A did not stop the take"
wait_for 5 grep -q '"event":"recordClosed".*"bus":"A"' "$log" || fail "the take's file was not closed"
grep -q '"event":"recordFile".*"bus":"A"' "$log" || fail "the take's file is not in the event log"
shot stopped

take=$(ls "$artifacts/show/Recordings/"*.wav | head -1)
[[ $(basename "$take") =~ ^gui-v2\ A\ [0-9-]{10}\ [0-9-]{8}\.wav$ ]] || fail "take name: $(basename "$take")"
seconds=$(soxi -D "$take")
peak=$(sox "$take" -n stat 2>&1 | awk '/Maximum amplitude/ { print $3 }')
echo "take $(basename "$take"): $seconds s, peak $peak"
python3 -c "import sys; s, p = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if 2.5 < s < 6 and p > 0.05 else 1)" "$seconds" "$peak" \
  || fail "the take is not about 3 s of the source's sound ($seconds s, peak $peak)"
echo "REC A: a take of $seconds s with the source's sound"
