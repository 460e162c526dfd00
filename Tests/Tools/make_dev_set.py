#!/usr/bin/env python3
# CueGrid — GPL-3.0-or-later
"""Builds the classifier's labelled development set from installed Debian packages.

Every label comes from what the sound is, as the package itself names it, never from an
algorithm:
  - Hydrogen kits (hydrogen-drumkits, hydrogen-drumkits-effects): the instrument's <name> in
    the kit's drumkit.xml mapped to kick / snare / toms / hi-hat / cymbals / percussion.
  - LMMS (lmms-common): the samples' directory (drums, beats, stringsnpads).
  - Drum loops: built here from the Hydrogen kits' kick, snare and hi-hat hits at a tempo and
    compressed hard with sox compand; transient by construction.
  - Speech: espeak-ng and festival (kal) synthesised voices. It is synthetic speech, said so.
  - Sustained instruments and pads: fluidsynth renders held chords and legato lines of
    FluidR3 GM programs from the sustained families (organ, strings, choir, brass, reed,
    pipe, synth lead, synth pad); labelled by the GM family.

Splits: a whole kit, voice or GM program is either "dev" (used to choose the rules) or
"holdout" (only checked afterwards); LMMS is held out as a whole package.

Usage: make_dev_set.py OUT_DIR   writes OUT_DIR/<split>/<category>/<name>.wav and
OUT_DIR/labels.csv (file,category,expected,split,source), deterministic.
"""
import csv, os, re, shutil, struct, subprocess, sys, xml.etree.ElementTree as ET

HYDROGEN = "/usr/share/hydrogen/data/drumkits"
LMMS = "/usr/share/lmms/samples"
SOUNDFONT = "/usr/share/sounds/sf2/FluidR3_GM.sf2"

# Whole kits held out (acoustic, electronic and hand percussion among them).
HOLDOUT_KITS = {"The Black Pearl 1.0", "ElectricEmpireKit", "Millo_MultiLayered3", "circAfrique v4", "rumpf_kit_z01_h2"}

# Instrument name (drumkit.xml) → category; first match wins. Names that say nothing
# ("17", "FX", "Zap", rolls, guitar strums, whistles, water glasses) are not labelled.
CATEGORIES = [
    ("skip", r"roll|whistle|waterglass|zap|\bfx\b|sample:|strum|free"),
    ("cymbals", r"crash|ride|cymbal|splash|china"),
    ("hi-hat", r"hi-?hat|\bhh\b|\bhat\b|ohh"),
    ("toms", r"\btom|tomhi"),
    ("kick", r"kick|bass ?drum|bassdrum"),
    ("snare", r"snare|rimshot|rim click|stick"),
    ("percussion", r"clap|cowbell|conga|bongo|djembe|cajon|tambourine|clave|woodblock|maraca|snap|sangban|dununba|kenkeni|drum \d"),
]

TRANSIENT = {"kick", "snare", "toms", "hi-hat", "cymbals", "percussion", "loop", "lmms-drums", "lmms-beats"}

rows = []


