#!/usr/bin/env bash
# `cuegrid play` of a looping show script (issue 15): a script with "loop": true, bars and
# scenes plays on a private JACK dummy server until Ctrl-C. At each durationSec the script
# restarts from a clean state: the event log's loopRestart lines sit exactly at preroll +
# k × durationSec, every pass starts the same voices at the same offsets from its start as the
# first (sample-exact, as render --loops), and no command comes late.
# Usage: play_loop_test.sh CUEGRID SESSION LOOP_SCRIPT WORK_DIR
set -euo pipefail
cli=$1 session=$2 source_script=$3 work=$4
mkdir -p "$work"
rm -f "$work/play.ndjson" "$work/play.log" "$work/plan.txt"
source "$(dirname "$0")/../Support/test_env.sh"
trap cleanup EXIT
use_private_jack "cuegrid_playloop_$$" "$work/jackd.log"

# One bar of the loop script (2 s at 120 bpm): its first-bar commands, durationSec 2.
script="$work/loop.json"
python3 - "$source_script" "$script" <<'PY'
import json, sys
script = json.load(open(sys.argv[1]))
script["durationSec"] = 2.0
script["tailSec"] = 0.5
script["commands"] = [c for c in script["commands"] if c.get("bar") == 1]
script["commands"].append({"bar": 1, "step": 13, "type": "RecallScene", "scene": "full", "morphMs": 250})
json.dump(script, open(sys.argv[2], "w"), indent=2)
PY

start_jack
"$cli" play "$session" --script "$script" --device-type JACK --preroll 0.5 --dump-events \
  --event-log "$work/play.ndjson" > "$work/plan.txt" 2> "$work/play.log" &
play_pid=$!
pids+=("$play_pid")
# The restart of pass 5 is queued one second before it, in pass 4: passes 1-3 are complete then.
wait_for 90 grep -q '"event":"loopRestart".*"pass":5' "$work/play.ndjson" \
  || { echo "FAIL: no fifth pass"; cat "$work/play.log"; exit 1; }
kill -INT "$play_pid"
status=0
wait "$play_pid" || status=$?
cat "$work/play.log"
[[ $status -eq 1 ]] || { echo "FAIL: expected exit 1 (interrupted), got $status"; exit 1; }
grep -q '^plan loop: endless passes, each restarted at 96000 samples' "$work/plan.txt" \
  || { echo "FAIL: --dump-events has no loop line"; cat "$work/plan.txt"; exit 1; }
grep -q '^plan 72000 (1.5 s) Trigger clap \[bar 1 step 13/16\]' "$work/plan.txt" \
  || { echo "FAIL: --dump-events has no bar/step label"; cat "$work/plan.txt"; exit 1; }

python3 - "$work/play.ndjson" <<'PY'
import json, sys
preroll, duration = 24000, 96000
events = [json.loads(line) for line in open(sys.argv[1])]
restarts = [e["sample"] for e in events if e["event"] == "loopRestart"]
late = [e for e in events if e["event"] == "commandLate"]
assert not late, f"late commands: {late[:3]}"
assert restarts[:2] == [preroll + duration, preroll + 2 * duration], f"loop restarts at {restarts}"
passes = {}
for e in events:
    if e["event"] == "voiceStart":
        k = (e["sample"] - preroll) // duration
        passes.setdefault(k, []).append((e["clip"], e["sample"] - preroll - k * duration))
print("voice starts per pass:", {k: v for k, v in sorted(passes.items())})
assert passes.get(0), "no voice started in the first pass"
for k in (1, 2):
    assert passes.get(k) == passes[0], f"pass {k} differs from the first: {passes.get(k)} vs {passes[0]}"
assert ("kick", 0) in passes[0] and ("kick", 48000) in passes[0] and ("clap", 72000) in passes[0]
# The clean state: a Panic at each loop point, whose 1 ms fade (48 samples) ends the hum of the pass before.
for restart in restarts[:2]:
    assert any(e["event"] == "panic" and e["sample"] == restart for e in events), f"no panic at the loop point {restart}"
    cut = [e for e in events if e["event"] == "voiceEnd" and e["sample"] == restart + 48 and e["reason"] == "panic"]
    assert [e["clip"] for e in cut] == ["hum"], f"the loop point {restart} did not cut the hum: {cut}"
print("ok: restarts at", restarts[:2])
PY
echo "ok"
