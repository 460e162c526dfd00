#!/usr/bin/env bash
# Issue 13, packages and exports in the app, under Xvfb with a private CueGrid home, driven by
# xdotool through the File menu and the non-modal Packages panel:
#   - File > Export > Session Package: the package is made in the folder typed in, while the
#     show stays live (the panel polls a background thread); it is then imported with the CLI
#     and renders bit-identical to the original;
#   - File > Import Package: a tab export (made with the CLI) chosen in the file browser goes
#     into the tab on screen with "append" as one edit: its 8 clips appear, the title shows
#     unsaved changes, a recovery point "before package import" is written, the session database
#     gets a packageImport audit event, and Ctrl+Z takes the clips away again.
# Usage: packages_test.sh CUEGRID_APP CUEGRID_CLI SHOW_SESSION SCRIPT ARTIFACT_DIR
set -euo pipefail
app=$1 cli=$2 show_source=$3 script_source=$4 artifacts=$(realpath -m "$5")
source "$(dirname "$0")/../Support/test_env.sh"
source "$(dirname "$0")/../Support/gui_driver.sh"
rm -rf "$artifacts"
mkdir -p "$artifacts/shows"
trap cleanup EXIT
export CUEGRID_HOME="$artifacts/CueGrid"
map="$artifacts/ui.map"
export map
corpus="$(dirname "$(realpath "$show_source")")/../corpus"
show="$artifacts/shows/show.cuegrid"
cp "$show_source" "$show"
sed -i "s#\"file\": \"\\.\\./corpus/#\"file\": \"$(realpath "$corpus")/#" "$show"
# The script without its audition of a file (a path relative to the script).
python3 - "$script_source" "$artifacts/shows/script.json" << 'PY'
import json, sys
script = json.load(open(sys.argv[1]))
script["commands"] = [c for c in script["commands"] if "file" not in c]
json.dump(script, open(sys.argv[2], "w"))
PY
"$cli" render "$show" --script "$artifacts/shows/script.json" --out "$artifacts/original.wav" > /dev/null || fail "the original does not render"
"$cli" export "$show" --mode tab --page 1 --tab 1 --out "$artifacts/cli-exports" > /dev/null || fail "the CLI made no tab export"
tab_export="$artifacts/cli-exports/show tab Show - All"
[[ -f "$tab_export/package.json" ]] || fail "no tab export at $tab_export"

start_xvfb "$artifacts/xvfb.log"
"$app" "$show" --ui-map "$map" --status-file "$artifacts/status.txt" > "$artifacts/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
wait_for 20 test -s "$map" || fail "no UI map"
sleep 0.5

# --- Export > Session Package ----------------------------------------------------------------
file_menu            # menu items by name from the UI map (not by counting arrow keys)
pick "Export"
wait_for 5 bash -c "[[ -n \"\$(menu_item_at 'Session Package...')\" ]]" || fail "File > Export opened no submenu"
shot 1-export-menu
pick "Session Package..."
wait_for 5 window_open packages || fail "Export > Session Package opened no panel"
type_into button packageOut "$artifacts/app-exports"
click button packageExport
wait_for 30 test -f "$artifacts/app-exports/show package/checksums.xxh3" || fail "the app made no package"
wait_for 10 grep -q "^value packageBusy no" "$map" || fail "the export did not finish"
grep -q "^text packageStatus Exported to" "$map" || fail "the panel does not say the export was made: $(grep packageStatus "$map")"
shot 2-exported
"$cli" import-package "$artifacts/app-exports/show package" --dest "$artifacts/venue" > "$artifacts/import.log" 2>&1 \
  || { cat "$artifacts/import.log"; fail "the app's package does not import"; }
"$cli" render "$artifacts/venue/show.cuegrid" --script "$artifacts/shows/script.json" --out "$artifacts/imported.wav" > /dev/null \
  || fail "the imported package does not render"
cmp -s "$artifacts/original.wav" "$artifacts/imported.wav" || fail "the imported package renders differently"
echo "export: the app's session package imports and renders bit-identical"

# --- Import Package: a tab into tab 2 (append) -----------------------------------------------
click tab 1
sleep 0.5
before=$(grep -c "^clip " "$map" || true)
[[ $before == 0 ]] || fail "tab 2 is not empty ($before clips)"
file_menu
pick "Import Package..."
wait_for 5 window_open browser || fail "Import Package opened no file browser"
type_into button browserFile "$tab_export"
sleep 0.5
click button packageImport
wait_for 20 bash -c "grep -q '^value packageBusy no' '$map' && grep -q '^text packageStatus Imported' '$map'" \
  || fail "the import did not finish: $(grep packageStatus "$map")"
wait_for 5 bash -c "[[ \$(grep -c '^clip ' '$map') == 8 ]]" || fail "tab 2 does not show the 8 imported clips"
wait_for 5 has_title "Show parity (every playback feature) * - CueGrid" || fail "the import did not mark the session unsaved: $(title)"
ls "$CUEGRID_HOME"/Autosave/show-*/*.cuegrid > /dev/null 2>&1 || fail "no recovery point before the import"
grep -l '"reason": "before package import"' "$CUEGRID_HOME"/Autosave/show-*/*.cuegrid > /dev/null || fail "the recovery point does not say why"
audited() {
  python3 - "$show.db" << 'PY'
import json, sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute("SELECT details FROM audit WHERE kind = 'packageImport'").fetchall()
assert len(rows) == 1, rows
details = json.loads(rows[0][0])
assert details["by"] == "app" and details["merge"] == "append" and len(details["added"]) == 8, details
assert details["renamed"]["kick"] == "kick-2", details
PY
}
wait_for 10 audited || fail "the database has no packageImport event for the app's import"
shot 3-imported
xdotool key Escape   # the panel keeps no focus claim: Ctrl+Z goes to the main window
click tab 1
xdotool key ctrl+z
wait_for 5 bash -c "! grep -q '^clip ' '$map'" || fail "Ctrl+Z did not take the imported clips away"
echo "import: 8 clips appended into tab 2 as one edit, undone with Ctrl+Z"
kill -0 "$app_pid" || fail "the app exited"
echo "packages: ok"
