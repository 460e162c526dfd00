#!/usr/bin/env bash
# Issue 11, test 3: hotkeys under Xvfb with real X key events (xdotool), a private JACK dummy
# server and the app's event log. A copy of the v2 GUI show gets version 3 hotkeys:
#   page 1: F1 -> organ, F2 -> bass (gate); page 2: F1 -> kick; every page: G -> clap.
#   1. per-page and global keys: F1 on page 1 starts organ, G starts clap; Escape (Stop All)
#      ends both; PageDown shows page 2, where F1 starts kick (not organ); PageUp goes back;
#   2. a held key (keydown, 1.5 s with X auto-repeat on, keyup) starts organ once and never
#      stops it (organ's retrigger is "stop": a repeat would end it);
#   3. gate: F2 held 1 s starts bass; key up stops it (voiceEnd about 1 s after its start,
#      the file being 4 s long);
#   4. with the inspector's Label field focused, typing "gag" fires no clap (the text box keeps
#      its printable keys) and the label reads "gag"; F1 there still starts organ;
#   5. debounce: Preferences sets the keys' minimum time between GOs to 400 ms (the session's);
#      bass plays (a click); F1 starts organ and F2 (bass's gate key) pressed right after is
#      dropped (a goDropped event, source key), and its key up does not stop bass; G 600 ms
#      after F1 starts clap.
# Usage: hotkeys_test.sh CUEGRID_APP SESSION ARTIFACT_DIR
set -euo pipefail
app=$1 source_session=$2 artifacts=$3
source "$(dirname "$0")/../Support/test_env.sh"
copy_show "$source_session"
ln -sfn "$(cd "$(dirname "$source_session")/../corpus" && pwd)" "$artifacts/corpus"
trap cleanup EXIT
use_private_jack "cuegrid_keys_$$" "$artifacts/jackd.log"
export XDG_CONFIG_HOME="$artifacts/config"   # default global keymap, never the user's
export CUEGRID_HOME="$artifacts/CueGrid"
log=$artifacts/events.ndjson
map=$artifacts/ui.map
export map
source "$(dirname "$0")/../Support/gui_driver.sh"

python3 - "$session" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["version"] = 3
m["hotkeys"] = {"pages": [[{"clip": "organ", "key": "F1"}, {"clip": "bass", "key": "F2", "gate": True}],
                          [{"clip": "kick", "key": "F1"}]],
                "global": [{"clip": "clap", "key": "G"}]}
json.dump(m, open(sys.argv[1], "w"), indent=2)
PY

starts() { grep '"event":"voiceStart"' "$log" | grep -c "\"clip\":\"$1\"" || true; }
ends() { grep '"event":"voiceEnd"' "$log" | grep -c "\"clip\":\"$1\"" || true; }
playing() { [[ $(starts "$1") -gt $(ends "$1") ]]; }
export -f starts ends playing
export log
expect_starts() {   # CLIP N WHAT
  wait_for 3 bash -c "[[ \$(starts $1) -ge $2 ]]" || fail "$3: $1 started $(starts "$1") times, expected $2"
  sleep 0.3
  [[ $(starts "$1") -eq $2 ]] || fail "$3: $1 started $(starts "$1") times, expected $2"
}
all_stopped() { wait_for 3 bash -c '! grep -q . <(for c in organ clap kick bass; do playing $c && echo $c; done)' || fail "$1: still playing"; }

start_xvfb "$artifacts/xvfb.log"
xset r on
xset q | grep -q "auto repeat:  on" || fail "X auto-repeat is off: the held-key check would prove nothing"
start_jack -- -P 4
"$app" "$session" --event-log "$log" --ui-map "$map" --status-file "$artifacts/status.txt" > "$artifacts/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
wait_for 20 test -s "$map" || fail "no UI map"
wait_for 10 grep -q "^JACK: " "$artifacts/status.txt" || fail "no device in the status bar"
wait_for 10 grep -q "^clip organ " "$map" || fail "organ is not on screen"
# The keyboard goes to the app once it was clicked (no window manager): a click on the title.
read -r _ _ wx wy _ < <(grep "^window main " "$map" || echo "window main 0 0 0 0")
xdotool mousemove $((wx + 300)) $((wy + 60)) click 1
sleep 0.5
[[ $(grep -c '"event":"voiceStart"' "$log" || true) -eq 0 ]] || fail "the focus click started a clip"

