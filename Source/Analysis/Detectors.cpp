// CueGrid — GPL-3.0-or-later
// Detector rules and thresholds: SessionPrep 0.3.3, ../shared/specs/analysis-sessionprep.md 1.12–1.13.
#include "Detectors.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

namespace cuegrid::analysis
{

std::string durationText (double seconds)
{
    // As the reference computes it: milliseconds from the fraction (seconds % 1), so 516480 samples
    // at 48 kHz (10.76 s, whose fraction is 0.7599999…) read 00:10.759.
    const auto minutes = (long long) std::floor (seconds / 60.0);
    const auto wholeSeconds = (long long) std::fmod (seconds, 60.0);
    const auto ms = (long long) (std::fmod (seconds, 1.0) * 1000.0);
    char buffer[48];
    std::snprintf (buffer, sizeof buffer, "%02lld:%02lld.%03lld", minutes, wholeSeconds, ms);
    return buffer;
}

namespace
{
    /** The reference's tail_summary object; anchor_db is the anchor in dBFS. */
    nlohmann::ordered_json tailSummary (size_t regions, double totalSeconds, double maxExceedDb, double anchorDb)
    {
        return { { "regions", regions }, { "total_duration_sec", totalSeconds }, { "max_exceed_db", maxExceedDb },
                 { "anchor_db", jsonNumber (anchorDb) } };
    }

    /** Tail exceedance (spec 1.12): 400 ms windows every 10 ms that pass the gate and exceed
        the anchor by more than tail_min_exceed_db, grouped into regions. */
    DetectorResult tailExceedance (const TrackAnalysis& track, const AnalysisConfig& config)
    {
        if (config.rmsAnchor != "percentile")
            return { Severity::clean, "tail reporting only for percentile anchoring", {} };
        const auto& metrics = track.metrics;
        DetectorResult clean { Severity::clean, "no significant tail exceedances", {} };
        clean.details = { { "tail_regions", nlohmann::ordered_json::array() },
                          { "tail_summary", tailSummary (0, 0.0, 0.0, metrics.rmsAnchorDb) } };
        if (metrics.silent || metrics.anchorMean <= 0)
            return clean;
        const auto hop = (size_t) metrics.tailHop;
        struct Region { size_t start, end; double maxExceed, maxMean; };
        std::vector<Region> regions;
        bool inRegion = false;
        for (size_t index = 0; index < metrics.tailHopMeans.size(); ++index)
        {
            const auto mean = metrics.tailHopMeans[index];
            const auto start = index * hop;
            if (powerToDb (mean) < metrics.gateThresholdDb)
                continue;  // gated hops are dropped before grouping
            const auto exceed = 10.0 * std::log10 (std::max (mean, tiny) / metrics.anchorMean);
            if (exceed > config.tailMinExceedDb)
            {
                const auto end = std::min (start + (size_t) metrics.windowLength, (size_t) track.frames);
                if (inRegion)
                {
                    regions.back().end = end;
                    regions.back().maxExceed = std::max (regions.back().maxExceed, exceed);
                    regions.back().maxMean = std::max (regions.back().maxMean, mean);
                }
                else
                    regions.push_back ({ start, end, exceed, mean });
                inRegion = true;
            }
            else
                inRegion = false;
        }
        if (regions.empty())
            return clean;
        // The top tail_max_regions by exceedance, then in file order again.
        std::stable_sort (regions.begin(), regions.end(), [] (const Region& a, const Region& b) { return a.maxExceed > b.maxExceed; });
        if (regions.size() > (size_t) config.tailMaxRegions)
            regions.resize ((size_t) config.tailMaxRegions);
        std::stable_sort (regions.begin(), regions.end(), [] (const Region& a, const Region& b) { return a.start < b.start; });
        double maxExceed = 0, totalSeconds = 0;
        auto list = nlohmann::ordered_json::array();
        for (const auto& region : regions)
        {
            maxExceed = std::max (maxExceed, region.maxExceed);
            totalSeconds += (double) (region.end - region.start) / track.sampleRate;
            list.push_back ({ { "start_sample", region.start }, { "end_sample", region.end },
                              { "start_time", durationText ((double) region.start / track.sampleRate) },
                              { "end_time", durationText ((double) region.end / track.sampleRate) },
                              { "max_exceed_db", region.maxExceed },
                              { "max_rms_db", jsonNumber (linearToDb (std::sqrt (region.maxMean))) } });
        }
        char summary[128];
        std::snprintf (summary, sizeof summary, "%zu tail region(s) exceed anchor by >%g dB (max +%.1f dB)",
                       regions.size(), config.tailMinExceedDb, maxExceed);
        DetectorResult result { Severity::attention, summary, { { "regions", (double) regions.size() }, { "max_exceed_db", maxExceed },
                                                              { "total_duration_sec", totalSeconds } } };
        result.details = { { "tail_regions", std::move (list) },
                           { "tail_summary", tailSummary (regions.size(), totalSeconds, maxExceed, metrics.rmsAnchorDb) } };
        return result;
    }

