#!/usr/bin/env bash
# Issue 14, "In the app": Apply analysis gain through its table. Under Xvfb with a private JACK
# dummy server, the demo show is analysed in the background; "Apply analysis gain..." opens the
# non-modal table (old -> new gain per clip). Clip Group A is linked (gain-linked group: its
# clips share the group's lowest gain), the rows kick and hum are selected (Ctrl+click), and
# "Apply to selected" sets kick, the rest of group A (kick-soft, hihat) and hum in one edit,
# leaving bass and hum-fx alone. Ctrl+S saves: the manifest holds the table's new gains. Ctrl+Z
# takes the whole edit back in one step. In Show mode the table's buttons are disabled. A clip
# button's tooltip shows the measures behind its class (screenshot).
# Usage: analysis_gain_test.sh CUEGRID_APP SESSION ARTIFACT_DIR
set -euo pipefail
app=$1 source_session=$2 artifacts=$(realpath -m "$3")
source "$(dirname "$0")/../Support/test_env.sh"
source "$(dirname "$0")/../Support/gui_driver.sh"
copy_show "$source_session"
trap cleanup EXIT
map="$artifacts/ui.map"
export map
events="$artifacts/events.ndjson"
use_private_jack "cuegrid_again_$$" "$artifacts/jackd.log"
start_xvfb "$artifacts/xvfb.log"
start_jack
"$app" "$session" --event-log "$events" --ui-map "$map" --status-file "$artifacts/status.txt" > "$artifacts/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
wait_for 20 test -s "$map" || fail "no UI map"
wait_for 60 grep -q '"event":"analysisDone"' "$events" || fail "the background analysis did not finish"

# 1. The table, before anything is applied.
levels_before=$(grep -c '"event":"clipLevels"' "$events" || true)
click button apply
wait_for 5 window_open analysisGain || fail "Apply analysis gain opened no panel"
wait_for 5 grep -q "^analysisGainRow 5 " "$map" || fail "the table does not list the 6 clips: $(grep '^analysisGainRow' "$map")"
[[ $(grep -c '"event":"clipLevels"' "$events" || true) == "$levels_before" ]] || fail "opening the table changed levels"
shot 1-table

# 2. Link Clip Group A: its three rows say linked and share one new gain.
click button analysisGainLinkA
wait_for 5 bash -c "[[ \$(grep -c '^analysisGainRow .* 1\$' '$map') == 3 ]]" || fail "linking A did not link 3 rows: $(grep '^analysisGainRow' "$map")"
row() { grep "^analysisGainRow [0-9]* [0-9-]* [0-9-]* $1 " "$map"; }
new_gain() { row "$1" | awk '{ print $7 }'; }
[[ $(new_gain kick) == "$(new_gain kick-soft)" && $(new_gain kick) == "$(new_gain hihat)" ]] \
  || fail "group A's rows differ: $(grep '^analysisGainRow' "$map")"
grep '^analysisGainRow' "$map" > "$artifacts/table.txt"
python3 -c "import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(\"select value from settings where key='gainLinkedGroups'\").fetchone(); sys.exit(0 if r and r[0] == 'A' else 1)" "$session.db" \
  || fail "the link of group A is not kept in the session database"
shot 2-linked

# 3. Select kick, then hum with Ctrl, and apply to the selection.
read -r _ _ kx ky _ < <(row kick)
read -r _ _ hx hy _ < <(row hum)
xdotool mousemove "$kx" "$ky" click 1
sleep 0.2
xdotool keydown ctrl; sleep 0.1
xdotool mousemove "$hx" "$hy" click 1
sleep 0.1; xdotool keyup ctrl
sleep 0.3
shot 3-selected
click button analysisGainApplySelected
wait_for 5 bash -c "[[ \$(grep -c '\"event\":\"clipLevels\"' '$events') -ge $((levels_before + 4)) ]]" || fail "Apply to selected set fewer than 4 clips"
sleep 0.5
applied=$(grep '"event":"clipLevels"' "$events" | tail -n +$((levels_before + 1)))
echo "$applied"
[[ $(wc -l <<< "$applied") == 4 ]] || fail "Apply to selected set $(wc -l <<< "$applied") clips, not 4"
for id in kick kick-soft hihat hum; do grep -q "\"clip\":\"$id\"" <<< "$applied" || fail "'$id' was not applied"; done
for id in bass hum-fx; do grep -q "\"clip\":\"$id\"" <<< "$applied" && fail "'$id' was applied, not selected or linked"; done
wait_for 3 grep -q "^text analysisGainStatus Applied to 4 clip" "$map" || fail "no status: $(grep analysisGainStatus "$map")"
shot 4-applied

