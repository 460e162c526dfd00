#!/usr/bin/env bash
# Issue 8, test 5: the operator's show controls, as a person uses them. Under a private Xvfb
# display with a private 4-port JACK dummy server, CueGrid opens a copy of a version 2 show
# (fades, loops, pause retrigger) and real X input (xdotool) drives it:
#   1. a right click on a clip opens its menu (screenshot) and starts nothing (no voiceStart);
#      Escape closes it; the menu's first item pauses a playing clip and resumes it;
#   2. the remaining-time display counts down: a looped clip's button reads "LOOP x2" and its
#      remaining time falls by the time that passed (two readings, two screenshots);
#   3. with Audio Settings open (and focused), Escape stops playback, and so does a click on
#      STOP ALL, and so does Escape while one of its combo box lists is open;
#   4. FADE ALL (button and Shift+Escape) fades: each voice logs voiceFading with 1000 ms
#      (48000 samples) and ends, reason "stopped", exactly 48000 samples later; PAUSE ALL and
#      RESUME ALL pause and resume; PANIC cuts everything (reason "panic");
#   5. routing set in Audio Settings is applied live: Group D on outputs 3-4 is heard there.
# Button texts (elapsed, remaining, LOOP, PAUSED, FADE) are read from the app's UI map
# ("state <clip> ..." lines); screenshots are kept as test artefacts.
# Usage: show_controls_test.sh CUEGRID_APP SESSION ARTIFACT_DIR
set -euo pipefail
app=$1 source_session=$2 artifacts=$3
source "$(dirname "$0")/../Support/test_env.sh"
copy_show "$source_session"
# The show's media paths are ../corpus/…: the copy sees the same corpus.
ln -sfn "$(cd "$(dirname "$source_session")/../corpus" && pwd)" "$artifacts/corpus"
trap cleanup EXIT
use_private_jack "cuegrid_show_$$" "$artifacts/jackd.log"
log=$artifacts/events.ndjson

count() { grep -c "$1" "$log" || true; }
# more_than SECONDS PATTERN N: wait until more than N event lines match PATTERN (no ' in it).
more_than() { wait_for "$1" bash -c "[[ \$(grep -c '$2' '$log') -gt $3 ]]"; }
state() { grep "^state $1 " "$artifacts/ui.map" | cut -d' ' -f3- || true; }
# seconds CLIP: the remaining time its button shows ("-mm:ss.t" → seconds)
remaining() { state "$1" | awk '{ t = $NF; sub(/^-/, "", t); split(t, p, ":"); print p[1] * 60 + p[2] }'; }
elapsed() { state "$1" | awk '{ t = $(NF - 1); split(t, p, ":"); print p[1] * 60 + p[2] }'; }
right_click() { local x y; read -r _ _ x y < <(grep "^$1 $2 " "$artifacts/ui.map"); xdotool mousemove "$x" "$y" click 3; }
shot() { import -window root "$artifacts/$1.png"; }
# voice_end_after_fade CLIP: the clip's last voiceFading and the voiceEnd that follows it; prints
# "fadeSamples endSample-fadeSample reason"
fade_and_end() {
  python3 - "$log" "$1" <<'EOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
fading = [l for l in lines if l.get("event") == "voiceFading" and l.get("clip") == sys.argv[2]]
if not fading: print("none"); sys.exit()
f = fading[-1]
ends = [l for l in lines if l.get("event") == "voiceEnd" and l.get("voice") == f["voice"] and l["sample"] >= f["sample"]]
print(f["fadeSamples"], (ends[0]["sample"] - f["sample"]) if ends else "none", ends[0]["reason"] if ends else "none")
EOF
}

start_xvfb "$artifacts/xvfb.log"
start_jack -- -P 4
"$app" "$session" --event-log "$log" --ui-map "$artifacts/ui.map" --status-file "$artifacts/status.txt" > "$artifacts/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
wait_for 20 test -s "$artifacts/ui.map" || fail "no UI map"
wait_for 10 bash -c "jack_lsp | grep -q '^cuegrid:out_4$'" || fail "the app did not open 4 outputs"
wait_for 5 grep -q "^JACK: " "$artifacts/status.txt" || fail "no device in the status bar"

# 1. A right click opens the clip's menu and starts nothing.
right_click clip organ
wait_for 3 grep -q "^menu " "$artifacts/ui.map" || fail "no menu after a right click"
grep -q '"event":"clipMenu","clip":"organ"' "$log" || fail "the menu is not for organ"
sleep 0.5
shot 1-menu
[[ $(count '"event":"voiceStart"') -eq 0 ]] || fail "a right click started a clip"
grep -q "^state organ " "$artifacts/ui.map" && fail "organ shows as playing after a right click"
menu=$(grep '^menu ' "$artifacts/ui.map")
xdotool key Escape
wait_for 3 bash -c "! grep -q '^menu ' '$artifacts/ui.map'" || fail "Escape did not close the menu"
[[ $(count '"event":"voiceStart"') -eq 0 ]] || fail "closing the menu started a clip"
echo "1. right click: menu shown (${menu}), nothing started; Escape closed it"

