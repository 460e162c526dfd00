// CueGrid — GPL-3.0-or-later
#pragma once

#include "AnalysisConfig.h"
#include "LevelHistogram.h"
#include "TrackAnalyzer.h"

#include <string>
#include <vector>

namespace cuegrid::analysis
{

/** 20·log10(x), or -inf for x <= 0 (the reference's linear_to_db). */
double linearToDb (double linear);

/** 10·log10(max(power, tiny)): the reference's floor for window powers. */
double powerToDb (double power);

/** The smallest positive double: floor of the windowed power → dB conversions (-3076.5 dB). */
inline constexpr double tiny = 2.2250738585072014e-308;

/** The level measures of one track, as SessionPrep defines them
    (../shared/specs/analysis-sessionprep.md 1.1–1.7). All levels in dBFS, sample peak. */
struct LoudnessMetrics
{
    bool silent = false;            // peak == 0 exactly
    double peakDb = 0;              // sample peak over all channels
    double rmsMaxDb = 0;            // loudest momentary (400 ms, hop 1) window
    double rmsAnchorDb = 0;         // P95 (or max) of the gated windows' power
    std::string anchorLabel;        // "p95" / "max"
    double crestDb = 0;             // peak − rmsMax; 0 when either is non-finite
    double decayDb = 0;             // envelope drop 200 ms after the loudest 10 ms
    double density = 0;             // fraction of windows passing the relative gate

    // Kept for the tail-exceedance detector (spec 1.12): every tail hop's window.
    std::vector<double> tailHopMeans;  // mean-square power of the windows starting at 0, hop, 2·hop, …
    int tailHop = 1;                   // samples between those windows
    double gateThresholdDb = 0;        // a window is active if its power in dB is >= this
    double anchorMean = 0;             // anchor as mean-square power
    int windowLength = 1;              // W in samples
};

/** Measures peak, momentary RMS windows, gate, anchor, crest, decay and density in one
    streaming pass. Window powers come from running prefix sums in double exactly as the
    reference computes them; the percentile comes from a LevelHistogram (±0.0005 dB).
    Each block is worked in a few tight loops over arrays (power, prefix sums, window means,
    histogram) rather than sample by sample. Memory: the histogram (~2 MB), one window of
    prefix sums, a block of window means, the 200 ms decay look-ahead and one double per tail hop. */
class LoudnessAnalyzer final : public TrackAnalyzer
{
public:
    explicit LoudnessAnalyzer (const AnalysisConfig& settings) : config (settings) {}

    void begin (const AudioFileInfo& info) override;
    void process (const double* interleaved, int64_t frames) override;
    void end() override;

    const LoudnessMetrics& metrics() const noexcept { return result; }

private:
    /** Running prefix sums c[k] = Σ_{i<k} value[i] of one per-frame series, kept for the last
        `history` frames, so the hop-1 window means (c[j+1] − c[j+1−W]) / W of any W <= history
        come out of one vectorisable subtraction per block. The sums are added in file order
        exactly as a single running total would be, so every mean is bit-identical to it. */
    struct PrefixSums
    {
        void reset (int64_t historyLength);
        void append (const double* values, int64_t count);   // then means() for the new frames
        void trim();                                          // after the block: keep `history` sums

        /** The means of the length-W windows ending at the frames appended last (none before
            frame W − 1 of the file); their first frame index in `firstEnd`. */
        int64_t means (int length, std::vector<double>& out, int64_t& firstEnd) const;

        double total() const noexcept { return sums.back(); }
        int64_t frames() const noexcept { return base + (int64_t) sums.size() - 1; }

        int64_t history = 1, base = 0, appended = 0;   // sums[0] is c[base]
        std::vector<double> sums;
    };

    void addWindows (const double* means, int64_t count, int64_t firstEnd);
    void addEnvelopes (const double* means, int64_t count);
    void addEnvelope (double value);

    const AnalysisConfig& config;
    AudioFileInfo info;
    LoudnessMetrics result;
    bool sumChannels = false;
    double peak = 0;
    int envelopeLength = 1;

    PrefixSums windowSums, meanSums;   // of the window's power; of the mean power (the same series unless --stereo_mode sum)
    std::vector<double> power, meanPower, means;   // per block, reused
    LevelHistogram::Lease histogram = LevelHistogram::borrow();
    int64_t windows = 0, untilTailHop = 0;
    double maxMean = -1;

    int64_t envelopeCount = 0, lookahead = 1;
    double loudestEnvelope = -1;
    std::vector<double> afterLoudest;        // envelope values after the loudest, up to the look-ahead
};

} // namespace cuegrid::analysis
