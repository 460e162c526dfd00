#!/usr/bin/env bash
# Issue 11: the Preferences window's OSC section and debounce, applied without a restart, under
# Xvfb with a private JACK dummy server, driven by xdotool, checked with oscsend/oscdump:
#   1. the app starts with OSC off (nothing answers on the port); Preferences: OSC on, a port,
#      OSC debounce 400 ms, Save: the server answers at once, preferences.json holds them;
#   2. two OSC GOs 100 ms apart: the second is dropped ("GO dropped" reply, a goDropped event
#      with source osc); a GO 400 ms after the first plays;
#   3. a port another program holds (oscdump listens there): Save says "in use" in the window,
#      which stays open, and in the status bar; nothing answers on the old port; another port
#      then works again, without a restart;
#   4. the keys' debounce (the session's) is an undoable edit: the title shows unsaved changes.
# Usage: preferences_osc_test.sh CUEGRID_APP SESSION ARTIFACT_DIR
set -euo pipefail
app=$1 source_session=$2 artifacts=$3
source "$(dirname "$0")/../Support/test_env.sh"
source "$(dirname "$0")/../Support/gui_driver.sh"
copy_show "$source_session"
rm -rf "$artifacts/app-home"   # preferences of an earlier run: OSC starts off
ln -sfn "$(cd "$(dirname "$source_session")/../corpus" && pwd)" "$artifacts/corpus"
trap 'stop_jack; cleanup' EXIT   # JACK first: a jackd outliving a killed client can leak its registry slot
use_private_jack "cuegrid_prefs_$$" "$artifacts/jackd.log"
log=$artifacts/events.ndjson
map=$artifacts/ui.map
export map
replies=$artifacts/replies.txt
port=$((20000 + $$ % 20000)) reply_port=$((40001 + $$ % 20000)) busy_port=$((20000 + ($$ + 7) % 20000))

count() { grep -c "$1" "$log" || true; }
send_to() { local p=$1; shift; : > "$replies"; oscsend 127.0.0.1 "$p" "$@" || true; }   # a closed port is no error here
reply() { wait_for "${2:-3}" grep -aq "^[^ ]* /reply$1 " "$replies" && grep -a "^[^ ]* /reply$1 " "$replies" | tail -1; }
prefs() { python3 -c "import json, sys; p = json.load(open(sys.argv[1])); print(p.get(sys.argv[2]))" "$XDG_CONFIG_HOME/cuegrid/preferences.json" "$1"; }
open_preferences() {
  xdotool key ctrl+comma
  wait_for 5 window_open preferences || fail "Ctrl+, opened no Preferences"
  sleep 0.3
}
closed() { ! grep -q '^window preferences ' "$map"; }

start_xvfb "$artifacts/xvfb.log"
start_jack
: > "$replies"
oscdump -L "$reply_port" >> "$replies" 2> "$artifacts/oscdump.log" &
pids+=($!)
"$app" "$session" --event-log "$log" --ui-map "$map" --status-file "$artifacts/status.txt" > "$artifacts/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
wait_for 20 test -s "$map" || fail "no UI map"
wait_for 5 grep -q "^JACK: " "$artifacts/status.txt" || fail "no device in the status bar"
wait_for 20 grep -q '"event":"mediaLoaded"' "$log" || fail "media did not load"

# 1. OSC is off: nothing answers. Then on, from the Preferences window, without a restart.
send_to "$port" /cuegrid/replyPort i "$reply_port"
! reply /cuegrid/replyPort 1 > /dev/null || fail "OSC answered before it was turned on"
open_preferences
click button prefOscEnabled
type_into button prefOscPort "$port"
type_into button prefOscDebounce 400
shot 1-preferences-osc
click button prefSave
wait_for 5 closed || fail "Preferences did not close on Save: $(grep '^text pref' "$map")"
[[ $(prefs oscEnabled) == True && $(prefs oscPort) == "$port" && $(prefs oscDebounceMs) == 400 ]] \
  || fail "preferences.json: $(cat "$XDG_CONFIG_HOME/cuegrid/preferences.json")"
