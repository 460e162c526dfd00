#!/usr/bin/env bash
# `cuegrid play` when the audio device goes away: a private JACK dummy server is killed
# (SIGKILL) while the demo script plays. play must not hang waiting for samples that never
# come: it exits within 5 s with code 5 and "cuegrid: error: audio device lost: JACK server
# stopped …", and its event log ends with a deviceLost event.
# Usage: play_device_loss_test.sh CUEGRID SESSION SCRIPT WORK_DIR
set -euo pipefail
cli=$1 session=$2 script=$3 work=$4
mkdir -p "$work"
rm -f "$work/play.ndjson" "$work/play.log"
source "$(dirname "$0")/../Support/test_env.sh"
trap cleanup EXIT
wait_for_poll=0.05
use_private_jack "cuegrid_playloss_$$" "$work/jackd.log"

start_jack

"$cli" play "$session" --script "$script" --device-type JACK --event-log "$work/play.ndjson" > "$work/play.log" 2>&1 &
play_pid=$!
pids+=("$play_pid")
wait_for 10 grep -q '"event":"voiceStart"' "$work/play.ndjson" || { echo "play did not start"; cat "$work/play.log"; exit 1; }
sleep 1

kill_jack
killed_at=$(date +%s.%N)
status=0
deadline=$((SECONDS + 5))
while kill -0 "$play_pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.02; done
if kill -0 "$play_pid" 2>/dev/null; then
  echo "FAIL: cuegrid play still running 5 s after the JACK server died"; cat "$work/play.log"; exit 1
fi
wait "$play_pid" || status=$?
exit_seconds=$(echo "$(date +%s.%N) - $killed_at" | bc)
cat "$work/play.log"
echo "cuegrid play exited with $status, ${exit_seconds} s after jackd was killed"
[[ $status -eq 5 ]] || { echo "FAIL: expected exit code 5, got $status"; exit 1; }
grep -q '^cuegrid: error: audio device lost: JACK server stopped' "$work/play.log" \
  || { echo "FAIL: no 'audio device lost' message"; exit 1; }
tail -n 1 "$work/play.ndjson" | grep -q '"event":"deviceLost".*"reason":"JACK server stopped"' \
  || { echo "FAIL: the event log does not end with deviceLost"; tail -n 3 "$work/play.ndjson"; exit 1; }
echo "ok"
