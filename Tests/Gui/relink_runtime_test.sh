#!/usr/bin/env bash
# Issue 13, test 2: a file deleted while the app plays it. Under Xvfb with a private JACK dummy
# server and a private CueGrid home, a session with a 40 s tone (long enough to stream from
# disk, in chunks, not from memory) and a short clip. The tone is fired; its file is deleted
# mid-play:
#   - playback continues: no voiceEnd for the tone before it was stopped, and a recording of
#     our ports a few seconds after the delete is not silent (Linux: the open fd keeps reading);
#   - the button warns within a few seconds (UI map state "... MISSING", a mediaWarning event);
#   - the relink panel (from the button's menu) offers the copy placed in a search folder of the
#     preferences (renamed: found by its content hash, "certain"), and Accept relinks it: the
#     manifest saved with the copy's path, a recovery point "before relink", a `relink` audit row
#     (evidence hash, acceptedBy user), and the button's warning gone;
#   - the tone's button still shows it PLAYING after the relink (its voice plays the old media);
#   - a touched file (same content) does not warn; a file replaced under its name (another
#     size) makes its button warn CHANGED; the panel's
#     Keep this file keeps it: an `accept-replaced` audit row by "user", the warning gone.
# Usage: relink_runtime_test.sh CUEGRID_APP CUEGRID_CLI CORPUS_DIR ARTIFACT_DIR
set -euo pipefail
app=$1 cli=$2 corpus=$(realpath "$3") artifacts=$(realpath -m "$4")
source "$(dirname "$0")/../Support/test_env.sh"
source "$(dirname "$0")/../Support/gui_driver.sh"
rm -rf "$artifacts"
mkdir -p "$artifacts/shows/show Media" "$artifacts/elsewhere" "$artifacts/app-home/config/cuegrid"
trap cleanup EXIT
export CUEGRID_HOME="$artifacts/CueGrid"   # preferences: $artifacts/app-home/config (private_app_home)
map="$artifacts/ui.map"
export map
events="$artifacts/events.ndjson"
show="$artifacts/shows/show.cuegrid"
tone="$artifacts/shows/show Media/tone.wav"
sox -n -r 48000 -c 2 -b 16 "$tone" synth 40 sine 440 vol 0.5
cp "$tone" "$artifacts/elsewhere/tone (backup copy).wav"   # renamed: only its content says what it is
cp "$corpus/p03_colombo_snare.wav" "$artifacts/shows/show Media/"
printf '{ "format": "cuegrid.preferences", "mediaSearchPaths": ["%s"] }\n' "$artifacts/elsewhere" > "$artifacts/app-home/config/cuegrid/preferences.json"
"$cli" new "$show" --media-folder "$artifacts/shows/show Media" > /dev/null
"$cli" import "$show" "$artifacts/shows/show Media" > /dev/null 2>&1 || fail "the CLI did not import the media"
grep -q '"id": "tone"' "$show" || fail "no clip 'tone': $(grep '"id"' "$show")"

use_private_jack "cuegrid_relink_$$" "$artifacts/jackd.log"
start_xvfb "$artifacts/xvfb.log"
start_jack
"$app" "$show" --event-log "$events" --ui-map "$map" --status-file "$artifacts/status.txt" > "$artifacts/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
wait_for 20 test -s "$map" || fail "no UI map"
wait_for 20 has_title "show - CueGrid" || fail "the session did not open: $(title)"
wait_for 10 grep -q '"event":"mediaLoaded"' "$events" || fail "the media did not load"
wait_for 20 bash -c "python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(\"select content_hash from media where clip_id=?\", (\"tone\",)).fetchone(); sys.exit(0 if r and r[0] else 1)' '$show.db'" \
  || fail "the tone's content hash was not recorded at open"

# 1. The tone plays; its file is deleted mid-play.
click clip tone
wait_for 5 grep -q '"event":"voiceStart".*"clip":"tone"' "$events" || fail "the click did not start the tone"
sleep 1.5
rm "$tone"
deleted_at=$(date +%s.%N)

# 2. The button warns within a few seconds.
wait_for 5 grep -q "^state tone .*MISSING" "$map" || fail "the playing button does not warn MISSING: $(grep '^state' "$map")"
latency=$(echo "$(date +%s.%N) - $deleted_at" | bc)
grep -q '"event":"mediaWarning".*"clip":"tone".*"warning":"MISSING"' "$events" || fail "no mediaWarning event"
grep -q '"event":"mediaWarning".*"clip":"p03_colombo_snare"' "$events" && fail "the snare, still on disk, was flagged"
echo "detected the deleted file ${latency} s after the delete"
shot 1-missing-while-playing

# 3. Playback continues: heard after the delete, and no early voice end.
sleep 2
peak=$(record_peak "$artifacts/after-delete.wav")
echo "peak of our ports 3.5 s after the delete: $peak"
awk -v p="$peak" 'BEGIN { exit !(p > 0.2) }' || fail "silence after the file was deleted (peak $peak)"
grep -q '"event":"voiceEnd".*"clip":"tone"' "$events" && fail "the tone's voice ended early: $(grep voiceEnd "$events")"
grep -q '^state tone .*PLAYING' "$map" || fail "the button no longer shows the tone playing: $(grep '^state tone' "$map")"