# The menu's first item is Pause (Resume when paused).
click clip hum
wait_for 3 grep -q '"event":"voiceStart".*"clip":"hum"' "$log" || fail "a click did not start hum"
right_click clip hum
wait_for 3 grep -q "^menu " "$artifacts/ui.map" || fail "no menu on a playing clip"
xdotool key Down Return
wait_for 3 grep -q '"event":"voicePaused".*"clip":"hum"' "$log" || fail "the menu's Pause did not pause hum"
wait_for 3 bash -c "grep -q '^state hum .*PAUSED' '$artifacts/ui.map'" || fail "hum's button does not show PAUSED"
held=$(remaining hum); sleep 0.6
[[ $(remaining hum) == "$held" ]] || fail "the remaining time ran on while paused ($held, then $(remaining hum))"
shot 1-paused
right_click clip hum
wait_for 3 grep -q "^menu " "$artifacts/ui.map" || fail "no menu on a paused clip"
xdotool key Down Return
wait_for 3 grep -q '"event":"voiceResumed".*"clip":"hum"' "$log" || fail "the menu's Resume did not resume hum"
echo "   menu: Pause and Resume ($(state hum))"

# 2. The remaining time counts down (hum: cue region 0.25-9.5 s, loop 1-3 s played 3 times).
wait_for 3 bash -c "grep -q '^state hum PLAYING LOOP x[12] ' '$artifacts/ui.map'" || fail "hum does not show its loop: $(state hum)"
first=$(remaining hum) first_elapsed=$(elapsed hum)
shot 2-countdown-a
sleep 1.5
second=$(remaining hum) second_elapsed=$(elapsed hum)
shot 2-countdown-b
echo "2. remaining $first s -> $second s, elapsed $first_elapsed s -> $second_elapsed s over 1.5 s"
awk -v a="$first" -v b="$second" 'BEGIN { d = a - b; exit !(d > 1.1 && d < 1.9) }' || fail "the remaining time did not count down by ~1.5 s ($first -> $second)"
awk -v a="$first_elapsed" -v b="$second_elapsed" 'BEGIN { d = b - a; exit !(d > 1.1 && d < 1.9) }' || fail "the elapsed time did not count up by ~1.5 s"
grep -q "^tab 1 .* 1$" "$artifacts/ui.map" || fail "the Atmos tab does not mark its playing clip"

# 3. Audio Settings open and focused: Escape stops playback.
click button settings
wait_for 3 grep -q "^window settings " "$artifacts/ui.map" || fail "Audio Settings did not open"
wait_for 3 bash -c '[[ $(xdotool getwindowfocus getwindowname) == "Audio Settings" ]]' || fail "Audio Settings has no keyboard focus"
sleep 0.3
shot 3-settings-open
xdotool key Escape
wait_for 3 grep -q '"event":"voiceEnd".*"clip":"hum".*"reason":"stopped"' "$log" || fail "Escape in Audio Settings did not stop hum"
grep -q "^window settings " "$artifacts/ui.map" || fail "Escape closed Audio Settings"
echo "3. Escape with Audio Settings focused: $(grep '"event":"voiceEnd".*"clip":"hum"' "$log" | tail -n 1)"

# … and so does the STOP ALL button (organ's button stays visible beside the window).
click clip organ
wait_for 3 grep -q '"event":"voiceStart".*"clip":"organ"' "$log" || fail "organ did not start with Audio Settings open"
click button stopall
wait_for 3 grep -q '"event":"voiceEnd".*"clip":"organ".*"reason":"stopped"' "$log" || fail "STOP ALL did not stop organ with Audio Settings open"
echo "   STOP ALL with Audio Settings open: $(grep '"event":"voiceEnd".*"clip":"organ"' "$log" | tail -n 1)"

# … and Escape while a combo box list of Audio Settings is open.
click clip bass
wait_for 3 grep -q '"event":"voiceStart".*"clip":"bass"' "$log" || fail "bass did not start"
click button routingD
wait_for 3 grep -q "^menu " "$artifacts/ui.map" || fail "the Group D routing list did not open"
sleep 0.3
shot 3-routing-list
xdotool key Escape
wait_for 3 grep -q '"event":"voiceEnd".*"clip":"bass".*"reason":"stopped"' "$log" || fail "Escape in an open list did not stop bass"
wait_for 3 bash -c "! grep -q '^menu ' '$artifacts/ui.map'" || fail "the list stayed open"
echo "   Escape in an open list: $(grep '"event":"voiceEnd".*"clip":"bass"' "$log" | tail -n 1)"

