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
export JACK_DEFAULT_SERVER="cuegrid_playloss_$$"
export JACK_NO_AUDIO_RESERVATION=1
pids=()
killed=0
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  # A SIGKILLed jackd leaves its entry in JACK's shared server registry (8 slots for the whole
  # machine; only a server of the same name reclaims it): start it once more, stop it cleanly.
  if (( killed )); then
    jackd --no-realtime -d dummy -r 48000 -p 128 >> "$work/jackd.log" 2>&1 &
    local reclaim=$!
    wait_for 10 jack_lsp || true
    kill -TERM "$reclaim" 2>/dev/null || true
    wait "$reclaim" 2>/dev/null || true
  fi  # Client semaphores of the killed server's clients stay behind in /dev/shm: ours only.
  rm -f /dev/shm/jack_sem.*_"${JACK_DEFAULT_SERVER}"_* 2>/dev/null || true
}
trap cleanup EXIT
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < deadline )) || { echo "timed out waiting for: $*"; return 1; }
    sleep 0.05
  done
}

jackd --no-realtime -d dummy -r 48000 -p 128 > "$work/jackd.log" 2>&1 &
jackd_pid=$!
pids+=("$jackd_pid")
wait_for 10 jack_lsp

"$cli" play "$session" --script "$script" --device-type JACK --event-log "$work/play.ndjson" > "$work/play.log" 2>&1 &
play_pid=$!
pids+=("$play_pid")
wait_for 10 grep -q '"event":"voiceStart"' "$work/play.ndjson" || { echo "play did not start"; cat "$work/play.log"; exit 1; }
sleep 1

kill -KILL "$jackd_pid"
killed=1
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
