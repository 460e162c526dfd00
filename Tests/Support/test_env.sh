# Shared setup for the shell tests (Tests/Gui/*.sh, Tests/Realtime/*.sh): a private Xvfb
# display, a private JACK dummy server, and the cleanup of both. Sourced after `set -euo pipefail`:
#   source "$(dirname "$0")/../Support/test_env.sh"
# A test adds the pids of its own background processes to `pids` and sets `trap cleanup EXIT`
# (or calls cleanup from its own exit trap).

pids=()                # background processes stopped by cleanup (SIGTERM, then reaped)
jack_server=           # the private JACK server's name, once use_private_jack has run
jack_pid=              # the running private jackd, if any
jack_killed=0          # 1 once kill_jack has SIGKILLed it
jack_log=/dev/null     # where jackd writes (use_private_jack sets it)
wait_for_poll=0.1      # seconds between wait_for polls

# wait_for SECONDS COMMAND...: run COMMAND (output discarded) until it succeeds; after SECONDS,
# say what timed out and return 1.
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < deadline )) || { echo "timed out waiting for: $*"; return 1; }
    sleep "$wait_for_poll"
  done
}

# private_app_home: the app's preferences ($XDG_CONFIG_HOME/cuegrid) and its CueGrid home
# (Autosave/ with run markers and recovery points) go under $artifacts/app-home, never the
# user's; a CUEGRID_HOME the test set itself is kept. start_xvfb calls it.
private_app_home() {
  local base=${artifacts:-${TMPDIR:-/tmp}}/app-home
  mkdir -p "$base/config"
  export XDG_CONFIG_HOME="$base/config"
  export CUEGRID_HOME="${CUEGRID_HOME:-$base/CueGrid}"
}

# start_xvfb LOG: a private Xvfb (1280x800x24) on the first free display from 100 + $$ % 400,
# logging to LOG; exports DISPLAY and waits up to 10 s for the server to answer. The app run
# under it gets a private home (private_app_home).
start_xvfb() {
  private_app_home
  local display=$((100 + $$ % 400))
  while [[ -e /tmp/.X11-unix/X$display || -e /tmp/.X$display-lock ]]; do display=$((display + 1)); done
  Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp > "$1" 2>&1 &
  pids+=($!)
  export DISPLAY=":$display"
  wait_for 10 xdpyinfo
}

# use_private_jack SERVER_NAME LOG: every JACK server and client of this test uses SERVER_NAME
# (give it a $$ suffix) and no device reservation; jackd logs to LOG, emptied here.
use_private_jack() {
  jack_server=$1
  export JACK_DEFAULT_SERVER=$1
  export JACK_NO_AUDIO_RESERVATION=1
  jack_log=$2
  : > "$jack_log"
}

