#!/usr/bin/env bash
# Issue 9, test 1: a show built in the app as an editor builds it, with real X input under Xvfb
# (a private CueGrid home and preferences):
#   1. File > New (Ctrl+N): a new session with its media folder;
#   2. import: a real XDND drop of two corpus files from a GTK drag source (the handler every
#      file manager's drop reaches) onto a cell, and File > Import Audio (Ctrl+I) of a third;
#   3. in the clip inspector: rename, recolour, regroup (its group box), a fade-in and a cue in;
#   4. a clip moved by dragging it to another cell, another copied with Ctrl+drag;
#   5. the tab's grid resized from its menu (4 x 8 to 6 x 8);
#   6. after every edit Ctrl+S, and the saved manifest is kept; then Ctrl+Z undoes the edits
#      one by one, each save equal to the manifest before that edit, down to the empty session,
#      and Ctrl+Shift+Z redoes them one by one, each save equal to the one after that edit;
#   7. Ctrl+Q quits (nothing unsaved: no question); the app reopens the session, shows the same
#      clips in the same cells (UI map), and its save equals the manifest before quitting.
# Screenshots of each stage are kept as test artefacts.
# Usage: editor_flow_test.sh CUEGRID_APP START_SESSION CORPUS_DIR ARTIFACT_DIR
set -euo pipefail
app=$1 start_source=$2 corpus=$3 artifacts=$(realpath -m "$4")
support="$(cd "$(dirname "$0")/../Support" && pwd)"
source "$support/test_env.sh"
source "$support/gui_driver.sh"
rm -rf "$artifacts"
mkdir -p "$artifacts/shows" "$artifacts/saves"
trap cleanup EXIT
export CUEGRID_HOME="$artifacts/CueGrid"
map=$artifacts/ui.map
export map
start="$artifacts/shows/start.cuegrid"
cp "$start_source" "$start"   # a session to start from (its media need not be found)
session="$artifacts/shows/Editor Flow.cuegrid"
kick=p01_sonicpi_heavy_kick snare=p03_colombo_snare hum=p08_sonicpi_haunted_hum

start_xvfb "$artifacts/xvfb.log"
launch() {
  rm -f "$map"
  "$app" "$1" --ui-map "$map" --status-file "$artifacts/status.txt" > "$artifacts/app-$2.log" 2>&1 &
  app_pid=$!
  pids+=("$app_pid")
  cp "$artifacts/app-$2.log" "$artifacts/app.log" 2>/dev/null || true
  wait_for 20 grep -q "^cell " "$map" || fail "$2: no UI map"
  sleep 0.5
}

# save_as_step NAME: Ctrl+S, then the saved manifest is kept as saves/NAME.json.
save_as_step() {
  local before
  before=$(stat -c '%Y.%s %i' "$session" 2>/dev/null || true)
  sleep 0.3
  xdotool key ctrl+s
  wait_for 5 bash -c "[[ \"\$(stat -c '%Y.%s %i' '$session')\" != '$before' ]] && ! grep -q '^title .* \\* - CueGrid' '$map'" \
    || fail "$1: Ctrl+S did not save"
  cp "$session" "$artifacts/saves/$1.json"
}
# same_as NAME: the session saved now equals saves/NAME.json (as JSON, every field).
same_as() {
  python3 - "$session" "$artifacts/saves/$1.json" <<'PY'
import json, sys
now, kept = (json.load(open(f)) for f in sys.argv[1:3])
if now != kept:
    import difflib
    a = json.dumps(kept, indent=1, sort_keys=True).splitlines()
    b = json.dumps(now, indent=1, sort_keys=True).splitlines()
    print("\n".join(list(difflib.unified_diff(a, b, "expected", "saved", lineterm=""))[:40]))
    sys.exit(1)
PY
}
export -f same_as

launch "$start" start

# 1. New session.
xdotool key ctrl+n
wait_for 5 window_open newSession || fail "Ctrl+N opened no New session window"
type_into button newSessionFile "$session"
wait_for 5 test -f "$session" || fail "New made no session"
wait_for 5 bash -c "! grep -q '^clip ' '$map'" || fail "the new session is not empty on screen"
[[ -d "$artifacts/shows/Editor Flow Media" ]] || fail "no media folder beside the new session"
shot 1-new-session
save_as_step 00-new

