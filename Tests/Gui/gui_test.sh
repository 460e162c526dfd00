#!/usr/bin/env bash
# Test 6: the app as a person uses it. Under a private Xvfb display with a private JACK dummy
# server, CueGrid opens the demo show; a real X pointer click (xdotool) on a clip button must
# appear as a voice start in the event log, and the Escape key must stop it. Screenshots are
# kept as test artefacts. Then the background analysis: every clip gets a class, a click on
# "Apply analysis gain" sets every clip's gain and level trim, Ctrl+Z takes it back,
# Ctrl+Shift+Z redoes it and Ctrl+S saves it (title mark gone, .bak1 kept). Editing: the clip
# menu's Delete, Cut and an empty cell's Paste here, the tab menu's Delete page, each undone
# with Ctrl+Z; the clip menu's Rename... and Rename tab... through their in-place fields, saved,
# undone. A second launch finds every analysis result in the
# session database instead of analysing again.
# The show is copied first, so the session database is written beside the copy.
# Usage: gui_test.sh CUEGRID_APP SESSION CLIP_ID ARTIFACT_DIR
set -euo pipefail
app=$1 source_session=$2 clip=$3 artifacts=$4
mkdir -p "$artifacts"
rm -rf "$artifacts"/*.png "$artifacts/events.ndjson" "$artifacts/ui.map" "$artifacts/show"
cp -r "$(dirname "$source_session")" "$artifacts/show"
session="$artifacts/show/$(basename "$source_session")"
source "$(dirname "$0")/../Support/test_env.sh"
trap cleanup EXIT
use_private_jack "cuegrid_gui_$$" "$artifacts/jackd.log"

start_xvfb "$artifacts/xvfb.log"
start_jack

"$app" "$session" --event-log "$artifacts/events.ndjson" --ui-map "$artifacts/ui.map" > "$artifacts/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
wait_for 20 test -s "$artifacts/ui.map"
wait_for 10 bash -c "jack_lsp | grep -q '^cuegrid:out_1$'"
sleep 0.5
import -window root "$artifacts/1-opened.png"

read -r _ _ x y < <(grep "^clip $clip " "$artifacts/ui.map")
echo "clicking clip '$clip' at $x,$y"
xdotool mousemove "$x" "$y" click 1
wait_for 5 grep -q "\"event\":\"voiceStart\".*\"clip\":\"$clip\"" "$artifacts/events.ndjson" \
  || { echo "the click did not start '$clip'"; cat "$artifacts/app.log"; exit 1; }
sleep 0.5
import -window root "$artifacts/2-playing.png"

xdotool key Escape
wait_for 5 grep -q "\"event\":\"voiceEnd\".*\"clip\":\"$clip\".*\"reason\":\"stopped\"" "$artifacts/events.ndjson" \
  || { echo "Escape did not stop '$clip'"; cat "$artifacts/events.ndjson"; exit 1; }
sleep 0.3
import -window root "$artifacts/3-stopped.png"
kill -0 "$app_pid" || { echo "the app exited early"; cat "$artifacts/app.log"; exit 1; }
echo "click started '$clip', Escape stopped it"

# Background analysis of every clip, then Apply analysis gain (keep balance is on).
clips=$(grep -c '^clip ' "$artifacts/ui.map")
wait_for 60 grep -q '"event":"analysisDone"' "$artifacts/events.ndjson" \
  || { echo "the background analysis did not finish"; cat "$artifacts/app.log"; exit 1; }
grep '"event":"analysisDone"' "$artifacts/events.ndjson"
sleep 0.3
import -window root "$artifacts/4-analysed.png"
read -r _ _ x y < <(grep "^button apply " "$artifacts/ui.map")
xdotool mousemove "$x" "$y" click 1   # opens the table of the changes (analysis_gain_test.sh tests it)
wait_for 5 grep -q "^button analysisGainApplyAll " "$artifacts/ui.map" || { echo "Apply analysis gain opened no table"; exit 1; }
read -r _ _ x y < <(grep "^button analysisGainApplyAll " "$artifacts/ui.map")
xdotool mousemove "$x" "$y" click 1
# Close the table and give the main window the keyboard again (Ctrl+Z, Ctrl+S below).
read -r _ _ x y < <(grep "^button analysisGainClose " "$artifacts/ui.map")
xdotool mousemove "$x" "$y" click 1
xdotool windowfocus --sync "$(xdotool search --name " - CueGrid" | head -1)" 2>/dev/null || true
count_levels() { grep -c '"event":"clipLevels"' "$artifacts/events.ndjson" || true; }
# at_least N: wait until the log holds N clipLevels lines (polled: $(…) in wait_for's arguments would run once).
at_least() { wait_for 5 bash -c "[[ \$(grep -c '\"event\":\"clipLevels\"' '$artifacts/events.ndjson') -ge $1 ]]"; }
at_least "$clips" || { echo "Apply set $(count_levels) of $clips clips"; exit 1; }
applied=$(count_levels)
sleep 0.3  # the title's unsaved-changes mark is drawn
import -window root "$artifacts/5-applied.png"
grep '"event":"clipLevels"' "$artifacts/events.ndjson" | grep -vq '"gainDb":0.0,"levelTrimDb":0.0' \
  || { echo "Apply did not change any clip's levels"; exit 1; }
xdotool key ctrl+z
at_least $((applied * 2)) || { echo "Ctrl+Z did not undo"; exit 1; }
undone=$(grep '"event":"clipLevels"' "$artifacts/events.ndjson" | tail -n "$applied")
# Undo restores each clip's gain from the manifest (one clip per line there) and a 0 dB trim.
while read -r line; do
  id=$(sed 's/.*"clip":"\([^"]*\)".*/\1/' <<< "$line")
  gain=$(sed 's/.*"gainDb":\([^,]*\),.*/\1/' <<< "$line")
  grep -q "\"id\": \"$id\".*\"gainDb\": $gain " "$session" && grep -q '"levelTrimDb":0.0' <<< "$line" \
    || { echo "undo did not restore '$id': $line"; exit 1; }
