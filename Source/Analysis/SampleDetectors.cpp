// CueGrid — GPL-3.0-or-later
// Detector rules and thresholds: SessionPrep 0.3.3, ../shared/specs/analysis-sessionprep.md 1.13.
#include "SampleDetectors.h"

#include "LoudnessMetrics.h"

#include <algorithm>
#include <cmath>

namespace cuegrid::analysis
{

namespace
{
    /** True when any of `frames` samples `stride` apart has |x| >= 0.9999 (the clip level). */
    bool anyAtFullScale (const double* samples, int64_t frames, size_t stride) noexcept
    {
        double lanes[4] = {};
        int64_t frame = 0;
        for (; frame + 4 <= frames; frame += 4)
            for (int lane = 0; lane < 4; ++lane)
                lanes[lane] = std::max (lanes[lane], std::abs (samples[(size_t) (frame + lane) * stride]));
        for (; frame < frames; ++frame)
            lanes[0] = std::max (lanes[0], std::abs (samples[(size_t) frame * stride]));
        return std::max (std::max (lanes[0], lanes[1]), std::max (lanes[2], lanes[3])) >= 0.9999;
    }
} // namespace

void ClippingDetector::begin (const AudioFileInfo& info)
{
    runLength.assign ((size_t) info.channels, 0);
    runs.assign ((size_t) info.channels, 0);
}

void ClippingDetector::process (const double* interleaved, int64_t frames)
{
    const auto channels = runLength.size();
    for (size_t c = 0; c < channels; ++c)
    {
        auto length = runLength[c];
        auto count = runs[c];
        if (config.clipConsecutive > 0 && frames > 0 && ! anyAtFullScale (interleaved + c, frames, channels))
        {
            // Nothing clipped in this block: a run from the last block ends at its first sample.
            runs[c] = count + (length >= config.clipConsecutive ? 1 : 0);
            runLength[c] = 0;
            continue;
        }
        for (int64_t frame = 0; frame < frames; ++frame)
        {
            if (std::abs (interleaved[(size_t) frame * channels + c]) >= 0.9999)
                ++length;
            else
            {
                count += length >= config.clipConsecutive ? 1 : 0;
                length = 0;
            }
        }
        runLength[c] = length;
        runs[c] = count;
    }
}

DetectorResult ClippingDetector::result() const
{
    int64_t total = 0;
    for (size_t c = 0; c < runs.size(); ++c)
    {
        total += runs[c] + (runLength[c] >= config.clipConsecutive ? 1 : 0);   // a run reaching the end counts
        if (runs.size() > 1 && total >= config.clipReportMaxRanges)
            break;
    }
    if (total == 0)
        return { Severity::clean, "no clipping" };
    return { Severity::problem, "clipping detected (" + std::to_string (total) + " clipped ranges)", { { "runs", (double) total } } };
}

void DcOffsetDetector::begin (const AudioFileInfo& info)
{
    sums.assign ((size_t) info.channels, 0.0);
    count = 0;
}

void DcOffsetDetector::process (const double* interleaved, int64_t frames)
{
    const auto channels = sums.size();
    for (size_t c = 0; c < channels; ++c)
    {
        // Four partial sums per block (vectorisable; the mean moves by ~1e-16 relative).
        double lanes[4] = {};
        const auto* samples = interleaved + c;
        int64_t frame = 0;
        for (; frame + 4 <= frames; frame += 4)
            for (int lane = 0; lane < 4; ++lane)
                lanes[lane] += samples[(size_t) (frame + lane) * channels];
        for (; frame < frames; ++frame)
            lanes[0] += samples[(size_t) frame * channels];
        sums[c] += (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
    }
    count += frames;
}

DetectorResult DcOffsetDetector::result() const
{
    double dc = 0;
    for (auto sum : sums)
        dc = std::max (dc, std::abs (sum / (double) count));
    const auto dcDb = linearToDb (dc);
    if (dcDb > config.dcOffsetWarnDb)
        return { Severity::attention, formatNumber ("DC offset %.1f dBFS", dcDb), { { "dc_db", dcDb } } };
    return { Severity::clean, "no DC offset issue", { { "dc_db", dcDb } } };
}

void ChannelPairDetector::begin (const AudioFileInfo& info)
{
    stereo = info.channels == 2;
    step = std::max<int64_t> (1, info.frames / 200000);
    position = 0;
    left.clear();
    right.clear();
    if (stereo)
    {
        left.reserve (AudioFileInfo::reserveHint (info.frames / step + 1));
        right.reserve (AudioFileInfo::reserveHint (info.frames / step + 1));
    }
}

void ChannelPairDetector::process (const double* interleaved, int64_t frames)
{
    if (! stereo)
        return;
    // The decimation grid continues across blocks: frames 0, step, 2·step, … of the file.
    auto first = (step - position % step) % step;
    for (auto frame = first; frame < frames; frame += step)
    {
        left.push_back (interleaved[frame * 2]);
        right.push_back (interleaved[frame * 2 + 1]);
    }
    position += frames;
}

DetectorResult ChannelPairDetector::dualMono() const
{
    if (! stereo)
        return { Severity::clean, "mono track" };
    double largest = 0;
    for (size_t i = 0; i < left.size(); ++i)
        largest = std::max (largest, std::abs (left[i] - right[i]));
    if (largest <= config.dualMonoEpsilon)
        return { Severity::information, "dual-mono (identical L/R)" };
    return { Severity::clean, "not dual-mono" };
}

DetectorResult ChannelPairDetector::oneSidedSilence() const
{
    if (! stereo)
        return { Severity::clean, "mono track" };
    auto rmsOf = [] (const std::vector<double>& samples)
    {
        double sum = 0;
        for (auto sample : samples) sum += sample;
        const auto mean = sum / (double) samples.size();
        double squares = 0;
        for (auto sample : samples) squares += (sample - mean) * (sample - mean);
        return std::sqrt (squares / (double) samples.size());
    };
    const double rms[2] { rmsOf (left), rmsOf (right) };
    const auto threshold = std::pow (10.0, config.oneSidedSilenceDb / 20.0);
    const char* side = rms[0] <= threshold && threshold < rms[1] ? "L" : rms[1] <= threshold && threshold < rms[0] ? "R" : nullptr;
    if (side == nullptr)
        return { Severity::clean, "no one-sided silence" };
    return { Severity::attention, std::string ("one-sided silence (") + side + ") (L " + formatNumber ("%.1f dBFS", linearToDb (rms[0]))
                                      + ", R " + formatNumber ("%.1f dBFS", linearToDb (rms[1])) + ")" };
}

} // namespace cuegrid::analysis
