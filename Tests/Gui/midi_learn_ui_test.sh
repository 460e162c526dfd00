#!/usr/bin/env bash
# Issue 11, MIDI learn from the GUI, under Xvfb with real X input (xdotool), a private JACK dummy
# server and jack_midi_probe (Tests/Tools) sending to the app's JACK MIDI client cuegrid-midi:
#   1. a right click on hum, "Learn MIDI": hum shows it waits ("Move a control…", a Cancel in the
#      bar); the probe's note 48 binds it (midiLearned, stored in the session: Ctrl+S writes it
#      to the manifest) and starts nothing; the inspector names it, its Learn MIDI arms learn
#      and, pressed again, cancels it;
#   2. the MIDI Mappings window (Ctrl+Shift+M) lists it (UI map row "note 1 48 fire:hum fire")
#      after the manifest's two mappings of note 60 on channel 16, marked as a conflict; clicks
#      in its Mode cell cycle fire, gate, toggle; the Playing feedback value set to 100 and undone;
#      note 48 again starts hum (source midi); "Learn for: Stop All" in the window binds note 50,
#      which then stops hum;
#   3. a right click on group A's fader, "Learn MIDI": CC 7 binds it (row "cc 1 7 group:A
#      absolute"); CC 7 = 64 moves it to -11.6 dB (the event log's groupLevel, and the fader
#      itself as the UI map reads it);
#   4. note 48's row selected and the Delete key: the mapping is gone (Ctrl+Z brings it back,
#      Ctrl+Shift+Z deletes it again); note 48 sent in one JACK
#      block with CC 7 = 100 starts nothing (the fader's move to 0 dB proves the block arrived);
#      the Delete button removes the CC row; "Learn for: Selected clip" binds CC 21 to hum's
#      level, and CC 21 = 64 sets its trim to -11.63 dB;
#   5. learn armed again from the window and Escape: cancelled (Stop All's key cancels learn);
#   6. Show mode (Ctrl+M): the window's Learn is refused with the reason in the status bar.
# A non-realtime JACK on a busy machine can drop a cycle and its MIDI: each send that must arrive
# is repeated (5 tries) until what it should do is seen; the server runs 1024-frame blocks.
# Screenshots: 1-learning-hum, 1b-inspector-learning, 2-mappings, 3-fader-learning, 4-fader-moved, 5-show-mode.
# Usage: midi_learn_ui_test.sh CUEGRID_APP JACK_MIDI_PROBE SESSION ARTIFACT_DIR
set -euo pipefail
app=$1 probe=$2 source_session=$3 artifacts=$4
source "$(dirname "$0")/../Support/test_env.sh"
copy_show "$source_session"
trap 'stop_jack; cleanup' EXIT   # JACK first: a jackd outliving a killed client can leak its registry slot
use_private_jack "cuegrid_midiui_$$" "$artifacts/jackd.log"
log=$artifacts/events.ndjson
map=$artifacts/ui.map
export map log
source "$(dirname "$0")/../Support/gui_driver.sh"

count() { grep -c "$1" "$log" || true; }   # event log lines matching a pattern
starts() { grep '"event":"voiceStart"' "$log" | grep -c '"clip":"hum"' || true; }
export -f count starts
# send HEX: one message from a new probe, 0.5 s after it connects itself (a busy machine may take
# a while to connect the ports: an earlier message would be lost), then 0.4 s for the app.
send() { local m messages=(); for m in "$@"; do messages+=("0.5:$m"); done; "$probe" cuegrid-midi 0.9 "${messages[@]}" >> "$artifacts/probe.txt"; }
# send_until CONDITION HEX...: send, until CONDITION (bash, within 2 s of each send) holds; 5
# tries. A non-realtime JACK on a busy machine can drop a whole cycle, its MIDI with it.
send_until() {
  local condition=$1 try; shift
  for try in 1 2 3 4 5; do
    send "$@"
    wait_for 2 bash -c "$condition" && return 0
    echo "retry: $* ($try)"
  done
  return 1
}
: > "$artifacts/probe.txt"
# focus_main: a click on the main window's top bar (fires nothing): the keys go to it.
focus_main() {
  read -r _ _ wx wy _ < <(grep "^window main " "$map")
  xdotool mousemove $((wx + 300)) $((wy + 60)) click 1
  sleep 0.3
}
# front_midi: the MIDI Mappings window in front (Ctrl+Shift+M from the main window), as a click
# on the main window may have put that above it (no window manager under Xvfb).
front_midi() {
  focus_main
  xdotool key ctrl+shift+m
  wait_for 5 window_open midi || fail "Ctrl+Shift+M did not open the MIDI Mappings window"
  sleep 0.3
}