done <<< "$undone"
echo "analysis: $applied clips set by Apply, restored by Ctrl+Z"

# Redo, then Ctrl+S: the manifest on disk holds the applied gains, the previous file is kept as
# .bak1, and the title loses its unsaved-changes mark.
cp "$session" "$artifacts/before-save.cuegrid"
xdotool key ctrl+shift+z
at_least $((applied * 3)) || { echo "Ctrl+Shift+Z did not redo"; exit 1; }
redone=$(grep '"event":"clipLevels"' "$artifacts/events.ndjson" | tail -n "$applied")
# Ctrl+Q with unsaved changes asks in a bar (never modal); Cancel keeps the app open.
xdotool key ctrl+q
wait_for 3 grep -q "^button quitCancel " "$artifacts/ui.map" || { echo "Ctrl+Q with unsaved changes did not ask"; exit 1; }
grep -q "^button quitSave " "$artifacts/ui.map" && grep -q "^button quitDiscard " "$artifacts/ui.map" \
  || { echo "the quit question lacks Save and quit or Quit without saving"; exit 1; }
sleep 0.3
import -window root "$artifacts/5b-quit-asks.png"
read -r _ _ cx cy < <(grep "^button quitCancel " "$artifacts/ui.map")
xdotool mousemove "$cx" "$cy" click 1
wait_for 3 bash -c "! grep -q '^button quitCancel ' '$artifacts/ui.map'" || { echo "Cancel did not close the question"; exit 1; }
kill -0 "$app_pid" || { echo "the app quit on Cancel"; exit 1; }
xdotool key ctrl+s
wait_for 5 test -f "$session.bak1" || { echo "Ctrl+S did not save (no $session.bak1)"; cat "$artifacts/app.log"; exit 1; }
cmp -s "$session.bak1" "$artifacts/before-save.cuegrid" || { echo "the backup is not the previous file"; exit 1; }
while read -r line; do
  id=$(sed 's/.*"clip":"\([^"]*\)".*/\1/' <<< "$line")
  gain=$(sed 's/.*"gainDb":\([^,]*\),.*/\1/' <<< "$line")
  python3 - "$session" "$id" "$gain" <<'PY' || { echo "the saved manifest does not hold '$id' at $gain dB"; exit 1; }
