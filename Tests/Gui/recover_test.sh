#!/usr/bin/env bash
# Issue 9, test 2 (the app's part): `CueGrid SESSION --recover latest|none` after a crash.
# An editing run adds a clip "recovered" in a free cell, makes a recovery point and is killed
# (save_stress crash). Then, under Xvfb (no audio device needed), with CUEGRID_HOME private:
#   - without --recover the saved session opens (no "recovered" button in the UI map), the
#     status bar says the last run did not close cleanly, and the bar across the top of the
#     window asks (never modal): "Open saved file" keeps the saved session, "Recover" puts the
#     recovered grid on screen and marks it unsaved (the title's dot);
#   - with --recover latest the recovered grid is on screen (its button is in the UI map),
#     stderr names the recovery point, and the run marker now names the app;
#   - with --recover none the saved session opens and nothing is reported;
#   - a clean quit (the window's close button) removes the run marker and the session is in
#     the recent sessions;
#   - autosave: with autosaveSeconds 5, an edit (Apply analysis gain) is in a recovery point
#     within 5-6 s, no further point is made while idle, and after a kill --recover latest
#     offers that point, and notes it in the session database's audit trail; quit without a
#     save, the recovered session keeps its run marker and is offered again.
# Usage: recover_test.sh CUEGRID_APP SAVE_STRESS ARTIFACT_DIR
set -euo pipefail
app=$1 tool=$2 artifacts=$(realpath -m "$3")
source "$(dirname "$0")/../Support/test_env.sh"
rm -rf "$artifacts"
mkdir -p "$artifacts/show"
trap cleanup EXIT
export CUEGRID_HOME="$artifacts/CueGrid"
session="$artifacts/show/show.cuegrid"
"$tool" make "$session" 63            # tab 1 holds 63 clips: cell (7, 7) is free
status=0
point=$("$tool" crash "$session" "$CUEGRID_HOME/Autosave") || status=$?
[[ $status -eq 137 ]] || fail "the crashing run did not die of SIGKILL (exit $status)"
[[ -f "$point" ]] || fail "no recovery point was made"
marker=$(dirname "$point")/running.json
[[ -f "$marker" ]] || fail "the killed run left no run marker"
echo "crashed run left $point"

start_xvfb "$artifacts/xvfb.log"

# run NAME [ARGS...]: start the app on the session, wait for its UI map, leave app_pid set.
run() {
  local name=$1; shift
  rm -f "$artifacts/ui.map" "$artifacts/status.txt"
  "$app" "$session" "$@" --ui-map "$artifacts/ui.map" --status-file "$artifacts/status.txt" > "$artifacts/$name.log" 2>&1 &
  app_pid=$!
  pids+=("$app_pid")
  wait_for 20 grep -q "^clip clip0 " "$artifacts/ui.map" || { cp "$artifacts/$name.log" "$artifacts/app.log"; fail "$name: no UI map"; }
  wait_for 5 test -s "$artifacts/status.txt" || true
  cp "$artifacts/$name.log" "$artifacts/app.log"
}
# click NAME: a click on the button the UI map names.
click() {
  wait_for 5 grep -q "^button $1 " "$artifacts/ui.map" || fail "no button $1 on screen"
  read -r _ _ x y < <(grep "^button $1 " "$artifacts/ui.map")
  xdotool mousemove "$x" "$y" click 1
}
# quit: a click on the window's close button (JUCE draws the title bar: no window manager
# needed); with unsaved changes the bar asks, and "Quit without saving" answers.
quit() {
  local wx wy width
  read -r _ _ wx wy width _ < <(grep "^window main " "$artifacts/ui.map") || fail "no CueGrid window in the UI map"
  xdotool mousemove $((wx + width - 14)) $((wy + 12)) click 1
  sleep 0.5
  if kill -0 "$app_pid" 2>/dev/null && grep -q "^button quitDiscard " "$artifacts/ui.map"; then
    click quitDiscard
  fi
  wait_for 10 bash -c "! kill -0 $app_pid" || fail "the app did not quit from its close button"
  wait "$app_pid" 2>/dev/null || true
}

run plain
grep -q "^clip recovered " "$artifacts/ui.map" && fail "without --recover the recovered clip is on screen"
grep -q "did not close cleanly.*--recover latest" "$artifacts/status.txt" || fail "the status bar does not report the crash"
wait_for 5 grep -q "^button recover " "$artifacts/ui.map" || fail "no recovery question"
import -window root "$artifacts/1-recovery-question.png" 2>/dev/null || true
click openSaved
wait_for 5 bash -c "! grep -q '^button recover ' '$artifacts/ui.map'" || fail "Open saved file did not close the recovery question"
wait_for 5 bash -c "! grep -q 'did not close cleanly' '$artifacts/status.txt'" || fail "the crash is still reported after the choice"
grep -q "^clip recovered " "$artifacts/ui.map" && fail "Open saved file: the recovered clip is on screen"
kill -KILL "$app_pid"; wait "$app_pid" 2>/dev/null || true   # crashed again: the point is still newer than the file

