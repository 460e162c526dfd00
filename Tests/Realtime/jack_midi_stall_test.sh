#!/usr/bin/env bash
# A stalled JACK MIDI client is reopened with its connections (docs/control.md, "A stalled JACK
# MIDI client is reopened"). `cuegrid timecode monitor` runs with CUEGRID_TEST_JACK_MIDI_STALL=1:
# the first JACK MIDI client it opens does nothing in its callback, as a client JACK2 left waiting
# for its first cycle. jack_mtc_sender connects to it during the stall and sends 25 fps MTC.
# Expected: the monitor logs jackMidiReopened (ok) after a second or so of server cycles, then
# jackMidiRunning; the sender's connection is on the reopened client's port again; the MTC peer
# locks and its position follows the sender's time.
# Usage: jack_midi_stall_test.sh CLI SENDER ARTIFACTS
set -euo pipefail
cli=$1 sender=$2 artifacts=$3
source "$(dirname "$0")/../Support/test_env.sh"
rm -rf "$artifacts"; mkdir -p "$artifacts"
trap cleanup EXIT
use_private_jack "cg-stall-$$" "$artifacts/jackd.log"
start_jack_realtime

CUEGRID_TEST_JACK_MIDI_STALL=1 "$cli" timecode monitor --device-type JACK --seconds 9 --quality-threshold 0 \
  > "$artifacts/monitor.ndjson" 2> "$artifacts/monitor.log" &
monitor=$!
pids+=($monitor)
wait_for 15 sh -c 'jack_lsp | grep -q "^cuegrid-timecode:in$"' || { cat "$artifacts/monitor.log"; fail "no JACK MIDI port cuegrid-timecode:in"; }
grep -q '"event":"jackMidiRunning"' "$artifacts/monitor.ndjson" && fail "the stalled client said it runs"
# Connected while the client is stalled: the reopen must bring the connection back.
"$sender" 25 7 "cuegrid-timecode:in@10:00:00:00@0@7" > "$artifacts/sender.txt" 2>&1 &
pids+=($!)
wait_for 10 grep -q '"event":"jackMidiRunning"' "$artifacts/monitor.ndjson" || fail "never ran after the stall: $(grep jackMidi "$artifacts/monitor.ndjson")"
jack_lsp -c > "$artifacts/connections.txt"
wait "$monitor" || true
cat "$artifacts/sender.txt"

python3 - "$artifacts/monitor.ndjson" "$artifacts/connections.txt" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
connections = open(sys.argv[2]).read().split("\n")
ok = True
def check(condition, what):
    global ok
    print(("ok   " if condition else "FAIL ") + what)
    ok = ok and condition
jack = [l for l in lines if l["event"].startswith("jackMidi")]
print("jack MIDI events:", jack)
check([l["event"] for l in jack] == ["jackMidiReopened", "jackMidiRunning"] and jack[0]["ok"], "reopened once, then running")
# jack_lsp -c: a port, then its connections indented
i = connections.index("cuegrid-timecode:in") if "cuegrid-timecode:in" in connections else -1
linked = i >= 0 and i + 1 < len(connections) and connections[i + 1].strip() == "mtc_sender:out_1"
check(linked, "the sender's connection is back on cuegrid-timecode:in")
peer = [l for l in lines if l["event"] == "clockSource" and l["name"] == "mtc_sender:out_1"]
locked = [l for l in peer if l["locked"]]
check(len(locked) >= 2, f"the MTC peer locked ({len(locked)} locked reports of {len(peer)})")
if len(locked) >= 2:
    a, b = locked[0], locked[-1]
    seconds = (b["sample"] - a["sample"]) / 48000.0
    hh, mm, ss, ff = (int(x) for x in b["position"].replace(";", ":").split(":"))
    check(hh == 10 and mm == 0, f"its position is the sender's time ({b['position']})")
    print(f"locked over {seconds:.2f} s")
sys.exit(0 if ok else 1)
PY
