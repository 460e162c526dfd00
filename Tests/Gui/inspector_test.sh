#!/usr/bin/env bash
# Issue 9: the clip inspector, as an editor uses it. Under a private Xvfb display (1280x800) with
# a private JACK dummy server, CueGrid opens a copy of a version 2 show with corpus media, and
# real X input (xdotool) drives it:
#   1. the clip menu's Inspect opens the side panel on that clip (its waveform and handles);
#   2. a fade-in typed in ms shows in its field; a cue out past the file's end is refused with
#      the reason in the status bar and the field keeps its value;
#   3. the cue-in handle dragged (mousedown, several mousemoves, mouseup) sets cue in, shown in
#      seconds; one Ctrl+Z undoes the whole drag and a second the fade; Ctrl+Shift+Z redoes each;
#   4. Ctrl+S: the saved manifest holds the fade-in and cue in the fields show;
#   5. Audition plays the clip on the Audition bus from its cue in (the voice's length is the
#      file's length minus cue in);
#   6. in Show mode the panel is read-only: a handle drag changes nothing;
#   7. Loop adds loop handles; a loop-out drag sets it; undone;
#   8. key I and the Inspector button hide and show the panel;
#   9. a stale thumbnail over the disk cache's limit was pruned at start; the waveform's
#      thumbnail was written to the disk cache (CueGrid home's Cache/Thumbnails).
# Values are read from the app's UI map ("value inspector<Name> <text>", "handle <name> x y");
# screenshots are kept as test artefacts.
# Usage: inspector_test.sh CUEGRID_APP SESSION CLIP_ID ARTIFACT_DIR
set -euo pipefail
app=$1 source_session=$2 clip=$3 artifacts=$4
source "$(dirname "$0")/../Support/test_env.sh"
copy_show "$source_session"
# The show's media paths are ../corpus/…: the copy sees the same corpus.
ln -sfn "$(cd "$(dirname "$source_session")/../corpus" && pwd)" "$artifacts/corpus"
rm -rf "$artifacts/app-home"
trap cleanup EXIT
use_private_jack "cuegrid_inspector_$$" "$artifacts/jackd.log"
map=$artifacts/ui.map log=$artifacts/events.ndjson

shot() { sleep 0.3; import -window root "$artifacts/$1.png"; }
value() { grep "^value inspector$1 " "$map" | cut -d' ' -f3- || true; }
# has_value NAME TEXT: the field shows exactly TEXT (polled by wait_for in a child bash).
has_value() { [[ "$(grep "^value inspector$1 " "$map" | cut -d' ' -f3-)" == "$2" ]]; }
export -f has_value; export map
position() { grep "^$1 $2 " "$map" | awk '{ print $3, $4 }'; }
manifest_clip() {
  python3 - "$session" "$clip" "$1" <<'PY'
import json, sys
clip = next(c for c in json.load(open(sys.argv[1]))["clips"] if c["id"] == sys.argv[2])
print(clip.get(sys.argv[3], ""))
PY
}

start_xvfb "$artifacts/xvfb.log"
start_jack
# A stale 300 MB thumbnail (sparse, last used in 2020) in the disk cache: over its 256 MB limit,
# so the app deletes it (least recently used first) when it starts.
mkdir -p "$CUEGRID_HOME/Cache/Thumbnails"
stale=$CUEGRID_HOME/Cache/Thumbnails/00000000deadbeef.thumb
truncate -s 300M "$stale"
touch -d 2020-01-01 "$stale"
"$app" "$session" --event-log "$log" --ui-map "$map" --status-file "$artifacts/status.txt" > "$artifacts/app.log" 2>&1 &
pids+=($!)
wait_for 20 grep -q "^clip $clip " "$map" || fail "the app did not show '$clip'"
wait_for 10 bash -c "jack_lsp | grep -q '^cuegrid:out_1$'" || fail "the app did not connect to JACK"
! grep -q "^inspector " "$map" || fail "the inspector is shown at start"

# 1. Inspect from the clip menu (after Audition and Rename...; Pause and the stops are greyed out).
read -r x y < <(position clip "$clip")
xdotool mousemove "$x" "$y" click 3
wait_for 3 grep -q "^menu " "$map" || fail "no clip menu"
xdotool key Down Down Down Return
wait_for 3 grep -q "^inspector $clip\$" "$map" || fail "Inspect did not show '$clip' in the inspector"
wait_for 5 grep -q "^handle cueIn " "$map" || fail "the waveform shows no cue-in handle"
has_value Editable yes || fail "the inspector is read-only outside Show mode"
has_value CueIn "" || fail "'$clip' already has a cue in: $(value CueIn)"
shot 1-inspector
echo "Inspect: the panel shows '$clip' with its waveform"