# 4. Save with Ctrl+S in the main window: the manifest holds the table's gains.
click button analysisGainClose
wait_for 3 bash -c "! grep -q '^window analysisGain ' '$map'" || fail "Close did not close the panel"
main_window=$(xdotool search --name " - CueGrid" | head -1)
xdotool windowfocus --sync "$main_window" 2>/dev/null || true
xdotool key ctrl+s
wait_for 5 test -f "$session.bak1" || fail "Ctrl+S did not save"
python3 - "$session" "$artifacts/table.txt" <<'PY' || fail "the saved manifest does not hold the applied gains"
import json, sys
clips = {c["id"]: c for c in json.load(open(sys.argv[1]))["clips"]}
rows = {line.split()[4]: line.split() for line in open(sys.argv[2])}
for clip in ("kick", "kick-soft", "hihat", "hum"):
    want = float(rows[clip][6])
    assert abs(clips[clip]["gainDb"] - want) < 0.006, (clip, clips[clip]["gainDb"], want)
    print(clip, "saved at", clips[clip]["gainDb"], "dB, the table said", want)
assert clips["kick"]["gainDb"] == clips["kick-soft"]["gainDb"] == clips["hihat"]["gainDb"]
for clip in ("bass", "hum-fx"):
    assert clips[clip]["gainDb"] == float(rows[clip][5]), (clip, clips[clip]["gainDb"])
PY
shot 5-saved

# 5. Ctrl+Z takes the four back in one step (the original gains: the table's old column).
xdotool key ctrl+z
wait_for 5 bash -c "[[ \$(grep -c '\"event\":\"clipLevels\"' '$events') -ge $((levels_before + 8)) ]]" || fail "Ctrl+Z did not undo the four"
undone=$(grep '"event":"clipLevels"' "$events" | tail -n 4)
while read -r line; do
  id=$(sed 's/.*"clip":"\([^"]*\)".*/\1/' <<< "$line")
  gain=$(sed 's/.*"gainDb":\([^,]*\),.*/\1/' <<< "$line")
  old=$(grep "^analysisGainRow [0-9]* [0-9-]* [0-9-]* $id " "$artifacts/table.txt" | awk '{ print $6 }')
  python3 -c "import sys; sys.exit(0 if abs(float(sys.argv[1]) - float(sys.argv[2])) < 0.006 else 1)" "$gain" "$old" \
    || fail "undo left '$id' at $gain dB, not $old"
done <<< "$undone"
echo "Ctrl+Z restored the four clips in one step"

# 6. Show mode: the table's buttons are disabled, and Apply analysis gain too.
click button apply
wait_for 5 window_open analysisGain || fail "the panel did not open again"
wait_for 3 grep -q "^value analysisGainEnabled yes" "$map" || fail "the panel's buttons are disabled outside Show mode"
click button showmode
wait_for 3 grep -q "^value analysisGainEnabled no" "$map" || fail "Show mode left the panel's buttons enabled"
wait_for 3 grep -q "^text analysisGainStatus Show mode" "$map" || fail "the panel does not say Show mode"
shot 6-show-mode
click button analysisGainApplyAll
sleep 0.5
[[ $(grep -c '"event":"clipLevels"' "$events") == $((levels_before + 8)) ]] || fail "Apply to all changed levels in Show mode"
click button showmode
wait_for 3 grep -q "^value analysisGainEnabled yes" "$map" || fail "leaving Show mode did not enable the panel"
click button analysisGainClose

# 7. A clip button's tooltip: the class and the measures behind it.
read -r x y < <(at clip kick)
xdotool mousemove "$x" "$y"; sleep 0.2; xdotool mousemove $((x + 2)) $((y + 1))
sleep 1.5
shot 7-tooltip
kill -0 "$app_pid" || fail "the app exited"
echo "PASS: table, linked group, apply to a selection, saved, one-step undo, Show mode"
