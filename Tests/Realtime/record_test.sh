#!/usr/bin/env bash
# Issue 10, test 4: Record A/B on a private JACK dummy server (48 kHz / 128 frames, 2 capture and
# 2 playback ports). `cuegrid play` runs the realtime show with RecordStart at 0 s and RecordStop
# at 13 s; jack-play plays a corpus file into cuegrid's inputs 1/2 (Record A) while jack-record
# records cuegrid's outputs.
#  Run 1: the take (Recordings/<stem> A <UTC>.wav, 24-bit) nulls against the source file after
#         alignment (null_compare: cross-correlation) below LIMIT dBFS; no discontinuity.
#  Run 2: the writer is slowed (CUEGRID_RECORD_WRITER_DELAY_MS, longer than the 4 s ring):
#         recordDiscontinuity events are logged and the take's sidecar lists the same gaps; the
#         take still lasts exactly the 13 s it ran; and the outputs of that run still null
#         against `cuegrid render` of the same script (the show was not disturbed).
#  Run 3: play is killed (SIGKILL) 5 s into a take: the take is a valid file with 3-6 s in it.
# Usage: record_test.sh CUEGRID NULL_COMPARE SESSION SCRIPT SOURCE_WAV WORK_DIR
set -euo pipefail
cli=$1 null_compare=$2 session_in=$3 script_in=$4 source=$5 work=$6
limit=-90
rm -rf "$work" && mkdir -p "$work/sessions"
source "$(dirname "$0")/../Support/test_env.sh"
trap cleanup EXIT
wait_for_poll=0.05
use_private_jack "cuegrid_rec_$$" "$work/jackd.log"

# The session in the work folder (its media folder linked), so takes go to $work/sessions/Recordings.
cp "$session_in" "$work/sessions/show.cuegrid"
ln -s "$(cd "$(dirname "$session_in")/../corpus" && pwd)" "$work/corpus"
session="$work/sessions/show.cuegrid"
# The realtime show's script, 13.5 s long, recording Record A from 0 s to 13 s.
python3 - "$script_in" "$work/record-script.json" <<'EOF'
import json, sys
script = json.load(open(sys.argv[1]))
script["durationSec"] = 13.5
script["tailSec"] = 0.5
script["commands"] = [{"timeSec": 0.0, "type": "RecordStart", "bus": "A"}] + script["commands"] \
                     + [{"timeSec": 13.0, "type": "RecordStop", "bus": "A"}]
json.dump(script, open(sys.argv[2], "w"), indent=1)
EOF
script="$work/record-script.json"
preroll=2 seconds=14
started=$SECONDS

# The reference outputs: render ignores the record commands (no inputs), with a warning.
"$cli" render "$session" --script "$script" --out "$work/offline.wav" --block-size 128 > "$work/render.log" 2>&1
cat "$work/render.log"
grep -q "2 RecordStart/RecordStop command(s) ignored: render has no inputs" "$work/render.log" \
  || { echo "render did not say it ignores the record commands"; exit 1; }

start_jack --sync -- -C 2 -P 2

# run NAME [ENV=VALUE...]: one realtime run; its take, log and output recording under $work/NAME.
run() {
  local name=$1; shift
  local dir="$work/$name"
  mkdir -p "$dir"
  rm -rf "$work/sessions/Recordings"
  env "$@" "$cli" play "$session" --script "$script" --device-type JACK --block-size 128 --preroll "$preroll" \
    --event-log "$dir/play.ndjson" > "$dir/play.log" 2>&1 &
  local play_pid=$!
  pids+=("$play_pid")
  wait_for 10 bash -c "jack_lsp | grep -q '^cuegrid:in_1\$'"
  jack-record -n 2 -t $((seconds + preroll + 2)) -p 'cuegrid:out_%d' "$dir/outputs.wav" > "$dir/record.log" 2>&1 &
  local record_pid=$!
  pids+=("$record_pid")
  # The source goes in once the take runs (script time 0, after the preroll).
  wait_for 10 grep -q '"event":"recordStart"' "$dir/play.ndjson"
  JACK_PLAY_CONNECT_TO='cuegrid:in_%d' jack-play -c 3 "$source" > "$dir/jack-play.log" 2>&1
  local status=0
  wait "$play_pid" || status=$?
  wait "$record_pid" || true
  cat "$dir/play.log"
  [[ $status -eq 0 ]] || { echo "$name: cuegrid play failed ($status)"; exit 1; }
  take=$(ls "$work/sessions/Recordings/"*.wav 2>/dev/null | head -1)
  [[ -n "$take" ]] || { echo "$name: no take in $work/sessions/Recordings"; ls -la "$work/sessions"; exit 1; }
  mv "$work/sessions/Recordings" "$dir/Recordings"
  take="$dir/Recordings/$(basename "$take")"
  echo "$name: take $(basename "$take"): $(soxi -s "$take") frames, $(soxi -b "$take")-bit"
  [[ $(basename "$take") =~ ^show\ A\ [0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9]{2}-[0-9]{2}-[0-9]{2}\.wav$ ]] \
    || { echo "$name: take name not '<stem> A <UTC yyyy-mm-dd HH-MM-SS>.wav'"; exit 1; }
  # The take lasts exactly from RecordStart to RecordStop (13 s), lost frames included.
  [[ $(soxi -s "$take") -eq $((13 * 48000)) ]] || { echo "$name: the take is not 13 s long"; exit 1; }
  grep -q '"event":"recordStop","sample":[0-9]*,"timeSec":[0-9.]*,"bus":"A","lengthFrames":624000' "$dir/play.ndjson" \
    || { echo "$name: no recordStop of 624000 frames in the event log"; exit 1; }
  grep -q '"event":"recordClosed"' "$dir/play.ndjson" || { echo "$name: the take's closing is not logged"; exit 1; }
}

