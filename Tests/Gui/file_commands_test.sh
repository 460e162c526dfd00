#!/usr/bin/env bash
# Issue 9: the File menu as an editor uses it, under Xvfb with a private CueGrid home, every
# choice made in ordinary (non-modal) windows driven by xdotool:
#   - Ctrl+N: New session suggests Sessions/Untitled.cuegrid in the CueGrid home and a media
#     folder beside it; a typed name and Create make the session, its database recording the
#     media folder, and open it (title, recent sessions);
#   - while the New session window is open, STOP ALL's key still works (Escape goes to it);
#   - Ctrl+I: Import Audio… imports a corpus file into the tab on screen (an undoable edit:
#     the title's unsaved mark);
#   - Ctrl+O with unsaved changes asks in the bar: Cancel keeps the session; Save and open
#     saves it (the manifest holds the imported clip) and opens the other one;
#   - Ctrl+Shift+S: Save As writes the session under a new name and the title follows;
#   - Ctrl+, : Preferences saves a new autosave interval to preferences.json, and refuses a
#     value out of range naming the field;
#   - File > Open Recent lists the sessions; the menu is looked at in a screenshot.
# Usage: file_commands_test.sh CUEGRID_APP FIRST_SESSION CORPUS_FILE ARTIFACT_DIR
set -euo pipefail
app=$1 first_source=$2 media=$3 artifacts=$(realpath -m "$4")
source "$(dirname "$0")/../Support/test_env.sh"
source "$(dirname "$0")/../Support/gui_driver.sh"
rm -rf "$artifacts"
mkdir -p "$artifacts/shows"
trap cleanup EXIT
export CUEGRID_HOME="$artifacts/CueGrid"
first="$artifacts/shows/first.cuegrid"
map="$artifacts/ui.map"
export map
cp "$first_source" "$first"
sed -i "s#\"file\": \"\\.\\./corpus/#\"file\": \"$(dirname "$(realpath "$first_source")")/../corpus/#" "$first"

start_xvfb "$artifacts/xvfb.log"
"$app" "$first" --ui-map "$artifacts/ui.map" --status-file "$artifacts/status.txt" > "$artifacts/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
wait_for 20 test -s "$artifacts/ui.map" || fail "no UI map"
sleep 0.5

# --- New -------------------------------------------------------------------------------------
xdotool key ctrl+n
wait_for 5 window_open newSession || fail "Ctrl+N opened no New session window"
sleep 0.3
shot 1-new-session
new="$CUEGRID_HOME/Sessions/Friday Show.cuegrid"
click button newSessionFile
xdotool key Escape   # STOP ALL, from a field of the New session window: the window stays
sleep 0.3
window_open newSession || fail "Escape closed the New session window"
type_into button newSessionFile "$new"   # Return: Create
wait_for 5 test -f "$new" || fail "Create made no session file"
wait_for 5 bash -c "! grep -q '^window newSession ' '$artifacts/ui.map'" || fail "the New session window stayed open"
[[ -d "$CUEGRID_HOME/Sessions/Friday Show Media" ]] || fail "the suggested media folder was not made"
python3 - "$new" "$CUEGRID_HOME/Sessions/Friday Show Media" << 'PY' || fail "the new session or its database is not as made"
import json, sqlite3, sys
session, media = sys.argv[1], sys.argv[2]
manifest = json.load(open(session))
assert manifest["version"] == 4 and manifest["name"] == "Friday Show", manifest
assert len(manifest["pages"][0]["tabs"]) == 8
folder = sqlite3.connect(session + ".db").execute("SELECT value FROM settings WHERE key = 'mediaFolder'").fetchone()[0]
assert folder == "Friday Show Media", folder
print("new session:", manifest["name"], "media folder", folder)
PY
wait_for 5 has_title "Friday Show - CueGrid" \
  || fail "the title does not name the new session: $(title)"
grep -q "Friday Show.cuegrid" "$XDG_CONFIG_HOME/cuegrid/preferences.json" || fail "the new session is not in the recent sessions"

