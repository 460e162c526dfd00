# CueGrid — GPL-3.0-or-later
"""WAV in and out for the shell tests' Python checks, through sox (any format sox reads)."""
import array
import os
import subprocess
import tempfile
import wave


def read_wav(path):
    """Returns ([channel][sample] floats in -1..1, sample rate)."""
    channels = int(subprocess.run(["soxi", "-c", path], check=True, capture_output=True, text=True).stdout)
    rate = int(float(subprocess.run(["soxi", "-r", path], check=True, capture_output=True, text=True).stdout))
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "samples.f32")
        subprocess.run(["sox", path, "-t", "raw", "-e", "floating-point", "-b", "32", raw], check=True)
        data = array.array("f", open(raw, "rb").read())
    return [list(data[c::channels]) for c in range(channels)], rate


def write_wav(path, samples, rate):
    """Writes one channel of floats as 32-bit integer PCM (clipped to full scale)."""
    data = array.array("i", (max(-2147483648, min(2147483647, int(round(x * 2147483648.0)))) for x in samples))
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(4)
        w.setframerate(rate)
        w.writeframes(data.tobytes())