import json, sys
clips = {c["id"]: c for c in json.load(open(sys.argv[1]))["clips"]}
assert abs(clips[sys.argv[2]]["gainDb"] - float(sys.argv[3])) < 1e-9
PY
done <<< "$redone"
sleep 0.3
import -window root "$artifacts/6-saved.png"
echo "save: Ctrl+Shift+Z redid Apply, Ctrl+S saved it (previous file kept as .bak1)"

# Editing from the clip menu: its last item, Delete, empties the cell; Ctrl+Z brings the clip back.
read -r _ _ x y < <(grep "^clip $clip " "$artifacts/ui.map")
xdotool mousemove "$x" "$y" click 3
wait_for 3 grep -q "^menu " "$artifacts/ui.map" || { echo "no clip menu"; exit 1; }
xdotool key Up Return
wait_for 3 bash -c "! grep -q '^clip $clip ' '$artifacts/ui.map'" || { echo "Delete did not empty the cell of '$clip'"; exit 1; }
sleep 0.3
import -window root "$artifacts/7-deleted.png"
xdotool key ctrl+z
wait_for 3 grep -q "^clip $clip $x $y\$" "$artifacts/ui.map" || { echo "Ctrl+Z did not put '$clip' back in its cell"; exit 1; }
echo "clip menu: Delete emptied the cell of '$clip', Ctrl+Z put it back"

# Cut (the menu's third item from the end while nothing is copied: Paste here is greyed out)
# empties the cell; Paste here on the empty cell puts the clip back (as a copy with a new id
# when the clip still has another cell, as the demo's hum has); Ctrl+Z twice undoes both.
xdotool mousemove "$x" "$y" click 3
wait_for 3 grep -q "^menu " "$artifacts/ui.map" || { echo "no clip menu"; exit 1; }
xdotool key Up Up Up Return
wait_for 3 bash -c "! grep -q '^clip $clip ' '$artifacts/ui.map'" || { echo "Cut did not empty the cell of '$clip'"; exit 1; }
xdotool mousemove "$x" "$y" click 3
wait_for 3 grep -q "^menu " "$artifacts/ui.map" || { echo "no menu on the empty cell"; exit 1; }
xdotool key Down Return
wait_for 3 grep -q "^clip [^ ]* $x $y\$" "$artifacts/ui.map" || { echo "Paste here put nothing in the empty cell"; exit 1; }
pasted=$(grep "^clip [^ ]* $x $y\$" "$artifacts/ui.map" | cut -d' ' -f2)
xdotool key ctrl+z
wait_for 3 bash -c "! grep -q '^clip [^ ]* $x $y\$' '$artifacts/ui.map'" || { echo "Ctrl+Z did not undo the paste"; exit 1; }
xdotool key ctrl+z
wait_for 3 grep -q "^clip $clip $x $y\$" "$artifacts/ui.map" || { echo "Ctrl+Z did not undo the cut"; exit 1; }
echo "clip menu: Cut '$clip', then Paste here on the empty cell ('$pasted'), each undone with Ctrl+Z"

# Rename... (the first editing item, after Pause, Stop with fade, Stop now and Audition; the
# first three are greyed out while the clip is stopped) opens a field on the clip; Return renames.
label_of() { python3 -c 'import json, sys; print(next(c["label"] for c in json.load(open(sys.argv[1]))["clips"] if c["id"] == sys.argv[2]))' "$session" "$clip"; }
export -f label_of; export clip session  # polled in a child bash by wait_for
old_label=$(label_of)
xdotool mousemove "$x" "$y" click 3
wait_for 3 grep -q "^menu " "$artifacts/ui.map" || { echo "no clip menu"; exit 1; }
xdotool key Down Down Return
sleep 0.5
xdotool type --delay 20 "Low Drone"
xdotool key Return
sleep 0.3
import -window root "$artifacts/7b-clip-renamed.png"
xdotool key ctrl+s
wait_for 5 bash -c '[[ $(label_of) == "Low Drone" ]]' || { echo "the clip was not renamed and saved: $(label_of)"; exit 1; }
xdotool key ctrl+z ctrl+s
wait_for 5 bash -c "[[ \$(label_of) == '$old_label' ]]" || { echo "Ctrl+Z did not restore the label: $(label_of)"; exit 1; }
echo "clip menu: Rename... renamed '$old_label' to 'Low Drone' (saved), Ctrl+Z restored it"

