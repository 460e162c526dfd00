#!/usr/bin/env bash
# Issue 12: the clock panel and the MIDI inputs as MTC peers in the app. On a private JACK dummy
# server jack_mtc_sender sends 25 fps MTC from 10:00:00:00 to the app's JACK MIDI ports
# "cuegrid-midi:in" (peer A, for 8 s) and "cuegrid-midi:mtc_2" (peer B, 0.75 frame behind, for
# 14 s). Ctrl+Shift+T opens the clock panel: the UI map shows "window clock", the master on A,
# both peers as MTC sources. When A stops, the master fails over to B: the event log has
# clockFailover (cause lost), the status bar says so, and MTC triggered no MIDI mapping.
# The panel's Settings row: flywheel and quality edited, Apply keeps them in preferences.json.
# Screenshots kept: 1-clock-panel.png, 2-after-failover.png, 4-applied.png.
# Usage: clock_panel_test.sh CUEGRID_APP JACK_MTC_SENDER SESSION ARTIFACT_DIR
set -euo pipefail
app=$1 sender=$2 source_session=$3 artifacts=$4
source "$(dirname "$0")/../Support/test_env.sh"
copy_show "$source_session"
trap 'stop_jack; cleanup' EXIT
use_private_jack "cuegrid_clock_$$" "$artifacts/jackd.log"
log=$artifacts/events.ndjson map=$artifacts/ui.map

start_xvfb "$artifacts/xvfb.log"
start_jack_realtime
# --clock-quality 0: on this loaded machine the non-realtime dummy server's late cycles (xruns)
# make outliers that weigh both peers' stability under the default threshold of 50.
"$app" "$session" --event-log "$log" --ui-map "$map" --status-file "$artifacts/status.txt" --clock-quality 0 > "$artifacts/app.log" 2>&1 &
pids+=($!)
wait_for 20 test -s "$map" || fail "no UI map"
wait_for 20 bash -c "jack_lsp | grep -q '^cuegrid-midi:mtc_2$'" || fail "no MTC port cuegrid-midi:mtc_2"
wait_for 10 grep -q "^JACK: " "$artifacts/status.txt" || fail "no device in the status bar"
wait_for 20 grep -q '"event":"jackMidiRunning"' "$log" || fail "the JACK MIDI client never ran a cycle"

"$sender" 25 16 "cuegrid-midi:in@10:00:00:00@0@8" "cuegrid-midi:mtc_2@10:00:00:12@0.51@14" > "$artifacts/sender.txt" 2>&1 &
pids+=($!)

# The keyboard goes to the app once it was clicked (no window manager): a click on the title.
read -r _ _ wx wy _ < <(grep "^window main " "$map" || echo "window main 0 0 0 0")
xdotool mousemove $((wx + 300)) $((wy + 60)) click 1
sleep 0.3
xdotool key ctrl+shift+t
wait_for 5 grep -q "^window clock " "$map" || fail "Ctrl+Shift+T opened no clock window"
wait_for 6 grep -q "^value clockSource mtc_sender:out_1" "$map" || fail "the master does not follow A: $(grep clock "$map")"
sleep 1.5   # both peers settled and validated
grep "clock" "$map"
import -window root "$artifacts/1-clock-panel.png"
grep -q "^clocksource [0-9]* mtc_sender:out_1|MTC|locked|10:" "$map" || fail "A is not listed locked"
grep -q "^clocksource [0-9]* mtc_sender:out_2|MTC|locked|10:" "$map" || fail "B is not listed locked"
grep -q "^clocksource [0-9]* PTP|PTP|unavailable|" "$map" || fail "PTP is not listed as unavailable"
grep -q "^value clockState locked" "$map" || fail "the master is not locked"
grep -q "^value clockFps 25" "$map" || fail "not 25 fps"

wait_for 12 grep -q '"event":"clockFailover"' "$log" || fail "no failover when A stopped"
sleep 0.5
grep "clock" "$map"
import -window root "$artifacts/2-after-failover.png"
python3 - "$log" <<'PY' || fail "see above"
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
clock = [e for e in events if e.get("event", "").startswith("clock")]
for e in clock: print(e)
f = [e for e in clock if e["event"] == "clockFailover"]
ok = f and f[0]["from"] == "mtc_sender:out_1" and f[0]["to"] == "mtc_sender:out_2" and f[0]["cause"] == "lost"
print(("ok   " if ok else "FAIL ") + "failover A -> B, cause lost")
mapped = [e for e in events if e.get("event") in ("voiceStart", "midiLearned", "groupLevel", "masterLevel")]
print(("ok   " if not mapped else "FAIL ") + "MTC triggered no mapping %s" % mapped)
sys.exit(0 if ok and not mapped else 1)
PY
grep -q "^value clockSource mtc_sender:out_2" "$map" || fail "the panel does not show B as the source"
grep -q "failover mtc_sender:out_1" "$artifacts/status.txt" || fail "the status bar does not say: $(cat "$artifacts/status.txt")"

# The panel's Settings row: flywheel 2 s and quality 40, Apply: kept in preferences.json.
import -window root "$artifacts/3-settings.png"
for field in clockFlywheel:2 clockQuality:40; do
  click button "${field%%:*}"
  xdotool key ctrl+a
  xdotool type "${field##*:}"
done
click button clockApply
prefs=$XDG_CONFIG_HOME/cuegrid/preferences.json
wait_for 5 grep -q '"flywheelSeconds": 2' "$prefs" || fail "Apply did not keep the flywheel time: $(cat "$prefs" 2>/dev/null)"
python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["clock"]; print(c); sys.exit(0 if c["flywheelSeconds"] == 2 and c["qualityThreshold"] == 40 and c["priority"] == ["LTC","MTC","PTP","system"] else 1)' "$prefs" \
  || fail "preferences.json clock section"
import -window root "$artifacts/4-applied.png"
echo "clock panel: ok"
