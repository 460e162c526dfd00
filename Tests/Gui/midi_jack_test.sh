#!/usr/bin/env bash
# Issue 11, test 2: MIDI through JACK. On a private JACK dummy server (48 kHz, 128 frames) the
# app's own JACK MIDI client "cuegrid-midi" meets jack_midi_probe (Tests/Tools), a JACK MIDI
# client of ours that sends timed messages and records what comes back. Learn is armed with
# the app's `--midi-learn toggle:hum,group:A` hook: the probe's first note (36) binds the clip,
# its first CC (7) the group A fader. Then note 36 starts hum and, later, stops it; CC 7 moves
# group A to -11.6 dB (value 64) and 0 dB (100). The event log must show the two learned
# mappings, hum's voiceStart and its stop, the fader's groupLevel lines; the probe must get
# the feedback: note 36 at the "loaded" velocity (16) once learned, "playing" (127) while hum
# plays, "loaded" again once it stopped. Debounce: with the preference midiDebounceMs 100, a
# second note on 30 ms after one that started hum (a bouncing pad) is dropped and logged as a
# goDropped event with source midi, and hum keeps playing. Show mode: note 38, learned for the
# showMode target, turns Show mode on (the status bar says SHOW MODE).
# Usage: midi_jack_test.sh CUEGRID_APP JACK_MIDI_PROBE SESSION ARTIFACT_DIR
set -euo pipefail
app=$1 probe=$2 source_session=$3 artifacts=$4
source "$(dirname "$0")/../Support/test_env.sh"
copy_show "$source_session"
trap 'stop_jack; cleanup' EXIT   # JACK first: a jackd outliving a killed client can leak its registry slot
use_private_jack "cuegrid_midi_$$" "$artifacts/jackd.log"
log=$artifacts/events.ndjson

start_xvfb "$artifacts/xvfb.log"
start_jack_realtime
mkdir -p "$XDG_CONFIG_HOME/cuegrid"   # this machine's MIDI debounce (start_xvfb made the private config home)
echo '{"format": "cuegrid.preferences", "version": 1, "midiDebounceMs": 100}' > "$XDG_CONFIG_HOME/cuegrid/preferences.json"
"$app" "$session" --event-log "$log" --ui-map "$artifacts/ui.map" --status-file "$artifacts/status.txt" \
  --midi-learn toggle:hum,group:A,showMode > "$artifacts/app.log" 2>&1 &
pids+=($!)
wait_for 20 bash -c "jack_lsp | grep -q '^cuegrid-midi:in$'" || fail "no JACK MIDI client cuegrid-midi"
wait_for 20 grep -q '"event":"mediaLoaded"' "$log" || fail "media did not load"
# MIDI flows once the app's JACK MIDI client has run a cycle (jackMidiRunning; after a stalled
# client was reopened, jackMidiReopened comes first).
wait_for 20 grep -q '"event":"jackMidiRunning"' "$log" || fail "the JACK MIDI client never ran a cycle"

# Times in seconds from the probe's start. 90 24 64 = note on 36 velocity 100, b0 07 xx = CC 7.
"$probe" cuegrid-midi 6 \
  1.0:902464 1.1:802400 1.3:b00750 1.5:902664 1.6:802600 \
  2.0:902464 2.1:802400 2.5:b00740 2.8:b00764 \
  4.0:902464 4.1:802400 \
  5.0:902464 5.01:802400 5.03:902464 5.04:802400 5.5:902664 5.6:802600 > "$artifacts/probe.txt"
cat "$artifacts/probe.txt"

python3 - "$log" "$artifacts/probe.txt" <<'PY' || fail "see above"
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
probe = [l.split() for l in open(sys.argv[2]) if l.startswith("recv ")]
ok = True
def check(condition, what):
    global ok
    print(("ok   " if condition else "FAIL ") + what)
    ok = ok and condition
learned = [e["mapping"] for e in events if e.get("event") == "midiLearned"]
check(all(e.get("stored") for e in events if e.get("event") == "midiLearned"), "each learn is an edit of the session (stored)")
check(learned == [{"message": "note", "channel": 1, "number": 36, "target": "toggle:hum"},
                  {"message": "cc", "channel": 1, "number": 7, "target": "group:A"},
                  {"message": "note", "channel": 1, "number": 38, "target": "showMode"}], f"learned {learned}")
starts = [e for e in events if e.get("event") == "voiceStart" and e.get("clip") == "hum"]
ends = [e for e in events if e.get("event") in ("voiceFading", "voiceEnd") and e.get("clip") == "hum"]
check(len(starts) == 2, f"hum started twice, the bounce dropped ({len(starts)} voiceStart)")
dropped = [e for e in events if e.get("event") == "goDropped"]
check(len(dropped) == 1 and dropped[0]["source"] == "midi" and dropped[0].get("clip") == "hum"
      and 20 <= dropped[0]["sinceLastGoMs"] <= 80 and dropped[0]["debounceMs"] == 100, f"the bounce 30 ms later dropped: {dropped}")
check(len(ends) >= 1 and starts and ends[0]["sample"] > starts[0]["sample"], "hum stopped after it started")
if starts and ends:
    # note on at probe 2.0 s and 4.0 s: 2 s apart on the engine's timeline too (within 20 ms)
    gap = (ends[0]["sample"] - starts[0]["sample"]) / 48000.0
    check(abs(gap - 2.0) < 0.05, f"start to stop {gap:.4f} s (the notes were 2.000 s apart; 50 ms for a busy message thread)")
levels = [round(e["gainDb"], 2) for e in events if e.get("event") == "groupLevel" and e.get("group") == "A" and e.get("source") == "midi"]
check(levels == [-11.63, 0.0], f"group A fader {levels}")
check(not any(e.get("event") == "voiceStart" and e["sample"] < (starts[0]["sample"] if starts else 0) for e in events),
      "learning fired nothing")
feedback = [(float(t), b) for _, t, b in probe]
notes = [b for _, b in feedback if b.startswith("9024")]
changes = [b for i, b in enumerate(notes) if i == 0 or b != notes[i - 1]]   # each learn resends the state
check(changes[:3] == ["902410", "90247f", "902410"], f"feedback on note 36 {notes}")
lit = [t for t, b in feedback if b == "90247f"]
check(len(lit) == 2 and 2.0 < lit[0] < 2.3, f"lit within 300 ms of the note that started hum ({lit})")
lat = [e.get("latencyMs") for e in events if e.get("source") == "midi" and "latencyMs" in e]
print("midi trigger latency ms:", lat)
sys.exit(0 if ok else 1)
PY
wait_for 3 grep -q "SHOW MODE" "$artifacts/status.txt" || fail "note 38 did not turn Show mode on: $(cat "$artifacts/status.txt")"
echo "PASS"
