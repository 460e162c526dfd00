// CueGrid — GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <vector>

namespace cuegrid::analysis
{

/** True peak (ITU-R BS.1770-4 Annex 2) as libebur128 1.2.6 measures it: the same polyphase
    interpolator (49-tap Hann-windowed sinc; 4× below 96 kHz, 2× below 192 kHz, none above),
    the same zero history before the first sample, and the result max(interpolated, sample peak).
    Unlike libebur128 it skips every 32-frame chunk whose interpolated values cannot exceed the
    peak found so far (|y| ≤ Σ|coefficients| · the chunk's window maximum), and it runs the
    filter over a contiguous planar float buffer the compiler vectorises: libebur128's own
    interpolator took 70 % of the whole analysis. Tests/Analysis/TrackLoudness.test.cpp holds it
    to ebur128_true_peak. Memory: one float per frame and channel of the largest block. */
class TruePeakMeter
{
public:
    /** Allocates. Any thread but the audio thread. */
    void reset (int channels, double sampleRate);

    /** `interleaved`: frames × channels samples, ±1.0 full scale. Allocates only when a block
        is larger than any before. */
    void process (const double* interleaved, int64_t frames);

    double truePeak() const noexcept { return peak; }         // linear, max over channels
    double samplePeak() const noexcept { return sampleMax; }  // linear, max over channels

private:
    static constexpr int chunk = 32;

    int channels = 0, factor = 1, taps = 1;     // taps per phase (delay line length)
    std::vector<float> coefficients;            // (factor − 1) phases × taps, newest sample first
    double bound = 0;                           // max over phases of Σ|coefficient|
    std::vector<float> planar;                  // per channel: taps − 1 history frames, the block, zeros to a whole chunk
    std::vector<float> chunkMax;                // per channel: |x| maximum of each chunk of the block
    std::vector<float> tails;                   // per channel: its last taps − 1 samples
    double peak = 0, sampleMax = 0;
};

} // namespace cuegrid::analysis