# --- Import Audio… -----------------------------------------------------------------------------
xdotool key ctrl+i
wait_for 5 window_open browser || fail "Ctrl+I opened no file browser"
shot 3-import-browser
type_into button browserFile "$media"   # Return: Import
wait_for 10 grep -q "^clip " "$artifacts/ui.map" || fail "Import added no clip to the tab on screen"
wait_for 5 has_title "Friday Show * - CueGrid" \
  || fail "the import did not mark the session unsaved: $(title)"
imported=$(grep -c "^clip " "$artifacts/ui.map")
echo "imported $imported clip(s)"

# --- Open with unsaved changes: the bar asks --------------------------------------------------
xdotool key ctrl+o
wait_for 5 window_open browser || fail "Ctrl+O opened no file browser"
type_into button browserFile "$first"
wait_for 5 grep -q "^button closeSave " "$artifacts/ui.map" || fail "opening with unsaved changes did not ask"
sleep 0.3
shot 4-unsaved-question
click button closeCancel
sleep 0.5
[[ $(title) == "Friday Show * - CueGrid" ]] || fail "Cancel did not keep the session: $(title)"
xdotool key ctrl+o
wait_for 5 window_open browser || fail "Ctrl+O opened no file browser"
type_into button browserFile "$first"
click button closeSave
wait_for 5 bash -c "! grep -q '^title Friday' '$map'" \
  || fail "Save and open did not open the other session: $(title)"
python3 - "$new" << 'PY' || fail "Save and open did not save the imported clip"
import json, sys
clips = json.load(open(sys.argv[1]))["clips"]
assert len(clips) == 1 and clips[0]["file"].endswith(".wav"), clips
print("saved before opening:", clips[0]["id"], clips[0]["file"])
PY
echo "opened: $(title)"

# --- Save As ---------------------------------------------------------------------------------
copy="$artifacts/shows/copy of first.cuegrid"
xdotool key ctrl+shift+s
wait_for 5 window_open browser || fail "Ctrl+Shift+S opened no file browser"
type_into button browserFile "$copy"
wait_for 5 test -f "$copy" || fail "Save As wrote nothing"
python3 - "$first" "$copy" << 'PY' || fail "Save As changed the clips"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
assert [c["id"] for c in a["clips"]] == [c["id"] for c in b["clips"]]
print("save as:", len(b["clips"]), "clips")
PY
grep -q "copy of first.cuegrid" "$XDG_CONFIG_HOME/cuegrid/preferences.json" || fail "Save As is not in the recent sessions"

# --- Preferences -----------------------------------------------------------------------------
xdotool key ctrl+comma
wait_for 5 window_open preferences || fail "Ctrl+, opened no Preferences"
type_into button prefAutosave "2"
click button prefSave
sleep 0.3
window_open preferences || fail "an autosave interval of 2 s was accepted"
shot 5-preferences-refused
type_into button prefAutosave "45"
click button prefSave
wait_for 5 bash -c "! grep -q '^window preferences ' '$artifacts/ui.map'" || fail "Preferences did not close on Save"
python3 - "$XDG_CONFIG_HOME/cuegrid/preferences.json" << 'PY' || fail "the preference was not saved"
import json, sys
prefs = json.load(open(sys.argv[1]))
assert prefs["autosaveSeconds"] == 45, prefs
print("preferences: autosave", prefs["autosaveSeconds"], "s; recent", len(prefs["recentSessions"]))
PY

# --- The File menu and Open Recent ------------------------------------------------------------
read -r _ _ mx my _ mh < <(grep "^window menubar " "$map")
xdotool mousemove $((mx + 24)) $((my + mh / 2)) click 1   # "File" in the menu bar
wait_for 5 grep -q "^menu " "$artifacts/ui.map" || fail "the File menu did not open"
sleep 0.3
shot 6-file-menu
xdotool key Escape
kill -0 "$app_pid" || fail "the app exited"
echo "file commands: ok"
