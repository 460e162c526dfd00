// CueGrid — GPL-3.0-or-later
// LTC as float samples, on libltc's encoder: test signals and `cuegrid timecode generate`.
#pragma once

#include "Timecode.h"

#include <cstdint>
#include <memory>
#include <vector>

struct LTCEncoder;

namespace cuegrid
{

/** Writes LTC frames from a start timecode onwards, one frame after another (drop-frame labels
    skipped, midnight wrapped), as mono float samples. The encoder runs at full scale and the
    level is applied in float, so a −30 dBFS signal keeps its shape (libltc's own volume is
    8-bit). Frame boundaries fall on fractional sample positions carried over (1601.6 samples a
    frame at 29.97 and 48 kHz), so N frames are round(N · sampleRate / fps) samples.

    Allocates (create and render off the audio thread); one thread at a time. */
class LtcGenerator
{
public:
    /** `sampleRate` Hz (8000 … 384000), `levelDb` the peak level in dBFS (−96 … 0), `speed`
        as setSpeed. `start` must be valid for its rate. Throws std::invalid_argument. */
    LtcGenerator (double sampleRate, Timecode start, double levelDb = -6.0, double speed = 1.0);
    ~LtcGenerator();

    /** The playback speed the following frames represent (1.1: bits and frames 10 % shorter,
        as a tape played 1.1× fast; 0.5 … 2), so a ramp of speeds is a varispeed signal.
        Throws std::invalid_argument. */
    void setSpeed (double speed);

    /** Appends the next frame's samples to `out` and steps to the following label. */
    void renderFrame (std::vector<float>& out);

    /** The label the next renderFrame writes. */
    Timecode nextTimecode() const noexcept { return next; }

    /** `frames` frames from `start`: the whole signal at once. */
    static std::vector<float> generate (double sampleRate, Timecode start, int64_t frames, double levelDb = -6.0,
                                        double speed = 1.0);

private:
    struct LibltcDeleter { void operator() (LTCEncoder*) const noexcept; };
    std::unique_ptr<LTCEncoder, LibltcDeleter> encoder;
    Timecode next;
    float gain = 1.0f;
    double speed = 1.0;
};

} // namespace cuegrid