# null_take TAKE: the take against the source. jack-play does not deliver the very edges: it
# starts playing before JACK_PLAY_CONNECT_TO has connected its ports (a few cycles are lost, on a
# busy machine up to ~0.1 s), and it quits before its last ring buffer (4096 frames) has played.
# So the alignment is found 0.1 s after the take's first non-zero frame (where in the source the
# next 256 frames are, exactly), and the take must null against the source from there to 8192
# frames before the source's end: residual peak below LIMIT dBFS (bit-identical: -inf).
null_take() {
  sox "$source" -t raw -e signed -b 32 "$work/source.raw"
  sox "$1" -t raw -e signed -b 32 "$work/take.raw"
  python3 - "$work/source.raw" "$work/take.raw" "$limit" <<'EOF'
import array, math, sys
source = array.array('i'); source.frombytes(open(sys.argv[1], 'rb').read())
take = array.array('i'); take.frombytes(open(sys.argv[2], 'rb').read())
limit = float(sys.argv[3])
start = next(i for i in range(0, len(take), 2) if take[i] or take[i + 1]) + 4800 * 2   # interleaved index
window = take[start:start + 512]
offset = next((j for j in range(0, min(len(source) - 512, 48000 * 2 * 2), 2) if source[j:j + 512] == window), None)
if offset is None:
    sys.exit("the take 0.1 s after its first sound is not in the first two seconds of the source, exactly")
end = len(source) - 8192 * 2
frames = (end - offset) // 2
if start + (end - offset) > len(take):
    sys.exit("the take ends before the source does")
residual = max(abs(source[offset + i] - take[start + i]) for i in range(end - offset))
peak = max(abs(source[offset + i]) for i in range(end - offset))
db = lambda value: 20 * math.log10(value / 2**31) if value else float("-inf")
print(f"take: source frame {offset // 2} at take frame {start // 2}; {frames} frames ({frames / 48000:.2f} s) compared: "
      f"signal peak {db(peak):.1f} dBFS, residual peak {db(residual)} dBFS")
if db(residual) > limit:
    sys.exit(f"residual above {limit} dBFS")
EOF
}

# --- Run 1: the take nulls against the source; nothing lost.
run normal
null_take "$take" | tee "$work/normal/null.txt"
if grep -q '"event":"recordDiscontinuity"' "$work/normal/play.ndjson"; then
  echo "run 1 lost input frames with a writer that keeps up"; exit 1
fi
[[ ! -e "$take.discontinuities.ndjson" ]] || { echo "run 1 wrote a sidecar"; exit 1; }

# --- Run 2: the writer sleeps 6 s between drains (the ring holds 4 s): gaps, logged twice over.
run slowed CUEGRID_RECORD_WRITER_DELAY_MS=6000
gaps=$(grep -c '"event":"recordDiscontinuity"' "$work/slowed/play.ndjson" || true)
echo "slowed writer: $gaps discontinuities in the event log"
grep '"event":"recordDiscontinuity"' "$work/slowed/play.ndjson" || true
(( gaps >= 1 )) || { echo "a writer 6 s behind a 4 s ring lost nothing?"; exit 1; }
sidecar="$take.discontinuities.ndjson"
[[ -f "$sidecar" ]] || { echo "no sidecar $sidecar"; exit 1; }
cat "$sidecar"
# The sidecar and the event log list the same gaps (position and length in the take).
python3 - "$work/slowed/play.ndjson" "$sidecar" <<'EOF'
import json, sys
log = [(e["positionFrames"], e["lengthFrames"]) for e in map(json.loads, open(sys.argv[1])) if e["event"] == "recordDiscontinuity"]
side = [(e["positionFrames"], e["lengthFrames"]) for e in map(json.loads, open(sys.argv[2]))]
if log != side:
    sys.exit(f"event log {log} != sidecar {side}")
lost = sum(length for _, length in log)
print(f"gaps agree: {len(log)} gap(s), {lost} frames ({lost / 48000:.3f} s) written as silence")
EOF
# The show's outputs in the run with the slowed writer: the same as the render.
"$null_compare" "$work/offline.wav" "$work/slowed/outputs.wav" -120 | tee "$work/slowed/outputs-null.txt"
"$null_compare" "$work/offline.wav" "$work/normal/outputs.wav" -120 | tee "$work/normal/outputs-null.txt"
# --- Run 3: cuegrid play is killed (SIGKILL) 5 s into the take: the take on disk is a valid file
# that plays up to the last second written (its header is rewritten every second).
rm -rf "$work/sessions/Recordings" && mkdir -p "$work/killed"
"$cli" play "$session" --script "$script" --device-type JACK --block-size 128 --preroll "$preroll" \
  --event-log "$work/killed/play.ndjson" > "$work/killed/play.log" 2>&1 &
kill_pid=$!
pids+=("$kill_pid")
wait_for 10 grep -q '"event":"recordStart"' "$work/killed/play.ndjson"
sleep 5
kill -KILL "$kill_pid"
wait "$kill_pid" 2>/dev/null || true
killed=$(ls "$work/sessions/Recordings/"*.wav | head -1)
frames=$(soxi -s "$killed")
echo "killed 5 s into the take: $(basename "$killed") holds $frames frames ($(python3 -c "print(round($frames / 48000, 2))") s)"
(( frames >= 3 * 48000 && frames <= 6 * 48000 )) || { echo "the killed take does not hold its first 3 to 6 s"; exit 1; }
sox "$killed" -n stat > "$work/killed/stat.txt" 2>&1 || { cat "$work/killed/stat.txt"; echo "sox cannot read the killed take"; exit 1; }
echo "run time: $((SECONDS - started)) s"
