// CueGrid — GPL-3.0-or-later
#pragma once

#include "AnalysisConfig.h"
#include "LoudnessMetrics.h"
#include "OnsetEnvelope.h"

#include <string>
#include <vector>

namespace cuegrid::analysis
{

/** The reference's keyword matcher, case-insensitive: "name$" is an exact match of the file
    name (or of name + ".wav"), a keyword with * or ? is a glob, anything else a substring. */
bool matchesKeyword (const std::string& fileName, const std::string& keyword);
bool matchesAnyKeyword (const std::string& fileName, const std::vector<std::string>& keywords);

/** Transient / sustained decision and why. */
struct Classification
{
    std::string label;          // "Transient", "Sustained", "Transient (Forced)", "Sustained (Forced)", "Silent"
    bool transient = false;
    bool nearThreshold = false; // crest or decay within 2 dB of its threshold (informational)
    std::string reason;         // which measures decided, for the report
    bool speech = false;        // CueGrid rule only: judged speech (then Sustained: levelled like sustained material)
};

/** SessionPrep's rule (spec 1.8), all comparisons strict:
    Transient iff forced-transient, or decay > threshold, or (sparse and crest > threshold). */
Classification classifySessionPrep (const LoudnessMetrics& metrics, const std::string& fileName, const AnalysisConfig& config);

/** CueGrid's rule (docs/analysis.md §5), in this order:
    - speech: >= 8 strong onsets at 2-12 per second, without a metre (periodicity < 0.08),
      with soft attacks (median >= 35 ms) and at least one pause → Sustained, speech = true;
    - otherwise Transient iff at least half of the strong onsets whose decay can be judged, and
      more than the held ones, are percussive: attack <= 50 ms, not held, and either a fall of >= 20 dB/s over 250 ms in
      which >= 60 % of the 5 ms steps do not rise by more than 1 dB, or a noise-like ringing
      down over up to 2 s (OnsetEnvelope.cpp). nearThreshold: an exact tie.
    Tracks with no judgeable onset fall back to the SessionPrep rule. Forced keywords and
    silence as in the reference. */
/** The speech test of the CueGrid rule (above). */
bool soundsLikeSpeech (const OnsetFeatures& onsets);

Classification classifyCueGrid (const OnsetFeatures& onsets, const LoudnessMetrics& metrics,
                                const std::string& fileName, const AnalysisConfig& config);

} // namespace cuegrid::analysis
