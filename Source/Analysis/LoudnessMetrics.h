// CueGrid — GPL-3.0-or-later
#pragma once

#include "AnalysisAudio.h"
#include "AnalysisConfig.h"

#include <vector>

namespace cuegrid::analysis
{

/** 20·log10(x), or -inf for x <= 0 (the reference's linear_to_db). */
double linearToDb (double linear);

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

    // Kept for the tail-exceedance detector.
    std::vector<double> windowMeans;   // mean-square power of each 400 ms window
    std::vector<char> active;          // passes the relative gate
    double anchorMean = 0;             // anchor as mean-square power
    int windowLength = 1;              // W in samples
};

/** Measures one decoded track. Deterministic; any thread. */
LoudnessMetrics measureLoudness (const AnalysisAudio& audio, const AnalysisConfig& config);

} // namespace cuegrid::analysis