# 2a. A real XDND drop of two files onto row 0, column 0.
/usr/bin/python3 "$support/xdnd_source.py" "$artifacts/xdnd.ready" 1100 700 "$corpus/$kick.wav" "$corpus/$snare.wav" \
  > "$artifacts/xdnd.log" 2>&1 &
xdnd_pid=$!
pids+=("$xdnd_pid")
wait_for 10 test -s "$artifacts/xdnd.ready" || fail "the XDND source window did not appear"
read -r _ sx sy _ < "$artifacts/xdnd.ready"
read -r tx ty < <(at cell 0 0)
drag "$sx" "$sy" "$tx" "$ty"
wait_for 15 grep -q "^clip $snare " "$map" || { cat "$artifacts/xdnd.log"; fail "the XDND drop imported nothing"; }
kill "$xdnd_pid"; wait "$xdnd_pid" 2>/dev/null || true
read -r x y < <(at cell 3 7)
xdotool mousemove "$x" "$y" click 1   # keys go to the app once it was clicked (no window manager)
shot 2-dropped
save_as_step 01-drop

# 2b. Import Audio… of a third file: the first empty cell of the tab on screen (row 0, column 2).
xdotool key ctrl+i
wait_for 5 window_open browser || fail "Ctrl+I opened no file browser"
type_into button browserFile "$corpus/$hum.wav"
wait_for 10 grep -q "^clip $hum " "$map" || fail "Import Audio imported nothing"
save_as_step 02-import

# 3. The inspector on kick: select it (a click; no audio device here, so it plays nothing), show
#    the panel (key I), then rename, recolour, regroup, fade in and cue in.
click clip "$kick"
sleep 0.3
grep -q "^inspector " "$map" || xdotool key i
wait_for 5 grep -q "^inspector $kick\$" "$map" || fail "the inspector does not show $kick"
type_into field inspectorLabel "Big Kick"
wait_for 3 grep -q "^value inspectorLabel Big Kick\$" "$map" || fail "the label did not change"
save_as_step 03-rename
type_into field inspectorColour "#3a7bd5"
wait_for 3 grep -q "^value inspectorColour #3a7bd5\$" "$map" || fail "the colour did not change: $(grep inspectorColour "$map")"
save_as_step 04-recolour
click field inspectorGroup
wait_for 3 grep -q "^menu " "$map" || fail "the group box did not open"
xdotool key Down Down Return   # the open box highlights A (the current group): B, C
wait_for 3 grep -q "^value inspectorGroup C\$" "$map" || fail "the group did not change: $(grep inspectorGroup "$map")"
save_as_step 05-regroup
type_into field inspectorFadeIn 250
wait_for 3 grep -q "^value inspectorFadeIn 250\$" "$map" || fail "the fade-in did not change"
save_as_step 06-fade
type_into field inspectorCueIn 0.05
wait_for 3 grep -q "^value inspectorCueIn 0.05" "$map" || fail "the cue in did not change: $(grep inspectorCueIn "$map")"
shot 3-inspector
save_as_step 07-cue

# 4. Move snare to row 1, column 0; Ctrl+drag hum to row 1, column 1 (a copy, "hum-2").
read -r x0 y0 < <(at clip "$snare")
read -r x1 y1 < <(at cell 1 0)
drag "$x0" "$y0" "$x1" "$y1"
wait_for 5 bash -c "grep -q '^clip $snare $x1 $y1\$' '$map'" || fail "the drag did not move $snare"
save_as_step 08-move
read -r x0 y0 < <(at clip "$hum")
read -r x1 y1 < <(at cell 1 1)
drag "$x0" "$y0" "$x1" "$y1" ctrl
wait_for 5 grep -q "^clip $hum-2 " "$map" || fail "Ctrl+drag did not copy $hum"
shot 4-moved-copied
save_as_step 09-copy

