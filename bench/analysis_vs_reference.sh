#!/usr/bin/env bash
# analysis_vs_reference.sh [FOLDER] — wall time of `cuegrid analyze` against the SessionPrep
# reference and a bare decode, in the same run on the same files (issue 14, Speed).
#
# Times, in rounds (each round runs every command once, so machine load hits all alike):
#   parallel   cuegrid analyze --classifier sessionprep FOLDER            (all cores)
#   serial     the same with --jobs 1
#   decode     build/bin/decode_bench: libsndfile decode of the same files as the analysis
#              does it (sf_readf_double, 64k-frame blocks, every sample summed), on all cores,
#              and decode-1 on one thread
#   old        $OLD_CUEGRID analyze --classifier sessionprep FOLDER, when OLD_CUEGRID names an
#              older cuegrid binary (e.g. one built from a commit before a change), for speed-ups
#   reference  python3 $SESSIONPREP_DIR/sessionprep.py FOLDER, only when SESSIONPREP_DIR names
#              a SessionPrep 0.3.3 checkout (a Python tool, not installed here: skipped without it)
# and prints the median and best wall time of each and their ratios.
#
# Needs sox (soxi for the durations). FOLDER defaults to /tmp/cuegrid-bench-12min, made on
# first use from the corpus with sox:
# 11 stereo 48 kHz files (16/24-bit), 720 s in all. Env: ROUNDS (default 5), CUEGRID_BUILD_DIR.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${CUEGRID_BUILD_DIR:-$root/build}"
cli="$build/bin/cuegrid"
decode="$build/bin/decode_bench"
rounds="${ROUNDS:-5}"
folder="${1:-/tmp/cuegrid-bench-12min}"

for tool in "$cli" "$decode"; do
  [[ -x "$tool" ]] || { echo "missing $tool: scripts/build.sh (targets cuegrid, decode_bench)" >&2; exit 2; }
done

if [[ ! -d "$folder" ]]; then
  [[ "$folder" == /tmp/cuegrid-bench-12min ]] || { echo "no such folder: $folder" >&2; exit 2; }
  command -v sox > /dev/null || { echo "sox is needed to make the default set" >&2; exit 2; }
  echo "making $folder (720 s of stereo 48 kHz from Tests/data/corpus) ..."
  mkdir -p "$folder.part"
  durations=(45 60 50 70 90 55 60 120 80 30 60)
  bits=(16 24 24 16 24 16 16 24 16 16 24)
  i=0
  for source in "$root"/Tests/data/corpus/p*.wav; do
    name=$(basename "$source" .wav)
    length=$(soxi -D "$source")
    repeats=$(awk -v d="${durations[$i]}" -v l="$length" 'BEGIN { r = d / l; print (r == int(r)) ? r : int(r) + 1 }')
    sox -q "$source" -r 48000 -c 2 -b "${bits[$i]}" "$folder.part/${name}_long.wav" repeat "$repeats" trim 0 "${durations[$i]}" 2> /dev/null
    i=$((i + 1))
  done
  mv "$folder.part" "$folder"
fi

reference=""
if [[ -n "${SESSIONPREP_DIR:-}" && -f "${SESSIONPREP_DIR}/sessionprep.py" ]]; then
  reference="${SESSIONPREP_DIR}/sessionprep.py"
else
  echo "SessionPrep reference: not available (set SESSIONPREP_DIR to a SessionPrep 0.3.3 checkout with its"
  echo "  Python dependencies; it is not installed on this machine) - skipped"
fi

seconds=0
for file in "$folder"/*; do
  length=$(soxi -D "$file" 2> /dev/null) || continue
  seconds=$(echo "$seconds + $length" | bc)
done
files=$(find "$folder" -maxdepth 1 -type f | wc -l)
echo "set: $folder ($files files, $seconds s of audio)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git -C "$root" rev-parse --short HEAD), $(date -u '+%Y-%m-%d %H:%M UTC'), $rounds rounds"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# wall seconds of one command (its output discarded; a failure stops the script)
timed() {
  local start end
  start=$(date +%s.%N)
  "$@" > "$work/out" 2> "$work/err" || { echo "failed: $*" >&2; cat "$work/err" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

names=(parallel serial decode decode-1)
old="${OLD_CUEGRID:-}"
[[ -n "$old" ]] && names+=(old)
[[ -n "$reference" ]] && names+=(reference)
declare -A times
for ((round = 1; round <= rounds; round++)); do
  times[parallel]+=" $(timed "$cli" analyze --classifier sessionprep "$folder")"
  times[serial]+=" $(timed "$cli" analyze --classifier sessionprep --jobs 1 "$folder")"
  times[decode]+=" $(timed "$decode" "$folder")"
  times[decode-1]+=" $(timed "$decode" --jobs 1 "$folder")"
  [[ -n "$old" ]] && times[old]+=" $(timed "$old" analyze --classifier sessionprep "$folder")"
  [[ -n "$reference" ]] && times[reference]+=" $(timed python3 "$reference" "$folder")"
done

python3 - "$seconds" "${names[@]}" <<EOF
import sys, statistics
audio = float(sys.argv[1])
runs = {$(for name in "${names[@]}"; do printf '"%s": [%s], ' "$name" "$(echo ${times[$name]} | tr ' ' ',')"; done)}
med = {k: statistics.median(v) for k, v in runs.items()}
best = {k: min(v) for k, v in runs.items()}
print(f"{'':10} {'median s':>9} {'best s':>8} {'x realtime':>11}   runs")
for k in sys.argv[2:]:
    print(f"{k:10} {med[k]:9.3f} {best[k]:8.3f} {audio / med[k]:11.0f}   " + " ".join(f"{t:.3f}" for t in runs[k]))
print()
def ratio(a, b):
    print(f"{a} / {b}: {med[a] / med[b]:.2f}x (median), {best[a] / best[b]:.2f}x (best)")
ratio("serial", "parallel")
ratio("parallel", "decode")
ratio("serial", "decode-1")
if "old" in med:
    ratio("old", "parallel")
    ratio("old", "serial")
if "reference" in med:
    ratio("reference", "parallel")
    ratio("reference", "serial")
EOF
