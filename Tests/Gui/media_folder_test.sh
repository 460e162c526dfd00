#!/usr/bin/env bash
# Issue 13, the media folder in the app, under Xvfb with a private CueGrid home, driven by
# xdotool: File > Media Folder... opens the non-modal panel; a folder typed in is checked (the
# plan lists the files), Run moves the corpus media while the app stays live (the panel polls
# the job), the open session's clips point at the new folder, the originals are gone, the
# session is saved (no unsaved mark) with a recovery point "before media folder change" first,
# and `cuegrid info` finds every clip's media; its "Copy imported files into the media folder" box
# sets the session's collectOnImport.
# Usage: media_folder_test.sh CUEGRID_APP CUEGRID_CLI CORPUS_DIR ARTIFACT_DIR
set -euo pipefail
app=$1 cli=$2 corpus=$(realpath "$3") artifacts=$(realpath -m "$4")
source "$(dirname "$0")/../Support/test_env.sh"
source "$(dirname "$0")/../Support/gui_driver.sh"
rm -rf "$artifacts"
mkdir -p "$artifacts/shows"
trap cleanup EXIT
export CUEGRID_HOME="$artifacts/CueGrid"
map="$artifacts/ui.map"
export map
show="$artifacts/shows/show.cuegrid"
"$cli" new "$show" --media-folder "$artifacts/shows/show Media" > /dev/null
cp "$corpus"/p0[1-8]_*.wav "$artifacts/shows/show Media/"
"$cli" import "$show" "$artifacts/shows/show Media" > /dev/null 2>&1 || fail "the CLI did not import the corpus"

start_xvfb "$artifacts/xvfb.log"
"$app" "$show" --ui-map "$map" --status-file "$artifacts/status.txt" > "$artifacts/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
wait_for 20 test -s "$map" || fail "no UI map"
wait_for 20 has_title "show - CueGrid" || fail "the session did not open: $(title)"
sleep 0.5

# File > Media Folder..., picked by name from the UI map.
file_menu
pick "Media Folder..."
wait_for 5 window_open mediafolder || fail "File > Media Folder opened no panel"

# The plan for a new folder inside the session's folder (mode: Move, the default).
type_into button mediaFolderPath "$artifacts/shows/Moved Media"
wait_for 10 grep -q "^value mediaFolderRunnable yes" "$map" || fail "the plan does not let it run: $(grep mediaFolder "$map")"
shot 1-plan
click button mediaFolderRun
wait_for 60 grep -q "^value mediaFolderState done" "$map" || fail "the move did not finish: $(grep mediaFolder "$map")"
wait_for 5 grep -q "^text mediaFolderStatus Done: 8 clip(s) repointed" "$map" || fail "the panel does not say it is done: $(grep mediaFolderStatus "$map")"
shot 2-moved

# The saved session, the files and the app agree.
[[ $(grep -c '"file": "Moved Media/' "$show") == 8 ]] || fail "the saved session does not point at Moved Media: $(grep '"file"' "$show")"
[[ $(ls "$artifacts/shows/show Media"/*.wav 2>/dev/null | wc -l) == 0 ]] || fail "originals left in show Media"
[[ $(ls "$artifacts/shows/Moved Media"/*.wav | wc -l) == 8 ]] || fail "not 8 files in Moved Media"
has_title "show - CueGrid" || fail "the title says unsaved changes after the move: $(title)"
grep -rl "before media folder change" "$CUEGRID_HOME/Autosave" > /dev/null || fail "no recovery point before the media folder change"
"$cli" info "$show" > "$artifacts/info.txt" || fail "cuegrid info: $(cat "$artifacts/info.txt")"
! grep -q MISSING "$artifacts/info.txt" || fail "a clip is missing after the move"
grep -q "^clip " "$map" || fail "no clip on screen"
# "Copy imported files into the media folder" is the session's collectOnImport setting.
collect_setting() {
  python3 -c 'import sqlite3, sys; r = sqlite3.connect(sys.argv[1]).execute("select value from settings where key = ?", ("collectOnImport",)).fetchone(); print(r[0] if r else "")' "$show.db"
}
[[ "$(collect_setting)" != 1 ]] || fail "the session collects on import before the box was ticked"
click button mediaFolderCollect
export show
export -f collect_setting
wait_for 5 bash -c '[[ "$(collect_setting)" == 1 ]]' \
  || fail "ticking 'Copy imported files into the media folder' did not set collectOnImport: $(collect_setting)"
kill -0 "$app_pid" || fail "the app died"
echo "media folder: 8 clips moved from the app, saved, every clip playable; collect on import set from the panel"