# 5. The tab's menu: Grid size 6 x 8 (Rename tab…, Grid size ▸ 2x4 3x5 4x6 4x8 6x8).
right_click tab 0
xdotool key Down Down Right Down Down Down Down Return
wait_for 5 grep -q "^cell 5 7 " "$map" || fail "the grid was not resized to 6 x 8"
shot 5-resized
save_as_step 10-resize
python3 - "$session" "$kick" "$snare" "$hum" <<'PY' || fail "the final session is not what was done on screen"
import json, sys
m = json.load(open(sys.argv[1]))
kick, snare, hum = sys.argv[2:5]
clips = {c["id"]: c for c in m["clips"]}
k = clips[kick]
assert (k["label"], k["colour"], k["group"], k["fadeInMs"], k["cueInSec"]) == ("Big Kick", "#3a7bd5", "C", 250, 0.05), k
tab = m["pages"][0]["tabs"][0]
assert (tab["rows"], tab["columns"]) == (6, 8), tab
cells = sorted((s["row"], s["column"], s["clip"]) for s in tab["slots"])
assert cells == [(0, 0, kick), (0, 2, hum), (1, 0, snare), (1, 1, hum + "-2")], cells
print("final:", cells)
PY

# 6. Undo each edit, then redo each: every save equals the one kept before / after that edit.
steps=(00-new 01-drop 02-import 03-rename 04-recolour 05-regroup 06-fade 07-cue 08-move 09-copy 10-resize)
for ((i = ${#steps[@]} - 1; i > 0; i--)); do
  xdotool key ctrl+z
  save_as_step "undo-${steps[i]}"
  same_as "${steps[i - 1]}" || fail "Ctrl+Z of ${steps[i]} did not give the session as it was before it"
done
shot 6-all-undone
for ((i = 1; i < ${#steps[@]}; i++)); do
  xdotool key ctrl+shift+z
  save_as_step "redo-${steps[i]}"
  same_as "${steps[i]}" || fail "Ctrl+Shift+Z of ${steps[i]} did not give the session as it was after it"
done
echo "undo and redo: ${#steps[@]} steps, each save equal to the kept one"
shot 7-all-redone

# 7. Quit, reopen: the same clips in the same cells, and the same manifest.
xdotool key i   # the inspector hidden, as a new start shows the grid
wait_for 3 bash -c "! grep -q '^inspector ' '$map'" || fail "key I did not hide the inspector"
sleep 0.3
grep "^clip " "$map" | sort > "$artifacts/clips-before.txt"
xdotool key ctrl+q
wait_for 10 bash -c "! kill -0 $app_pid" || fail "Ctrl+Q did not quit (nothing was unsaved)"
wait "$app_pid" 2>/dev/null || true
launch "$session" reopened
wait_for 5 grep -q "^clip $kick " "$map" || fail "the reopened session shows no $kick"
grep "^clip " "$map" | sort > "$artifacts/clips-after.txt"
diff "$artifacts/clips-before.txt" "$artifacts/clips-after.txt" || fail "the reopened session shows its clips elsewhere"
shot 8-reopened
cp "$session" "$artifacts/saves/before-reopen.json"
xdotool key ctrl+s   # the reopened session, saved as it is: nothing may differ
sleep 1
same_as before-reopen || fail "the reopened session does not save as it was"
same_as 10-resize || fail "the reopened session is not the edited one"

# 8. Keys on the selected clip: Delete, Ctrl+Z; Ctrl+C, Ctrl+V (a copy in the next empty cell);
#    Ctrl+X and Ctrl+V (the cut clip back, with its id, in the tab's first empty cell).
click clip "$hum-2"
xdotool key Delete
wait_for 3 bash -c "! grep -q '^clip $hum-2 ' '$map'" || fail "Delete did not remove the selected clip"
xdotool key ctrl+z
wait_for 3 grep -q "^clip $hum-2 " "$map" || fail "Ctrl+Z did not bring the deleted clip back"
xdotool key ctrl+c ctrl+v
wait_for 3 grep -q "^clip $hum-2-2 " "$map" || fail "Ctrl+C, Ctrl+V made no copy"
[[ "$(at clip "$hum-2-2")" == "$(at cell 1 2)" ]] || fail "the copy is not in the next empty cell (row 1, column 2)"
click clip "$kick"
xdotool key ctrl+x
wait_for 3 bash -c "! grep -q '^clip $kick ' '$map'" || fail "Ctrl+X did not cut the selected clip"
xdotool key ctrl+v
wait_for 3 grep -q "^clip $kick " "$map" || fail "Ctrl+V did not paste the cut clip back with its id"
[[ "$(at clip "$kick")" == "$(at cell 0 0)" ]] || fail "the pasted clip is not in the first empty cell"
shot 9-keys
echo "keys: Delete, Ctrl+Z, Ctrl+C/V, Ctrl+X/V on the selected clip"
echo "editor flow: ok"