# start_jack [JACKD_OPTION...] [-- DUMMY_DRIVER_OPTION...]: start the private JACK dummy server
# (48 kHz, 128 frames, 2 playback ports, not realtime; options such as --sync go before the
# driver, driver options such as `-P 6` for 6 playback ports after --) and wait up to 10 s for
# it to answer.
start_jack() {
  local server_options=() driver_options=()
  while (( $# )) && [[ $1 != -- ]]; do server_options+=("$1"); shift; done
  (( $# )) && shift
  driver_options=("$@")
  jackd "${server_options[@]}" --no-realtime -d dummy -r 48000 -p 128 "${driver_options[@]}" >> "$jack_log" 2>&1 &
  jack_pid=$!
  wait_for 10 jack_lsp
}

# start_jack_realtime [JACKD_OPTION...] [-- DUMMY_DRIVER_OPTION...]: start_jack, but with
# realtime scheduling (jackd -R, clients' process threads SCHED_FIFO) when the machine allows it
# (chrt). For tests whose JACK graph changes while it runs (a MIDI probe connecting to the app):
# JACK2 applies a new connection only at the end of a cycle in which every client finished, and
# on a busy 2-core machine without realtime threads the dummy server can go thousands of cycles
# without one ("ProcessGraphAsyncMaster: Process error" each cycle), so the connection, and
# every message sent through it, never arrives.
start_jack_realtime() {
  if chrt -f 10 true 2>/dev/null; then
    local server_options=() driver_options=()
    while (( $# )) && [[ $1 != -- ]]; do server_options+=("$1"); shift; done
    (( $# )) && shift
    driver_options=("$@")
    jackd "${server_options[@]}" -R -P 70 -d dummy -r 48000 -p 128 "${driver_options[@]}" >> "$jack_log" 2>&1 &
    jack_pid=$!
    wait_for 10 jack_lsp
  else
    echo "note: no realtime scheduling here (chrt refused); JACK runs without it" >&2
    start_jack "$@"
  fi
}

# stop_jack: stop the private JACK server cleanly (SIGTERM) and reap it.
stop_jack() {
  [[ -n "$jack_pid" ]] || return 0
  kill -TERM "$jack_pid" 2>/dev/null || true
  wait "$jack_pid" 2>/dev/null || true
  jack_pid=
}

# kill_jack: the audio device dies: SIGKILL the private JACK server and reap it. cleanup then
# reclaims its registry slot.
kill_jack() {
  kill -KILL "$jack_pid"
  wait "$jack_pid" 2>/dev/null || true
  jack_pid=
  jack_killed=1
}

# reclaim_jack: undo what a SIGKILLed jackd leaves behind. Its entry stays in JACK's shared
# server registry (8 slots for the whole machine; only a server of the same name reclaims it):
# if it was not started again, start it once more, then stop it cleanly. Client semaphores of
# the killed server's clients stay behind in /dev/shm: remove ours (this server's name) only.
reclaim_jack() {
  if (( jack_killed )) && [[ -z "$jack_pid" ]]; then
    start_jack || true
  fi
  stop_jack
  # A server stopped with SIGTERM still leaves its slot when it had died first (SIGPIPE from a
  # client killed under it): start it once more if the registry still names it.
  if jack_slot_registered "$jack_server"; then
    start_jack || true
    stop_jack
  fi
  rm -f /dev/shm/jack_sem.*_"${jack_server}"_* 2>/dev/null || true
}

# jack_slot_registered NAME: true while JACK's machine-wide server registry names server NAME.
jack_slot_registered() {
  [[ -r /dev/shm/jack-shm-registry ]] || return 1
  tr -c '[:print:]' '\n' < /dev/shm/jack-shm-registry | grep -qF ":$1:"
}

# cleanup: stop and reap every process in pids, then the private JACK server (if this test
# uses one), reclaiming its registry slot if it was killed.
cleanup() {
  # JACK first: a jackd whose clients are killed under it can die of SIGPIPE and leave its
  # slot in the machine's JACK registry (8 slots), which later tests then lack.
  stop_jack
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -n "$jack_server" ]]; then reclaim_jack; fi
}

# record_peak WAV: record 1 s from our two JACK output ports into WAV and print its peak
# (0 … 1).
record_peak() {
  rm -f "$1"
  jack_rec -f "$1" -d 1 cuegrid:out_1 cuegrid:out_2 > /dev/null 2>&1
  sox "$1" -n stat 2>&1 | awk '/Maximum amplitude/ { print $3 }'
}

# --- For the app's tests (Tests/Gui/*.sh): they set `artifacts` before calling these. ---------

# copy_show SOURCE_SESSION: clear the artefacts of an earlier run, copy the show's folder into
# $artifacts/show (its session database is then written beside the copy) and set `session`.
copy_show() {
  mkdir -p "$artifacts"
  rm -rf "$artifacts"/*.png "$artifacts"/*.wav "$artifacts"/*.ndjson "$artifacts/ui.map" "$artifacts/status.txt" "$artifacts/show"
  cp -r "$(dirname "$1")" "$artifacts/show"
  session="$artifacts/show/$(basename "$1")"
}

# fail MESSAGE: say what failed, show the app's status line, event log (app_events, default
# $artifacts/events.ndjson) and output, and exit 1.
fail() {
  echo "FAIL: $*"
  echo "--- status: $(cat "$artifacts/status.txt" 2>/dev/null)"
  echo "--- events:"; cat "${app_events:-$artifacts/events.ndjson}" 2>/dev/null || true
  echo "--- app log:"; cat "$artifacts/app.log" 2>/dev/null || true
  exit 1
}

# click KIND NAME: a real pointer click on the app's "clip NAME" or "button NAME", found in the
# UI map the app writes (--ui-map $artifacts/ui.map).
click() {
  local x y
  read -r _ _ x y < <(grep "^$1 $2 " "$artifacts/ui.map")
  xdotool mousemove "$x" "$y" click 1
}
