#!/usr/bin/env python3
"""Malformed OSC at CueGrid's OSC port (osc_test.sh, issue 11 test 1): random bytes, truncated
and malformed packets, wrong and unknown type tags, huge strings, over UDP and TCP (raw and
SLIP-framed), then a flood of valid messages. Prints what it sent and how long it took.
Usage: osc_fuzz.py PORT"""
import random
import socket
import struct
import sys
import time

port = int(sys.argv[1])
random.seed(11)
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
target = ("127.0.0.1", port)


def pad(b):
    return b + b"\0" * (4 - len(b) % 4)


def message(address, tags=b"", args=b""):
    return pad(address.encode() if isinstance(address, str) else address) + pad(b"," + tags) + args


sent = 0
def send(packet):
    global sent
    try:
        udp.sendto(packet, target)
        sent += 1
    except OSError:
        pass
    if sent % 200 == 0:
        time.sleep(0.01)   # the kernel's buffer: this is about the app, not the socket


started = time.time()
# Random bytes of every length.
for _ in range(2000):
    send(bytes(random.getrandbits(8) for _ in range(random.randint(0, 600))))
# Valid starts, then truncated at every length.
valid = message("/cuegrid/master/level", b"f", struct.pack(">f", -6.0))
for cut in range(len(valid)):
    send(valid[:cut])
# Type tags that lie about their arguments, unknown tags, missing arguments.
for tags in [b"i", b"ii", b"s", b"f", b"d", b"h", b"b", b"q", b"\xff", b"ssssssssssssssssssss", b"fff" * 30]:
    send(message("/cuegrid/clip/organ/level", tags, b"\0\0\0\1"))
    send(message("/cuegrid/group/A/level", tags))
# Huge strings: address, argument, a blob claiming a giant size.
send(message("/cuegrid/" + "x" * 60000))
send(message("/cuegrid/clip/organ/level", b"s", pad(b"y" * 60000)))
send(message("/cuegrid/clip/" + "z" * 5000 + "/start"))
send(message("/cuegrid/page", b"b", struct.pack(">i", 0x7FFFFFFF) + b"abc"))
# Bundles: nested garbage and a giant element size.
send(b"#bundle\0" + b"\0" * 8 + struct.pack(">i", 1 << 30) + b"junk")
send(b"#bundle\0" + b"\0" * 8 + struct.pack(">i", 16) + valid)
# Wrong values through the real dictionary.
for address, tags, args in [("/cuegrid/page", b"i", struct.pack(">i", -5)), ("/cuegrid/page", b"f", struct.pack(">f", float("nan"))),
                            ("/cuegrid/master/level", b"f", struct.pack(">f", float("inf"))),
                            ("/cuegrid/fadeAll", b"f", struct.pack(">f", 1e30)), ("/cuegrid/slot/9999/0/-1/x/start", b"", b""),
                            ("/cuegrid/group/Z/fade", b"", b""), ("/cue//start", b"", b""), ("//", b"", b""), ("/", b"", b"")]:
    send(message(address, tags, args))

# TCP: raw garbage, SLIP-framed garbage, a connection closed in the middle of a packet.
for framing in ("raw", "slip", "half"):
    try:
        tcp = socket.create_connection(target, timeout=2)
        for _ in range(50):
            junk = bytes(random.getrandbits(8) for _ in range(random.randint(1, 300)))
            if framing == "slip":
                junk = b"\xc0" + junk + b"\xc0"
            if framing == "half":
                junk = struct.pack(">i", 100000) + junk   # a length prefix larger than what follows
            tcp.sendall(junk)
        tcp.close()
    except OSError as error:
        print("tcp", framing, error)

# A flood: 20000 valid messages as fast as the socket takes them.
flood = message("/cuegrid/group/D/level", b"f", struct.pack(">f", -1.0))
flood_start = time.time()
for _ in range(20000):
    try:
        udp.sendto(flood, target)
        sent += 1
    except OSError:
        pass
print(f"sent {sent} packets in {time.time() - started:.2f} s (flood of 20000 in {time.time() - flood_start:.2f} s)")
time.sleep(1.0)   # let the app drain what the kernel kept
