#!/usr/bin/env python3
# CueGrid — GPL-3.0-or-later
"""Agreement of both classifiers with the development set's labels, per category and split.

Usage: score_dev_set.py CUEGRID_CLI DEVSET_DIR [--misses]
Prints a Markdown table (category, split, files, cuegrid right, sessionprep right); with
--misses also each file the CueGrid classifier gets wrong, with its reason."""
import csv, json, os, subprocess, sys, tempfile
from collections import defaultdict

cli, root = sys.argv[1], sys.argv[2]
labels = {row["file"]: row for row in csv.DictReader(open(os.path.join(root, "labels.csv")))}
right = defaultdict(lambda: defaultdict(int))
files = defaultdict(int)
misses = []
with tempfile.TemporaryDirectory() as work:
    for classifier in ["cuegrid", "sessionprep"]:
        out = os.path.join(work, classifier + ".json")
        subprocess.run([cli, "analyze", "--recursive", "--classifier", classifier, root, "--json", out],
                       check=True, stdout=subprocess.DEVNULL)
        for track in json.load(open(out))["tracks"]:
            rel = os.path.relpath(track["path"], root)
            if rel not in labels:
                continue
            row = labels[rel]
            key = (row["category"], row["split"])
            transient = track.get("classification", "").startswith("Transient")
            ok = transient == (row["expected"] == "transient")
            right[classifier][key] += ok
            if classifier == "cuegrid":
                files[key] += 1
                if not ok:
                    misses.append((rel, track.get("classification"), track.get("classification_reason")))
print("| category | split | files | cuegrid | sessionprep |")
print("|---|---|---|---|---|")
total = defaultdict(lambda: [0, 0, 0])
for key in sorted(files):
    n, c, s = files[key], right["cuegrid"][key], right["sessionprep"][key]
    print(f"| {key[0]} | {key[1]} | {n} | {c} ({100 * c // n} %) | {s} ({100 * s // n} %) |")
    for t in (key[1], "all"):
        total[t][0] += n; total[t][1] += c; total[t][2] += s
for t, (n, c, s) in sorted(total.items()):
    print(f"| **total** | {t} | {n} | {c} ({100 * c // n} %) | {s} ({100 * s // n} %) |")
if "--misses" in sys.argv:
    for m in sorted(misses):
        print("MISS", *m, sep="\t")