# 2. A fade-in typed in ms; a fade past 3000 ms and a cue out past the file's end are refused,
#    each with its reason in the status bar, and the fields keep their values.
# type_into FIELD TEXT: a click on the inspector's field, its text replaced by TEXT, Return.
type_into() {
  local fx fy
  read -r fx fy < <(position field "inspector$1")
  xdotool mousemove "$fx" "$fy" click 1
  sleep 0.3
  xdotool key ctrl+a
  xdotool type --delay 30 "$2"
  xdotool key Return
}
type_into FadeIn 250
wait_for 3 has_value FadeIn 250 || fail "the typed fade-in shows '$(value FadeIn)', not 250"
type_into FadeIn 5000
wait_for 3 grep -q "fade in.*3000 ms" "$artifacts/status.txt" || fail "a 5000 ms fade-in was not refused with a reason: $(cat "$artifacts/status.txt")"
has_value FadeIn 250 || fail "the refused fade-in shows '$(value FadeIn)'"
type_into CueOut 9999
wait_for 3 grep -q "cue out 9999.000 s is past the end of the file" "$artifacts/status.txt" \
  || fail "a cue out past the file's end was not refused with a reason: $(cat "$artifacts/status.txt")"
has_value CueOut "" || fail "the refused cue out shows '$(value CueOut)'"
shot 1b-refused
echo "fields: fade-in 250 ms set; 5000 ms and cue out 9999 s refused with their reasons"

# 3. Drag the cue-in handle 80 px to the right, in steps (one drag, one undo step).
read -r hx hy < <(position handle cueIn)
xdotool mousemove "$hx" "$hy" mousedown 1
for step in 10 25 40 60 80; do xdotool mousemove $((hx + step)) "$hy"; sleep 0.05; done
xdotool mouseup 1
wait_for 3 bash -c "! has_value CueIn ''" || fail "the drag set no cue in"
cue=$(value CueIn)
read -r nx _ < <(position handle cueIn)
python3 -c "import sys; c = float(sys.argv[1]); assert 0.1 < c < 2.0, c" "$cue" || fail "the dragged cue in is $cue s"
(( nx >= hx + 75 && nx <= hx + 85 )) || fail "the cue-in handle is at x $nx after a drag from $hx to $((hx + 80))"
shot 2-cue-dragged
echo "drag: cue in $cue s (handle from x $hx to $nx)"

xdotool key ctrl+z
wait_for 3 has_value CueIn "" || fail "Ctrl+Z did not undo the whole drag: cue in $(value CueIn)"
has_value FadeIn 250 || fail "the first Ctrl+Z also undid the fade-in"
xdotool key ctrl+z
wait_for 3 has_value FadeIn "" || fail "the second Ctrl+Z did not undo the fade-in: $(value FadeIn)"
xdotool key ctrl+shift+z
wait_for 3 has_value FadeIn 250 || fail "Ctrl+Shift+Z did not redo the fade-in: $(value FadeIn)"
xdotool key ctrl+shift+z
wait_for 3 has_value CueIn "$cue" || fail "Ctrl+Shift+Z did not redo the drag: cue in $(value CueIn)"
echo "undo/redo: the drag and the fade-in, one step each"

# 4. Save: the manifest holds what the fields show.
xdotool key ctrl+s
wait_for 5 bash -c "[[ -f '$session.bak1' ]]" || fail "Ctrl+S did not save"
saved_fade=$(manifest_clip fadeInMs) saved_cue=$(manifest_clip cueInSec)
python3 -c "import sys; assert float(sys.argv[1]) == 250.0 and abs(float(sys.argv[2]) - float(sys.argv[3])) < 1e-9, sys.argv" \
  "$saved_fade" "$saved_cue" "$cue" || fail "saved fadeInMs $saved_fade, cueInSec $saved_cue; shown 250 and $cue"
echo "save: fadeInMs $saved_fade, cueInSec $saved_cue"

# 5. Audition from cue in: the voice plays the file from cue in to its end.
click button inspectorAudition
wait_for 5 grep -q "\"event\":\"voiceStart\".*\"clip\":\"$clip\",\"group\":\"Audition\"" "$log" \
  || fail "Audition started no voice of '$clip' on the Audition bus"
frames=$(grep "\"event\":\"voiceStart\".*\"clip\":\"$clip\",\"group\":\"Audition\"" "$log" | tail -1 | sed 's/.*"lengthFrames":\([0-9]*\).*/\1/')
file=$(python3 -c 'import json, sys; print(next(c["file"] for c in json.load(open(sys.argv[1]))["clips"] if c["id"] == sys.argv[2]))' "$session" "$clip")
seconds=$(soxi -D "$(dirname "$session")/$file")
python3 -c "import sys; f, s, c = map(float, sys.argv[1:]); assert abs(f - (s - c) * 48000) <= 48, (f, (s - c) * 48000)" \
  "$frames" "$seconds" "$cue" || fail "the audition voice is $frames frames; from cue in $cue of $seconds s it would be $(python3 -c "print(round(($seconds - $cue) * 48000))")"
