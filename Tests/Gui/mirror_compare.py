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
if diffs:
    offset = statistics.median(d for d, _, _ in diffs)
    errors = sorted(abs(d - offset) for d, _, _ in diffs)
    worst = max(diffs, key=lambda x: abs(x[0] - offset))
    q = lambda f: errors[min(len(errors) - 1, int(f * len(errors)))]
    print(f"{args.label}: {len(diffs)} voice events matched, offset {offset} samples; |error| median {q(0.5)}, "
          f"p90 {q(0.9)}, p99 {q(0.99)}, max {errors[-1]} samples (worst {worst[1]} at primary sample {worst[2]}); "
          f"{sum(1 for e in errors if e == 0)} exact")
    beyond = [(d, k, p) for d, k, p in diffs if abs(d - offset) > args.block]
    if beyond:
        problems.append(f"{len(beyond)} events more than {args.block} samples off, e.g. {beyond[:5]}")
late = [l for l in mirrored if l.get("late")]
exact = sum(1 for l in mirrored if l.get("exact"))
margins = sorted(l["marginMs"] for l in mirrored if not l.get("late"))
if margins:
    print(f"{args.label}: backup mirrored {len(mirrored)} commands ({exact} stamped exactly), late {len(late)}; "
          f"margin before the target: min {margins[0]:.2f} ms, median {margins[len(margins) // 2]:.2f} ms")
status = [l for l in backup if l.get("event") == "mirrorStatus" and l.get("inStep")]
if status and diffs:
    estimate = status[-1]["offsetSamples"]
    print(f"{args.label}: the backup's own offset estimate {estimate} samples + delay vs measured {offset}")
if late:
    problems.append(f"{len(late)} commands late: {[(l['sequence'], l['marginMs']) for l in late[:5]]}")
if problems:
    print("\n".join(problems))
    sys.exit(1)
