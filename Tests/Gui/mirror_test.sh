#!/usr/bin/env bash
# Issue 11, test 4: primary/backup mirroring. Two CueGrid processes under one Xvfb, each on its
# own private JACK dummy server (48 kHz, 128 frames): a backup (--role backup --listen PORT) and
# a primary (--role primary --mirror 127.0.0.1:PORT) driven over OSC by oscsend.
#   1. 200 random commands (seeded: starts, stops, hard stops, pause/resume/toggle, group
#      fades and stops, levels, pause all/resume all, fade all, stop all) on the primary; then
#      stop all. Both event logs list the same voice starts, fades, pauses, resumes and ends,
#      at the same timeline positions within one block (128 samples) after offset correction
#      (the median of the backup − primary differences between two xruns of either machine);
#      every mirrored command on time. Page navigation follows on the backup's screen.
#   The relay between them ("the network") is cut for three commands: the backup counts them
#   missed and warns.
#   2. kill -9 the backup; the primary starts "bed" meanwhile; a new backup connects, catches
#      up with the snapshot (starts bed at the matching position) and mirrors 20 more commands
#      in step again.
#   3. kill -9 the primary: the backup warns (no heartbeat) and keeps playing bed.
# Usage: mirror_test.sh CUEGRID_APP SESSION ARTIFACT_DIR
set -euo pipefail
app=$1 source_session=$2 artifacts=$3
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../Support/test_env.sh"
copy_show "$source_session"
rm -rf "$artifacts"/show-backup "$artifacts"/*.ndjson "$artifacts"/*-status.txt
cp -r "$artifacts/show" "$artifacts/show-backup"
backup_session="$artifacts/show-backup/$(basename "$source_session")"
ln -sfn "$(cd "$(dirname "$source_session")/../corpus" && pwd)" "$artifacts/corpus"

# Two private JACK servers (2 of the machine's 8 registry slots). The backup's is started first
# and kept in backup_jack_*; the primary's is test_env's own (jack_pid), stopped by cleanup.
backup_jack_pid= backup_server=
stop_backup_jack() {
  [[ -n "$backup_jack_pid" ]] || return 0
  kill -TERM "$backup_jack_pid" 2>/dev/null || true
  wait "$backup_jack_pid" 2>/dev/null || true
  backup_jack_pid=
  # Its registry slot, if the server died under the killed backup before the SIGTERM: a server
  # of the same name started and stopped once more frees it (see reclaim_jack).
  if [[ -n "$backup_server" ]] && jack_slot_registered "$backup_server"; then
    JACK_DEFAULT_SERVER=$backup_server jackd --no-realtime -d dummy -r 48000 -p 128 >> "$jack_log" 2>&1 &
    local reclaim_pid=$!
    JACK_DEFAULT_SERVER=$backup_server wait_for 10 jack_lsp || true
    kill -TERM "$reclaim_pid" 2>/dev/null || true
    wait "$reclaim_pid" 2>/dev/null || true
  fi
  # The semaphores of the backup killed with -9 (its clients never closed).
  [[ -z "$backup_server" ]] || rm -f /dev/shm/jack_sem.*_"${backup_server}"_* 2>/dev/null || true
}
# The dummy servers run with realtime scheduling when the machine allows it (chrt): without it,
# on a busy machine, they lose cycles (xruns) by the hundred and each machine's timeline slips
# against the other's, which no offset correction can follow within a block.
start_mirror_jack() {
  if chrt -f 10 true 2>/dev/null; then
    jackd -R -P 70 -d dummy -r 48000 -p 128 >> "$jack_log" 2>&1 &
    jack_pid=$!
    wait_for 10 jack_lsp
  else
    start_jack
  fi
}
trap 'stop_jack; stop_backup_jack; cleanup' EXIT
start_xvfb "$artifacts/xvfb.log"
use_private_jack "cuegrid_mirror_b_$$" "$artifacts/jackd-backup.log"
start_mirror_jack
backup_jack_pid=$jack_pid backup_server=$jack_server
jack_pid=
use_private_jack "cuegrid_mirror_p_$$" "$artifacts/jackd-primary.log"
start_mirror_jack
primary_server=$jack_server

# Three disjoint ranges: the backup's port 20000-29999, the relay's 30000-39999, OSC 40001-59999
# (mirror_port once ran up to 39999 and was the relay's port for every other PID).
mirror_port=$((20000 + $$ % 10000)) network_port=$((30000 + $$ % 10000)) osc_port=$((40001 + $$ % 20000))
# The backup plays each command this much after the primary (default 20 ms). Here 250 ms: on this
# shared 2-core machine the backup's message thread was held 44 ms while others built, and 175 ms
# while a sanitizer suite ran beside the test (one command 127 ms late at 50 ms); a command that
# arrives after its moment is late by design. The delay does not change what is compared.
mirror_delay_ms=${CUEGRID_MIRROR_DELAY_MS:-250}
primary_log=$artifacts/primary.ndjson
app_events=$primary_log

start_backup() {   # start_backup N: backup number N (its own log and status file)
  JACK_DEFAULT_SERVER=$backup_server CUEGRID_HOME="$artifacts/app-home/backup" \
    "$app" "$backup_session" --recover none --role backup --listen "$mirror_port" --mirror-delay "$mirror_delay_ms" \
      --event-log "$artifacts/backup$1.ndjson" --status-file "$artifacts/backup$1-status.txt" \
      --ui-map "$artifacts/backup$1.map" > "$artifacts/backup$1.log" 2>&1 &
  backup_pid=$!
  pids+=("$backup_pid")
}
in_step() { grep -q "Backup: in step" "$artifacts/backup$1-status.txt"; }
send() { oscsend 127.0.0.1 "$osc_port" "$@"; }

# The primary reaches the backup through a relay the test cuts and restores ("the network").
start_network() {
  python3 "$here/tcp_proxy.py" "$network_port" "$mirror_port" &
  network_pid=$!
  pids+=("$network_pid")
}
start_network
start_backup 1
JACK_DEFAULT_SERVER=$primary_server CUEGRID_HOME="$artifacts/app-home/primary" \
  "$app" "$session" --recover none --role primary --mirror "127.0.0.1:$network_port" --osc-port "$osc_port" \
    --event-log "$primary_log" --status-file "$artifacts/primary-status.txt" --ui-map "$artifacts/primary.map" \
    > "$artifacts/app.log" 2>&1 &
primary_pid=$!
pids+=("$primary_pid")
wait_for 20 grep -q "^JACK: .*Mirror: backup 127.0.0.1:$network_port connected" "$artifacts/primary-status.txt" \
  || fail "the primary did not connect: $(cat "$artifacts/primary-status.txt" 2>/dev/null)"
wait_for 10 in_step 1 || fail "the backup is not in step: $(cat "$artifacts/backup1-status.txt")"
wait_for 20 grep -q '"event":"mediaLoaded"' "$artifacts/backup1.ndjson" || fail "backup media not loaded"
wait_for 20 grep -q '"event":"mediaLoaded"' "$primary_log" || fail "primary media not loaded"
sleep 1   # a few more heartbeats: the offset's minimum filter settles

# 1. 200 random commands.
python3 "$here/mirror_commands.py" --seed 11 --count 200 --port "$osc_port" > "$artifacts/commands1.txt" \
  || fail "sending commands: $(tail -3 "$artifacts/commands1.txt")"
send /cuegrid/stopAll
sleep 4   # every fade-out (at most 2 s) and loop tail ends
# The backup's window on top: its status bar says it is in step.
for window in $(xdotool search --pid "$backup_pid" --name "CueGrid" 2>/dev/null); do xdotool windowraise "$window"; done
sleep 0.5
import -window root "$artifacts/mirror-backup.png" 2>/dev/null || true
grep -q "Backup: in step" "$artifacts/backup1-status.txt" || fail "the backup is not in step after the commands: $(cat "$artifacts/backup1-status.txt")"
echo "backup status: $(cat "$artifacts/backup1-status.txt")"
python3 "$here/mirror_compare.py" "$primary_log" "$artifacts/backup1.ndjson" --label "200 commands" --min-events 150 \
  || fail "phase 1: the logs differ"

# Navigation is mirrored: the backup's screen follows the primary's page.
send /cuegrid/page i 2
on_page2() { ! grep -q '^clip organ ' "$artifacts/$1" && grep -q '^clip clap ' "$artifacts/$1"; }
wait_for 3 on_page2 primary.map || fail "the primary did not show page 2"
wait_for 3 on_page2 backup1.map || fail "the backup did not follow to page 2"
send /cuegrid/page i 1
wait_for 3 grep -q '^clip organ ' "$artifacts/backup1.map" || fail "the backup did not follow back to page 1"

# The network is cut for three commands: the backup, still up, counts them missed and warns.
kill -KILL "$network_pid"; wait "$network_pid" 2>/dev/null || true
wait_for 5 grep -q "Mirror: no backup at" "$artifacts/primary-status.txt" || fail "the primary did not notice the network cut"
for clip in kick snare clap; do send "/cuegrid/clip/$clip/start"; sleep 0.1; done
start_network
wait_for 10 grep -q "Mirror: backup 127.0.0.1:$network_port connected" "$artifacts/primary-status.txt" || fail "the primary did not reconnect"
wait_for 5 grep -q "Backup: NOT IN STEP: commands missed, .*missed 3," "$artifacts/backup1-status.txt" \
  || fail "the backup does not show the 3 missed commands: $(cat "$artifacts/backup1-status.txt")"
echo "after the network cut: $(grep -o 'Backup: [^|]*' "$artifacts/backup1-status.txt")"
grep -q '"event":"mirrorStatus".*"state":"commands missed".*"missed":3' "$artifacts/backup1.ndjson" || fail "no mirrorStatus for the missed commands"

# 2. The backup dies; the primary plays on and starts bed; a new backup catches up.
kill -KILL "$backup_pid"; wait "$backup_pid" 2>/dev/null || true
wait_for 5 grep -q "Mirror: no backup at" "$artifacts/primary-status.txt" || fail "the primary did not notice the backup gone"
send /cuegrid/clip/bed/start
send /cuegrid/clip/kick/start   # missed by the backup (short: over before it is back)
sleep 2
start_backup 2
wait_for 20 in_step 2 || fail "the restarted backup is not in step: $(cat "$artifacts/backup2-status.txt" 2>/dev/null)"
wait_for 20 grep -q '"event":"mirrorSnapshot".*"clip":"bed"' "$artifacts/backup2.ndjson" || fail "no snapshot with bed on the new backup"
wait_for 5 grep -q '"event":"voiceStart".*"clip":"bed"' "$artifacts/backup2.ndjson" || fail "the new backup did not start bed"
sleep 1
python3 "$here/mirror_commands.py" --seed 12 --count 20 --port "$osc_port" --clips kick,snare,clap,hihat,epiano,speech,organ \
  > "$artifacts/commands2.txt" || fail "sending commands (phase 2)"
send /cuegrid/stopAll
sleep 4
python3 "$here/mirror_compare.py" "$primary_log" "$artifacts/backup2.ndjson" --label "after the backup's restart" \
  --after-first-mirror --min-events 10 || fail "phase 2: the logs differ"
# Connected first, after the network cut and to the new backup (the relay also accepts while the
# backup is down, then closes: those count too).
# A reconnect between two of the primary's 100 ms status ticks shows as "connects" moving on.
connects=$(grep '"event":"mirrorLink".*"connected":true' "$primary_log" | sed 's/.*"connects":\([0-9]*\).*/\1/' | sort -n | tail -1)
(( $(grep -c '"event":"mirrorLink".*"connected":true' "$primary_log") >= 2 && ${connects:-0} >= 3 )) || fail "the primary did not log its reconnects"