shot 3-audition
echo "audition: $frames frames from cue in $cue s of a $seconds s file"
xdotool key Escape

# 6. Show mode: read-only.
click button showmode
wait_for 3 has_value Editable no || fail "Show mode left the inspector editable"
read -r hx hy < <(position handle cueIn)
xdotool mousemove "$hx" "$hy" mousedown 1 mousemove $((hx + 40)) "$hy" mouseup 1
sleep 0.5
has_value CueIn "$cue" || fail "a drag in Show mode changed cue in to $(value CueIn)"
shot 4-show-mode
click button showmode
wait_for 3 has_value Editable yes || fail "leaving Show mode left the inspector read-only"
echo "Show mode: fields disabled, the handle did not move"

# 7. Loop: the Loop switch adds loop handles (the cue region by default); dragging loop out sets it.
click button inspectorLoop
wait_for 3 grep -q "^handle loopOut " "$map" || fail "Loop on shows no loop-out handle"
has_value LoopOut "" || fail "a new loop's out is '$(value LoopOut)', not the cue region's end"
read -r lx ly < <(position handle loopOut)
xdotool mousemove "$lx" "$ly" mousedown 1
for step in 10 30 50; do xdotool mousemove $((lx - step)) "$ly"; sleep 0.05; done
xdotool mouseup 1
wait_for 3 bash -c "! has_value LoopOut ''" || fail "the drag set no loop out"
loop_out=$(value LoopOut)
python3 -c "import sys; c, o = map(float, sys.argv[1:]); assert c < o < 4.3, (c, o)" "$cue" "$loop_out" || fail "loop out $loop_out s"
shot 5-loop
xdotool key ctrl+z ctrl+z
wait_for 3 bash -c "! grep -q '^handle loopOut ' '$map'" || fail "two Ctrl+Z did not take the loop away"
has_value Loop off || fail "the Loop switch shows '$(value Loop)' after undo"
echo "loop: on, loop out dragged to $loop_out s; two Ctrl+Z undid both"

# 8. Key I and the Inspector button hide and show the panel; the grid takes the room back.
read -r gx _ < <(position clip "$clip")
xdotool key i
wait_for 3 bash -c "! grep -q '^inspector ' '$map'" || fail "I did not hide the inspector"
read -r wide _ < <(position clip "$clip")
(( wide > gx )) || fail "the grid did not grow when the inspector was hidden ($gx -> $wide)"
click button inspector
wait_for 3 grep -q "^inspector $clip\$" "$map" || fail "the Inspector button did not show the panel again"
echo "I hid the panel (the clip moved from x $gx to $wide), the Inspector button showed it"

# 9. The thumbnail is in the disk cache, and a second launch draws the waveform from it.
[[ ! -e "$stale" ]] || fail "the stale 300 MB thumbnail was not pruned from the disk cache"
thumbs=$(find "$CUEGRID_HOME/Cache/Thumbnails" -name '*.thumb' -size +0 2>/dev/null | wc -l)
(( thumbs >= 1 )) || fail "no thumbnail in $CUEGRID_HOME/Cache/Thumbnails"
has_value ThumbnailsFromDisk 0 || fail "the first launch read $(value ThumbnailsFromDisk) thumbnails from an empty cache"
xdotool key ctrl+q
wait_for 10 bash -c "! kill -0 ${pids[-1]} 2>/dev/null" || fail "Ctrl+Q (nothing unsaved, nothing playing) did not quit"
rm -f "$map"
"$app" "$session" --event-log "$log" --ui-map "$map" --status-file "$artifacts/status.txt" > "$artifacts/app2.log" 2>&1 &
pids+=($!)
wait_for 20 grep -q "^clip $clip " "$map" || fail "the second launch did not show '$clip'"
read -r x y < <(position clip "$clip")
xdotool mousemove "$x" "$y" click 3
wait_for 3 grep -q "^menu " "$map" || fail "no clip menu"
xdotool key Down Down Down Return
wait_for 5 has_value Waveform ready || fail "the second launch's waveform is '$(value Waveform)'"
has_value ThumbnailsFromDisk 1 || fail "the second launch read $(value ThumbnailsFromDisk) thumbnails from the disk cache, not 1"
has_value CueIn "$cue" || fail "the reopened session's cue in is '$(value CueIn)', saved $cue"
shot 6-reopened
echo "thumbnail cache: $thumbs file(s) in $CUEGRID_HOME/Cache/Thumbnails; the second launch drew '$clip' from it"
echo "inspector test passed"