# Two mappings of one control on channel 16 (a hand-edited manifest): a conflict the window shows.
# The test's own messages are on channel 1.
python3 - "$session" <<'PY2'
import json, sys
m = json.load(open(sys.argv[1]))
m["version"] = 3
m["midi"] = {"mappings": [{"message": "note", "channel": 16, "number": 60, "target": "stopAll"},
                          {"message": "note", "channel": 16, "number": 60, "target": "fire:kick"}]}
json.dump(m, open(sys.argv[1], "w"), indent=2)
PY2
seeded='{"message": "note", "channel": 16, "number": 60, "target": "stopAll"}, {"message": "note", "channel": 16, "number": 60, "target": "fire:kick"}'

start_xvfb "$artifacts/xvfb.log"
start_jack_realtime -- -p 1024   # 21 ms blocks: this test measures no latency, and a busy machine drops fewer cycles
"$app" "$session" --event-log "$log" --ui-map "$map" --status-file "$artifacts/status.txt" > "$artifacts/app.log" 2>&1 &
pids+=($!)
wait_for 20 bash -c "jack_lsp | grep -q '^cuegrid-midi:in$'" || fail "no JACK MIDI client cuegrid-midi"
wait_for 20 grep -q '"event":"mediaLoaded"' "$log" || fail "media did not load"
# MIDI flows once the app's JACK MIDI client has run a cycle (jackMidiRunning; after a stalled
# client was reopened, jackMidiReopened comes first).
wait_for 20 grep -q '"event":"jackMidiRunning"' "$log" || fail "the JACK MIDI client never ran a cycle"
wait_for 10 grep -q "^clip hum " "$map" || fail "hum is not on screen"
focus_main   # the keyboard goes to the app once clicked

# 1. Right click hum, Learn MIDI (stopped clip, nothing copied: from the bottom Delete, Copy,
#    Cut, then Learn MIDI).
right_click clip hum
xdotool key Up Up Up Up Return
wait_for 3 grep -q '"event":"midiLearnArmed","target":"fire:hum"' "$log" || fail "Learn MIDI in the clip menu armed nothing"
wait_for 3 grep -q "^button midiLearnCancel " "$map" || fail "no Cancel while learn waits"
grep -q "^value midiLearning fire:hum$" "$map" || fail "the UI map does not say learn waits for hum"
shot 1-learning-hum
send_until 'grep -q "\"event\":\"midiLearned\"" "$log"' 903064 || fail "note 48 was not learned"   # note on 48, velocity 100
grep '"event":"midiLearned"' "$log" | grep -q '"mapping":{"message":"note","channel":1,"number":48,"target":"fire:hum"},"stored":true' \
  || fail "learned $(grep '"event":"midiLearned"' "$log")"
wait_for 3 bash -c '! grep -q "^button midiLearnCancel " "$map"' || fail "the learn bar stayed"
wait_for 3 grep -q "^value midiLearning none$" "$map" || fail "still learning after the note"
[[ $(starts) -eq 0 ]] || fail "learning started hum"
xdotool key ctrl+s
wait_for 5 python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
sys.exit(0 if m.get("midi", {}).get("mappings")[2:] == [{"message": "note", "channel": 1, "number": 48, "target": "fire:hum"}] else 1)' "$session" \
  || fail "the mapping is not in the saved manifest: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("midi"))' "$session")"
echo "ok   clip menu Learn MIDI: note 48 -> fire:hum, stored and saved, nothing started"

# 1b. The inspector (hum: the clip right-clicked) names the mapping; its Learn MIDI arms learn
#     for hum and, pressed again ("Cancel learn"), cancels it.
click button inspector
wait_for 3 grep -q "^value inspectorMidi note 48 ch 1$" "$map" || fail "the inspector does not name hum's mapping: $(grep inspectorMidi "$map")"
click button inspectorLearnMidi
wait_for 3 grep -q "^value midiLearning fire:hum$" "$map" || fail "the inspector's Learn MIDI armed nothing"
grep -q "^value inspectorMidi Move a control" "$map" || fail "the inspector does not say it waits: $(grep inspectorMidi "$map")"
shot 1b-inspector-learning
click button inspectorLearnMidi
wait_for 3 grep -q '"event":"midiLearnCancelled","target":"fire:hum","why":"cancelled"' "$log" || fail "Cancel learn in the inspector did not cancel"
click button inspector
echo "ok   the inspector names the mapping, its Learn MIDI arms and cancels learn"

