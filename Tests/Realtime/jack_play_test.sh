#!/usr/bin/env bash
# Test 4: realtime = offline. A private JACK dummy server (48 kHz / 128 frames) runs
# `cuegrid play`; jack-record (jack-tools) records its outputs; the recording, aligned by
# cross-correlation, must null against `cuegrid render` of the same script below -90 dBFS.
# Usage: jack_play_test.sh CUEGRID NULL_COMPARE SESSION SCRIPT SCRIPT_SECONDS WORK_DIR
set -euo pipefail
cli=$1 null_compare=$2 session=$3 script=$4 script_seconds=$5 work=$6
mkdir -p "$work"
source "$(dirname "$0")/../Support/test_env.sh"
trap cleanup EXIT
wait_for_poll=0.05
use_private_jack "cuegrid_test_$$" "$work/jackd.log"
preroll=2

"$cli" render "$session" --script "$script" --out "$work/offline.wav" --block-size 128

# Synchronous mode: the server waits for every client each cycle, so a late cycle on a busy
# machine delays the dummy clock instead of handing jack-record a stale buffer.
start_jack --sync

"$cli" play "$session" --script "$script" --device-type JACK --block-size 128 --preroll "$preroll" \
  --event-log "$work/play.ndjson" > "$work/play.log" 2>&1 &
play_pid=$!
pids+=("$play_pid")
wait_for 10 bash -c "jack_lsp | grep -q '^cuegrid:out_2$'"

duration=$((script_seconds + preroll + 2))
jack-record -t "$duration" -p 'cuegrid:out_%d' "$work/recorded.wav" > "$work/record.log" 2>&1 &
record_pid=$!
pids+=("$record_pid")

wait "$play_pid"; play_status=$?
wait "$record_pid" || true
cat "$work/play.log"
[[ $play_status -eq 0 ]] || { echo "cuegrid play failed ($play_status)"; exit 1; }
grep -q '"event":"voiceStart"' "$work/play.ndjson" || { echo "no voice started in realtime"; exit 1; }

"$null_compare" "$work/offline.wav" "$work/recorded.wav" -90
