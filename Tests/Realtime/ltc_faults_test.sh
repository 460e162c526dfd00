#!/usr/bin/env bash
# Issue 12, test 3 with real processes: LTC faults while MTC runs. A private JACK dummy server
# (48 kHz / 128 frames, sync mode: a late client delays the cycle instead of losing the LTC's
# samples, so the signal the monitor decodes is the file, sample for sample).
# The LTC file: `cuegrid timecode generate` (25 fps from 10:00:00:00) cut and spliced in Python,
# after 1.5 s of silence. In u, seconds from the LTC's first sample:
#   0-4 forward · 4.0-4.2 dropout (silence) · 4.2-5.5 forward · 5.5-5.8 noise burst (white, at the
#   LTC's level) · 5.8-7.0 forward · 7.0 jump +3 s · 8.5-10.0 reverse (timecode 11.5 s back to
#   10.0 s: on the MTC's line again) · 10.0-12.0 forward · 12.0-14.0 the cable pulled (silence) ·
#   14.0-19.0 forward.
# jack-play plays it into `cuegrid timecode monitor --ltc-channel 1 --master-trace` and into
# jack_mtc_sender's audio input: with --start-on-audio the sender starts 25 fps MTC from
# 10:00:00:00 (to the monitor's "in") at the LTC's first sample, in the same cycle, so MTC
# runs on the LTC's line without its faults (the monitor places LTC a capture latency, 128
# samples, earlier: MTC shows 2.6 ms behind).
# Checked, from the monitor's events and health lines and the master at every block (the trace):
#   - each fault is reported: the dropout and the noise burst as clockLockLost then
#     clockLockRegained with no failover; the jump as a clockDiscontinuity of +3000 ms that the
#     master follows; the reverse as a clockDiscontinuity, the LTC's health speed -1 and the
#     master running backwards, and forward again; the pull as clockLockLost, clockSourceLost
#     and clockFailover LTC -> MTC (cause lost); then clockLockRegained and clockTakeover
#     MTC -> LTC (betterSource) after the hold time;
#   - the failover comes in the first block after the flywheel time (1 s) from the LTC's last
#     accepted frame, the takeover in the first block after the hold time (2 s) from its relock;
#   - the master never steps: at every block it starts where the previous block's line ended
#     (previous seconds + speed x block), except where it follows the LTC's own jumps (the
#     jump and the two direction changes) and at the first lock; its speed stays within the
#     slew of +-1.
# --quality-threshold 0: the faults are incidents that weigh the LTC's stability to 0 (five
# within a few seconds score 0: docs/clock.md, "Health"); at the default threshold of 50 the
# manager would leave the LTC for the MTC as "below quality" after the burst and the jump and not
# take it back, which is right but not this test. (MTC alone, on this 2-core VM, also sees
# outliers now and then: see mtc_peers_test.sh.)
# Usage: ltc_faults_test.sh CUEGRID JACK_MTC_SENDER ARTIFACTS
set -euo pipefail
cli=$1 sender=$2 artifacts=$3
source "$(dirname "$0")/../Support/test_env.sh"
export PYTHONPATH="$(cd "$(dirname "$0")/../Support" && pwd)${PYTHONPATH:+:$PYTHONPATH}"   # wavio.py
rm -rf "$artifacts"; mkdir -p "$artifacts"
trap cleanup EXIT
wait_for_poll=0.05
use_private_jack "cg-ltcf-$$" "$artifacts/jackd.log"
started=$SECONDS

"$cli" timecode generate --fps 25 --start 10:00:00:00 --seconds 20 --out "$artifacts/ltc-continuous.wav"
python3 - "$artifacts" <<'PY'
import json, random, sys
from wavio import read_wav, write_wav
art = sys.argv[1]
rate, pad = 48000, 1.5
ltc, sr = read_wav(f"{art}/ltc-continuous.wav")
ltc = ltc[0]
assert sr == rate
# (from u, to u, what, the timecode at `from` in seconds after 10:00:00:00); every cut on a frame edge
plan = [(0.0, 4.0, "forward", 0.0), (4.0, 4.2, "dropout", None), (4.2, 5.5, "forward", 4.2),
        (5.5, 5.8, "noise", None), (5.8, 7.0, "forward", 5.8), (7.0, 8.5, "jump", 10.0),
        (8.5, 10.0, "reverse", 11.5), (10.0, 12.0, "forward", 10.0), (12.0, 14.0, "pulled", None),
        (14.0, 19.0, "forward", 14.0)]
