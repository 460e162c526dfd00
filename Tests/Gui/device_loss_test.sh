#!/usr/bin/env bash
# The audio device goes away mid-show and comes back. Under a private Xvfb display with a
# private JACK dummy server, CueGrid opens a copy of the demo show and a real click starts a
# clip. Then jackd is killed (SIGKILL) while the clip plays:
#   - the event log gets a voiceEnd "deviceLost" for the clip and a deviceLost event;
#   - the status bar (mirrored in --status-file) says why: "Audio device lost: JACK server
#     stopped — reconnecting…", and 0 voices play (the button stops showing "playing");
#   - a click on a clip is not silently dropped: "not played: no audio device" (and a
#     triggerDropped event); a click on Group C's mute is kept.
# jackd is started again under the same name: the app reconnects by itself (deviceRestored,
# our ports back in jack_lsp and connected to system:playback as at first open), a new click
# plays (voiceStart), Group C is still muted (a recording of our ports is silent), and after
# unmuting the same clip is heard (the recording is not silent).
# Usage: device_loss_test.sh CUEGRID_APP SESSION CLIP_ID ARTIFACT_DIR
set -euo pipefail
app=$1 source_session=$2 clip=$3 artifacts=$4
source "$(dirname "$0")/../Support/test_env.sh"
copy_show "$source_session"
trap cleanup EXIT
use_private_jack "cuegrid_loss_$$" "$artifacts/jackd.log"
status() { cat "$artifacts/status.txt" 2>/dev/null; }
count() { grep -c "$1" "$artifacts/events.ndjson" || true; }

start_xvfb "$artifacts/xvfb.log"
start_jack

"$app" "$session" --event-log "$artifacts/events.ndjson" --ui-map "$artifacts/ui.map" \
  --status-file "$artifacts/status.txt" > "$artifacts/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
wait_for 20 test -s "$artifacts/ui.map" || fail "no UI map"
wait_for 10 bash -c "jack_lsp | grep -q '^cuegrid:out_1$'" || fail "no JACK ports"
first_connections=$(jack_lsp -c cuegrid:out | tr -d ' ' | tr '\n' ' ')
echo "first open: $first_connections"

# 1. A clip plays.
click clip "$clip"
wait_for 5 grep -q "\"event\":\"voiceStart\".*\"clip\":\"$clip\"" "$artifacts/events.ndjson" || fail "the click did not start '$clip'"
wait_for 3 grep -q "Voices 1 / 24" "$artifacts/status.txt" || fail "status does not show the playing voice"
sleep 0.5
import -window root "$artifacts/1-playing.png"

# 2. The JACK server dies.
kill_jack
killed_at=$(date +%s.%N)
wait_for 5 grep -q '"event":"deviceLost"' "$artifacts/events.ndjson" || fail "no deviceLost event"
grep -q '"event":"deviceLost".*"reason":"JACK server stopped".*"stoppedClips":\["'"$clip"'"\]' "$artifacts/events.ndjson" \
  || fail "deviceLost does not name the reason and the stopped clip"
grep -q "\"event\":\"voiceEnd\".*\"clip\":\"$clip\".*\"reason\":\"deviceLost\"" "$artifacts/events.ndjson" \
  || fail "no voiceEnd deviceLost for '$clip'"
wait_for 3 grep -q "Audio device lost: JACK server stopped" "$artifacts/status.txt" || fail "status does not say the device was lost"
grep -q "Voices 0 / 24" "$artifacts/status.txt" || fail "voices still shown playing after the loss"
kill -0 "$app_pid" || fail "the app died with the JACK server"
echo "lost after $(echo "$(date +%s.%N) - $killed_at" | bc) s: $(status)"

# 3. Operator actions while there is no device: a click is refused in words, a mute is kept.
click clip "$clip"
wait_for 3 grep -q "\"event\":\"triggerDropped\".*\"clip\":\"$clip\".*\"reason\":\"no audio device\"" "$artifacts/events.ndjson" \
  || fail "a click without a device was dropped silently"
wait_for 3 grep -q "not played: no audio device" "$artifacts/status.txt" || fail "status does not say the click was not played"
group=$(grep "\"id\": \"$clip\"" "$session" | sed 's/.*"group": "\([A-D]\)".*/\1/')
click button "mute$group"
sleep 0.5
import -window root "$artifacts/2-lost.png"
echo "while lost: $(status)"

# 4. The server comes back under the same name: the app reconnects by itself.
sleep 1
restarted_at=$(date +%s.%N)
start_jack
wait_for 10 grep -q '"event":"deviceRestored"' "$artifacts/events.ndjson" || fail "no reconnect within 10 s"
wait_for 5 bash -c "jack_lsp | grep -q '^cuegrid:out_1$'" || fail "our ports did not come back"
echo "reconnected $(echo "$(date +%s.%N) - $restarted_at" | bc) s after jackd was started again: $(grep '"event":"deviceRestored"' "$artifacts/events.ndjson")"
wait_for 3 bash -c "! grep -q 'Audio device lost' '$artifacts/status.txt'" || fail "status still says lost"
grep -q "^JACK: " "$artifacts/status.txt" || fail "status does not name the device again: $(status)"
grep -q "not played" "$artifacts/status.txt" && fail "status still says 'not played' with the device back: $(status)"
again_connections=$(jack_lsp -c cuegrid:out | tr -d ' ' | tr '\n' ' ')
[[ "$first_connections" == *system:playback_1* && "$again_connections" == "$first_connections" ]] || fail "routing differs: first '$first_connections', now '$again_connections'"

# 5. A new click plays; the mute made while lost holds; unmuted, the clip is heard.
starts_before=$(count "\"event\":\"voiceStart\".*\"clip\":\"$clip\"")
click clip "$clip"
wait_for 5 bash -c "[[ \$(grep -c '\"event\":\"voiceStart\".*\"clip\":\"$clip\"' '$artifacts/events.ndjson') -gt $starts_before ]]" || fail "a click after the reconnect did not play"
muted_peak=$(record_peak "$artifacts/3-muted.wav")
click button "mute$group"
sleep 0.2
unmuted_peak=$(record_peak "$artifacts/4-unmuted.wav")
echo "group $group muted while lost: peak $muted_peak; unmuted: peak $unmuted_peak"
awk -v p="$muted_peak" 'BEGIN { exit !(p < 0.0001) }' || fail "the mute made while the device was lost was not applied (peak $muted_peak)"
awk -v p="$unmuted_peak" 'BEGIN { exit !(p > 0.001) }' || fail "no audio from our ports after the reconnect (peak $unmuted_peak)"
import -window root "$artifacts/3-restored.png"
kill -0 "$app_pid" || fail "the app exited"
echo "device loss and return: ok (screenshots in $artifacts)"
