// CueGrid — GPL-3.0-or-later
// Detector rules and thresholds: SessionPrep 0.3.3, ../shared/specs/analysis-sessionprep.md 1.12–1.13.
#include "Detectors.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace cuegrid::analysis
{

std::string durationText (double seconds)
{
    const auto totalMs = (long long) (seconds * 1000.0);
    char buffer[32];
    std::snprintf (buffer, sizeof buffer, "%02lld:%02lld.%03lld", totalMs / 60000, (totalMs / 1000) % 60, totalMs % 1000);
    return buffer;
}

namespace
{
    /** Tail exceedance (spec 1.12): 400 ms windows every 10 ms that pass the gate and exceed
        the anchor by more than tail_min_exceed_db, grouped into regions. */
    DetectorResult tailExceedance (const TrackAnalysis& track, const AnalysisConfig& config)
    {
        if (config.rmsAnchor != "percentile")
            return { Severity::clean, "tail reporting only for percentile anchoring", {} };
        const auto& metrics = track.metrics;
        if (metrics.silent || metrics.anchorMean <= 0)
            return { Severity::clean, "no significant tail exceedances", {} };
        const auto hop = (size_t) metrics.tailHop;
        struct Region { size_t start, end; double maxExceed; };
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
                }
                else
                    regions.push_back ({ start, end, exceed });
                inRegion = true;
            }
            else
                inRegion = false;
        }
        if (regions.empty())
            return { Severity::clean, "no significant tail exceedances", {} };
        std::stable_sort (regions.begin(), regions.end(), [] (const Region& a, const Region& b) { return a.maxExceed > b.maxExceed; });
        if (regions.size() > (size_t) config.tailMaxRegions)
            regions.resize ((size_t) config.tailMaxRegions);
        double maxExceed = 0, totalSeconds = 0;
        for (const auto& region : regions)
        {
            maxExceed = std::max (maxExceed, region.maxExceed);
            totalSeconds += (double) (region.end - region.start) / track.sampleRate;
        }
        char summary[128];
        std::snprintf (summary, sizeof summary, "%zu tail region(s) exceed anchor by >%g dB (max +%.1f dB)",
                       regions.size(), config.tailMinExceedDb, maxExceed);
        return { Severity::attention, summary, { { "regions", (double) regions.size() }, { "max_exceed_db", maxExceed },
                                                { "total_duration_sec", totalSeconds } } };
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
    if (track.metrics.silent)
    {
        for (const auto* id : { "clipping", "dc_offset", "dual_mono", "one_sided_silence", "stereo_compat", "subsonic", "tail_exceedance" })
            detectors[id] = { Severity::clean, "silent track", {} };
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
