#!/usr/bin/env bash
# Issue 13, collect on import in the app, under Xvfb with a private CueGrid home and a private
# JACK dummy server, driven by xdotool: a session whose "Copy imported files into the media
# folder" is on (collectOnImport; the panel's box is media_folder_test.sh's) imports, with
# Ctrl+I, a file that lies outside its media folder. The file is copied into the media folder
# (same content), the saved manifest points at the copy by a path relative to the session's
# folder, and the clip plays from the copy: with the original deleted, a click fires it
# (voiceStart in the event log, no error) and `cuegrid info` finds its media.
# Usage: collect_import_test.sh CUEGRID_APP CUEGRID_CLI CORPUS_DIR ARTIFACT_DIR
set -euo pipefail
app=$1 cli=$2 corpus=$(realpath "$3") artifacts=$(realpath -m "$4")
source "$(dirname "$0")/../Support/test_env.sh"
source "$(dirname "$0")/../Support/gui_driver.sh"
rm -rf "$artifacts"
mkdir -p "$artifacts/shows" "$artifacts/elsewhere"
trap cleanup EXIT
export CUEGRID_HOME="$artifacts/CueGrid"
map="$artifacts/ui.map"
log="$artifacts/events.ndjson"
export map
show="$artifacts/shows/show.cuegrid"
media="$artifacts/shows/show Media"
name=p03_colombo_snare
"$cli" new "$show" --media-folder "$media" > /dev/null
cp "$corpus/$name.wav" "$artifacts/elsewhere/$name.wav"
original_hash=$(sha256sum < "$artifacts/elsewhere/$name.wav")
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("insert or replace into settings (key, value) values (?, ?)", ("collectOnImport", "1")); c.commit()' "$show.db"

use_private_jack "cuegrid_collect_$$" "$artifacts/jackd.log"
start_xvfb "$artifacts/xvfb.log"
start_jack
"$app" "$show" --event-log "$log" --ui-map "$map" --status-file "$artifacts/status.txt" > "$artifacts/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
wait_for 20 grep -q "^cell 3 7 " "$map" || fail "no UI map with the cells"
wait_for 20 has_title "show - CueGrid" || fail "the session did not open: $(title)"
wait_for 10 bash -c "jack_lsp | grep -q '^cuegrid:out_1$'" || fail "no JACK output"
sleep 0.5

# Import Audio... (Ctrl+I) of the file outside the media folder, into the tab on screen.
xdotool key ctrl+i
wait_for 5 window_open browser || fail "Ctrl+I opened no file browser"
type_into button browserFile "$artifacts/elsewhere/$name.wav"   # Return: Import
wait_for 15 grep -q "^clip " "$map" || fail "the import added no clip: $(cat "$artifacts/status.txt" 2>/dev/null)"
shot 1-imported
clip=$(grep "^clip " "$map" | head -1 | awk '{ print $2 }')
wait_for 5 has_title "show * - CueGrid" || fail "the import did not mark the session unsaved: $(title)"

# Collected: a whole copy in the media folder, nothing half-written beside it.
[[ -f "$media/$name.wav" ]] || fail "the file was not copied into the media folder: $(ls -la "$media")"
[[ "$(sha256sum < "$media/$name.wav")" == "$original_hash" ]] || fail "the copy in the media folder differs from the original"
[[ -z "$(find "$media" -name '*.part')" ]] || fail "a .part file was left in the media folder"

# Saved, the manifest refers to the copy relative to the session's folder.
xdotool key ctrl+s
wait_for 5 has_title "show - CueGrid" || fail "Ctrl+S did not save: $(title)"
stored=$(python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); print([c["file"] for c in m["clips"] if c["id"] == sys.argv[2]][0])' "$show" "$clip")
[[ "$stored" == "show Media/$name.wav" ]] || fail "the manifest stores '$stored', expected 'show Media/$name.wav' (relative)"
echo "collected: $clip -> $stored"

# It plays from the copy: the original is gone, a click fires it.
rm "$artifacts/elsewhere/$name.wav"
read -r x y < <(at clip "$clip")
xdotool mousemove "$x" "$y" click 1
wait_for 5 grep -q "\"event\":\"voiceStart\".*\"clip\":\"$clip\"" "$log" || fail "a click on the collected clip did not play it: $(tail -5 "$log")"
shot 2-playing
! grep -E "\"event\":\"(mediaWarning|error)\".*\"clip\":\"$clip\"" "$log" || fail "the clip warns after its original was deleted"
echo "played: $(grep "\"event\":\"voiceStart\".*\"clip\":\"$clip\"" "$log" | head -1)"
xdotool key Escape
"$cli" info "$show" > "$artifacts/info.txt" 2>&1 || fail "cuegrid info: $(cat "$artifacts/info.txt")"
! grep -q MISSING "$artifacts/info.txt" || fail "cuegrid info finds the clip missing: $(cat "$artifacts/info.txt")"
kill -0 "$app_pid" || fail "the app died"
echo "collect on import: copied into the media folder, stored relative, plays from the copy"