out = [0.0] * int(pad * rate)
random.seed(12)
for start, end, what, tc in plan:
    n = int(round((end - start) * rate))
    if what in ("dropout", "pulled"):
        piece = [0.0] * n
    elif what == "noise":
        piece = [random.uniform(-0.5, 0.5) for _ in range(n)]
    elif what == "reverse":
        first = int(round((tc - (end - start)) * rate))
        piece = ltc[first:first + n][::-1]
    else:
        first = int(round(tc * rate))
        piece = ltc[first:first + n]
    assert len(piece) == n, (what, len(piece), n)
    # Every LTC frame starts with a transition: a splice onto the same polarity would lose it.
    if what in ("forward", "jump", "reverse") and out[-1] != 0.0 and (out[-1] > 0) == (piece[0] > 0):
        piece = [-x for x in piece]
    out += piece
write_wav(f"{art}/ltc-faults.wav", out, rate)
json.dump({"pad": pad, "plan": plan}, open(f"{art}/plan.json", "w"))
print(f"LTC with faults: {len(out) / rate:.2f} s")
PY

start_jack --sync -- -C 2 -P 2
"$cli" timecode monitor --device-type JACK --ltc-channel 1 --seconds 27 --quality-threshold 0 \
  --master-trace "$artifacts/trace.ndjson" > "$artifacts/monitor.ndjson" 2> "$artifacts/monitor.log" &
monitor=$!
pids+=($monitor)
# No jack_lsp / jack_connect while the clients start: each opens and closes a JACK client, and
# with them polling, the sync-mode dummy server stalled at the monitor's start in 2 runs of 9
# (jackd.log: "ProcessWriteSlaves error", then "ClientCloseAux wait error"). The processes say
# when they are ready and make their own connections.
wait_for 15 grep -q "JACK MIDI ports" "$artifacts/monitor.log" || { cat "$artifacts/monitor.log"; exit 1; }
"$sender" --start-on-audio '^jack-play-[0-9]+:out_1$' 25 30 "cuegrid-timecode:in@10:00:00:00@0@22" > "$artifacts/sender.txt" 2>&1 &
pids+=($!)
wait_for 10 grep -q "waiting for" "$artifacts/sender.txt" || { cat "$artifacts/sender.txt"; exit 1; }
JACK_PLAY_CONNECT_TO='cuegrid:in_%d' jack-play "$artifacts/ltc-faults.wav" > "$artifacts/jack-play.log" 2>&1 &
player=$!
pids+=($player)
wait_for 10 grep -q "audio from jack-play-$player:out_1" "$artifacts/sender.txt" || { cat "$artifacts/sender.txt"; exit 1; }
echo "jack-play started $((SECONDS - started)) s after the start (the LTC begins 1.5 s into its file)"
wait "$monitor"
cat "$artifacts/monitor.log" "$artifacts/sender.txt" "$artifacts/jack-play.log"
# jack-play short of data plays zeros: a fault of its own in the LTC, which this test would then
# report as a failure that is not the clock's.
if grep -q "ringbuffer empty\|jack_connect() failed" "$artifacts/jack-play.log"; then echo "FAIL: jack-play did not play the file whole"; exit 1; fi

python3 - "$artifacts" <<'PY'
import json, sys
art = sys.argv[1]
rate, fps, block = 48000, 25, 128
T0 = 36000.0                              # 10:00:00:00 in seconds
flywheel, hold, max_slew = 1.0, 2.0, 0.005  # ClockSettings defaults
stale = 2 * rate // fps + block           # locked -> flywheel: no frame for 2 frames + one block
LTC, MTC = "LTC", "mtc_sender:out_1"

