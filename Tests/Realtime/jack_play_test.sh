#!/usr/bin/env bash
# Test 4 (issue 8 test 3): realtime = offline. A private JACK dummy server (48 kHz / 128 frames,
# CHANNELS playback ports) runs `cuegrid play --channels CHANNELS`; jack-record (jack-tools)
# records all its outputs; the recording, aligned by cross-correlation, must null channel by
# channel against `cuegrid render --channels CHANNELS` of the same script below LIMIT dBFS
# (bit-identical is -inf), and play's event log must hold the render's events at the same
# samples (offset by the preroll), with meter lines at 20 Hz or more (--meters). A device with
# CHANNELS outputs must refuse CHANNELS + 1.
# Usage: jack_play_test.sh [--channels N] [--limit DBFS] [--only CHANNELS FROM_SEC TO_SEC]...
#                          CUEGRID NULL_COMPARE SESSION SCRIPT SCRIPT_SECONDS WORK_DIR
# --only is passed to null_compare: in that window only those channels (1-based) carry signal.
set -euo pipefail
channels=2 limit=-90 only=()
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --channels) channels=$2; shift 2 ;;
    --limit) limit=$2; shift 2 ;;
    --only) only+=(--only "$2" "$3" "$4"); shift 4 ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done
cli=$1 null_compare=$2 session=$3 script=$4 script_seconds=$5 work=$6
mkdir -p "$work"
rm -f "$work"/*.wav "$work"/*.ndjson "$work"/*.log
source "$(dirname "$0")/../Support/test_env.sh"
trap cleanup EXIT
wait_for_poll=0.05
use_private_jack "cuegrid_test_$$" "$work/jackd.log"
preroll=2
started=$SECONDS

"$cli" render "$session" --script "$script" --out "$work/offline.wav" --block-size 128 --channels "$channels" \
  --event-log "$work/offline.ndjson"

# Synchronous mode: the server waits for every client each cycle, so a late cycle on a busy
# machine delays the dummy clock instead of handing jack-record a stale buffer.
start_jack --sync -- -P "$channels"

# A device with fewer outputs than asked for is refused before anything plays.
status=0
"$cli" play "$session" --script "$script" --device-type JACK --channels $((channels + 1)) > "$work/refused.log" 2>&1 || status=$?
cat "$work/refused.log"
[[ $status -eq 5 ]] || { echo "play --channels $((channels + 1)) on $channels outputs: exit $status, not 5"; exit 1; }
grep -q "has $channels output channel(s); --channels $((channels + 1)) needs $((channels + 1))" "$work/refused.log" \
  || { echo "no clear refusal of too few outputs"; exit 1; }

"$cli" play "$session" --script "$script" --device-type JACK --block-size 128 --preroll "$preroll" --channels "$channels" \
  --meters --event-log "$work/play.ndjson" > "$work/play.log" 2>&1 &
play_pid=$!
pids+=("$play_pid")
wait_for 10 bash -c "jack_lsp | grep -q '^cuegrid:out_$channels\$'"
jack_lsp | grep -q "^cuegrid:out_$((channels + 1))\$" && { echo "play opened more than $channels outputs"; exit 1; }

duration=$((script_seconds + preroll + 2))
jack-record -n "$channels" -t "$duration" -p 'cuegrid:out_%d' "$work/recorded.wav" > "$work/record.log" 2>&1 &
record_pid=$!
pids+=("$record_pid")

wait "$play_pid"; play_status=$?
wait "$record_pid" || true
cat "$work/play.log"
[[ $play_status -eq 0 ]] || { echo "cuegrid play failed ($play_status)"; exit 1; }
grep -q '"event":"voiceStart"' "$work/play.ndjson" || { echo "no voice started in realtime"; exit 1; }
grep -q '^cuegrid: engine latency [0-9]* samples' "$work/play.log" || { echo "play did not report the engine latency"; exit 1; }
[[ $(grep -c '"event":"engineLatency"' "$work/play.ndjson") -eq 1 ]] || { echo "the engine latency is not logged once"; exit 1; }
# --meters: the meters reach the log at 20 Hz or more (every 25 ms of audio).
meters=$(grep -c '"event":"meter"' "$work/play.ndjson" || true)
echo "meter lines: $meters over $((script_seconds + preroll)) s"
(( meters >= 20 * (script_seconds + preroll) )) || { echo "too few meter lines ($meters)"; exit 1; }

# The same events at the same samples: realtime's timeline is the render's plus the preroll.
# Meters, xruns, overloads (a busy machine) and the latency line are realtime's own; nothing
# else may differ.
python3 - "$work/offline.ndjson" "$work/play.ndjson" $((preroll * 48000)) <<'EOF'
import json, sys
own = {"meter", "xrun", "overload", "engineLatency"}
def events(path, offset):
    result = []
    for line in open(path):
        event = json.loads(line)
        if event["event"] in own:
            continue
        event["sample"] -= offset
        event.pop("timeSec", None)
        result.append(json.dumps(event, sort_keys=True))
    return result
offline, realtime = events(sys.argv[1], 0), events(sys.argv[2], int(sys.argv[3]))
if offline != realtime:
    for n, (a, b) in enumerate(zip(offline + ["(none)"] * len(realtime), realtime + ["(none)"] * len(offline))):
        if a != b:
            print(f"event {n + 1} differs:\n  render: {a}\n  play:   {b}")
            break
    sys.exit(1)
print(f"events: the {len(offline)} events of the render, at the same samples")
EOF

"$null_compare" "${only[@]}" "$work/offline.wav" "$work/recorded.wav" "$limit"
echo "run time: $((SECONDS - started)) s"
