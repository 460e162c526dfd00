#!/usr/bin/env bash
# Issue 9, test 1 (drag and drop): importing by dropping files from a file manager and moving
# and copying clips by dragging, as an editor does it, with real X input. Under a private Xvfb
# display and JACK dummy server, CueGrid opens a new empty session (cuegrid new):
#   1. a real XDND drop: a GTK window (Tests/Support/xdnd_source.py) offers 4 files as
#      text/uri-list; the pointer presses on it, moves to a cell in steps and releases. The 3
#      corpus files become clips in reading order from that cell; the 4th (a text file) is
#      named in the status bar as not imported; the new clips are analysed in the background;
#   2. a click in edit mode still fires a clip (on release);
#   3. dragging a clip to an empty cell moves it and starts nothing (no voiceStart); onto an
#      occupied cell swaps; Ctrl held at the drop copies (a new id); onto another tab puts it
#      in that tab's first empty cell; Escape during a drag cancels it;
#   4. Ctrl+S after every step, and Ctrl+Z / Ctrl+Shift+Z of each edit: the saved manifest is
#      compared with what each step must give; a file dropped (XDND) on a tab goes to that
#      tab's first empty cell;
#   5. Show mode: a press fires at once and a drag moves nothing.
# Screenshots are kept as test artefacts.
# Usage: drag_drop_test.sh CUEGRID_APP CUEGRID_CLI CORPUS_DIR ARTIFACT_DIR
set -euo pipefail
app=$1 cli=$2 corpus=$3 artifacts=$4
support="$(cd "$(dirname "$0")/../Support" && pwd)"
source "$support/test_env.sh"
source "$support/gui_driver.sh"   # shot, at, drag
mkdir -p "$artifacts"
rm -rf "$artifacts"/*.png "$artifacts"/*.ndjson "$artifacts/ui.map" "$artifacts/status.txt" "$artifacts/show" "$artifacts"/xdnd.*
mkdir -p "$artifacts/show"
session="$artifacts/show/drag.cuegrid"
"$cli" new "$session" > "$artifacts/new.log" 2>&1 || { cat "$artifacts/new.log"; exit 1; }
trap cleanup EXIT
use_private_jack "cuegrid_dnd_$$" "$artifacts/jackd.log"
log=$artifacts/events.ndjson
map=$artifacts/ui.map

clip_at() { grep "^clip $1 " "$map" | awk '{ print $3, $4 }'; }
tab_at() { grep "^tab $1 " "$map" | awk '{ print $3, $4 }'; }
starts() { grep -c '"event":"voiceStart"' "$log" || true; }
# save_and_check NAME EXPECTED: Ctrl+S, then the saved manifest's cells ("page.tab.row.col=id"
# sorted, space-separated) must be EXPECTED.
saves=0
save_and_check() {
  local before
  before=$(stat -c '%i %y' "$session")
  saves=$((saves + 1))
  sleep 0.2
  xdotool key ctrl+s
  wait_for 5 bash -c "[[ \"\$(stat -c '%i %y' '$session')\" != '$before' ]]" || fail "$1: Ctrl+S did not save"
  local got
  got=$(python3 - "$session" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
cells = []
for p, page in enumerate(m["pages"]):
    for t, tab in enumerate(page["tabs"]):
        for s in tab.get("slots", []):
            cells.append("%d.%d.%d.%d=%s" % (p, t, s["row"], s["column"], s["clip"]))
ids = [c["id"] for c in m["clips"]]
assert len(ids) == len(set(ids)), "duplicate clip ids"
used = {c.split("=")[1] for c in cells}
assert used == set(ids), "clips without a cell or cells without a clip: %s vs %s" % (sorted(used), sorted(ids))
print(" ".join(sorted(cells)))
PY
) || fail "$1: the saved manifest is not consistent"
  [[ "$got" == "$2" ]] || fail "$1: saved cells are '$got', expected '$2'"
  echo "$1: saved manifest has $got"
}

start_xvfb "$artifacts/xvfb.log"
start_jack
"$app" "$session" --event-log "$log" --ui-map "$map" --status-file "$artifacts/status.txt" > "$artifacts/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
wait_for 20 grep -q "^cell 3 7 " "$map" || fail "no UI map with the cells"
wait_for 10 bash -c "jack_lsp | grep -q '^cuegrid:out_1$'" || fail "no JACK output"
sleep 0.5
shot 1-empty-session

# 1. A real XDND drop of 4 files (one is not media) onto cell row 1, column 2.
kick=p01_sonicpi_heavy_kick snare=p03_colombo_snare clap=p10_millo_clap_dualmono
/usr/bin/python3 "$support/xdnd_source.py" "$artifacts/xdnd.ready" 1100 700 \
  "$corpus/$kick.wav" "$corpus/README.md" "$corpus/$snare.wav" "$corpus/$clap.wav" > "$artifacts/xdnd.log" 2>&1 &
xdnd_pid=$!
pids+=("$xdnd_pid")
wait_for 10 test -s "$artifacts/xdnd.ready" || fail "the XDND source window did not appear"
read -r _ sx sy source_window < "$artifacts/xdnd.ready"
# Without a window manager the last window raised is on top: make sure it is the source.
xdotool windowraise "$source_window"
sleep 0.3
shot 1b-drag-source
read -r tx ty < <(at "cell 1 2")
drag "$sx" "$sy" "$tx" "$ty"
wait_for 15 grep -q "^clip $clap " "$map" || { cat "$artifacts/xdnd.log"; fail "the XDND drop imported nothing"; }
grep -q "drag-end" "$artifacts/xdnd.log" || fail "the XDND source saw no end of its drag"
grep -q '"event":"import"' "$log" || fail "no import event"
grep -q "not imported: README.md" "$artifacts/status.txt" || fail "the status bar does not name the rejected file"
echo "1. XDND drop: $(grep '"event":"import"' "$log")"
echo "   status: $(cat "$artifacts/status.txt")"
sleep 0.3
shot 2-dropped
# Keys go to the app once it was clicked (no window manager here): a click on an empty cell,
# which does nothing.
kill "$xdnd_pid"; wait "$xdnd_pid" 2>/dev/null || true
read -r x y < <(at "cell 3 7")
xdotool mousemove "$x" "$y" click 1
[[ $(starts) -eq 0 ]] || fail "the drop started a clip"
wait_for 30 bash -c "grep '\"event\":\"analysisDone\"' '$log' | grep -q '\"clips\":3'" || fail "the imported clips were not analysed"
echo "   analysed: $(grep '"event":"analysisDone"' "$log" | tail -1)"
save_and_check "1. drop" "0.0.1.2=$kick 0.0.1.3=$snare 0.0.1.4=$clap"

# 2. A click in edit mode fires (on release).
read -r x y < <(clip_at "$clap")
xdotool mousemove "$x" "$y" click 1
wait_for 5 grep -q "\"event\":\"voiceStart\".*\"clip\":\"$clap\"" "$log" || fail "a click in edit mode did not fire"
xdotool key Escape
sleep 0.5
fired=$(starts)
echo "2. a click in edit mode fired $clap"

# 3a. Drag kick to the empty cell row 0, column 0: moved, nothing fired.
read -r x0 y0 < <(clip_at "$kick")
read -r x1 y1 < <(at "cell 0 0")
drag "$x0" "$y0" "$x1" "$y1"
wait_for 5 bash -c "grep -q '^clip $kick $x1 $y1\$' '$map'" || fail "the drag did not move kick to row 0, column 0"
sleep 0.3
[[ $(starts) -eq $fired ]] || fail "dragging fired a clip"
shot 3-moved
save_and_check "3a. move" "0.0.0.0=$kick 0.0.1.3=$snare 0.0.1.4=$clap"

# 3b. Drag snare onto kick's cell: swapped.
read -r x0 y0 < <(clip_at "$snare")
drag "$x0" "$y0" "$x1" "$y1"
wait_for 5 bash -c "grep -q '^clip $snare $x1 $y1\$' '$map'" || fail "the drag onto an occupied cell did not swap"
[[ $(starts) -eq $fired ]] || fail "dragging fired a clip"
save_and_check "3b. swap" "0.0.0.0=$snare 0.0.1.3=$kick 0.0.1.4=$clap"

# 3c. Ctrl+drag clap to row 2, column 0: copied with a new id.
read -r x0 y0 < <(clip_at "$clap")
read -r x1 y1 < <(at "cell 2 0")
drag "$x0" "$y0" "$x1" "$y1" ctrl
wait_for 5 grep -q "^clip $clap-2 " "$map" || fail "Ctrl+drag did not copy clap"
[[ $(starts) -eq $fired ]] || fail "dragging fired a clip"
shot 4-copied
save_and_check "3c. copy" "0.0.0.0=$snare 0.0.1.3=$kick 0.0.1.4=$clap 0.0.2.0=$clap-2"

# 3d. Drag kick onto tab 2 (index 1): into its first empty cell; the grid no longer shows it.
read -r x0 y0 < <(clip_at "$kick")
read -r x1 y1 < <(tab_at 1)
drag "$x0" "$y0" "$x1" "$y1"
wait_for 5 bash -c "! grep -q '^clip $kick ' '$map'" || fail "the drag onto tab 2 did not move kick"
save_and_check "3d. to tab" "0.0.0.0=$snare 0.0.1.4=$clap 0.0.2.0=$clap-2 0.1.0.0=$kick"

# 3e. Escape during a drag cancels it (and stops all, as everywhere).
read -r x0 y0 < <(clip_at "$clap")
read -r x1 y1 < <(at "cell 3 7")
xdotool mousemove "$x0" "$y0"; sleep 0.1; xdotool mousedown 1
for i in $(seq 1 8); do xdotool mousemove $((x0 + (x1 - x0) * i / 8)) $((y0 + (y1 - y0) * i / 8)); sleep 0.04; done
sleep 0.3
shot 5-dragging
xdotool key Escape; sleep 0.3
xdotool mouseup 1; sleep 0.5
grep -q "^clip $clap $x0 $y0\$" "$map" || fail "Escape did not cancel the drag"
[[ $(starts) -eq $fired ]] || fail "a cancelled drag fired a clip"
echo "3e. Escape cancelled a drag"

# 4. Undo each edit, then redo each, saving and checking after every step.
xdotool key ctrl+z; save_and_check "4. undo to tab" "0.0.0.0=$snare 0.0.1.3=$kick 0.0.1.4=$clap 0.0.2.0=$clap-2"
xdotool key ctrl+z; save_and_check "4. undo copy" "0.0.0.0=$snare 0.0.1.3=$kick 0.0.1.4=$clap"
xdotool key ctrl+z; save_and_check "4. undo swap" "0.0.0.0=$kick 0.0.1.3=$snare 0.0.1.4=$clap"
xdotool key ctrl+z; save_and_check "4. undo move" "0.0.1.2=$kick 0.0.1.3=$snare 0.0.1.4=$clap"
xdotool key ctrl+z; save_and_check "4. undo import" ""
xdotool key ctrl+shift+z; save_and_check "4. redo import" "0.0.1.2=$kick 0.0.1.3=$snare 0.0.1.4=$clap"
xdotool key ctrl+shift+z; save_and_check "4. redo move" "0.0.0.0=$kick 0.0.1.3=$snare 0.0.1.4=$clap"
xdotool key ctrl+shift+z; save_and_check "4. redo swap" "0.0.0.0=$snare 0.0.1.3=$kick 0.0.1.4=$clap"
xdotool key ctrl+shift+z; save_and_check "4. redo copy" "0.0.0.0=$snare 0.0.1.3=$kick 0.0.1.4=$clap 0.0.2.0=$clap-2"
xdotool key ctrl+shift+z; save_and_check "4. redo to tab" "0.0.0.0=$snare 0.0.1.4=$clap 0.0.2.0=$clap-2 0.1.0.0=$kick"
python3 - "$session" "$clap" <<'PY' || fail "the copy does not have the original's properties"
import json, sys
clips = {c["id"]: c for c in json.load(open(sys.argv[1]))["clips"]}
a, b = dict(clips[sys.argv[2]]), dict(clips[sys.argv[2] + "-2"])
a.pop("id"); b.pop("id")
assert a == b, (a, b)
PY
shot 6-redone

# 4b. Files dropped on a tab (XDND) fill that tab from its first empty cell.
rm -f "$artifacts/xdnd.ready"
/usr/bin/python3 "$support/xdnd_source.py" "$artifacts/xdnd.ready" 1100 700 "$corpus/$snare.wav" > "$artifacts/xdnd2.log" 2>&1 &
xdnd_pid=$!
pids+=("$xdnd_pid")
wait_for 10 test -s "$artifacts/xdnd.ready" || fail "the second XDND source window did not appear"
read -r _ sx sy source_window < "$artifacts/xdnd.ready"
xdotool windowraise "$source_window"
read -r tx ty < <(tab_at 2)
drag "$sx" "$sy" "$tx" "$ty"
wait_for 15 bash -c "grep -c '\"event\":\"import\"' '$log' | grep -q '^2$'" || { cat "$artifacts/xdnd2.log"; fail "the drop on tab 3 imported nothing"; }
kill "$xdnd_pid"; wait "$xdnd_pid" 2>/dev/null || true
read -r x y < <(at "cell 3 7")
xdotool mousemove "$x" "$y" click 1
save_and_check "4b. files on tab 3" "0.0.0.0=$snare 0.0.1.4=$clap 0.0.2.0=$clap-2 0.1.0.0=$kick 0.2.0.0=$snare-2"

# 5. Show mode: a press fires at once; a drag moves nothing.
read -r x y < <(at "button showmode")
xdotool mousemove "$x" "$y" click 1
sleep 0.5
read -r x0 y0 < <(clip_at "$snare")
read -r x1 y1 < <(at "cell 3 7")
drag "$x0" "$y0" "$x1" "$y1"
sleep 0.5
grep -q "\"event\":\"voiceStart\".*\"clip\":\"$snare\"" "$log" || fail "a press in Show mode did not fire"
grep -q "^clip $snare $x0 $y0\$" "$map" || fail "a drag in Show mode moved a clip"
shot 7-show-mode
xdotool key Escape
echo "5. Show mode: the press fired $snare, the drag moved nothing"
kill -0 "$app_pid" || fail "the app exited"
echo "PASS: drag and drop ($saves saves checked)"