    /** The reference's audio_classifier entry (spec 1.4–1.8): the measures and the class that
        decided the gain (with --classifier cuegrid, CueGrid's class and near_threshold). */
    DetectorResult audioClassifier (const TrackAnalysis& track)
    {
        const auto& m = track.metrics;
        const auto& c = track.classification;
        if (m.silent)
        {
            DetectorResult silent { Severity::clean, "silent track" };
            const auto minusInfinity = jsonNumber (-std::numeric_limits<double>::infinity());
            silent.details = { { "peak_db", minusInfinity }, { "rms_max_db", minusInfinity }, { "rms_anchor_db", minusInfinity },
                               { "rms_anchor_mean", 0.0 }, { "crest", 0.0 }, { "decay_db", 0.0 }, { "density", 0.0 },
                               { "classification", "Silent" }, { "is_transient", false }, { "near_threshold", false } };
            return silent;
        }
        char summary[160];
        std::snprintf (summary, sizeof summary, "crest %.1f dB, decay %.1f dB, density %.0f%%, %s",
                       m.crestDb, m.decayDb, m.density * 100.0, c.label.c_str());
        DetectorResult result { Severity::information, summary };
        result.details = { { "peak_db", jsonNumber (m.peakDb) }, { "rms_max_db", jsonNumber (m.rmsMaxDb) },
                           { "rms_anchor_db", jsonNumber (m.rmsAnchorDb) }, { "rms_anchor_mean", jsonNumber (m.anchorMean) },
                           { "rms_anchor_label", m.anchorLabel }, { "crest", jsonNumber (m.crestDb) },
                           { "decay_db", jsonNumber (m.decayDb) }, { "density", jsonNumber (m.density) },
                           { "classification", c.label }, { "is_transient", c.transient }, { "near_threshold", c.nearThreshold } };
        return result;
    }

    template <typename Value>
    Value mostCommon (const std::vector<Value>& values)
    {
        // Counter.most_common: highest count, ties to the first seen.
        std::map<Value, int> counts;
        for (const auto& value : values) ++counts[value];
        Value best = values.front();
        for (const auto& value : values)
            if (counts[value] > counts[best]) best = value;
        return best;
    }
} // namespace


TrackDetectors::TrackDetectors (const AnalysisConfig& settings)
    : config (settings), clipping (settings), dcOffset (settings), channelPair (settings)
{
}

std::vector<TrackAnalyzer*> TrackDetectors::analyzers()
{
    return { &clipping, &dcOffset, &channelPair, &stereoCompatibility, &subsonic };
}

void TrackDetectors::writeResults (TrackAnalysis& track) const
{
    auto& detectors = track.detectors;
    detectors["silence"] = track.metrics.silent ? DetectorResult { Severity::attention, "silent" } : DetectorResult { Severity::clean, "not silent" };
    detectors["audio_classifier"] = audioClassifier (track);
    if (track.metrics.silent)
    {
        for (const auto* id : { "clipping", "dc_offset", "dual_mono", "one_sided_silence", "stereo_compat", "subsonic", "tail_exceedance" })
            detectors[id] = { Severity::clean, "silent track", {} };
        // The reference's data on a silent track, for the detectors that have it in this file.
        detectors["stereo_compat"].details = { { "lr_corr", nullptr }, { "mono_loss_db", nullptr }, { "corr_warn", false }, { "mono_warn", false } };
        detectors["subsonic"].details = { { "subsonic_ratio_db", "-inf" }, { "subsonic_warn", false }, { "per_channel", nlohmann::ordered_json::object() } };
        if (config.rmsAnchor == "percentile")
            detectors["tail_exceedance"].details = { { "tail_regions", nlohmann::ordered_json::array() },
                                                     { "tail_summary", tailSummary (0, 0.0, 0.0, -std::numeric_limits<double>::infinity()) } };
        return;
    }
    detectors["clipping"] = clipping.result();
    detectors["dc_offset"] = dcOffset.result();
    detectors["dual_mono"] = channelPair.dualMono();
    detectors["one_sided_silence"] = channelPair.oneSidedSilence();
    detectors["stereo_compat"] = stereoCompatibility.result();
    detectors["subsonic"] = subsonic.result();
    detectors["tail_exceedance"] = tailExceedance (track, config);
}

void runSessionDetectors (SessionAnalysisResult& result)
{
    std::vector<double> rates;
    std::vector<std::string> depths;
    for (const auto& track : result.tracks)
        if (track.ok())
        {
            rates.push_back (track.sampleRate);
            depths.push_back (track.bitdepth);
        }
    if (rates.empty())
        return;
    result.mostCommonSampleRate = mostCommon (rates);
    result.mostCommonBitdepth = mostCommon (depths);

    std::vector<int64_t> lengths;
    auto equivalentLength = [&] (const TrackAnalysis& track)
    {
        const auto rate = (int64_t) track.sampleRate, common = (int64_t) result.mostCommonSampleRate;
        return (track.frames * common + rate / 2) / rate;
    };
    for (const auto& track : result.tracks)
        if (track.ok())
            lengths.push_back (equivalentLength (track));
    const auto commonLength = result.mostCommonLength = mostCommon (lengths);

    for (auto& track : result.tracks)
    {
        if (! track.ok())
            continue;
        std::string mismatch;
        if (track.sampleRate != result.mostCommonSampleRate)
            mismatch = std::to_string ((int) track.sampleRate) + " Hz";
        if (track.bitdepth != result.mostCommonBitdepth)
        {
            if (! mismatch.empty())
                mismatch += ", ";
            mismatch += track.bitdepth;
        }
        track.detectors["format_consistency"] = mismatch.empty() ? DetectorResult { Severity::clean, "format OK" }
                                                                 : DetectorResult { Severity::problem, "format mismatch (" + mismatch + ")" };
        const auto length = equivalentLength (track);
        track.detectors["length_consistency"] = length == commonLength
            ? DetectorResult { Severity::clean, "length OK" }
            : DetectorResult { Severity::information, "length mismatch (" + std::to_string (length) + " samples / "
                                                          + durationText (track.durationSeconds) + ")" };
    }
}

} // namespace cuegrid::analysis
