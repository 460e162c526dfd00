#!/usr/bin/env python3
"""Sends COUNT random, seeded operator commands to CueGrid's OSC port with oscsend (liblo-tools),
one every 30-250 ms, and prints each. Used by mirror_test.sh (issue 11, test 4)."""
import argparse, random, subprocess, sys, time

parser = argparse.ArgumentParser()
parser.add_argument("--seed", type=int, required=True)
parser.add_argument("--count", type=int, required=True)
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--clips", default="organ,hum,bed,speech,kick,snare,clap,breakbeat,epiano,bass,hihat")
args = parser.parse_args()
rng = random.Random(args.seed)
clips = args.clips.split(",")
groups = "ABCD"

def command():
    clip = rng.choice(clips)
    kinds = [("start", 45), ("stop", 12), ("hardStop", 5), ("pause", 5), ("resume", 5), ("toggle", 4),
             ("clipLevel", 4), ("groupLevel", 4), ("groupMute", 2), ("groupStop", 3), ("groupFade", 3),
             ("master", 2), ("pauseAll", 1.5), ("resumeAll", 1.5), ("fadeAll", 1.5), ("stopAll", 1.5)]
    kind = rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
    if kind in ("start", "stop", "hardStop", "pause", "resume", "toggle"):
        return [f"/cuegrid/clip/{clip}/{kind}"]
    if kind == "clipLevel":
        return [f"/cuegrid/clip/{clip}/level", "f", f"{rng.uniform(-12, 0):.1f}"]
    group = rng.choice(groups)
    if kind == "groupLevel":
        return [f"/cuegrid/group/{group}/level", "f", f"{rng.uniform(-12, 0):.1f}"]
    if kind == "groupMute":
        return [f"/cuegrid/group/{group}/mute", "i", str(rng.randint(0, 1))]
    if kind == "groupStop":
        return [f"/cuegrid/group/{group}/stop"]
    if kind == "groupFade":
        return [f"/cuegrid/group/{group}/fade", "f", f"{rng.uniform(0.1, 1.0):.2f}"]
    if kind == "master":
        return ["/cuegrid/master/level", "f", f"{rng.uniform(-6, 0):.1f}"]
    if kind == "fadeAll":
        return ["/cuegrid/fadeAll", "f", f"{rng.uniform(0.2, 1.0):.2f}"]
    return [f"/cuegrid/{kind}"]

started = time.monotonic()
for i in range(args.count):
    message = command()
    subprocess.run(["oscsend", "127.0.0.1", str(args.port)] + message, check=True)
    print(i + 1, " ".join(message), flush=True)
    time.sleep(rng.uniform(0.03, 0.25))
# Mutes off again: later phases must hear (and log) the same on both machines.
for group in groups:
    subprocess.run(["oscsend", "127.0.0.1", str(args.port), f"/cuegrid/group/{group}/mute", "i", "0"], check=True)
print(f"sent {args.count} commands in {time.monotonic() - started:.1f} s", flush=True)
