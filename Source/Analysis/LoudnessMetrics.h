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
    Memory: the histogram (~2 MB), the 200 ms decay look-ahead and one double per tail hop. */
class LoudnessAnalyzer final : public TrackAnalyzer
{
public:
    explicit LoudnessAnalyzer (const AnalysisConfig& settings) : config (settings) {}

    void begin (const AudioFileInfo& info) override;
    void process (const double* interleaved, int64_t frames) override;
    void end() override;

    const LoudnessMetrics& metrics() const noexcept { return result; }

private:
    /** Hop-1 sliding mean through a running prefix sum, m[i] = (c[i+W] − c[i]) / W. */
    struct SlidingMean
    {
        void reset (int length);

        /** Adds one sample; true (and the window's mean) when a full window ends here. */
        bool push (double value, double& mean) noexcept
        {
            cumulative += value;
            newest = newest + 1 == prefix.size() ? 0 : newest + 1;   // slot of c[pushed]
            prefix[newest] = cumulative;
            if (++pushed < length)
                return false;
            const auto oldest = newest + 1 == prefix.size() ? 0 : newest + 1;   // c[pushed − length]
            mean = (cumulative - prefix[oldest]) / length;
            return true;
        }

        int length = 1;
        double cumulative = 0;
        int64_t pushed = 0;
        size_t newest = 0;
        std::vector<double> prefix;   // ring of the last length + 1 prefix sums, c[0] = 0 first
    };

    void addWindow (double mean);
    void addEnvelope (double value);

    const AnalysisConfig& config;
    AudioFileInfo info;
    LoudnessMetrics result;
    bool sumChannels = false;
    double peak = 0;

    SlidingMean window, envelope;
    LevelHistogram histogram;
    int64_t windows = 0, untilTailHop = 0;
    double maxMean = -1;
    double powerSum = 0, meanPowerSum = 0;   // for files no longer than one window

    int64_t envelopeCount = 0, lookahead = 1;
    double loudestEnvelope = -1;
    std::vector<double> afterLoudest;        // envelope values after the loudest, up to the look-ahead
};

} // namespace cuegrid::analysis