# The tab menu's last item, Delete page, takes the page with its cells; Ctrl+Z brings it back.
pages_before=$(grep -c '^clip ' "$artifacts/ui.map")
read -r _ _ tx ty _ < <(grep "^tab 0 " "$artifacts/ui.map")
xdotool mousemove "$tx" "$ty" click 3
wait_for 3 grep -q "^menu " "$artifacts/ui.map" || { echo "no tab menu"; exit 1; }
sleep 0.3
import -window root "$artifacts/8-tab-menu.png"
xdotool key Up Return
wait_for 3 bash -c "! grep -q '^clip $clip ' '$artifacts/ui.map'" || { echo "Delete page kept '$clip' on screen"; exit 1; }
xdotool key ctrl+z
wait_for 3 grep -q "^clip $clip $x $y\$" "$artifacts/ui.map" || { echo "Ctrl+Z did not bring the page back"; exit 1; }
[[ $(grep -c '^clip ' "$artifacts/ui.map") -eq $pages_before ]] || { echo "the page came back with other clips"; exit 1; }
echo "tab menu: Delete page took the page away, Ctrl+Z brought it back"

# Rename tab... opens a text field on the tab; Return renames it. Saved, the manifest has the name.
tab_name() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["pages"][0]["tabs"][0]["name"])' "$session"; }
export -f tab_name
old_name=$(tab_name)
xdotool mousemove "$tx" "$ty" click 3
wait_for 3 grep -q "^menu " "$artifacts/ui.map" || { echo "no tab menu"; exit 1; }
xdotool key Down Return
sleep 0.5
xdotool type --delay 20 "Intro Music"
xdotool key Return
sleep 0.3
import -window root "$artifacts/9-renamed.png"
xdotool key ctrl+s
wait_for 5 bash -c '[[ $(tab_name) == "Intro Music" ]]' || { echo "the renamed tab was not saved: $(tab_name)"; exit 1; }
xdotool key ctrl+z ctrl+s
wait_for 5 bash -c "[[ \$(tab_name) == '$old_name' ]]" || { echo "Ctrl+Z did not restore the tab name: $(tab_name)"; exit 1; }
echo "tab menu: Rename tab... renamed '$old_name' to 'Intro Music' (saved), Ctrl+Z restored it"

# Ctrl+Q while a clip plays asks first; Quit then ends the app (everything is saved: no second question).
read -r _ _ x y < <(grep "^clip $clip " "$artifacts/ui.map")
xdotool mousemove "$x" "$y" click 1
wait_for 5 grep -q "^state $clip " "$artifacts/ui.map" || { echo "'$clip' did not start"; exit 1; }
xdotool key ctrl+q
wait_for 3 grep -q "^button quitAnyway " "$artifacts/ui.map" || { echo "Ctrl+Q with a clip playing did not ask"; exit 1; }
read -r _ _ qx qy < <(grep "^button quitAnyway " "$artifacts/ui.map")
xdotool mousemove "$qx" "$qy" click 1
wait_for 5 bash -c "! kill -0 $app_pid 2>/dev/null" || { echo "Quit did not end the app"; exit 1; }
wait "$app_pid" || { echo "the app exited with $?"; exit 1; }
echo "quit: Ctrl+Q asked with unsaved changes (Cancel kept it open) and with a clip playing (Quit ended it)"

# A second launch takes every result from the session database.
rm -f "$artifacts/events.ndjson" "$artifacts/ui.map"
"$app" "$session" --event-log "$artifacts/events.ndjson" --ui-map "$artifacts/ui.map" > "$artifacts/app2.log" 2>&1 &
pids+=($!)
wait_for 30 grep -q '"event":"analysisDone"' "$artifacts/events.ndjson" || { echo "no analysis on relaunch"; exit 1; }
grep -q '"event":"analysisDone".*"analysed":0,' "$artifacts/events.ndjson" \
  || { echo "relaunch analysed media again:"; grep analysisDone "$artifacts/events.ndjson"; exit 1; }
echo "relaunch: $(grep analysisDone "$artifacts/events.ndjson")"
echo "screenshots in $artifacts"