# 5. Routing applied live: Group D (hum) to outputs 3-4 (Master, 1-2, 3-4 in the list).
click button routingD
wait_for 3 grep -q "^menu " "$artifacts/ui.map" || fail "the Group D routing list did not open"
xdotool key Down Down Return
wait_for 3 grep -q '"event":"routing".*"groups":{"D":\[3,4\]}' "$log" || fail "routing Group D to 3-4 was not applied"
sleep 0.3
shot 5-routing-set
click button settings   # brings it to the front again; then close it with its close button
read -r _ _ wx wy ww _ < <(grep "^window settings " "$artifacts/ui.map")
xdotool mousemove $((wx + ww - 14)) $((wy + 12)) click 1
wait_for 3 bash -c "! grep -q '^window settings ' '$artifacts/ui.map'" || fail "Audio Settings did not close"
click clip hum
wait_for 3 grep -q '"event":"voiceStart".*"clip":"hum"' "$log" || fail "hum did not start"
sleep 0.3
rm -f "$artifacts/out34.wav" "$artifacts/out12.wav"
jack_rec -f "$artifacts/out34.wav" -d 1 cuegrid:out_3 cuegrid:out_4 > /dev/null 2>&1 &
rec34=$!
jack_rec -f "$artifacts/out12.wav" -d 1 cuegrid:out_1 cuegrid:out_2 > /dev/null 2>&1
wait "$rec34"
peak34=$(sox "$artifacts/out34.wav" -n stat 2>&1 | awk '/Maximum amplitude/ { print $3 }')
peak12=$(sox "$artifacts/out12.wav" -n stat 2>&1 | awk '/Maximum amplitude/ { print $3 }')
echo "5. Group D on 3-4: peak $peak34 on outputs 3-4, $peak12 on 1-2"
awk -v p="$peak34" 'BEGIN { exit !(p > 0.01) }' || fail "hum is not heard on outputs 3-4 (peak $peak34)"
awk -v p="$peak12" 'BEGIN { exit !(p < 0.0001) }' || fail "hum is still heard on the master outputs (peak $peak12)"

# 4. FADE ALL fades every voice over 1000 ms (linear), sample-exact in the event log.
click clip bed
wait_for 3 grep -q '"event":"voiceStart".*"clip":"bed"' "$log" || fail "bed did not start"
sleep 1.2
click button fadeall
wait_for 3 grep -q '"event":"voiceFading".*"clip":"bed".*"fadeSamples":48000' "$log" || fail "FADE ALL did not fade bed over 48000 samples"
sleep 0.4
wait_for 2 bash -c "grep -q '^state bed FADE' '$artifacts/ui.map'" || fail "bed's button does not show FADE: $(state bed)"
shot 4-fading
wait_for 3 grep -q '"event":"voiceEnd".*"clip":"bed"' "$log" || fail "bed did not end after FADE ALL"
for clip in hum bed; do
  read -r length after reason < <(fade_and_end "$clip")
  echo "4. FADE ALL: $clip fades $length samples, ends $after samples later ($reason)"
  [[ $length == 48000 && $after == 48000 && $reason == stopped ]] || fail "$clip: fade $length, ended $after samples later, $reason"
done
# Shift+Escape is FADE ALL from the keyboard.
ends=$(count '"event":"voiceEnd".*"clip":"organ"')
click clip organ
wait_for 3 grep -q '"event":"voiceStart".*"clip":"organ"' "$log" || fail "organ did not start"
sleep 0.5
xdotool key shift+Escape
more_than 3 '"event":"voiceEnd".*"clip":"organ"' "$ends" || fail "Shift+Escape did not fade organ out"
read -r length after reason < <(fade_and_end organ)
echo "   Shift+Escape: organ fades $length samples, ends $after samples later ($reason)"
[[ $length == 48000 && $after == 48000 ]] || fail "Shift+Escape: fade $length, ended $after samples later"

# PAUSE ALL, RESUME ALL, PANIC.
click clip bed
more_than 3 '"event":"voiceStart".*"clip":"bed"' 1 || fail "bed did not start again"
click clip hum
sleep 0.5
click button pauseall
more_than 3 '"event":"voicePaused"' 2 || fail "PAUSE ALL did not pause both clips"
wait_for 3 bash -c "grep -q '^state bed .*PAUSED' '$artifacts/ui.map'" || fail "bed does not show PAUSED"
shot 4-paused-all
click button resumeall
more_than 3 '"event":"voiceResumed"' 2 || fail "RESUME ALL did not resume both clips"
click button panic
wait_for 3 grep -q '"event":"panic"' "$log" || fail "PANIC did not reach the engine"
more_than 3 '"reason":"panic"' 1 || fail "PANIC did not end both voices"
grep -q "Voices 0 / 24" "$artifacts/status.txt" || wait_for 2 grep -q "Voices 0 / 24" "$artifacts/status.txt" || fail "voices still playing after PANIC"
echo "   PAUSE ALL, RESUME ALL, PANIC: $(grep '"event":"panic"' "$log")"
shot 6-after-panic
kill -0 "$app_pid" || fail "the app exited"
echo "show controls: ok (screenshots in $artifacts)"