run dialog
click recover
wait_for 5 grep -q "^clip recovered " "$artifacts/ui.map" || fail "Recover in the bar: the recovered clip is not on screen"
grep -q "recovered $session from the recovery point of .*($point)" "$artifacts/dialog.log" || fail "Recover in the bar: stderr does not name the point"
wait_for 3 grep -q '^title .* \* - CueGrid$' "$artifacts/ui.map" \
  || fail "the recovered session is not marked unsaved in the title: $(grep '^title ' "$artifacts/ui.map")"
import -window root "$artifacts/2-recovered-from-bar.png" 2>/dev/null || true
kill -KILL "$app_pid"; wait "$app_pid" 2>/dev/null || true

run latest --recover latest
grep -q "^clip recovered " "$artifacts/ui.map" || fail "--recover latest: the recovered clip is not on screen"
grep -q "recovered $session from the recovery point of .*($point)" "$artifacts/latest.log" || fail "--recover latest: stderr does not name the point"
grep -q "\"pid\": $app_pid" "$marker" || fail "the run marker does not name the app"
grep -q "did not close cleanly" "$artifacts/status.txt" && fail "--recover latest still reports the crash"
import -window root "$artifacts/3-recovered.png" 2>/dev/null || true
kill -KILL "$app_pid"; wait "$app_pid" 2>/dev/null || true

run none --recover none
grep -q "^clip recovered " "$artifacts/ui.map" && fail "--recover none: the recovered clip is on screen"
grep -q "did not close cleanly" "$artifacts/status.txt" && fail "--recover none still reports the crash"
quit
[[ -f "$marker" ]] && fail "a clean quit left the run marker"
grep -q "\"$session\"" "$XDG_CONFIG_HOME/cuegrid/preferences.json" || fail "the session is not in the recent sessions"

# Autosave in the app: with autosaveSeconds 5, an edit (Apply analysis gain, through the
# session editor) is in a recovery point 5 s later; killed then, --recover latest offers it.
sed -i 's/"autosaveSeconds": [0-9]*/"autosaveSeconds": 5/' "$XDG_CONFIG_HOME/cuegrid/preferences.json"
run autosave --recover none --event-log "$artifacts/events.ndjson"
app_events=$artifacts/events.ndjson
wait_for 60 grep -q '"event":"analysisDone"' "$artifacts/events.ndjson" || fail "the analysis did not finish"
read -r _ _ x y < <(grep "^button apply " "$artifacts/ui.map")
xdotool mousemove "$x" "$y" click 1   # opens the table of the changes; Apply to all applies them
wait_for 5 grep -q "^button analysisGainApplyAll " "$artifacts/ui.map" || fail "Apply analysis gain opened no table"
read -r _ _ x y < <(grep "^button analysisGainApplyAll " "$artifacts/ui.map")
xdotool mousemove "$x" "$y" click 1
edited=$SECONDS
wait_for 5 grep -q '"event":"clipLevels"' "$artifacts/events.ndjson" || fail "Apply analysis gain changed nothing"
newest() { ls -t "$(dirname "$point")"/*.cuegrid | head -n 1; }
autosaved() { grep -q '"reason": "autosave"' "$(newest)"; }
wait_for 10 autosaved || fail "no autosave within 10 s of an edit (autosaveSeconds 5)"
latest=$(newest)
echo "autosaved within $((SECONDS - edited)) s of the edit: $latest"
python3 - "$session" "$latest" << 'PY' || fail "the autosave does not hold the applied gains"
import json, sys
saved, point = (json.load(open(f)) for f in sys.argv[1:3])
gains = lambda m: {c["id"]: (c["gainDb"], c["levelTrimDb"]) for c in m["clips"]}
changed = [i for i, g in gains(point).items() if gains(saved).get(i) != g]
print(f"{len(changed)} clips have other levels in the recovery point than in the saved file")
sys.exit(0 if changed else 1)
PY
sleep 6
[[ $(newest) == "$latest" ]] || fail "idle with unsaved changes, the app made another point"
kill -KILL "$app_pid"; wait "$app_pid" 2>/dev/null || true
run autosave-recovered --recover latest
grep -q "from the recovery point of .*($latest)" "$artifacts/autosave-recovered.log" || fail "the autosave was not offered after the kill"
python3 - "$session.db" "$latest" << 'PY' || fail "the recovery is not in the session database's audit trail"
import json, sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute("SELECT details FROM audit WHERE kind = 'recovery'").fetchall()
points = [json.loads(details)["point"] for (details,) in rows]
print(f"audit: {len(rows)} recoveries, the last from {points[-1] if points else None}")
sys.exit(0 if points and points[-1] == sys.argv[2] else 1)
PY
# Recovered and quit without saving: the marker stays, so the next start offers it again.
quit
[[ -f "$marker" ]] || fail "a recovered session quit unsaved lost its run marker"
run offered-again
grep -q "did not close cleanly.*--recover latest" "$artifacts/status.txt" || fail "the unsaved recovery is not offered again"
click recover
wait_for 5 grep -q "recovered $session from the recovery point of .*($latest)" "$artifacts/offered-again.log" \
  || fail "Recover in the bar did not recover the autosave"
wait_for 5 bash -c "! grep -q '^button recover ' '$artifacts/ui.map'" || fail "the recovery question stayed open"
quit
[[ -f "$marker" ]] || fail "recovered from the bar and quit unsaved, the run marker was lost"
echo "recover: ok"