# 4. The relink panel from the button's menu (its last item) offers the copy, certain by hash.
right_click clip tone
shot 2-clip-menu
read -r _ menux menuy menuw menuh < <(grep "^menu " "$map")
xdotool mousemove $((menux + menuw / 2)) $((menuy + menuh - 18)) click 1   # its last item (28 px high)
wait_for 5 window_open relink || fail "the menu opened no relink panel"
wait_for 20 grep -q "^value relinkBusy no" "$map" || fail "the search did not end"
grep -q "^value relinkProgress 1.000" "$map" || fail "the search's progress did not end at 100 %: $(grep '^value relinkProgress' "$map")"
wait_for 5 grep -q "^relinkRow [0-9]* [0-9]* [0-9]* tone hash " "$map" || fail "no hash candidate for the tone: $(grep '^relinkRow\|^text relink' "$map")"
grep "^relinkRow .* tone hash " "$map" | grep -q "elsewhere/tone (backup copy).wav" || fail "the candidate is not the copy: $(grep '^relinkRow' "$map")"
grep "^text relinkStatus" "$map"
shot 3-relink-panel
read -r _ _ rx ry _ < <(grep "^relinkRow [0-9]* [0-9]* [0-9]* tone hash " "$map")
xdotool mousemove "$rx" "$ry" click 1
sleep 0.3
click button relinkAccept
wait_for 5 grep -q "^text relinkStatus Relinked 1 clip" "$map" || fail "not relinked: $(grep '^text relinkStatus' "$map")"

# 5. Relinked: saved manifest, recovery point, audit trail, no warning left.
wait_for 5 grep -q '"file": "'"$artifacts"'/elsewhere/tone (backup copy).wav"' "$show" || fail "the manifest was not saved with the copy: $(grep '"file"' "$show")"
grep -rl "before relink" "$CUEGRID_HOME/Autosave" > /dev/null || fail "no recovery point before the relink"
audit() {
  python3 -c 'import sqlite3, sys, json
for (d,) in sqlite3.connect(sys.argv[1]).execute("select details from audit where kind = ?", ("relink",)):
    d = json.loads(d); print(d["clip"], d["evidence"], d["acceptedBy"], d["to"])' "$show.db"
}
export -f audit
export show
wait_for 5 bash -c '[[ -n "$(audit)" ]]' || fail "no relink audit row"
audit | grep -q "^tone hash user .*tone (backup copy).wav" || fail "the audit row is not the user's hash relink: $(audit)"
wait_for 5 bash -c "! grep -q '^state tone .*MISSING' '$map'" || fail "the warning stayed after the relink: $(grep '^state tone' "$map")"
shot 4-relinked
grep -q '"event":"voiceEnd".*"clip":"tone"' "$events" && fail "the relink stopped the playing tone"
grep -q '^state tone .*PLAYING' "$map" || fail "the relinked tone's button no longer shows its voice: $(grep '^state tone' "$map")"
# 6. A touch (same content, new time) does not warn: the watch hashes it and finds the recorded content.
touch "$artifacts/shows/show Media/p03_colombo_snare.wav"
sleep 3
grep -q "^state p03_colombo_snare CHANGED" "$map" && fail "a touch made the snare warn CHANGED"
grep -q '"event":"mediaWarning".*"clip":"p03_colombo_snare"' "$events" && fail "a touch gave the snare a mediaWarning event"
# 6. A file replaced under its name (other content, another size) warns CHANGED, not MISSING.
cp "$corpus/p02_sonicpi_hihat_open.wav" "$artifacts/shows/show Media/p03_colombo_snare.wav"
wait_for 5 grep -q "^state p03_colombo_snare CHANGED" "$map" || fail "the replaced snare does not warn CHANGED: $(grep '^state' "$map")"
grep -q '"event":"mediaWarning".*"clip":"p03_colombo_snare".*"warning":"CHANGED"' "$events" || fail "no CHANGED mediaWarning event"
shot 5-changed
# 7. Keep this file (the relink panel, still open): the replaced snare becomes the clip's media.
click button relinkSearch
wait_for 20 grep -q "^value relinkBusy no" "$map" || fail "the search did not end"
wait_for 5 grep -q "^relinkRow [0-9]* [0-9]* [0-9]* p03_colombo_snare changed " "$map" || fail "no CHANGED row for the snare: $(grep '^relinkRow' "$map")"
read -r _ _ rx ry _ < <(grep "^relinkRow [0-9]* [0-9]* [0-9]* p03_colombo_snare changed " "$map")
xdotool mousemove "$rx" "$ry" click 1
sleep 0.3
click button relinkKeep
wait_for 10 grep -q "^text relinkStatus Kept the file of 'p03_colombo_snare'" "$map" || fail "not kept: $(grep '^text relinkStatus' "$map")"
kept() {
  python3 -c 'import sqlite3, sys, json
for (d,) in sqlite3.connect(sys.argv[1]).execute("select details from audit where kind = ?", ("accept-replaced",)):
    d = json.loads(d); print(d["clip"], d["acceptedBy"], d["to"])' "$show.db"
}
kept | grep -q "^p03_colombo_snare user " || fail "no accept-replaced audit row by the user: $(kept)"
wait_for 5 bash -c "! grep -q '^state p03_colombo_snare CHANGED' '$map'" || fail "the snare still warns CHANGED after Keep this file: $(grep '^state p03' "$map")"
shot 6-kept
kill -0 "$app_pid" || fail "the app died"
echo "relink runtime: detected in ${latency} s, played on (peak $peak), relinked by hash from the panel, saved and audited, still shown playing; a replaced file kept from the panel"