# 3. The primary dies: the backup plays on.
send /cuegrid/clip/bed/start
wait_for 5 grep -q '"event":"mirrorCommand".*"clip":"bed"' "$artifacts/backup2.ndjson" || fail "bed not mirrored"
sleep 0.5
kill -KILL "$primary_pid"; wait "$primary_pid" 2>/dev/null || true
stop_jack   # the primary's server: its registry slot is freed cleanly
ends_before=$(grep -c '"event":"voiceEnd".*"clip":"bed"' "$artifacts/backup2.ndjson" || true)
wait_for 5 grep -q "NOT IN STEP: no heartbeat" "$artifacts/backup2-status.txt" || fail "the backup does not warn: $(cat "$artifacts/backup2-status.txt")"
sleep 3
kill -0 "$backup_pid" || fail "the backup died with its primary"
ends_after=$(grep -c '"event":"voiceEnd".*"clip":"bed"' "$artifacts/backup2.ndjson" || true)
[[ "$ends_after" == "$ends_before" ]] || fail "bed stopped on the backup after the primary died"
grep -q '"event":"mirrorStatus".*"inStep":false.*"state":"no heartbeat' "$artifacts/backup2.ndjson" || fail "no mirrorStatus warning in the backup's log"
import -window root "$artifacts/mirror-primary-gone.png" 2>/dev/null || true
echo "backup status after the primary died: $(cat "$artifacts/backup2-status.txt")"
echo "PASS: mirroring - 200 commands in step, the backup restarted and caught up, the backup plays on without its primary"
