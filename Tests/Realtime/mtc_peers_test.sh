#!/usr/bin/env bash
# Issue 12, test 4 with real processes: two MTC peers over JACK MIDI into `cuegrid timecode
# monitor` on a private JACK dummy server. One sender client (jack_mtc_sender, one frame clock
# for all its streams) sends 10:00:00:00 at 25 fps to the monitor's ports "in" (peer A, until
# 6 s) and "mtc_2" (peer B from 0.51 s, so A leads, 30 ms = 0.75 frame behind A, until 16 s); from 9 s a third stream sends 10:00:39:00 to "mtc_3"
# (peer C: 30 s ahead of B). Expected in the monitor's NDJSON: the master follows A or B; when A
# stops it fails over to B (cause lost) about 1 s (the flywheel time) after A's last message,
# with no step in the master: it goes on from A's flywheel, 30 ms ahead of B, and slews; C is flagged (clockPeerDisagreement, differentTime).
# JACK MIDI is stamped by JACK frames and the engine pairs its block starts with theirs
# (docs/clock.md, "MTC from every MIDI input"), so the order of the two clients' callbacks in a
# cycle no longer gives outliers: each peer's health must show none (before: 7-9 per peer in a
# run), or one when the dummy server itself lost cycles (jackd logs "Process XRun"). Still --quality-threshold 0: on this shared 2-core machine the non-realtime dummy server
# stalls under load and the peers' jitter then reaches 0.5-3 ms for a second or two (stability 0),
# with either stamping; at the default threshold of 50, 4 runs of 7 left B unfit at A's loss.
# Usage: mtc_peers_test.sh CLI SENDER ARTIFACTS
set -euo pipefail
cli=$1 sender=$2 artifacts=$3
source "$(dirname "$0")/../Support/test_env.sh"
rm -rf "$artifacts"; mkdir -p "$artifacts"
trap cleanup EXIT
use_private_jack "cg-mtc-$$" "$artifacts/jackd.log"
start_jack_realtime

"$cli" timecode monitor --device-type JACK --seconds 22 --quality-threshold 0 > "$artifacts/monitor.ndjson" 2> "$artifacts/monitor.log" &
monitor=$!
pids+=($monitor)
wait_for 15 sh -c 'jack_lsp | grep -q "cuegrid-timecode:mtc_3"' || { cat "$artifacts/monitor.log"; exit 1; }
# The monitor's JACK MIDI client has run a cycle (after a stalled client was reopened, if it was:
# docs/control.md), then the engine's first blocks (the sample clock the stamps are placed on).
wait_for 15 grep -q '"event":"jackMidiRunning"' "$artifacts/monitor.ndjson" || { cat "$artifacts/monitor.log"; exit 1; }
sleep 1
"$sender" 25 18 "cuegrid-timecode:in@10:00:00:00@0@6" "cuegrid-timecode:mtc_2@10:00:00:12@0.51@16" \
          "cuegrid-timecode:mtc_3@10:00:39:00@9@16" > "$artifacts/sender.txt" 2>&1
cat "$artifacts/sender.txt"
wait "$monitor"
cat "$artifacts/monitor.log"

python3 - "$artifacts/monitor.ndjson" "$artifacts/jackd.log" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
server_xruns = sum(1 for l in open(sys.argv[2]) if "Process XRun" in l)   # cycles the dummy server itself lost
def fail(why):
    print("FAIL:", why); sys.exit(1)
A, B, C = "mtc_sender:out_1", "mtc_sender:out_2", "mtc_sender:out_3"
sources = [l for l in lines if l["event"] == "clockSource"]
names = {l["name"] for l in sources}
print("sources seen:", sorted(names))
for n in (A, B, C):
    if n not in names: fail("no source " + n)
locked = [l for l in sources if l["name"] in (A, B) and l["locked"]]
if not locked: fail("A and B never locked")
failovers = [l for l in lines if l["event"] == "clockFailover"]
print("failovers:", failovers)
f = [l for l in failovers if l["from"] == A and l["to"] == B]
if not f: fail("no failover from A to B")
if f[0]["cause"] != "lost": fail("failover cause " + f[0]["cause"])
# A's last message: its last health line with an age; the failover comes ~1 s after it.
masters = [l for l in lines if l["event"] == "clockMaster"]
print("master:", [(m["position"], m["source"], m["state"]) for m in masters])
if not any(m["source"] == B for m in masters): fail("the master never followed B")
# No step: at the failover the master goes on from A's line, 30 ms ahead of B, and slews that
# away at <= 0.5 % (5 ms a second), so the first report on B still shows most of the offset.
# Between reports the master's rate wobbles by up to 2-3 % here (measured: 48 ms in one second):
# the non-realtime dummy server on a loaded 2-core machine runs the engine's and the MIDI
# client's callbacks late and in bursts, so MIDI stamps meet a stale block start. So the report-
# to-report check only catches gross jumps (over 2.5 frames); the offset above is the step test.
onB = [m for m in masters if m["source"] == B]
print("offset from B in the reports after the failover (ms):", [m["offsetMs"] for m in onB[:8]])
if not onB[0]["offsetMs"] > 15.0: fail("the master stepped onto B (offset %.3f ms)" % onB[0]["offsetMs"])
steps = []
for a, b in zip(masters, masters[1:]):
    if a["source"] in (A, B) and b["source"] in (A, B):
        dt = (b["sample"] - a["sample"]) / 48000.0
        steps.append(abs((b["seconds"] - a["seconds"]) - dt))
print("largest master deviation from the audio clock between reports: %.3f ms" % (max(steps) * 1000))
if max(steps) > 0.100: fail("the master jumped")
dis = [l for l in lines if l["event"] == "clockPeerDisagreement" and C in (l["source"], l.get("other"))]
print("disagreements:", dis[:3])
if not dis: fail("C was not flagged")
if not any(l["name"] == C and l["differentTime"] for l in sources): fail("C's health never said differentTime")
if any(l["name"] == B and l["differentTime"] for l in sources if l["sample"] < dis[0]["sample"]): fail("B flagged before C came")
worst = {n: max(l["outliers"] for l in sources if l["name"] == n) for n in (A, B, C)}
print("outliers per peer:", worst, "; jitter (us) per report of B:", [l["jitterUs"] for l in sources if l["name"] == B])
# A cycle the server lost (an xrun) can cost each peer one outlier; without one, none is allowed.
allowed = 1 if server_xruns else 0
print("server xruns:", server_xruns, "; outliers allowed per peer:", allowed)
if any(v > allowed for v in worst.values()): fail("outliers on the JACK MIDI peers")
print("mtc peers: ok")
PY
