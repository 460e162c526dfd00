#!/usr/bin/env bash
# Issue 11, test 1: OSC with a real client nobody here wrote (oscsend / oscdump from
# liblo-tools). CueGrid (private Xvfb, private JACK dummy server at 128 frames) runs with
# --osc-port; oscdump listens on a reply port the test registers with /cuegrid/replyPort:
#   1. start, stop, clip/group/master levels, a slot start on page 2, pages, fade all, panic,
#      QLab aliases (/cue/{id}/start, /stop): the event log shows what each did, each reply
#      /reply/<address> carries {"status":"ok"}; refused ones carry "error" and the reason;
#   2. getters: a playing clip's state, the playing list, a level;
#   3. /cuegrid/updates 1: starting a clip pushes /update/cuegrid/clip/<id> "playing"; group,
#      master and clip levels, page and tab, and Show mode push theirs; a burst of 200 group
#      level changes in 1 s pushes at most 20 a second, the last value last; /cuegrid/showMode;
#   4. TCP with SLIP framing (oscsend osc.tcp://): a start works;
#   5. a fuzz (Tests/Gui/osc_fuzz.py): random bytes, truncated and malformed packets, wrong
#      types, huge strings, over UDP and TCP, and a flood of 20000 messages; then the app still
#      runs and a start still works and is answered.
# Usage: osc_test.sh CUEGRID_APP SESSION ARTIFACT_DIR
set -euo pipefail
app=$1 source_session=$2 artifacts=$3
source "$(dirname "$0")/../Support/test_env.sh"
source "$(dirname "$0")/../Support/gui_driver.sh"   # shot
copy_show "$source_session"
ln -sfn "$(cd "$(dirname "$source_session")/../corpus" && pwd)" "$artifacts/corpus"
# JACK stops first: jackd that outlives its SIGTERMed clients dies of SIGPIPE notifying them and
# leaves its entry in JACK's server registry (8 slots machine-wide).
trap 'stop_jack; cleanup' EXIT
use_private_jack "cuegrid_osc_$$" "$artifacts/jackd.log"
log=$artifacts/events.ndjson
replies=$artifacts/replies.txt
port=$((20000 + $$ % 20000)) reply_port=$((40001 + $$ % 20000))

count() { grep -c "$1" "$log" || true; }
more_than() { wait_for "$1" bash -c "[[ \$(grep -c '$2' '$log') -gt $3 ]]"; }
send() { : > "$replies"; oscsend 127.0.0.1 "$port" "$@"; }   # each reply checked is the answer to this send   # liblo resolves "localhost" to ::1 first; the server is IPv4
# reply ADDRESS: the last reply oscdump printed for ADDRESS (waits up to 3 s for one).
# oscdump prints "<time tag> <address> <types> <values>".
reply() { wait_for 3 grep -aq "^[^ ]* /reply$1 " "$replies" || { echo "no reply to $1"; return 1; }; grep -a "^[^ ]* /reply$1 " "$replies" | tail -1; }
expect_reply() {   # expect_reply ADDRESS PATTERN: the reply to ADDRESS matches PATTERN
  local r; r=$(reply "$1") || fail "no reply to $1"
  grep -q -- "$2" <<< "$r" || fail "reply to $1: $r (expected $2)"
}
fresh() { : > "$replies"; }   # forget older replies (oscdump appends)

start_xvfb "$artifacts/xvfb.log"
start_jack
: > "$replies"
oscdump -L "$reply_port" >> "$replies" 2> "$artifacts/oscdump.log" &   # appending: fresh() truncates without a hole
pids+=($!)
"$app" "$session" --osc-port "$port" --event-log "$log" --ui-map "$artifacts/ui.map" --status-file "$artifacts/status.txt" > "$artifacts/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
wait_for 20 test -s "$artifacts/ui.map" || fail "no UI map"
wait_for 5 grep -q "^JACK: " "$artifacts/status.txt" || fail "no device in the status bar"
grep -q "OSC on UDP and TCP port $port" "$artifacts/app.log" || fail "no OSC server"