def fail(why):
    print("FAIL:", why)
    sys.exit(1)

lines = [json.loads(l) for l in open(f"{art}/monitor.ndjson") if l.strip()]
trace = [json.loads(l) for l in open(f"{art}/trace.ndjson") if l.strip()]
summary, rows = trace[-1], trace[:-1]
print(f"trace: {len(rows)} blocks, {summary['dropped']} dropped")
if summary["dropped"] != 0 or summary["blocks"] != len(rows): fail("the trace lost blocks")
if len(rows) < 21 * rate // block: fail("too few blocks: the audio stopped (see jackd.log)")
for a, b in zip(rows, rows[1:]):
    if a["frames"] != block or b["sample"] - a["sample"] != block:
        fail(f"blocks are not contiguous 128-sample blocks at {a['sample']}")
at = {r["sample"]: i for i, r in enumerate(rows)}

# The LTC's timeline on the engine's samples: u = sample / rate + off, from the master while it
# follows the LTC, locked, before the first fault. Sync mode plays the file sample for sample, so
# the spread is rounding (measured 2e-11 s); a loose bound still catches a master off the LTC.
def line_offset(u0, u1, u_of=lambda sample: None):
    """The LTC line's offset from the master's locked blocks at u0 < u < u1 (by timecode before
    u_of is known: no timecode before the jump repeats)."""
    offs = [(r["seconds"] - T0) - r["sample"] / rate for r in rows
            if r["source"] == LTC and r["state"] == "locked"
            and u0 < (u_of (r["sample"]) if u_of (r["sample"]) is not None else r["seconds"] - T0) < u1]
    if len(offs) < 100: fail(f"the master did not follow the LTC locked between u {u0} and {u1}")
    offs.sort()
    if offs[-1] - offs[0] > 0.0005: fail(f"the master wanders on the LTC between u {u0} and {u1}: {offs[-1] - offs[0]:.6f} s")
    return offs[len(offs) // 2]
off = line_offset(1.0, 3.9)
def u_of(sample): return sample / rate + off
def s_of(u): return round((u - off) * rate)

events = [l for l in lines if l["event"] not in ("clockSource", "clockMaster", "ptpStatus")]
for e in events:
    if "sample" in e: e["u"] = round(u_of(e["sample"]), 4)
print("events:"); [print("  ", e) for e in events]
def find(name, u0, u1, source=LTC):
    return [e for e in events if e["event"] == name and u0 <= e.get("u", -1) <= u1
            and (e.get("source") == source or e.get("from") == source or e.get("to") == source)]
def one(name, u0, u1, source=LTC):
    found = find(name, u0, u1, source)
    if len(found) != 1: fail(f"expected one {name} of {source} between u {u0} and {u1}, got {found}")
    return found[0]
failovers = [e for e in events if e["event"] == "clockFailover" and e["u"] < 19.0]
takeovers = [e for e in events if e["event"] == "clockTakeover" and e["u"] < 19.0]

# The dropout and the noise burst: bridged by the flywheel (stale, then locked), nothing else.
for name, u0, u1 in (("dropout", 4.0, 4.2), ("noise burst", 5.5, 5.8)):
    lost = one("clockLockLost", u0, u0 + 0.2)
    back = one("clockLockRegained", u1, u1 + 0.2)
    if find("clockDiscontinuity", u0, u1 + 0.2) or [f for f in failovers if u0 <= f["u"] <= u1 + 1.2]:
        fail(f"the {name} made a discontinuity or a failover")
    print(f"{name}: lock lost at u {lost['u']}, regained at u {back['u']}")

# The jump: +3 s, reported and followed by the master (a locate at the desk is the show's).
jump = one("clockDiscontinuity", 7.0, 7.2)
if abs(jump["deltaMs"] - 3000.0) > 2.0: fail(f"the jump measured {jump['deltaMs']} ms")
# The reverse, and forward again: each a discontinuity (the line restarts), the LTC's speed -1 in
# its health, the master running backwards in between.
back_turn = one("clockDiscontinuity", 8.5, 8.7)
fwd_turn = one("clockDiscontinuity", 10.0, 10.2)
reverse_health = [l for l in lines if l["event"] == "clockSource" and l["name"] == LTC and l["state"] == "locked"
                  and 8.7 < u_of(l["sample"]) < 10.0]
if not reverse_health or any(abs(l["speed"] + 1.0) > 0.001 for l in reverse_health):
    fail(f"the LTC's health does not show it reversed: {reverse_health}")
backwards = [r for r in rows if 8.8 < u_of(r["sample"]) < 10.0]
if any(r["source"] != LTC or abs(r["speed"] + 1.0) > max_slew + 0.001 for r in backwards):
    fail("the master did not run backwards with the LTC")
print(f"jump: {jump['deltaMs']} ms at u {jump['u']}; reverse at u {back_turn['u']} ({back_turn['deltaMs']} ms off the forward line), "
      f"forward again at u {fwd_turn['u']} ({fwd_turn['deltaMs']} ms); health speed {reverse_health[0]['speed']}")

# The cable pulled at u 12: stale, lost and failed over to MTC in the first block after the
# flywheel time from the LTC's last accepted frame. That frame ends the LTC's line at u 12.0, or
# one frame earlier: the last frame before a signal stops comes up to 16 samples late (the fall
# to silence is not a bit transition) and the flywheel's gate holds it back (docs/clock.md,
# "Flywheel"). The line's position here comes from the forward stretch just before the pull.
lost = one("clockLockLost", 12.0, 12.2)
gone = one("clockSourceLost", 12.8, 13.2)
if len(failovers) != 1: fail(f"expected one failover before the LTC ends, got {failovers}")
failover = failovers[0]
if (failover["from"], failover["to"], failover["cause"]) != (LTC, MTC, "lost"): fail(f"the failover: {failover}")
F = failover["sample"]
if gone["sample"] != F: fail("the failover is not in the block the LTC was lost")
off_pull = line_offset(10.3, 11.95, u_of)
s_end = round((12.0 - off_pull) * rate)
last_accepted = [s for s in (s_end, s_end - rate // fps) if F - block <= s + flywheel * rate < F]
if not last_accepted:
    fail(f"the failover at {F} is not in the first block after the flywheel time from the LTC's last frame ({s_end}) or the one before")
if F - lost["sample"] != flywheel * rate - stale:
    fail(f"lock lost at {lost['sample']}, failover at {F}: not the flywheel time apart in blocks")
i = at[F]
before, after = rows[i - 1], rows[i]
if before["source"] != LTC or before["state"] != "flywheel" or after["source"] != MTC:
    fail(f"the trace around the failover: {before}, {after}")
print(f"pull: lock lost at u {lost['u']}, failover at u {failover['u']} (sample {F}), {F - last_accepted[0] - flywheel * rate:.0f} samples "
      f"after the flywheel time from the last accepted frame ({'the last' if last_accepted[0] == s_end else 'held back: the one before'}); "
      f"master {after['offsetMs']:.3f} ms off MTC there")
# MTC lines up with the LTC within a frame (its sender starts on the LTC's first sample).
if abs(after["offsetMs"]) > 1000.0 / fps: fail(f"MTC is {after['offsetMs']} ms off the LTC's line")

# The LTC back at u 14: locked on its second frame (+ the blocks it takes to arrive), takes over
# after the hold time.
relock = one("clockLockRegained", 14.0, 14.0 + 2.0 / fps + 3.0 * block / rate)
if len(takeovers) != 1: fail(f"expected one takeover, got {takeovers}")
takeover = takeovers[0]
if (takeover["from"], takeover["to"], takeover["cause"]) != (MTC, LTC, "betterSource"): fail(f"the takeover: {takeover}")
T = takeover["sample"]
if not (hold * rate <= T - relock["sample"] < hold * rate + block): fail(f"the takeover at {T} is not the hold time after the relock at {relock['sample']}")
j = at[T]
if rows[j - 1]["source"] != MTC or rows[j]["source"] != LTC: fail(f"the trace around the takeover: {rows[j - 1]}, {rows[j]}")
print(f"return: relocked at u {relock['u']}, takeover at u {takeover['u']} ({(T - relock['sample']) / rate:.4f} s later), "
      f"master {rows[j]['offsetMs']:.3f} ms off the LTC there")

# No step: each block starts where the previous one's line ends. Allowed: the first lock (the
# relocate) and where the master follows a jump of the LTC it follows (the block that confirms a
# discontinuity, within 0.25 s of it). The master's line is computed in doubles from its own
# previous block (ClockManager::process), so what is left is rounding: 1 µs is a bound 1000 times
# above it (measured 0 at 10 h of timecode) that a real step of one sample (21 µs) breaks.
relocate = [e for e in events if e["event"] == "clockRelocate"]
discontinuities = [e["sample"] for e in find("clockDiscontinuity", 0.0, 19.0)]
steps, worst, worst_slew, worst_ltc, worst_mtc = [], 0.0, 0.0, 0.0, 0.0
for a, b in zip(rows, rows[1:]):
    step = b["lineSeconds"] - (a["lineSeconds"] + a["speed"] * block / rate)
    if abs(step) > 1e-6:
        followed = b["source"] == LTC and any(0 < b["sample"] - d <= rate // 4 for d in discontinuities)
        if not (followed or (relocate and b["sample"] == relocate[0]["sample"])):
            fail(f"the master steps {step * 1000:.3f} ms at block {b['sample']} (u {u_of(b['sample']):.4f}, {a['source']} -> {b['source']})")
        steps.append((round(u_of(b["sample"]), 3), round(step * 1000, 3)))
    else:
        worst = max(worst, abs(step))
    worst_slew = max(worst_slew, abs(b["slew"]))
    source_speed = abs(b["speed"] - b["slew"])
    if b["source"] == LTC:
        worst_ltc = max(worst_ltc, abs(source_speed - 1.0))
    elif b["source"] == MTC:
        worst_mtc = max(worst_mtc, abs(source_speed - 1.0))
print(f"master steps followed (u, ms): {steps}; every other block within {worst * 1e9:.3f} ns of its previous line")
if len(steps) != 4: fail("expected the first lock, the jump and the two direction changes as the only steps")
# The speed: the source's corrected by at most maxSlew (exact but for rounding). The source's own
# speed (its DLL's) is +-1: the LTC's within 1e-9 here (the file, sample for sample); MTC's,
# stamped on arrival on this loaded VM, measured within 1.2e-4 in 6 runs: bound 0.01 (a block
# then advances within 40 µs of its nominal 2.67 ms).
print(f"largest |slew| {worst_slew:.6f} (maxSlew {max_slew}); the source's speed off +-1 by at most "
      f"{worst_ltc:.2e} (LTC), {worst_mtc:.2e} (MTC)")
if worst_slew > max_slew + 1e-9: fail("the master's slew left its bound")
if worst_ltc > 1e-6 or worst_mtc > 0.01: fail("a source's speed is off")
for name, k in (("failover", i), ("takeover", j)):
    window = rows[k - 2:k + 3]
    print(f"{name}: " + ", ".join(f"{r['source']}/{r['state']} {r['seconds'] - T0:.6f} s x{r['speed']:.4f}" for r in window))
slewed = [round(r["offsetMs"], 3) for r in rows[j:j + 375 * 2:75]]
print("offset from the LTC after the takeover, every 0.2 s (ms):", slewed)

# Health: the LTC's counts at its last report before it ends.
health = [l for l in lines if l["event"] == "clockSource" and l["name"] == LTC and u_of(l["sample"]) < 18.9][-1]
print(f"LTC health at u {u_of(health['sample']):.2f}: dropouts {health['dropouts']}, discontinuities {health['discontinuities']}, "
      f"outliers {health['outliers']}, stability {health['stability']}")
if health["dropouts"] < 5 or health["discontinuities"] < 3: fail("the LTC's health does not count the faults")
print("ltc faults: ok")
PY
echo "run time: $((SECONDS - started)) s"
