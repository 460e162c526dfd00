// CueGrid — GPL-3.0-or-later
#pragma once

#include "TrackAnalyzer.h"

#include <cstdint>
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

    // Over a longer horizon (up to 2 s after the peak, until the next onset), for onsets
    // followed by at least 600 ms (OnsetEnvelope.cpp):
    int held = 0;                // the level settles within 20 dB of the peak and stays (< 4 dB/s)
    int ringing = 0;             // the level keeps falling >= 4 dB/s, steadily, with noise-like bright sound (cymbals)
    double medianCrossingsPerSecond = 0;   // zero crossings of the channel sum after 250 ms, median over those onsets

    // Rhythm of the strong onsets, for speech and loops:
    double durationSeconds = 0;
    double onsetsPerSecond = 0;  // strong onsets per second of the file
    double periodicity = 0;      // 0…1: how well onset intervals fit one grid, above chance
    double gridMs = 0;           // that grid's unit
    int pauses = 0;              // gaps >= 150 ms at least 35 dB below the loudest frame, between the first and last strong onset
};

/** Collects a 10 ms RMS envelope every 5 ms (mean power over channels) and the zero
    crossings of the channel sum in one streaming pass, and finds the onsets, their decays and
    their rhythm at the end. Memory: a float and a short per 5 ms (4.3 MB per hour). One
    analysis thread. */
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
    std::vector<uint16_t> blockCrossings;   // zero crossings of the channel sum in each 5 ms block
    int blockCrossing = 0;
    bool wasPositive = true;
    OnsetFeatures result;
};

} // namespace cuegrid::analysis
