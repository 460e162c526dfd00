// CueGrid — GPL-3.0-or-later
// Detector rules and thresholds: SessionPrep 0.3.3, ../shared/specs/analysis-sessionprep.md 1.13.
#include "Detectors.h"

#include <cmath>
#include <algorithm>
#include <cstdio>
#include <limits>
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

    /** Stereo compatibility (spec 1.13 note 2): correlation and mono fold-down loss over
        non-overlapping, individually mean-removed windows (500 ms, as the reference CLI). */
    DetectorResult stereoCompatibility (const AnalysisAudio& audio)
    {
        if (audio.channelCount() != 2)
            return { Severity::clean, "not stereo", {} };
        constexpr double corrWarn = -0.3, monoLossWarnDb = 6.0, windowMs = 500.0;
        const auto window = (size_t) std::max (8, (int) (audio.sampleRate * windowMs / 1000.0));
        const auto frames = (size_t) audio.frames;
        const auto& left = audio.channels[0];
        const auto& right = audio.channels[1];
        auto correlation = [] (double ll, double rr, double lr) { const auto d = std::sqrt (ll * rr); return d > 0 ? lr / d : 0.0; };
        auto monoLoss = [] (double ll, double rr, double lr)
        {
            const auto mono = (ll + 2 * lr + rr) / 4;
            return mono > 0 ? 10.0 * std::log10 (((ll + rr) / 2) / mono) : std::numeric_limits<double>::infinity();
        };

        double totalLL = 0, totalRR = 0, totalLR = 0;
        bool anyFlagged = false, anyActive = false;
        for (size_t start = 0; start < frames; start += window)
        {
            double meanLeft = 0, meanRight = 0;
            for (size_t i = start; i < std::min (start + window, frames); ++i)
            {
                meanLeft += left[i];
                meanRight += right[i];
            }
            meanLeft /= (double) window;   // the zero padding of the last window counts
            meanRight /= (double) window;
            double ll = 0, rr = 0, lr = 0;
            for (size_t i = start; i < start + window; ++i)
            {
                const auto l = (i < frames ? left[i] : 0.0) - meanLeft, r = (i < frames ? right[i] : 0.0) - meanRight;
                ll += l * l;
                rr += r * r;
                lr += l * r;
            }
            if (std::max (std::sqrt (ll / (double) window), std::sqrt (rr / (double) window)) < 1e-7)
                continue;
            anyActive = true;
            totalLL += ll;
            totalRR += rr;
            totalLR += lr;
            const auto loss = monoLoss (ll, rr, lr);
            anyFlagged = anyFlagged || correlation (ll, rr, lr) < corrWarn || (std::isfinite (loss) && loss > monoLossWarnDb);
        }

        DetectorResult result { Severity::clean, "stereo compatibility OK", {} };
        if (! anyActive)
            return result;
        const auto wholeLoss = monoLoss (totalLL, totalRR, totalLR);
        result.data["mono_loss_db"] = wholeLoss;
        const bool hasCorrelation = totalLL * totalRR > 0;
        const auto wholeCorr = correlation (totalLL, totalRR, totalLR);
        if (hasCorrelation)
            result.data["lr_corr"] = wholeCorr;
        const bool corrWarning = hasCorrelation && wholeCorr < corrWarn;
        const bool monoWarning = std::isfinite (wholeLoss) && wholeLoss > monoLossWarnDb;
        if (corrWarning || monoWarning)
        {
            std::string summary;
            if (corrWarning)
                summary = printf1 ("corr %.2f (< -0.3)", wholeCorr);
            if (monoWarning)
            {
                if (! summary.empty())
                    summary += ", ";
                summary += printf1 ("mono loss %.1f dB (> 6 dB)", wholeLoss);
            }
            // With a whole-file warning every active window becomes a region (the fallback).
            result = { Severity::attention, summary, result.data };
        }
        else if (anyFlagged)
            result.severity = Severity::attention;
        return result;
    }

    /** Tail exceedance (spec 1.12): 400 ms windows every 10 ms that pass the gate and exceed
        the anchor by more than tail_min_exceed_db, grouped into regions. */
    DetectorResult tailExceedance (const AnalysisAudio& audio, const LoudnessMetrics& metrics, const AnalysisConfig& config)
    {
        if (config.rmsAnchor != "percentile")
            return { Severity::clean, "tail reporting only for percentile anchoring", {} };
        if (metrics.silent || metrics.anchorMean <= 0)
            return { Severity::clean, "no significant tail exceedances", {} };
        const auto hop = (size_t) std::max (1, (int) (config.tailHopMs / 1000.0 * audio.sampleRate));
        struct Region { size_t start, end; double maxExceed; };
        std::vector<Region> regions;
        bool inRegion = false;
        for (size_t start = 0; start < metrics.windowMeans.size(); start += hop)
        {
            if (! metrics.active[start])
                continue;  // gated hops are dropped before grouping
            const auto exceed = 10.0 * std::log10 (std::max (metrics.windowMeans[start], tiny) / metrics.anchorMean);
            if (exceed > config.tailMinExceedDb)
            {
                const auto end = std::min (start + (size_t) metrics.windowLength, (size_t) audio.frames);
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
            totalSeconds += (double) (region.end - region.start) / audio.sampleRate;
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

void runTrackDetectors (const AnalysisAudio& audio, TrackAnalysis& track, const AnalysisConfig& config)
{
    auto& detectors = track.detectors;
    detectors["silence"] = track.metrics.silent ? DetectorResult { Severity::attention, "silent" } : DetectorResult { Severity::clean, "not silent" };
    if (track.metrics.silent)
    {
        for (const auto* id : { "clipping", "dc_offset", "dual_mono", "one_sided_silence", "stereo_compat", "tail_exceedance" })
            detectors[id] = { Severity::clean, "silent track", {} };
        return;
    }
    detectors["clipping"] = clipping (audio, config);
    detectors["dc_offset"] = dcOffset (audio, config);
    detectors["dual_mono"] = dualMono (audio, config);
    detectors["one_sided_silence"] = oneSidedSilence (audio, config);
    detectors["stereo_compat"] = stereoCompatibility (audio);
    detectors["tail_exceedance"] = tailExceedance (audio, track.metrics, config);
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