send /cuegrid/replyPort i "$reply_port"
expect_reply /cuegrid/replyPort '"status":"ok"'

# 1. Start, stop, levels, pages, fade all, panic.
send /cuegrid/clip/organ/start
expect_reply /cuegrid/clip/organ/start '"status":"ok"'
more_than 3 '"voiceStart".*"clip":"organ"' 0 || fail "organ did not start"
send /cuegrid/clip/organ/state
expect_reply /cuegrid/clip/organ/state '"state":"playing"'
send /cuegrid/playing
expect_reply /cuegrid/playing '"id":"organ"'
send /cuegrid/clip/organ/stop
expect_reply /cuegrid/clip/organ/stop '"status":"ok"'
more_than 5 '"voiceEnd".*"clip":"organ"' 0 || fail "organ did not stop"

send /cuegrid/master/level f -6.5
expect_reply /cuegrid/master/level '"status":"ok"'
send /cuegrid/master/level
expect_reply /cuegrid/master/level '"data":-6.5'
send /cuegrid/group/b/level f -3
expect_reply /cuegrid/group/b/level '"status":"ok"'
send /cuegrid/group/B/mute i 1
expect_reply /cuegrid/group/B/mute '"status":"ok"'
send /cuegrid/group/B/mute
expect_reply /cuegrid/group/B/mute '"data":1'
send /cuegrid/group/B/mute i 0
send /cuegrid/clip/bed/level f -4
expect_reply /cuegrid/clip/bed/level '"status":"ok"'
grep -q '"event":"clipLevels".*"clip":"bed"' "$log" || fail "no clipLevels event for bed"

# Pages: page 2 shows in the view; a slot start there plays kick (Act 2, Stingers, 1/1).
send /cuegrid/page i 2
expect_reply /cuegrid/page '"status":"ok"'
# Page 2 (Act 2, Stingers: kick, clap, speech) holds no organ; page 1 does.
on_page2() { ! grep -q '^clip organ ' "$artifacts/ui.map" && grep -q '^clip clap ' "$artifacts/ui.map"; }
wait_for 3 on_page2 || fail "page 2 not shown: $(grep '^clip' "$artifacts/ui.map")"
send /cuegrid/page i 9
expect_reply /cuegrid/page '"data":"no page 9"'
send /cuegrid/page i 1
wait_for 3 grep -q '^clip organ ' "$artifacts/ui.map" || fail "page 1 not shown again"
kicks=$(count '"voiceStart".*"clip":"kick"')
send /cuegrid/slot/2/1/1/1/start
expect_reply /cuegrid/slot/2/1/1/1/start '"status":"ok"'
more_than 3 '"voiceStart".*"clip":"kick"' "$kicks" || fail "the slot start did not play kick"

# Fade all over 0.5 s: each voice fades 24000 samples.
send /cuegrid/clip/bed/start
more_than 3 '"voiceStart".*"clip":"bed"' 0 || fail "bed did not start"
send /cuegrid/fadeAll f 0.5
expect_reply /cuegrid/fadeAll '"status":"ok"'
wait_for 3 grep -q '"voiceFading".*"clip":"bed".*"fadeSamples":24000' "$log" || fail "fade all did not fade bed over 0.5 s"
more_than 3 '"voiceEnd".*"clip":"bed"' 0 || fail "bed did not end after fade all"

# Panic and the QLab aliases.
send /cue/hum/start
expect_reply /cue/hum/start '"status":"ok"'
more_than 3 '"voiceStart".*"clip":"hum"' 0 || fail "/cue/hum/start did not start hum"
send /panic
expect_reply /panic '"status":"ok"'
wait_for 3 grep -q '"panic"' "$log" || fail "no panic event"
send /cuegrid/clip/hum/start
more_than 3 '"voiceStart".*"clip":"hum"' 1 || fail "hum did not start again"
send /stop
expect_reply /stop '"status":"ok"'
more_than 5 '"voiceEnd".*"clip":"hum"' 1 || fail "/stop did not stop hum"

