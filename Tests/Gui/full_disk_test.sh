#!/usr/bin/env bash
# A full disk never stops the show. The event log is put on a small tmpfs (64 KiB) that is
# then filled up with dd:
#   - the app (under Xvfb, private JACK dummy server) keeps playing every click: the status
#     bar (mirrored in --status-file) shows the playing voices and says the event log is not
#     written, stderr says so once, and our JACK ports carry sound (jack_rec);
#   - once space is freed, the log is written again by itself within a few seconds, starting
#     with an eventLogGap event that counts the dropped lines; every line is valid JSON;
#   - `cuegrid play --event-log` on the full disk plays to the end (exit 0) and warns.
# Needs root for the mount; otherwise (or if mounting fails) it says so and exits 77 (skip).
# SHORT_CLIP is clicked over and over to make log lines; LONG_CLIP then shows the playing voice.
# Usage: full_disk_test.sh CUEGRID_APP CUEGRID_CLI SESSION SHORT_CLIP LONG_CLIP PLAY_SESSION PLAY_SCRIPT ARTIFACT_DIR
set -euo pipefail
app=$1 cli=$2 source_session=$3 clip=$4 long_clip=$5 play_session=$6 play_script=$7 artifacts=$8
if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP: mounting a small tmpfs needs root"
  exit 77
fi
source "$(dirname "$0")/../Support/test_env.sh"
copy_show "$source_session"
disk=$(mktemp -d /tmp/cuegrid-full-disk.XXXXXX)
if ! mount -t tmpfs -o size=64k tmpfs "$disk" 2> "$artifacts/mount.log"; then
  echo "SKIP: cannot mount a tmpfs here: $(cat "$artifacts/mount.log")"
  rmdir "$disk"
  exit 77
fi
log="$disk/events.ndjson"
app_events=$log
cleanup_disk() {
  cleanup
  cp "$disk/events.ndjson" "$artifacts/events.ndjson" 2>/dev/null || true
  umount "$disk" 2>/dev/null || umount -l "$disk" 2>/dev/null || true
  rmdir "$disk" 2>/dev/null || true
}
trap cleanup_disk EXIT
use_private_jack "cuegrid_full_$$" "$artifacts/jackd.log"

start_xvfb "$artifacts/xvfb.log"
start_jack

"$app" "$session" --event-log "$log" --ui-map "$artifacts/ui.map" --status-file "$artifacts/status.txt" > "$artifacts/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
wait_for 20 test -s "$artifacts/ui.map" || fail "no UI map"
wait_for 10 bash -c "jack_lsp | grep -q '^cuegrid:out_1$'" || fail "no JACK ports"
click clip "$clip"
wait_for 5 grep -q "\"event\":\"voiceStart\".*\"clip\":\"$clip\"" "$log" || fail "the click did not start '$clip' (disk not full yet)"

# Fill the disk, then keep clicking: lines still fit in the log's last page at first.
dd if=/dev/zero of="$disk/fill" bs=1k > /dev/null 2>&1 || true
echo "disk full: $(df -k "$disk" | tail -n 1)"
for _ in $(seq 60); do
  click clip "$clip"
  sleep 0.15
  grep -q "Event log not written" "$artifacts/status.txt" && break
done
grep -q "Event log not written (.*No space left on device)" "$artifacts/status.txt" || fail "the status bar does not report the failing event log"
kill -0 "$app_pid" || fail "the app died on a full disk"
grep -q "event log .*No space left on device; events are dropped" "$artifacts/app.log" || fail "no report on stderr"
[[ $(grep -c "No space left on device; events are dropped" "$artifacts/app.log") -eq 1 ]] || fail "the failure was reported more than once"

# Still playing: a click shows a playing voice and our ports carry sound.
click clip "$long_clip"
wait_for 3 grep -q "Voices [1-9][0-9]* / 24" "$artifacts/status.txt" || fail "no voice plays on a full disk"
peak=$(record_peak "$artifacts/full-disk.wav")
awk -v p="$peak" 'BEGIN { exit !(p > 0.001) }' || fail "no sound from our ports on a full disk (peak $peak)"
import -window root "$artifacts/1-full-disk.png"
echo "full disk: still playing (peak $peak); status: $(cat "$artifacts/status.txt")"

# Space again: the log catches up by itself and says how much it dropped.
rm -f "$disk/fill"
wait_for 8 grep -q '"event":"eventLogGap"' "$log" || fail "the log was not written again after space was freed"
gap=$(grep '"event":"eventLogGap"' "$log" | head -n 1)
echo "recovered: $gap"
grep -q '"dropped":[1-9]' <<< "$gap" || fail "the gap does not count dropped lines"
wait_for 3 bash -c "! grep -q 'Event log not written' '$artifacts/status.txt'" || fail "status still reports the log"
grep -q "writing again; [1-9][0-9]* line(s) were dropped" "$artifacts/app.log" || fail "no recovery report on stderr"
click clip "$clip"
wait_for 5 bash -c "tail -n 3 '$log' | grep -q '\"event\":\"voiceStart\"'" || fail "new events are not logged after recovery"
python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1]), 1):
    json.loads(line)
' "$log" || fail "the event log has a broken line"
import -window root "$artifacts/2-recovered.png"
kill "$app_pid"; wait "$app_pid" 2>/dev/null || true

# cuegrid play on a full disk: plays to the end, warns, exit 0.
rm -f "$log"
dd if=/dev/zero of="$disk/fill" bs=1k > /dev/null 2>&1 || true
status=0
"$cli" play "$play_session" --script "$play_script" --device-type JACK --event-log "$disk/play.ndjson" > "$artifacts/play.log" 2>&1 || status=$?
cat "$artifacts/play.log"
[[ $status -eq 0 ]] || fail "cuegrid play on a full disk exited with $status"
grep -q "^cuegrid: warning: event log .*No space left on device" "$artifacts/play.log" || fail "cuegrid play did not warn about the event log"
grep -q "^cuegrid: played " "$artifacts/play.log" || fail "cuegrid play did not play to the end"
grep -q "event log line(s) were not written" "$artifacts/play.log" || fail "cuegrid play does not say how many lines were lost"
echo "full disk: ok"
