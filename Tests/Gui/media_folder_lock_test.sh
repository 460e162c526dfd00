#!/usr/bin/env bash
# Issue 13, editing while a media folder change runs in the app, under Xvfb with a private
# CueGrid home and a private JACK dummy server, driven by xdotool. The copy is held after its
# first file by the job's test hook (CUEGRID_MEDIA_FOLDER_TEST_PAUSE=files:1, until cancelled).
# Meanwhile: an import (Ctrl+I) is refused with the reason in the status bar and adds no clip,
# while a click still plays a clip (the show is never blocked); Cancel ends the change (the
# copy removed, the originals and the session as they were) and the
# same import then works.
# Usage: media_folder_lock_test.sh CUEGRID_APP CUEGRID_CLI CORPUS_DIR ARTIFACT_DIR
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
status="$artifacts/status.txt"
export map
show="$artifacts/shows/show.cuegrid"
"$cli" new "$show" --media-folder "$artifacts/shows/show Media" > /dev/null
python3 - "$show" "$corpus" <<'EOF'
import json, shutil, sys
path, corpus = sys.argv[1], sys.argv[2]
show = json.load(open(path))
for i, (clip, name) in enumerate([("kick", "p01_sonicpi_heavy_kick"), ("clap", "p10_millo_clap_dualmono")]):
    shutil.copy(corpus + "/" + name + ".wav", path.replace("show.cuegrid", "show Media/") + name + ".wav")
    show["clips"].append({"id": clip, "file": "show Media/" + name + ".wav"})
    show["pages"][0]["tabs"][0]["slots"].append({"row": 0, "column": i, "clip": clip})
json.dump(show, open(path, "w"), indent=1)
EOF
cp "$corpus/p03_colombo_snare.wav" "$artifacts/elsewhere/"
manifest_before=$(sha256sum < "$show")

use_private_jack "cuegrid_mflock_$$" "$artifacts/jackd.log"
start_xvfb "$artifacts/xvfb.log"
start_jack
CUEGRID_MEDIA_FOLDER_TEST_PAUSE=files:1 "$app" "$show" --event-log "$log" --ui-map "$map" --status-file "$status" > "$artifacts/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
wait_for 20 grep -q "^clip clap " "$map" || fail "the session did not open with its clips"
wait_for 10 bash -c "jack_lsp | grep -q '^cuegrid:out_1$'" || fail "no JACK output"
sleep 0.5

# File > Media Folder..., a move (the default) into "Copied Media": held after its first file.
file_menu
pick "Media Folder..."
wait_for 5 window_open mediafolder || fail "File > Media Folder opened no panel"
type_into button mediaFolderPath "$artifacts/shows/Copied Media"
wait_for 10 grep -q "^value mediaFolderRunnable yes" "$map" || fail "the plan does not let it run: $(grep mediaFolder "$map")"
click button mediaFolderRun
wait_for 10 grep -q "media folder change paused at files:1" "$artifacts/app.log" || fail "the copy was not held by the test hook"
grep -q "^value mediaFolderState copying" "$map" || fail "the change is not running: $(grep mediaFolderState "$map")"

# An import is refused, with the reason in the status bar.
xdotool key ctrl+i
wait_for 5 window_open browser || fail "Ctrl+I opened no file browser"
type_into button browserFile "$artifacts/elsewhere/p03_colombo_snare.wav"
wait_for 5 grep -q "a media folder change is running: clip media and the media folder cannot change until it is done" "$status" \
  || fail "the refusal is not in the status bar: $(cat "$status")"
shot 1-import-refused
sleep 0.5
[[ $(grep -c "^clip " "$map") == 2 ]] || fail "the refused import added a clip"
[[ ! -e "$artifacts/shows/show Media/p03_colombo_snare.wav" ]] || fail "the refused import collected its file"
echo "refused: $(grep -o 'a media folder change is running[^|]*' "$status" | head -1)"

# The show goes on: a click plays a clip.
click clip kick
wait_for 5 grep -q '"event":"voiceStart".*"clip":"kick"' "$log" || fail "a click did not play kick during the change"
xdotool key Escape
echo "played during the change: $(grep '"event":"voiceStart".*"clip":"kick"' "$log" | head -1 | cut -c1-80)"

# Cancel: the copy made goes, the originals stay, the session is as it was.
click button mediaFolderCancel
wait_for 10 grep -q "^value mediaFolderState cancelled" "$map" || fail "Cancel did not end the change: $(grep mediaFolder "$map")"
[[ -z "$(find "$artifacts/shows/Copied Media" -type f 2>/dev/null)" ]] || fail "Cancel left copies: $(find "$artifacts/shows/Copied Media" -type f)"
[[ "$(sha256sum < "$show")" == "$manifest_before" ]] || fail "the manifest changed"
[[ $(ls "$artifacts/shows/show Media"/*.wav | wc -l) == 2 ]] || fail "an original went: $(ls "$artifacts/shows/show Media")"
shot 2-cancelled

# And the same import now works (the panel closed first: its Cancel says Close now).
click button mediaFolderCancel
wait_for 5 bash -c "! grep -q '^window mediafolder ' '$map'" || fail "Close did not close the panel"
sleep 0.3
xdotool key ctrl+i
wait_for 5 window_open browser || fail "Ctrl+I opened no file browser after the change"
type_into button browserFile "$artifacts/elsewhere/p03_colombo_snare.wav"
wait_for 10 bash -c "[[ \$(grep -c '^clip ' '$map') == 3 ]]" || fail "the import after the change added no clip: $(cat "$status")"
kill -0 "$app_pid" || fail "the app died"
echo "media folder lock: import refused while the change ran, playback went on, import works after Cancel"
