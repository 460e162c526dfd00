#!/usr/bin/env python3
"""Compares the voice events (voiceStart, voiceFading, voicePaused, voiceResumed, voiceEnd) of a
primary's and a backup's event logs (mirror_test.sh, issue 11 test 4): the same events of the
same clips in the same order, at the same timeline positions within one block (128 samples)
after offset correction (the median of backup − primary). Prints the error distribution, the
backup's late commands and its margins.
--after-first-mirror: the backup was restarted; compare from the primary sample of the first
command it mirrored on, and leave out what its snapshot started."""
import argparse, json, statistics, sys

parser = argparse.ArgumentParser()
parser.add_argument("primary")
parser.add_argument("backup")
parser.add_argument("--label", default="")
parser.add_argument("--block", type=int, default=128)
parser.add_argument("--min-events", type=int, default=1)
parser.add_argument("--after-first-mirror", action="store_true")
args = parser.parse_args()

kinds = ("voiceStart", "voiceFading", "voicePaused", "voiceResumed", "voiceEnd")
def read(path):
    lines = []
    for text in open(path):
        try:
            lines.append(json.loads(text))
        except ValueError:
            pass
    return lines

primary, backup = read(args.primary), read(args.backup)
mirrored = [l for l in backup if l.get("event") == "mirrorCommand"]
if not mirrored:
    sys.exit(f"{args.label}: the backup mirrored no command")
p_events = [l for l in primary if l.get("event") in kinds]
b_events = [l for l in backup if l.get("event") in kinds]
if args.after_first_mirror:
    first = min(l["primarySample"] for l in mirrored)
    first_target = min(l["targetSample"] for l in mirrored if l.get("targetSample") is not None)
    # The snapshot's voices: started before the first mirrored command on the primary.
    snapshot_voices = {l["voice"] for l in b_events if l["event"] == "voiceStart" and l["sample"] < first_target}
    p_started_before = {(l["clip"], l["voice"]) for l in p_events if l["event"] == "voiceStart" and l["sample"] < first}
    p_events = [l for l in p_events if l["sample"] >= first]
    b_events = [l for l in b_events if l["sample"] >= first_target - args.block or l["event"] != "voiceStart"]
    b_events = [l for l in b_events if not (l["event"] == "voiceStart" and l["voice"] in snapshot_voices)]
    # The snapshot's voices' later events (fades, ends) are the primary's too: kept on both sides.
    b_events = [l for l in b_events if l["sample"] >= first_target - args.block]

def key(l):
    return (l["event"], l.get("clip"))
p_seq, b_seq = {}, {}
for l in p_events: p_seq.setdefault(key(l), []).append(l["sample"])
for l in b_events: b_seq.setdefault(key(l), []).append(l["sample"])
problems = []
if set(p_seq) != set(b_seq):
    problems.append(f"different events: only primary {sorted(set(p_seq) - set(b_seq))}, only backup {sorted(set(b_seq) - set(p_seq))}")
diffs = []
for k in sorted(set(p_seq) & set(b_seq)):
    if len(p_seq[k]) != len(b_seq[k]):
        problems.append(f"{k}: {len(p_seq[k])} on the primary, {len(b_seq[k])} on the backup")
    diffs += [(b - p, k, p) for p, b in zip(p_seq[k], b_seq[k])]
if len(diffs) < args.min_events:
    problems.append(f"only {len(diffs)} events compared")
# An xrun on either machine (a cycle the dummy server or the app lost) moves one timeline
# against the other for good: the offset correction is the median of the voice starts, fades,
# pauses and resumes between two xruns (either log's, as logged: up to 50 ms after the cycle
# was lost). An event keeps the
# offset of the command that caused it (a voice's end, the start's), so it may match the offset
# of an earlier segment.
xruns = []
if diffs:
    rough = statistics.median(d for d, _, _ in diffs)
    xruns = sorted([l["sample"] for l in primary if l.get("event") == "xrun"] +
                   [l["sample"] - rough for l in backup if l.get("event") == "xrun"])
    slack = 2400   # 50 ms: an xrun is logged by a 30 Hz poll
    bounds = [float("-inf")] + xruns + [float("inf")]
    segments = []
    for lo, hi in zip(bounds, bounds[1:]):
        # Events a command makes at its own sample (not a voice's end, which follows its start).
        starts = [d for d, k, p in diffs if k[0] != "voiceEnd" and lo <= p < hi - slack]
        if starts:
            segments.append((lo, statistics.median(starts)))
    def error(d, p):
        return min((abs(d - off) for lo, off in segments if lo - slack <= p), default=abs(d - rough))
    errors = sorted(error(d, p) for d, _, p in diffs)
    offset = segments[0][1] if segments else rough
    worst = max(diffs, key=lambda x: error(x[0], x[2]))
    q = lambda f: errors[min(len(errors) - 1, int(f * len(errors)))]
    print(f"{args.label}: {len(diffs)} voice events matched, offset {offset} samples ({len(xruns)} xruns, offsets "
          f"{[o for _, o in segments]}); |error| median {q(0.5)}, p90 {q(0.9)}, p99 {q(0.99)}, max {errors[-1]} samples "
          f"(worst {worst[1]} at primary sample {worst[2]}); {sum(1 for e in errors if e == 0)} exact")
    beyond = [(d, k, p) for d, k, p in diffs if error(d, p) > args.block]
    if beyond:
        problems.append(f"{len(beyond)} events more than {args.block} samples off, e.g. {beyond[:5]}")
late = [l for l in mirrored if l.get("late")]
exact = sum(1 for l in mirrored if l.get("exact"))
margins = sorted(l["marginMs"] for l in mirrored if not l.get("late"))
if margins:
    print(f"{args.label}: backup mirrored {len(mirrored)} commands ({exact} stamped exactly), late {len(late)}; "
          f"margin before the target: min {margins[0]:.2f} ms, median {margins[len(margins) // 2]:.2f} ms")
transit = sorted(l["transitMs"] for l in mirrored if l.get("transitMs") is not None)
handoff = sorted(l["handoffMs"] for l in mirrored if l.get("handoffMs") is not None)
if transit and handoff:
    print(f"{args.label}: primary stamp -> backup arrival: median {transit[len(transit) // 2]:.2f} ms, max {transit[-1]:.2f} ms; "
          f"arrival -> performed: median {handoff[len(handoff) // 2]:.2f} ms, max {handoff[-1]:.2f} ms")
clock = sorted(l["clockOffsetUs"] for l in mirrored if l.get("clockOffsetUs") is not None and not l.get("late"))
if clock:
    # Both apps run on this machine: the true clock offset is 0, so the estimate is its error
    # (plus the least network delay seen).
    print(f"{args.label}: the backup's clock offset estimate (truth 0 on one machine): median {clock[len(clock) // 2]:.1f} us, "
          f"range {clock[0]:.1f} .. {clock[-1]:.1f} us")
if late:
    problems.append(f"{len(late)} commands late: {[(l['sequence'], l['marginMs']) for l in late[:5]]}")
if problems:
    print("\n".join(problems))
    sys.exit(1)
