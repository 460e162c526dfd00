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
};

/** SessionPrep's rule (spec 1.8), all comparisons strict:
    Transient iff forced-transient, or decay > threshold, or (sparse and crest > threshold). */
Classification classifySessionPrep (const LoudnessMetrics& metrics, const std::string& fileName, const AnalysisConfig& config);

/** CueGrid's rule: Transient iff at least half of the strong onsets whose decay can be
    judged are percussive: attack <= 50 ms, then a fall of >= 20 dB/s in which >= 60 % of the
    5 ms steps do not rise by more than 1 dB (OnsetEnvelope.cpp). nearThreshold: an exact tie. It holds up on loops and multi-hit material,
    where the reference only looks at the single loudest moment. Tracks with no judgeable
    onset fall back to the SessionPrep rule. Forced keywords and silence as in the reference. */
Classification classifyCueGrid (const OnsetFeatures& onsets, const LoudnessMetrics& metrics,
                                const std::string& fileName, const AnalysisConfig& config);

} // namespace cuegrid::analysis