# Refusals: an error reply with the reason.
send /cuegrid/clip/nothing/start
expect_reply /cuegrid/clip/nothing/start '"data":"no clip \\"nothing\\""'
send /cuegrid/master/level s loud
expect_reply /cuegrid/master/level '"status":"error"'
send /cuegrid/what
expect_reply /cuegrid/what '"data":"unknown address"'
send /cuegrid/master/level T
expect_reply /cuegrid/master/level '"status":"ok"'   # True reads as 1 dB
send /cuegrid/master/level m 00904060
expect_reply /cuegrid/master/level "unsupported argument type 'm'"
send /cuegrid/master/level f -6.5

# 3. Updates: pushed to the reply port.
send /cuegrid/updates i 1
expect_reply /cuegrid/updates '"status":"ok"'
send /cuegrid/clip/speech/start
wait_for 3 grep -aq '^[^ ]* /update/cuegrid/clip/speech s .*"state":"playing"' "$replies" || fail "no update for speech"
send /cuegrid/clip/speech/stop
wait_for 5 grep -aq '^[^ ]* /update/cuegrid/clip/speech s .*"state":"\(loaded\|fading\)"' "$replies" || fail "no update after speech stopped"

# Levels, page and tab, Show mode: each change pushes its update (oscdump prints the JSON string).
pushed() { wait_for 3 grep -aq "^[^ ]* /update/cuegrid/$1 s .*$2" "$replies" || fail "no update /update/cuegrid/$1 with $2: $(grep -a /update/cuegrid/"$1" "$replies" | tail -2)"; }
send /cuegrid/group/C/level f -12
pushed group/C '"levelDb":-12.0,"muted":false'
send /cuegrid/group/C/mute i 1
pushed group/C '"muted":true'
send /cuegrid/group/C/mute i 0
send /cuegrid/master/level f -7
pushed master '"levelDb":-7.0'
send /cuegrid/clip/bed/level f -2.5
pushed clip/bed/level '"levelDb":-2.5'
send /cuegrid/page i 2
pushed page '"page":2,"tab":1'
send /cuegrid/tab i 3
pushed page '"page":2,"tab":3'
send /cuegrid/page
expect_reply /cuegrid/page '"data":2'
send /cuegrid/tab i 1
send /cuegrid/page i 1
pushed page '"page":1,"tab":1'
send /cuegrid/showMode i 1
expect_reply /cuegrid/showMode '"status":"ok"'
pushed showMode '"showMode":1'
send /cuegrid/showMode
expect_reply /cuegrid/showMode '"data":1'
shot osc-show-mode
send /cuegrid/showMode i 0
pushed showMode '"showMode":0'
send /cuegrid/showMode i 3
expect_reply /cuegrid/showMode '"status":"error"'

# Rate limit: 200 group D level changes over 1 s (a fader swept from a controller). Updates go
# for the burst to a listener that timestamps each one: at most 20 group D updates in any second
# (the 20 Hz poll), none closer than 30 ms, and the last one carries the final value.
python3 - "$port" $((reply_port + 1)) "$reply_port" <<'EOF2' > "$artifacts/burst.txt" || fail "rate limit: $(cat "$artifacts/burst.txt")"
import socket, struct, sys, threading, time
port, listen_port, reply_port = (int(a) for a in sys.argv[1:4])
def pad(b): return b + b"\0" * (4 - len(b) % 4)
def message(address, tag, value): return pad(address) + pad(b"," + tag) + struct.pack(">i" if tag == b"i" else ">f", value)
listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
listener.bind(("127.0.0.1", listen_port))
listener.settimeout(0.2)
received = []   # (time, group D level)
def listen(until):
    while time.monotonic() < until:
        try:
            data = listener.recv(4096)
        except socket.timeout:
            continue
        if data.startswith(b"/update/cuegrid/group/D\0"):
            text = data[data.index(b"{"):].split(b"\0")[0].decode()
            received.append((time.monotonic(), float(text.split('"levelDb":')[1].split(",")[0])))
sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sender.sendto(message(b"/cuegrid/replyPort", b"i", listen_port), ("127.0.0.1", port))
time.sleep(0.3)
t0 = time.monotonic()
thread = threading.Thread(target=listen, args=(t0 + 2.0,))
thread.start()
for i in range(200):
    sender.sendto(message(b"/cuegrid/group/D/level", b"f", -40.0 + i * 0.1), ("127.0.0.1", port))
    time.sleep(max(0.0, t0 + (i + 1) * 0.005 - time.monotonic()))
burst = time.monotonic() - t0
thread.join()
sender.sendto(message(b"/cuegrid/replyPort", b"i", reply_port), ("127.0.0.1", port))
times = [t for t, _ in received]
most = max(sum(1 for u in times if t <= u < t + 1.0) for t in times) if times else 0
gaps = [b - a for a, b in zip(times, times[1:])]
print(f"rate limit: 200 level changes in {burst:.3f} s pushed {len(received)} group D updates, at most {most} in a second, "
      f"smallest gap {min(gaps) * 1000 if gaps else 0:.1f} ms, last {received[-1][1] if received else None:.2f} dB")
ok = len(received) >= 5 and most <= 20 and (not gaps or min(gaps) >= 0.030) and abs(received[-1][1] - (-20.1)) < 0.01
sys.exit(0 if ok else 1)
EOF2
cat "$artifacts/burst.txt"

# 4. TCP (SLIP framing, liblo's osc.tcp://).
epianos=$(count '"voiceStart".*"clip":"epiano"')
oscsend "osc.tcp://127.0.0.1:$port" /cuegrid/clip/epiano/start
more_than 3 '"voiceStart".*"clip":"epiano"' "$epianos" || fail "a start over TCP did not play"

# 5. Fuzz, then the app still works.
python3 "$(dirname "$0")/osc_fuzz.py" "$port" > "$artifacts/fuzz.log" 2>&1 || fail "fuzz: $(cat "$artifacts/fuzz.log")"
cat "$artifacts/fuzz.log"
kill -0 "$app_pid" 2>/dev/null || fail "the app died under the fuzz"
fresh
organs=$(count '"voiceStart".*"clip":"organ"')
send /cuegrid/clip/organ/start
expect_reply /cuegrid/clip/organ/start '"status":"ok"'
more_than 3 '"voiceStart".*"clip":"organ"' "$organs" || fail "a start after the fuzz did not play"
send /cuegrid/stats
stats=$(reply /cuegrid/stats) || fail "no stats"
echo "stats: $stats"

# Trigger latency (issue 11): every clip start sent over OSC logs its source and the time from
# the packet's arrival to the voice's first sample; on JACK dummy at 128 frames it stays within
# two blocks (5.333 ms). JACK runs without realtime priority here, on 2 cores that other tests
# and builds share: the median and 3 of 4 starts must be within two blocks, none beyond 8.
python3 - "$log" <<'EOF' || fail "trigger latency"
import json, sys
starts = [json.loads(l) for l in open(sys.argv[1]) if '"voiceStart"' in l]
osc = [s["latencyMs"] for s in starts if s.get("source") == "osc"]
limit = 2 * 128 / 48000 * 1000
print(f"trigger latency (osc): {len(osc)} starts of {len(starts)}, max {max(osc):.3f} ms, mean {sum(osc) / len(osc):.3f} ms, limit {limit:.3f} ms")
osc.sort()
within = sum(1 for x in osc if x <= limit)
print(f"median {osc[len(osc) // 2]:.3f} ms, {within} of {len(osc)} within two blocks")
sys.exit(0 if len(osc) == len(starts) and len(osc) >= 8 and osc[len(osc) // 2] <= limit and within * 4 >= 3 * len(osc) and osc[-1] <= 4 * limit else 1)
EOF
grep -q "Trigger [0-9.]* ms (osc)" "$artifacts/status.txt" || fail "no trigger latency in the status bar"
echo "PASS: OSC dictionary, replies, updates, TCP and the fuzz ($(grep -c . "$replies") replies in the last phase)"
