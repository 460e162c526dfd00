# Driving the app as a person does, for the GUI tests: real X input (xdotool) at positions the
# app's UI map gives. Sourced after test_env.sh; the test sets `map` (the --ui-map file),
# `artifacts`; has_title also needs `map` exported.

# shot NAME: a screenshot of the whole screen, kept as $artifacts/NAME.png.
shot() { sleep 0.3; import -window root "$artifacts/$1.png"; }

# at KIND NAME...: "x y" of the first UI map line "KIND NAME... x y" (e.g. at button browserOk,
# at cell 1 2, at clip kick, at field inspectorLabel, at handle cueIn).
# A tab's line ends with its playing-clip count: "tab INDEX x y n".
at() {
  if [[ $1 == tab ]]; then grep "^$* " "$map" | head -1 | awk '{ print $3, $4 }'
  else grep "^$* " "$map" | head -1 | awk '{ print $(NF-1), $NF }'; fi
}

# click KIND NAME...: a left click there, once the UI map shows it (5 s at most).
click() {
  wait_for 5 grep -q "^$* " "$map" || fail "not on screen: $*"
  local x y
  read -r x y < <(at "$@")
  xdotool mousemove "$x" "$y" click 1
}

# right_click KIND NAME...: a right click there (opens its menu).
right_click() {
  wait_for 5 grep -q "^$* " "$map" || fail "not on screen: $*"
  local x y
  read -r x y < <(at "$@")
  xdotool mousemove "$x" "$y" click 3
  wait_for 3 grep -q "^menu " "$map" || fail "no menu opened on $*"
}

# type_into KIND NAME TEXT: a click on a text field, its text replaced by TEXT, then Return.
type_into() {
  click "$1" "$2"
  sleep 0.2
  xdotool key ctrl+a
  xdotool type --delay 5 "$3"
  xdotool key Return
}

# drag X0 Y0 X1 Y1 [MODIFIER]: press, move in 12 steps, (hold MODIFIER,) release.
drag() {
  local x0=$1 y0=$2 x1=$3 y1=$4 mod=${5:-}
  xdotool mousemove "$x0" "$y0"; sleep 0.1
  xdotool mousedown 1; sleep 0.1
  for i in $(seq 1 12); do
    xdotool mousemove $((x0 + (x1 - x0) * i / 12)) $((y0 + (y1 - y0) * i / 12)); sleep 0.04
  done
  sleep 0.2
  [[ -n "$mod" ]] && { xdotool keydown "$mod"; sleep 0.15; }
  xdotool mouseup 1; sleep 0.1
  [[ -n "$mod" ]] && xdotool keyup "$mod"
  return 0
}

# title: the main window's title as the UI map says it ("<session>[ *] - CueGrid"; " *":
# unsaved changes). has_title TEXT: it is TEXT (for wait_for).
title() { sed -n 's/^title //p' "$map"; }
has_title() { [[ "$(sed -n 's/^title //p' "$map")" == "$1" ]]; }
export -f has_title

# window_open NAME: the UI map shows the app's window NAME (browser, newSession, preferences, settings).
window_open() { grep -q "^window $1 " "$map"; }

# file_menu: opens File in the menu bar (the UI map's "window menubar"), waits for the menu.
file_menu() {
  local mx my mh
  read -r _ _ mx my _ mh < <(grep "^window menubar " "$map")
  xdotool mousemove $((mx + 24)) $((my + mh / 2)) click 1
  wait_for 5 grep -q "^menu " "$map" || fail "the File menu did not open"
}

# menu_item_at TEXT: "x y" of the open menu's (or an open submenu's) item TEXT (UI map "menuitem
# TEXT x y"); empty when it is not shown.
menu_item_at() {
  sed -n 's/^menuitem \(.*\) \(-\{0,1\}[0-9][0-9]*\) \(-\{0,1\}[0-9][0-9]*\)$/\1|\2 \3/p' "$map" \
    | awk -F'|' -v want="$1" '$1 == want { print $2; exit }'
}
export -f menu_item_at
# pick TEXT: moves onto the menu item TEXT and clicks it (a submenu's item opens the submenu).
pick() {
  wait_for 5 bash -c "[[ -n \"\$(menu_item_at '$1')\" ]]" || fail "no menu item '$1': $(grep '^menuitem ' "$map" | tr '\n' ';')"
  local x y
  read -r x y < <(menu_item_at "$1")
  xdotool mousemove "$x" "$y"
  sleep 0.25
  xdotool click 1
}