# 2. The mappings window lists it; the note starts hum.
xdotool key ctrl+shift+m
wait_for 5 window_open midi || fail "Ctrl+Shift+M did not open the MIDI Mappings window"
wait_for 3 grep -q "^midirow 2 note 1 48 fire:hum fire 0 " "$map" || fail "no row for note 48: $(grep ^midirow "$map")"
[[ $(grep -c "^midirow " "$map") -eq 3 ]] || fail "rows: $(grep ^midirow "$map")"
grep -q "^midirow 0 note 16 60 stopAll trigger 1 " "$map" && grep -q "^midirow 1 note 16 60 fire:kick fire 1 " "$map" \
  || fail "the manifest's two mappings of note 60 ch 16 are not listed as a conflict: $(grep ^midirow "$map")"
shot 2-mappings
# A click in the Mode column cycles a clip note: fire -> gate -> toggle -> fire (each an edit).
for mode in gate toggle fire; do
  target=fire:hum; [[ $mode == toggle ]] && target=toggle:hum
  click midimode 2
  wait_for 3 grep -q "^midirow 2 note 1 48 $target $mode 0 " "$map" || fail "the Mode click did not make $mode: $(grep '^midirow 2' "$map")"
done
# The feedback values are the session's: Playing 100, then Ctrl+Z (main window) back to 127.
type_into button midiFeedbackPlaying 100
wait_for 3 grep -q "^value midiFeedback playing=100 paused=64 loaded=16 missing=5$" "$map" || fail "feedback: $(grep midiFeedback "$map")"
focus_main
xdotool key ctrl+z
wait_for 3 grep -q "^value midiFeedback playing=127 " "$map" || fail "Ctrl+Z did not restore the feedback value: $(grep midiFeedback "$map")"
grep -q "^midirow 2 note 1 48 fire:hum fire 0 " "$map" || fail "the undo of the feedback value changed the mapping: $(grep '^midirow 2' "$map")"
echo "ok   Mode clicks cycle fire, gate, toggle; the Playing feedback value is an undoable edit"
front_midi
send_until '[[ $(starts) -ge 1 ]]' 903064 || fail "note 48 did not start hum"
grep '"event":"voiceStart"' "$log" | grep '"clip":"hum"' | grep -q '"source":"midi"' || fail "hum's start is not from midi"
echo "ok   the window lists note 48 -> hum, and the note starts hum"
# A global action from the window: "Learn for: Stop All (note)" (its list's 7th item), Learn,
# note 50; then note 50 stops hum.
click button midiTarget
wait_for 3 grep -q "^menu " "$map" || fail "the target list did not open"
xdotool key Down Down Down Down Down Down Return
sleep 0.3
click button midiLearn
wait_for 3 grep -q "^value midiLearning stopAll$" "$map" || fail "Learn for Stop All armed $(grep midiLearning "$map")"
send_until 'grep -q "\"target\":\"stopAll\"},\"stored\":true" "$log"' 903264 || fail "note 50 was not learned for Stop All"
wait_for 3 grep -q "^midirow 3 note 1 50 stopAll trigger 0 " "$map" || fail "no row for note 50: $(grep ^midirow "$map")"
send_until '[[ $(count "\"event\":\"voiceEnd\".*\"clip\":\"hum\"") -ge 1 ]]' 903264 || fail "note 50 (Stop All) did not stop hum"
echo "ok   Learn for Stop All from the window: note 50 stops hum"

# 3. Group A's fader: right click, Learn MIDI (the menu's first item); CC 7 binds and moves it.
right_click fader A
xdotool key Down Return
wait_for 3 grep -q '"event":"midiLearnArmed","target":"group:A"' "$log" || fail "the fader's Learn MIDI armed nothing"
wait_for 3 grep -q "^value midiLearning group:A$" "$map" || fail "the UI map does not say learn waits for group A"
shot 3-fader-learning
send_until 'grep -q "\"target\":\"group:A\"},\"stored\":true" "$log"' b00750 || fail "CC 7 was not learned for group A"   # CC 7 = 80
grep -q '"mapping":{"message":"cc","channel":1,"number":7,"target":"group:A"},"stored":true' "$log" || fail "learned $(grep midiLearned "$log")"
wait_for 3 grep -q "^midirow 4 cc 1 7 group:A absolute 0 " "$map" || fail "no row for CC 7: $(grep ^midirow "$map")"
send_until 'grep -q "\"event\":\"groupLevel\",\"group\":\"A\",\"gainDb\":-11.629" "$log"' b00740 \
  || fail "CC 7 = 64 did not set group A to -11.63 dB: $(grep groupLevel "$log")"
