// CueGrid — GPL-3.0-or-later
#include "Classifier.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <fnmatch.h>

namespace cuegrid::analysis
{

namespace
{
    std::string lower (std::string text)
    {
        std::transform (text.begin(), text.end(), text.begin(), [] (unsigned char c) { return (char) std::tolower (c); });
        return text;
    }

    std::string describeMeasures (const LoudnessMetrics& metrics)
    {
        char buffer[160];
        std::snprintf (buffer, sizeof buffer, "crest %.1f dB, decay %.1f dB, density %.2f",
                       metrics.crestDb, metrics.decayDb, metrics.density);
        return buffer;
    }
} // namespace

bool matchesKeyword (const std::string& fileName, const std::string& keyword)
{
    const auto name = lower (fileName);
    auto key = lower (keyword);
    if (! key.empty() && key.back() == '$')
    {
        key.pop_back();
        return name == key || name == key + ".wav";
    }
    if (key.find_first_of ("*?") != std::string::npos)
        return ::fnmatch (key.c_str(), name.c_str(), 0) == 0;
    return name.find (key) != std::string::npos;
}

bool matchesAnyKeyword (const std::string& fileName, const std::vector<std::string>& keywords)
{
    return std::any_of (keywords.begin(), keywords.end(), [&] (const auto& keyword) { return matchesKeyword (fileName, keyword); });
}

Classification classifySessionPrep (const LoudnessMetrics& metrics, const std::string& fileName, const AnalysisConfig& config)
{
    Classification result;
    if (metrics.silent)
    {
        result.label = "Silent";
        result.reason = "digital silence";
        return result;
    }
    const bool crestHigh = metrics.crestDb > config.crestThreshold;
    const bool decayHigh = metrics.decayDb > config.decayDbThreshold;
    const bool sparse = metrics.density < config.sparseDensityThreshold;
    const auto measures = describeMeasures (metrics);

    if (matchesAnyKeyword (fileName, config.forceTransient))
    {
        result = { "Transient (Forced)", true, false, "forced by --force_transient" };
        return result;
    }
    if (matchesAnyKeyword (fileName, config.forceSustained))
    {
        result = { "Sustained (Forced)", false, false, "forced by --force_sustained" };
        return result;
    }
    result.nearThreshold = std::abs (metrics.crestDb - config.crestThreshold) < 2.0
                           || std::abs (metrics.decayDb - config.decayDbThreshold) < 2.0;
    if (sparse && (crestHigh || decayHigh))
        result = { "Transient", true, result.nearThreshold, "sparse and " + std::string (crestHigh ? "crest" : "decay") + " above threshold" };
    else if (crestHigh && decayHigh)
        result = { "Transient", true, result.nearThreshold, "crest and decay above threshold" };
    else if (! crestHigh && ! decayHigh)
        result = { "Sustained", false, result.nearThreshold, "crest and decay at or below threshold" };
    else if (crestHigh)
        result = { "Sustained", false, result.nearThreshold, "high crest but slow decay (plucked/piano)" };
    else
        result = { "Transient", true, result.nearThreshold, "fast decay with low crest (compressed drums)" };
    result.reason += " (" + measures + ")";
    return result;
}

bool soundsLikeSpeech (const OnsetFeatures& onsets)
{
    // Syllables: many strong onsets at a speaking rate, placed by the words rather than by a
    // metre (a loop's hits fit a grid), each rising through its vowel (>= 35 ms, where a
    // drum rises in 10-30 ms), and breath pauses between phrases.
    return onsets.onsets >= 8 && onsets.onsetsPerSecond >= 2.0 && onsets.onsetsPerSecond <= 12.0
           && onsets.periodicity < 0.08 && onsets.medianAttackMs >= 35.0 && onsets.pauses >= 1;
}

Classification classifyCueGrid (const OnsetFeatures& onsets, const LoudnessMetrics& metrics,
                                const std::string& fileName, const AnalysisConfig& config)
{
    auto fallback = classifySessionPrep (metrics, fileName, config);
    if (metrics.silent || fallback.label.find ("Forced") != std::string::npos)
        return fallback;
    Classification result;
    char measures[320];
    if (soundsLikeSpeech (onsets))
    {
        std::snprintf (measures, sizeof measures, "%.1f strong onsets/s without a metre (periodicity %.2f), median attack %.0f ms, %d pauses",
                       onsets.onsetsPerSecond, onsets.periodicity, onsets.medianAttackMs, onsets.pauses);
        result = { "Sustained", false, false, std::string ("speech, levelled like sustained material (") + measures + ")", true };
        return result;
    }
    std::snprintf (measures, sizeof measures, "%d of %d strong onsets percussive, %d ringing down, %d held; median attack %.0f ms, decay %.0f dB/s, steady %.0f %%",
                   onsets.percussive, onsets.measured, onsets.ringing, onsets.held, onsets.medianAttackMs,
                   onsets.medianDecayDbPerSecond, 100.0 * onsets.medianMonotonic);
    if (onsets.measured == 0)
    {
        fallback.reason = (onsets.onsets == 0 ? "no sharp onset" : "onsets too close or too late to judge")
                          + std::string ("; SessionPrep rule: ") + fallback.reason;
        return fallback;
    }
    // A tie is broken by held onsets: a note that settles and stays is evidence of sustain.
    result.transient = onsets.percussive > 0 && 2 * onsets.percussive >= onsets.measured && onsets.percussive > onsets.held;
    result.label = result.transient ? "Transient" : "Sustained";
    result.nearThreshold = 2 * onsets.percussive == onsets.measured;
    result.reason = std::string (result.transient ? (onsets.ringing > 0 && onsets.medianDecayDbPerSecond < 20.0 ? "struck and ringing down" : "sharp hits that die away")
                                                  : (onsets.held > 0 ? "level holds after its onsets" : "onsets without a percussive decay"))
                    + " (" + measures + ")";
    return result;
}

} // namespace cuegrid::analysis
