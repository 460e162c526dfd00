// CueGrid — GPL-3.0-or-later
#pragma once

#include "TrackAnalyzer.h"

#include <vector>

namespace cuegrid::analysis
{

/** What CueGrid's classifier measures around every strong onset of a track. */
struct OnsetFeatures
{
    int onsets = 0;              // onsets within 20 dB of the loudest (rise >= 9 dB within 30 ms)
    int percussive = 0;          // of those: a sharp attack followed by a steady, fast decay
    int measured = 0;            // of those: with at least 40 ms before the next onset to judge the decay
    double medianAttackMs = 0;   // onset start → envelope peak, ms
    double medianDecayDbPerSecond = 0;   // level fall after the peak over up to 250 ms, dB/s
    double medianMonotonic = 0;  // share of 5 ms steps after the peak that do not rise (0…1)
};

/** Collects a 10 ms RMS envelope every 5 ms (mean power over channels) in one streaming pass
    and finds the onsets and their decays at the end. Memory: one float per 5 ms
    (2.9 MB per hour). One analysis thread. */
class OnsetEnvelopeAnalyzer final : public TrackAnalyzer
{
public:
    void begin (const AudioFileInfo& info) override;
    void process (const double* interleaved, int64_t frames) override;
    void end() override;

    const OnsetFeatures& features() const noexcept { return result; }

    static constexpr double hopMs = 5.0;

private:
    int channels = 1;
    int hopLength = 240, filled = 0;
    double blockPower = 0;
    std::vector<float> blockPowers;   // mean power of each 5 ms block
    OnsetFeatures result;
};

} // namespace cuegrid::analysis