send_to "$port" /cuegrid/replyPort i "$reply_port"
reply /cuegrid/replyPort > /dev/null || fail "OSC did not start on port $port after Save"
echo "OSC on at port $port after Save, no restart"

# 2. OSC debounce 400 ms: a second GO 100 ms after the first is dropped; one 450 ms later plays.
organs=$(count '"voiceStart".*"clip":"organ"')
send_to "$port" /cuegrid/clip/organ/start
sleep 0.1
send_to "$port" /cuegrid/clip/hum/start
r=$(reply /cuegrid/clip/hum/start) || fail "no reply to the second GO"
grep -q 'GO dropped: .* after the previous osc GO (debounce 400 ms)' <<< "$r" || fail "the second GO was not dropped: $r"
wait_for 3 grep -q '"event":"goDropped","source":"osc","clip":"hum"' "$log" || fail "no goDropped event for hum"
sleep 0.35
send_to "$port" /cuegrid/clip/bed/start
reply /cuegrid/clip/bed/start | grep -q '"status":"ok"' || fail "a GO 450 ms after the first was refused: $(reply /cuegrid/clip/bed/start)"
wait_for 3 grep -q '"voiceStart".*"clip":"bed"' "$log" || fail "bed did not start"
(( $(count '"voiceStart".*"clip":"organ"') > organs )) || fail "organ did not start"
(( $(count '"voiceStart".*"clip":"hum"') == 0 )) || fail "the dropped GO started hum"
grep '"goDropped"' "$log"

# 3. A port in use: said in the window and the status bar; the window stays open.
oscdump "$busy_port" > /dev/null 2>&1 &
busy_pid=$!
pids+=("$busy_pid")
sleep 0.3
open_preferences
type_into button prefOscPort "$busy_port"
click button prefSave
wait_for 5 grep -q "in use" "$artifacts/status.txt" || fail "no 'in use' in the status bar: $(cat "$artifacts/status.txt")"
grep -q "^text prefMessage OSC: port $busy_port is in use" "$map" || fail "the window does not say the port is in use: $(grep '^text pref' "$map")"
grep -q "^text prefOscStatus OSC: port $busy_port is in use" "$map" || fail "the OSC status line does not say it"
window_open preferences || fail "Preferences closed although OSC did not start"
shot 2-preferences-port-in-use
echo "status: $(cat "$artifacts/status.txt")"
send_to "$port" /cuegrid/replyPort i "$reply_port"
! reply /cuegrid/replyPort 1 > /dev/null || fail "the old port still answers"
new_port=$((port + 1))
type_into button prefOscPort "$new_port"
click button prefSave
wait_for 5 closed || fail "Preferences did not close with a free port: $(grep '^text pref' "$map")"
send_to "$new_port" /cuegrid/replyPort i "$reply_port"
reply /cuegrid/replyPort > /dev/null || fail "OSC did not restart on port $new_port"
wait_for 3 bash -c "! grep -q 'in use' '$artifacts/status.txt'" || fail "the status bar still says the port is in use"
send_to "$new_port" /cuegrid/clip/speech/start
reply /cuegrid/clip/speech/start | grep -q '"status":"ok"' || fail "a start on the new port failed"
open_preferences
grep -q "^text prefOscStatus OSC: on, UDP and TCP port $new_port (this machine only)" "$map" \
  || fail "the OSC status line: $(grep '^text prefOscStatus' "$map")"
shot 3-preferences-osc-on

# 4. The keys' debounce is the session's: an undoable edit (the title's unsaved mark).
type_into button prefKeyDebounce 250
click button prefSave
wait_for 5 closed || fail "Preferences did not close: $(grep '^text pref' "$map")"
wait_for 5 bash -c "grep -q '^title .* \\* - CueGrid' '$map'" || fail "the key debounce made no session edit: $(title)"
echo "title after the key debounce: $(title)"
echo "PASS: OSC from the Preferences window without a restart, OSC debounce, port in use, key debounce"
