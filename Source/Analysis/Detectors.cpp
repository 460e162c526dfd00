// CueGrid — GPL-3.0-or-later
// Detector rules and thresholds: SessionPrep 0.3.3, ../shared/specs/analysis-sessionprep.md 1.13.
#include "Detectors.h"

#include <cmath>
#include <cstdio>
#include <map>

namespace cuegrid::analysis
{

namespace
{
    std::string printf1 (const char* pattern, double value)
    {
        char buffer[96];
        std::snprintf (buffer, sizeof buffer, pattern, value);
        return buffer;
    }

    std::string durationText (double seconds)  // "MM:SS.mmm", milliseconds truncated
    {
        const auto totalMs = (long long) (seconds * 1000.0);
        char buffer[32];
        std::snprintf (buffer, sizeof buffer, "%02lld:%02lld.%03lld", totalMs / 60000, (totalMs / 1000) % 60, totalMs % 1000);
        return buffer;
    }

    DetectorResult clipping (const AnalysisAudio& audio, const AnalysisConfig& config)
    {
        int runs = 0;
        for (const auto& channel : audio.channels)
        {
            int64_t length = 0;
            for (size_t i = 0; i <= channel.size(); ++i)
            {
                if (i < channel.size() && std::abs (channel[i]) >= 0.9999)
                    ++length;
                else
                {
                    if (length >= config.clipConsecutive)
                        ++runs;
                    length = 0;
                }
            }
            if (audio.channelCount() > 1 && runs >= config.clipReportMaxRanges)
                break;
        }
        if (runs == 0)
            return { Severity::clean, "no clipping" };
        return { Severity::problem, "clipping detected (" + std::to_string (runs) + " clipped ranges)" };
    }

    DetectorResult dcOffset (const AnalysisAudio& audio, const AnalysisConfig& config)
    {
        double dc = 0;
        for (const auto& channel : audio.channels)
        {
            double sum = 0;
            for (auto sample : channel) sum += sample;
            dc = std::max (dc, std::abs (sum / (double) channel.size()));
        }
        const auto dcDb = linearToDb (dc);
        if (dcDb > config.dcOffsetWarnDb)
            return { Severity::attention, printf1 ("DC offset %.1f dBFS", dcDb) };
        return { Severity::clean, "no DC offset issue" };
    }

    size_t decimationStep (const AnalysisAudio& audio) { return std::max<size_t> (1, (size_t) audio.frames / 200000); }

    DetectorResult dualMono (const AnalysisAudio& audio, const AnalysisConfig& config)
    {
        if (audio.channelCount() != 2)
            return { Severity::clean, "mono track" };
        double largest = 0;
        for (size_t i = 0; i < (size_t) audio.frames; i += decimationStep (audio))
            largest = std::max (largest, std::abs (audio.channels[0][i] - audio.channels[1][i]));
        if (largest <= config.dualMonoEpsilon)
            return { Severity::information, "dual-mono (identical L/R)" };
        return { Severity::clean, "not dual-mono" };
    }

    DetectorResult oneSidedSilence (const AnalysisAudio& audio, const AnalysisConfig& config)
    {
        if (audio.channelCount() != 2)
            return { Severity::clean, "mono track" };
        const auto step = decimationStep (audio);
        double rms[2] {};
        for (int c = 0; c < 2; ++c)
        {
            double sum = 0;
            size_t count = 0;
            for (size_t i = 0; i < (size_t) audio.frames; i += step, ++count)
                sum += audio.channels[(size_t) c][i];
            const auto mean = sum / (double) count;
            double squares = 0;
            for (size_t i = 0; i < (size_t) audio.frames; i += step)
                squares += (audio.channels[(size_t) c][i] - mean) * (audio.channels[(size_t) c][i] - mean);
            rms[c] = std::sqrt (squares / (double) count);
        }
        const auto threshold = std::pow (10.0, config.oneSidedSilenceDb / 20.0);
        const char* side = rms[0] <= threshold && threshold < rms[1] ? "L" : rms[1] <= threshold && threshold < rms[0] ? "R" : nullptr;
        if (side == nullptr)
            return { Severity::clean, "no one-sided silence" };
        return { Severity::attention, std::string ("one-sided silence (") + side + ") (L " + printf1 ("%.1f dBFS", linearToDb (rms[0]))
                                          + ", R " + printf1 ("%.1f dBFS", linearToDb (rms[1])) + ")" };
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

void runTrackDetectors (const AnalysisAudio& audio, TrackAnalysis& track, const AnalysisConfig& config)
{
    auto& detectors = track.detectors;
    detectors["silence"] = track.metrics.silent ? DetectorResult { Severity::attention, "silent" } : DetectorResult { Severity::clean, "not silent" };
    if (track.metrics.silent)
    {
        for (const auto* id : { "clipping", "dc_offset", "dual_mono", "one_sided_silence" })
            detectors[id] = { Severity::clean, "silent track" };
        return;
    }
    detectors["clipping"] = clipping (audio, config);
    detectors["dc_offset"] = dcOffset (audio, config);
    detectors["dual_mono"] = dualMono (audio, config);
    detectors["one_sided_silence"] = oneSidedSilence (audio, config);
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
    const auto commonLength = mostCommon (lengths);

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