# 1. Per-page and global keys.
xdotool key F1
expect_starts organ 1 "F1 on page 1"
xdotool key g
expect_starts clap 1 "G (every page)"
shot 1-page1-keys
xdotool key Escape
all_stopped "Escape (Stop All)"
xdotool key Next   # PageDown: page 2
sleep 0.5
xdotool key F1
expect_starts kick 1 "F1 on page 2"
[[ $(starts organ) -eq 1 ]] || fail "F1 on page 2 started organ (page 1's key)"
xdotool key g
expect_starts clap 2 "G on page 2"
shot 2-page2-keys
xdotool key Prior  # PageUp: page 1
sleep 0.5
xdotool key Escape
all_stopped "Escape on page 2"

# 2. A held key fires once.
xdotool keydown F1
sleep 1.5
playing organ || fail "held F1: organ is not playing (a repeat stopped it?)"
xdotool keyup F1
sleep 0.3
expect_starts organ 2 "held F1"
[[ $(ends organ) -eq 1 ]] || fail "held F1: organ ended $(ends organ) times (auto-repeat retriggered it)"
xdotool key Escape
all_stopped "Escape after the held key"

# 3. Gate: key down starts bass, key up stops it.
xdotool keydown F2
sleep 1
playing bass || fail "F2 (gate) down: bass is not playing"
xdotool keyup F2
wait_for 3 bash -c '[[ $(ends bass) -ge 1 ]]' || fail "F2 (gate) up: bass did not stop"
held=$(python3 - "$log" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
s = [l for l in lines if l.get("event") == "voiceStart" and l.get("clip") == "bass"][0]
e = [l for l in lines if l.get("event") == "voiceEnd" and l.get("voice") == s["voice"] and l["sample"] >= s["sample"]][0]
print("%.2f %s" % ((e["sample"] - s["sample"]) / 48000.0, e.get("reason")))
PY
)
echo "gate: bass played ${held% *} s, ended ${held#* }"
awk -v t="${held% *}" 'BEGIN { exit !(t > 0.8 && t < 2.0) }' || fail "gate: bass played ${held% *} s for a 1 s hold"

# 4. A text box keeps its printable keys.
click clip organ            # selects organ (and starts it: a mouse fire)
expect_starts organ 3 "the click on organ"
xdotool key Escape
grep -q "^inspector " "$map" || xdotool key i
wait_for 5 grep -q "^inspector organ\$" "$map" || fail "the inspector does not show organ"
click field inspectorLabel
sleep 0.3
xdotool key ctrl+a
xdotool type --delay 30 "gag"
sleep 0.5
[[ $(starts clap) -eq 2 ]] || fail "typing 'gag' in the Label field fired clap ($(starts clap) starts)"
shot 3-typing-in-label
xdotool key F1              # not a key a text box uses: still the show's
expect_starts organ 4 "F1 with the Label field focused"
xdotool key Return
wait_for 3 grep -q "^value inspectorLabel gag\$" "$map" || fail "the label did not take the typed text: $(grep inspectorLabel "$map")"
xdotool key Escape
all_stopped "Escape after the text box"

# 5. Debounce: the keys' minimum time between GOs, set in Preferences (an edit of the session).
xdotool key ctrl+comma
wait_for 5 grep -q '^window preferences ' "$map" || fail "Ctrl+, opened no Preferences"
sleep 0.3
type_into button prefKeyDebounce 400
click button prefSave
wait_for 5 bash -c "! grep -q '^window preferences ' '$map'" || fail "Preferences did not close: $(grep '^text pref' "$map")"
click clip bass             # the mouse is never debounced
expect_starts bass 2 "the click on bass"
xdotool key F1 keydown F2   # F2 some 10 ms after F1: dropped
sleep 0.5
xdotool keyup F2
expect_starts organ 5 "F1 with the key debounce"
sleep 0.5
playing bass || fail "the key up of a dropped gate GO stopped bass"
[[ $(starts bass) -eq 2 ]] || fail "the dropped F2 started bass"
grep '"event":"goDropped"' "$log" | grep -q '"source":"key","clip":"bass"' || fail "no goDropped event for F2"
grep '"event":"goDropped"' "$log"
sleep 0.2
xdotool key g               # 600 ms and more after F1
expect_starts clap 3 "G after the debounce"
xdotool key Escape
all_stopped "Escape at the end"
grep -q '"source":"key"' "$log" && echo "event log names the key source"
echo "PASS: per-page and global keys, page keys, a held key once, gate, a text box keeps its keys, key debounce"