def run(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def slug(text):
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")


def add(out, split, category, name, source, make):
    rel = f"{split}/{category}/{slug(name)}.wav"
    path = os.path.join(out, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if not os.path.exists(path):
        partial = path[:-4] + ".part.wav"   # renamed when complete: an interrupted run leaves no short file
        try:
            make(partial)
            os.replace(partial, path)
        except subprocess.CalledProcessError:   # a file sox cannot read (e.g. Vorbis inside WAV): left out
            if os.path.exists(partial):
                os.remove(partial)
            print(f"make_dev_set: skipped {source}", file=sys.stderr)
            return
    expected = "transient" if category in TRANSIENT else "sustained"   # speech is normalised like sustained material
    rows.append((rel, category, expected, split, source))


def category_of(name):
    lowered = name.lower()
    for category, pattern in CATEGORIES:
        if re.search(pattern, lowered):
            return None if category == "skip" else category
    return None


def hydrogen_instruments():
    """(kit, instrument name, category, [layer files softest → hardest])"""
    result = []
    for kit in sorted(os.listdir(HYDROGEN)):
        xml = os.path.join(HYDROGEN, kit, "drumkit.xml")
        if not os.path.isfile(xml):
            continue
        text = open(xml, encoding="utf-8", errors="replace").read()
        text = re.sub(r'xmlns="[^"]*"', "", text, count=1)
        root = ET.fromstring(text.encode("utf-8"))
        for instrument in root.iter("instrument"):
            name = (instrument.findtext("name") or "").strip()
            category = category_of(name)
            layers = []
            for layer in instrument.iter("layer"):
                file = layer.findtext("filename")
                if file:
                    layers.append((float(layer.findtext("max") or 1), file))
            if not layers and instrument.findtext("filename"):
                layers = [(1.0, instrument.findtext("filename"))]
            files = [os.path.join(HYDROGEN, kit, f) for _, f in sorted(layers)]
            files = [f for f in files if os.path.isfile(f)]
            if category and files:
                result.append((kit, name, category, files))
    return result


def pick_layers(files):
    """The hardest, middle and softest velocity layers (fewer if there are fewer)."""
    picks = [files[-1], files[len(files) // 2], files[0]]
    return list(dict.fromkeys(picks))


def convert(source):
    return lambda path: run("sox", "-R", source, "-b", "24", path)


# ---------------------------------------------------------------- drum loops
def read_hit(path, rate=44100):
    """A hit as 16-bit stereo samples at 44.1 kHz (list of ints)."""
    raw = subprocess.run(["sox", "-R", path, "-t", "raw", "-r", str(rate), "-c", "2", "-b", "16", "-e", "signed", "-L", "-"],
                         check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    return list(struct.unpack("<%dh" % (len(raw) // 2), raw))


def make_loop(kick, snare, hat, bpm, pattern, compand, path, rate=44100):
    step = int(round(rate * 60.0 / bpm / 4))        # sixteenth notes
    steps = 32                                      # two bars
    mix = [0.0] * (2 * step * steps + 2 * rate)
    hits = {"k": read_hit(kick), "s": read_hit(snare), "h": read_hit(hat)}
    gains = {"k": 0.5, "s": 0.45, "h": 0.25}
    for i in range(steps):
        for voice in pattern[i % 16]:
            samples, gain, start = hits[voice], gains[voice], 2 * i * step
            for j in range(min(len(samples), len(mix) - start)):
                mix[start + j] += gain * samples[j]
    mix = mix[: 2 * step * steps]                   # a loop: cut at the bar line
    peak = max(1.0, max(abs(v) for v in mix))
    data = struct.pack("<%dh" % len(mix), *(int(v * 30000 / peak) for v in mix))
    raw = path + ".raw"
    with open(raw, "wb") as f:
        f.write(data)
    try:
        run("sox", "-R", "-t", "raw", "-r", str(rate), "-c", "2", "-b", "16", "-e", "signed", "-L", raw,
            "-b", "24", path, "compand", *compand, "gain", "-n", "-0.3")
    finally:
        os.remove(raw)


PATTERNS = {   # per sixteenth: k kick, s snare, h hat
    "rock": ["kh", "h", "h", "h", "sh", "h", "kh", "h", "kh", "h", "kh", "h", "sh", "h", "h", "h"],
    "break": ["kh", "", "h", "k", "sh", "", "h", "s", "h", "k", "kh", "", "sh", "", "h", "h"],
    "four": ["kh", "h", "h", "h", "ksh", "h", "h", "h", "kh", "h", "h", "h", "ksh", "h", "h", "h"],
}
# Heavy compression: fast attack, release 100-250 ms (the pumping fills the gaps between hits).
COMPANDS = {
    "comp4": ["0.002,0.1", "6:-60,-60,-40,-25,-20,-15,0,-10", "8", "-60", "0.002"],
    "comp8": ["0.001,0.25", "6:-70,-70,-50,-25,-20,-13,0,-9", "8", "-70", "0.001"],
    # Smashed: about 10:1 above -40 dB with a 0.5 s release, the level between hits pumps back up.
    "smash": ["0.001,0.5", "6:-70,-70,-40,-12,-20,-10,0,-8", "7", "-70", "0.001"],
}


# ---------------------------------------------------------------- fluidsynth
def midi_file(program, notes, path):
    """A format-0 SMF: program change, then (start beat, length beats, [keys]) at 120 bpm."""
    events = [(0, bytes([0xC0, program]))]
    for start, length, keys in notes:
        for key in keys:
            events.append((int(start * 480), bytes([0x90, key, 96])))
            events.append((int((start + length) * 480), bytes([0x80, key, 0])))
    events.sort(key=lambda e: (e[0], e[1][0] == 0x90))
    track, now = b"", 0

    def varlen(value):
        out = bytes([value & 0x7F])
        value >>= 7
        while value:
            out = bytes([(value & 0x7F) | 0x80]) + out
            value >>= 7
        return out
    for time, data in events:
        track += varlen(time - now) + data
        now = time
    track += varlen(960) + b"\xff\x2f\x00"
    with open(path, "wb") as f:
        f.write(b"MThd" + struct.pack(">IHHH", 6, 0, 1, 480) + b"MTrk" + struct.pack(">I", len(track)) + track)


SUSTAINED_FAMILIES = {   # GM programs (0-based) whose family holds its note
    "organ": range(16, 21), "strings": list(range(40, 45)) + [48, 49, 50, 51], "choir": [52, 53, 54],
    "brass": range(56, 64), "reed": range(64, 72), "pipe": range(72, 80),
    "synth-lead": range(80, 88), "pad": range(88, 96),
}
CHORD = [(0, 6, [48, 55, 64, 67])]                            # one held chord, 3 s
LINE = [(i * 2, 2, [k]) for i, k in enumerate([60, 62, 64, 65, 67])]   # legato line, 1 s notes


def render(program, notes, path):
    mid = path + ".mid"
    midi_file(program, notes, mid)
    try:
        run("fluidsynth", "-ni", "-g", "0.5", "-r", "44100", "-F", path, SOUNDFONT, mid)
    finally:
        os.remove(mid)


# ---------------------------------------------------------------- speech
SENTENCES = [
    "Ladies and gentlemen, the performance will begin in five minutes. Please take your seats.",
    "It was a bright cold day in April, and the clocks were striking thirteen.",
    "The north wind and the sun were disputing which was the stronger, when a traveller came along.",
    "Welcome back. Tonight we travel from the mountains to the sea, one story at a time.",
    "Please switch off your mobile phones. Photography is not permitted during the show.",
]
ESPEAK_DEV = ["en-gb", "en-us", "de", "fr-fr", "es", "it"]
ESPEAK_HOLDOUT = ["en-gb-scotland", "en-us-nyc", "nl", "pt", "sv", "pl"]


def espeak(voice, speed, text):
    return lambda path: run("espeak-ng", "-v", voice, "-s", str(speed), "-w", path, text)


def festival(text):
    def make(path):
        txt = path + ".txt"
        with open(txt, "w") as f:
            f.write(text)
        try:
            run("text2wave", "-o", path, txt)
        finally:
            os.remove(txt)
    return make


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    instruments = hydrogen_instruments()

    for kit, name, category, files in instruments:
        split = "holdout" if kit in HOLDOUT_KITS else "dev"
        for n, file in enumerate(pick_layers(files)):
            add(out, split, category, f"{kit}_{name}_{n}", f"hydrogen:{kit}:{name}:{os.path.basename(file)}", convert(file))

    # Loops from each kit that has a kick, a snare and a closed hi-hat.
    by_kit = {}
    for kit, name, category, files in instruments:
        closed = category == "hi-hat" and re.search(r"clos|cl\b|\bhh\b", name.lower()) and "open" not in name.lower()
        role = {"kick": "k", "snare": "s"}.get(category, "h" if closed else None)
        if role and role not in by_kit.setdefault(kit, {}):
            by_kit[kit][role] = files[-1]
    for kit in sorted(by_kit):
        hits = by_kit[kit]
        if len(hits) < 3:
            continue
        split = "holdout" if kit in HOLDOUT_KITS else "dev"
        for (pattern, bpm, comp) in [("rock", 96, "comp4"), ("break", 132, "comp8"), ("four", 124, "comp8"),
                                     ("rock", 110, "smash"), ("break", 100, "smash")]:
            add(out, split, "loop", f"{kit}_{pattern}_{bpm}_{comp}", f"built:{kit}:{pattern}:{bpm}bpm:{comp}",
                lambda path, p=pattern, b=bpm, c=comp: make_loop(hits["k"], hits["s"], hits["h"], b, PATTERNS[p], COMPANDS[c], path))

    # LMMS as a whole package held out, by its directories.
    for directory, category in [("drums", "lmms-drums"), ("beats", "lmms-beats"), ("stringsnpads", "lmms-pads")]:
        folder = os.path.join(LMMS, directory)
        for file in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            add(out, "holdout", category, os.path.splitext(file)[0], f"lmms:{directory}/{file}", convert(os.path.join(folder, file)))

    # Sustained GM programs: even program numbers dev, odd held out.
    for family, programs in SUSTAINED_FAMILIES.items():
        for program in programs:
            split = "dev" if program % 2 == 0 else "holdout"
            category = "pad" if family == "pad" else "sustained-instrument"
            for shape, notes in [("chord", CHORD), ("line", LINE)]:
                add(out, split, category, f"gm{program:03d}_{family}_{shape}", f"fluid-soundfont-gm:program {program}:{family}:{shape}",
                    lambda path, p=program, n=notes: render(p, n, path))

    # Speech.
    for voices, split in [(ESPEAK_DEV, "dev"), (ESPEAK_HOLDOUT, "holdout")]:
        for v, voice in enumerate(voices):
            for s in range(2):
                text = SENTENCES[(v + 2 * s) % len(SENTENCES)] + " " + SENTENCES[(v + 2 * s + 1) % len(SENTENCES)]
                speed = 150 + 25 * s
                add(out, split, "speech", f"espeak_{voice}_{speed}", f"espeak-ng:{voice}:{speed}wpm", espeak(voice, speed, text))
    for s, sentence in enumerate(SENTENCES):
        add(out, "holdout", "speech", f"festival_kal_{s}", "festival:kal_diphone", festival(sentence + " " + SENTENCES[(s + 1) % len(SENTENCES)]))

    with open(os.path.join(out, "labels.csv"), "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["file", "category", "expected", "split", "source"])
        writer.writerows(rows)
    print(f"make_dev_set: {len(rows)} files in {out}")


if __name__ == "__main__":
    main()
