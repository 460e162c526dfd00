#!/usr/bin/env bash
# Issue 9 (dual-page view): two pages side by side, each with its own tabs, one with focus.
# Under a private Xvfb display and JACK dummy server, CueGrid opens a two-page session made
# with the CLI (page 1: kick and snare, page 2: clap), with private preferences:
#   1. it starts with one page view (no "view2" lines in the UI map); Ctrl+D shows two: the
#      first view on page 1, the second on page 2, the first focused;
#   2. a click in the second view gives it the focus and fires its clip (on release);
#   3. dragging kick from page 1 (left view) onto a cell of page 2 (right view) moves it across
#      pages and fires nothing; Ctrl+S saves it there; Ctrl+Z puts it back (saved again);
#   4. the choice is kept in preferences.json (dualPageView), not in the manifest: a second
#      launch opens in dual view; Ctrl+D there goes back to one view and saves false.
# Screenshots are kept as test artefacts.
# Usage: dual_view_test.sh CUEGRID_APP CUEGRID_CLI CORPUS_DIR ARTIFACT_DIR
set -euo pipefail
app=$1 cli=$2 corpus=$3 artifacts=$4
source "$(dirname "$0")/../Support/test_env.sh"
mkdir -p "$artifacts"
rm -rf "$artifacts"/*.png "$artifacts"/*.ndjson "$artifacts/ui.map" "$artifacts/status.txt" "$artifacts/show" "$artifacts/app-home"
mkdir -p "$artifacts/show"
session="$artifacts/show/dual.cuegrid"
kick=p01_sonicpi_heavy_kick snare=p03_colombo_snare clap=p10_millo_clap_dualmono
{
  "$cli" new "$session"
  python3 - "$session" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
page = json.loads(json.dumps(m["pages"][0]))
page["name"] = "Page 2"
m["pages"].append(page)
json.dump(m, open(sys.argv[1], "w"), indent=2)
PY
  "$cli" import "$session" "$corpus/$kick.wav" "$corpus/$snare.wav" --page 1
  "$cli" import "$session" "$corpus/$clap.wav" --page 2
} > "$artifacts/prepare.log" 2>&1 || { cat "$artifacts/prepare.log"; exit 1; }
trap cleanup EXIT
use_private_jack "cuegrid_dual_$$" "$artifacts/jackd.log"
log=$artifacts/events.ndjson
map=$artifacts/ui.map

shot() { import -window root "$artifacts/$1.png"; }
at() { grep "^$1 " "$map" | head -1 | awk '{ print $(NF-1), $NF }'; }
starts() { grep -c '"event":"voiceStart"' "$log" || true; }
cells() {
  python3 - "$session" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(" ".join(sorted("%d.%d.%d.%d=%s" % (p, t, s["row"], s["column"], s["clip"])
                      for p, page in enumerate(m["pages"]) for t, tab in enumerate(page["tabs"]) for s in tab.get("slots", []))))
PY
}
save_and_check() {
  local before
  before=$(stat -c '%i %y' "$session")
  sleep 0.2
  xdotool key ctrl+s
  wait_for 5 bash -c "[[ \"\$(stat -c '%i %y' '$session')\" != '$before' ]]" || fail "$1: Ctrl+S did not save"
  [[ "$(cells)" == "$2" ]] || fail "$1: saved cells are '$(cells)', expected '$2'"
  echo "$1: saved manifest has $2"
}
drag() {
  local x0=$1 y0=$2 x1=$3 y1=$4
  xdotool mousemove "$x0" "$y0"; sleep 0.1; xdotool mousedown 1; sleep 0.1
  for i in $(seq 1 12); do xdotool mousemove $((x0 + (x1 - x0) * i / 12)) $((y0 + (y1 - y0) * i / 12)); sleep 0.04; done
  sleep 0.2; xdotool mouseup 1; sleep 0.1
}
launch() {
  : > "$map"
  "$app" "$session" --event-log "$log" --ui-map "$map" --status-file "$artifacts/status.txt" >> "$artifacts/app.log" 2>&1 &
  app_pid=$!
  pids+=("$app_pid")
  wait_for 20 grep -q "^cell 3 7 " "$map" || fail "no UI map with the cells"
  sleep 0.5
  read -r x y < <(at "cell 3 7")     # an empty cell: keys go to the app once it was clicked
  xdotool mousemove "$x" "$y" click 1
  sleep 0.3
}
prefs() { python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('dualPageView'))" "$XDG_CONFIG_HOME/cuegrid/preferences.json" 2>/dev/null || echo none; }

start_xvfb "$artifacts/xvfb.log"
start_jack
launch
grep -q "^view2 " "$map" && fail "a new preferences file starts in dual view"
grep -q "^clip $kick " "$map" || fail "page 1 is not shown"

# 1. Ctrl+D: two views, page 1 and page 2, the first focused.
xdotool key ctrl+d
wait_for 5 grep -q "^view 2 1 0 0$" "$map" || fail "Ctrl+D did not show page 2 beside page 1"
grep -q "^view 1 0 0 1$" "$map" || fail "the first view is not on page 1 with the focus"
grep -q "^clip $kick " "$map" && grep -q "^view2 clip $clap " "$map" || fail "the views do not show their pages' clips"
wait_for 5 bash -c "[[ \$(python3 -c \"import json; print(json.load(open('$XDG_CONFIG_HOME/cuegrid/preferences.json'))['dualPageView'])\") == True ]]" \
  || fail "dual view is not kept in the preferences"
sleep 0.3
shot 1-dual-view
echo "1. Ctrl+D: $(grep '^view ' "$map" | tr '\n' ' ')"

# 2. A click in the second view focuses it and fires its clip.
read -r x y < <(at "view2 clip $clap")
xdotool mousemove "$x" "$y" click 1
wait_for 5 grep -q "\"event\":\"voiceStart\".*\"clip\":\"$clap\"" "$log" || fail "a click in the second view did not fire"
wait_for 3 grep -q "^view 2 1 0 1$" "$map" || fail "the second view did not take the focus"
xdotool key Escape
sleep 0.5
fired=$(starts)
shot 2-second-focused
echo "2. the second view took the focus and fired $clap"

# 3. Drag kick from page 1 onto page 2's cell row 0, column 1: moved across pages.
read -r x0 y0 < <(at "clip $kick")
read -r x1 y1 < <(at "view2 cell 0 1")
drag "$x0" "$y0" "$x1" "$y1"
wait_for 5 grep -q "^view2 clip $kick $x1 $y1$" "$map" || fail "the drag did not move kick to page 2"
grep -q "^clip $kick " "$map" && fail "kick is still shown on page 1"
[[ $(starts) -eq $fired ]] || fail "the drag fired a clip"
shot 3-moved-across-pages
save_and_check "3. move across pages" "0.0.0.1=$snare 1.0.0.0=$clap 1.0.0.1=$kick"
xdotool key ctrl+z
save_and_check "3. undo" "0.0.0.0=$kick 0.0.0.1=$snare 1.0.0.0=$clap"

# 4. A second launch opens in dual view; Ctrl+D goes back to one view.
kill "$app_pid"; wait "$app_pid" 2>/dev/null || true
launch
grep -q "^view 2 1 0 0$" "$map" || fail "the second launch did not open in dual view"
xdotool key ctrl+d
wait_for 5 bash -c "! grep -q '^view' '$map'" || fail "Ctrl+D did not go back to one view"
[[ $(prefs) == False ]] || fail "one view is not kept in the preferences ($(prefs))"
grep -q "dualPageView" "$session" && fail "the view leaked into the manifest"
shot 4-single-again
echo "4. the preferences keep the view; the manifest does not"
echo "PASS: dual-page view"
