#!/usr/bin/env bash
# Issue 9, test 2 (the manifest's part): kill -9 at random moments while a real session of
# 1024 clips is saved and autosaved in a loop, KILLS times. The session starts as a version 1
# file, so the first save also keeps show.v1.cuegrid. After every kill (save_stress check):
#   - the session and each of its backups load (SessionManifest::load);
#   - the newest recovery point loads, as a recovery point and as a plain manifest from its folder;
#   - the session database (mirrored after each save, an audit row at each recovery) opens and
#     passes PRAGMA integrity_check and foreign_key_check;
#   - the run marker says the run crashed, and what findRecovery offers (the saved file, or the
#     newest recovery point made on top of it) holds every step the run had finished: at most
#     the step in progress is lost, never one before it;
#   - leftover temporaries do not disturb loading (the next run's markOpen removes them).
# Usage: kill_during_save_test.sh SAVE_STRESS WORK_DIR [KILLS]
set -euo pipefail
tool=$1 work=$(realpath -m "$2") kills=${3:-200}
rm -rf "$work"
mkdir -p "$work/show"
session="$work/show/show.cuegrid"
autosave="$work/CueGrid/Autosave"
log="$work/steps.log"
"$tool" make "$session" 1024 --version 1
cp "$session" "$work/original-v1.cuegrid"

offered=0 temporaries=0
for i in $(seq "$kills"); do
  "$tool" stress "$session" "$autosave" "$log" 2> "$work/stress.err" &
  pid=$!
  sleep "$(printf '0.%03d' $((10 + RANDOM % 160)))"
  kill -KILL "$pid" 2>/dev/null || true
  status=0
  wait "$pid" 2>/dev/null || status=$?
  if [[ $status -ne 137 ]]; then
    echo "FAIL: kill $i: the stress run ended by itself (exit $status): $(cat "$work/stress.err")"
    exit 1
  fi
  if ! result=$("$tool" check "$session" "$autosave" "$log" 2>&1); then
    echo "FAIL: after kill $i: $result"
    ls -la "$work/show" "$autosave"/*/ || true
    exit 1
  fi
  [[ $result == *"offered none"* ]] || offered=$((offered + 1))
  [[ $result == *", 0 temporaries"* ]] || temporaries=$((temporaries + 1))
  (( i % 50 == 0 )) && echo "kill $i: $result"
done

# The first save kept the version 1 original, byte for byte.
cmp "$work/original-v1.cuegrid" "$work/show/show.v1.cuegrid" || { echo "FAIL: show.v1.cuegrid is not the original"; exit 1; }
steps=$(grep -cv "^resume " "$log")
echo "ok: $kills kills, $steps finished steps; a recovery point was offered after $offered kills," \
     "temporaries were left by $temporaries kills; nothing finished was lost"