wait_for 3 grep -q "^fader A -11.60 " "$map" || fail "group A's fader did not move: $(grep '^fader A' "$map")"
shot 4-fader-moved
echo "ok   fader learn: CC 7 -> group A, CC 7 = 64 moved the fader to -11.6 dB"

# 4. Note 48's row selected, the Delete key: gone. Then note 48 and CC 7 = 100 in the same JACK
#    block: the fader's move to 0 dB proves the note arrived, and it must start nothing.
front_midi
click midirow 2
sleep 0.3
xdotool key Delete
wait_for 3 grep -q '"event":"midiMappingDeleted","mapping":{"message":"note","channel":1,"number":48' "$log" || fail "the Delete key deleted no mapping"
wait_for 3 bash -c '! grep -q "^midirow [0-9]* note 1 48 " "$map"' || fail "note 48 is still listed: $(grep ^midirow "$map")"
# A delete is an edit: Ctrl+Z (in the main window) brings it back, Ctrl+Shift+Z deletes it again.
focus_main
xdotool key ctrl+z
wait_for 3 grep -q "^midirow 2 note 1 48 fire:hum " "$map" || fail "Ctrl+Z did not bring the mapping back: $(grep ^midirow "$map")"
xdotool key ctrl+shift+z
wait_for 3 bash -c '! grep -q "^midirow [0-9]* note 1 48 " "$map"' || fail "Ctrl+Shift+Z did not delete it again: $(grep ^midirow "$map")"
starts_before=$(starts)
send_until 'grep -q "\"event\":\"groupLevel\",\"group\":\"A\",\"gainDb\":0" "$log"' 903064 b00764 || fail "CC 7 = 100 did not arrive"
sleep 0.5
[[ $(starts) -eq $starts_before ]] || fail "note 48 still started hum after its mapping was deleted"
echo "ok   the Delete key removed note 48's mapping (undone, redone); note 48 (arrived with CC 7) starts nothing"
wait_for 3 grep -q "^midirow 3 cc 1 7 group:A " "$map" || fail "rows: $(grep ^midirow "$map")"
front_midi
click midirow 3
sleep 0.3
click button midiDelete
wait_for 3 bash -c '! grep -q "^midirow 3 " "$map"' || fail "the Delete button left the CC row"
[[ $(grep -c "^midirow " "$map") -eq 3 ]] || fail "rows: $(grep ^midirow "$map")"
echo "ok   the Delete button removed CC 7's mapping"

# 4b. "Learn for: Selected clip" (the list's first item; hum is selected): a CC binds hum's level.
click button midiTarget
wait_for 3 grep -q "^menu " "$map" || fail "the target list did not open"
xdotool key Up Up Up Up Up Up Return
sleep 0.3
click button midiLearn
wait_for 3 grep -q "^value midiLearning fire:hum$" "$map" || fail "Learn for the selected clip armed $(grep midiLearning "$map")"
send_until 'grep -q "\"target\":\"clipLevel:hum\"},\"stored\":true" "$log"' b01550 || fail "CC 21 was not learned for hum's level"
wait_for 3 grep -q "^midirow 3 cc 1 21 clipLevel:hum absolute 0 " "$map" || fail "no row for CC 21: $(grep ^midirow "$map")"
send_until 'grep -q "\"event\":\"clipLevels\",\"clip\":\"hum\",.*\"levelTrimDb\":-11.629" "$log"' b01540 \
  || fail "CC 21 = 64 did not set hum's level trim: $(grep clipLevels "$log")"
echo "ok   Learn for the selected clip: CC 21 -> hum's level, CC 21 = 64 set its trim to -11.63 dB"

# 5. Learn armed from the window (the selected clip again), Escape cancels it.
click button midiLearn
wait_for 3 grep -q "^value midiLearning fire:hum$" "$map" || fail "the window's Learn armed nothing"
xdotool key Escape
wait_for 3 grep -q '"event":"midiLearnCancelled","target":"fire:hum","why":"Escape"' "$log" || fail "Escape did not cancel learn"
wait_for 3 grep -q "^value midiLearning none$" "$map" || fail "still learning after Escape"
echo "ok   Escape cancels learn"

# 6. Show mode: learn is refused and says why.
focus_main
xdotool key ctrl+m
sleep 0.5
front_midi
click button midiLearn
wait_for 3 grep -q "Show mode" "$artifacts/status.txt" || fail "no reason in the status bar: $(cat "$artifacts/status.txt")"
grep -q "^value midiLearning none$" "$map" || fail "learn started in Show mode"
shot 5-show-mode
echo "ok   Show mode: learn refused ($(grep -o 'MIDI learn[^|]*' "$artifacts/status.txt" | head -1))"
echo "PASS"
