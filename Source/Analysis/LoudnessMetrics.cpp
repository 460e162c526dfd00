// CueGrid — GPL-3.0-or-later
// Formulas: SessionPrep 0.3.3 (bzeiss/sessionprep), written down in
// ../shared/specs/analysis-sessionprep.md sections 1.1–1.7; the references are its results.
#include "LoudnessMetrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cuegrid::analysis
{

double linearToDb (double linear)
{
    return linear > 0 ? 20.0 * std::log10 (linear) : -std::numeric_limits<double>::infinity();
}

double powerToDb (double power)
{
    return 10.0 * std::log10 (std::max (power, tiny));
}

namespace
{
    double median (std::vector<double> values)
    {
        std::sort (values.begin(), values.end());
        const auto n = values.size();
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
    }
} // namespace

void LoudnessAnalyzer::PrefixSums::reset (int64_t historyLength)
{
    history = std::max<int64_t> (1, historyLength);
    base = 0;
    appended = 0;
    sums.assign (1, 0.0);   // c[0] = 0
}

void LoudnessAnalyzer::PrefixSums::append (const double* values, int64_t count)
{
    // One running total added in file order: c[k] is exactly what a sample-by-sample sum gives.
    const auto first = sums.size();
    sums.resize (first + (size_t) count);
    auto running = sums[first - 1];
    auto* out = sums.data() + first;
    for (int64_t i = 0; i < count; ++i)
    {
        running += values[i];
        out[i] = running;
    }
    appended = count;
}

int64_t LoudnessAnalyzer::PrefixSums::means (int length, std::vector<double>& out, int64_t& firstEnd) const
{
    const auto total = frames();
    firstEnd = std::max<int64_t> (total - appended, length - 1);   // the first frame that ends a window
    const auto count = std::max<int64_t> (0, total - firstEnd);
    out.resize ((size_t) count);
    // Window ending at frame j: (c[j + 1] − c[j + 1 − length]) / length.
    const auto* newer = sums.data() + (firstEnd + 1 - base);
    const auto* older = newer - length;
    const auto divisor = (double) length;
    auto* result = out.data();
    for (int64_t i = 0; i < count; ++i)
        result[i] = (newer[i] - older[i]) / divisor;
    return count;
}

void LoudnessAnalyzer::PrefixSums::trim()
{
    const auto keep = (size_t) history + 1;
    if (sums.size() > keep)
    {
        const auto drop = sums.size() - keep;
        sums.erase (sums.begin(), sums.begin() + (long) drop);
        base += (int64_t) drop;
    }
}

namespace
{
    /** max(start, |x|) over `count` samples; exact in any order, so four lanes at once. */
    double peakOf (const double* samples, int64_t count, double start) noexcept
    {
        double lanes[4] = { start, start, start, start };
        int64_t i = 0;
        for (; i + 4 <= count; i += 4)
            for (int lane = 0; lane < 4; ++lane)
                lanes[lane] = std::max (lanes[lane], std::abs (samples[i + lane]));
        for (; i < count; ++i)
            lanes[0] = std::max (lanes[0], std::abs (samples[i]));
        return std::max (std::max (lanes[0], lanes[1]), std::max (lanes[2], lanes[3]));
    }

    double maximumOf (const double* values, int64_t count, double start) noexcept
    {
        double lanes[4] = { start, start, start, start };
        int64_t i = 0;
        for (; i + 4 <= count; i += 4)
            for (int lane = 0; lane < 4; ++lane)
                lanes[lane] = std::max (lanes[lane], values[i + lane]);
        for (; i < count; ++i)
            lanes[0] = std::max (lanes[0], values[i]);
        return std::max (std::max (lanes[0], lanes[1]), std::max (lanes[2], lanes[3]));
    }
} // namespace

void LoudnessAnalyzer::begin (const AudioFileInfo& fileInfo)
{
    info = fileInfo;
    result = {};
    result.anchorLabel = config.rmsAnchor == "max" ? "max" : "p" + std::to_string ((int) config.rmsPercentile);
    result.windowLength = std::max (1, (int) (config.windowMs / 1000.0 * info.sampleRate));
    result.tailHop = std::max (1, (int) (config.tailHopMs / 1000.0 * info.sampleRate));
    sumChannels = info.channels > 1 && config.stereoMode == "sum";
    envelopeLength = std::max (1, (int) (0.010 * info.sampleRate));
    // 1.2 / 1.6: the window sums the per-frame power, the envelope the mean power over channels;
    // they are one series unless --stereo_mode sum.
    windowSums.reset (sumChannels ? result.windowLength : std::max (result.windowLength, envelopeLength));
    meanSums.reset (sumChannels ? envelopeLength : 1);
    lookahead = std::max (1, (int) (config.decayLookaheadMs / 1000.0 * info.sampleRate));
    afterLoudest.clear();
    afterLoudest.reserve ((size_t) lookahead);
    histogram->clear();
    peak = 0;
    windows = envelopeCount = untilTailHop = 0;
    maxMean = loudestEnvelope = -1;
}

void LoudnessAnalyzer::process (const double* interleaved, int64_t frames)
{
    const auto channels = info.channels;
    power.resize ((size_t) frames);
    meanPower.resize ((size_t) frames);
    peak = peakOf (interleaved, frames * channels, peak);
    // 1.2: per-sample power, mean (or sum) over channels; 1.6 always uses the mean. The sum over
    // channels is added in channel order from 0, as the reference's per-frame sum.
    if (channels == 1)
        for (int64_t frame = 0; frame < frames; ++frame)
            meanPower[(size_t) frame] = interleaved[frame] * interleaved[frame];
    else if (channels == 2)
        for (int64_t frame = 0; frame < frames; ++frame)
        {
            const auto left = interleaved[2 * frame], right = interleaved[2 * frame + 1];
            power[(size_t) frame] = left * left + right * right;
        }
    else
        for (int64_t frame = 0; frame < frames; ++frame)
        {
            const auto* samples = interleaved + frame * channels;
            double sum = 0;
            for (int c = 0; c < channels; ++c)
                sum += samples[c] * samples[c];
            power[(size_t) frame] = sum;
        }
    if (channels > 1)
    {
        const auto divisor = (double) channels;
        for (int64_t frame = 0; frame < frames; ++frame)
            meanPower[(size_t) frame] = power[(size_t) frame] / divisor;
    }

    windowSums.append (sumChannels ? power.data() : meanPower.data(), frames);
    if (sumChannels)
        meanSums.append (meanPower.data(), frames);

    int64_t firstEnd = 0;
    if (const auto count = windowSums.means (result.windowLength, means, firstEnd); count > 0)
        addWindows (means.data(), count, firstEnd);
    const auto& envelopeSums = sumChannels ? meanSums : windowSums;
    if (const auto count = envelopeSums.means (envelopeLength, means, firstEnd); count > 0)
        addEnvelopes (means.data(), count);
    windowSums.trim();
    if (sumChannels)
        meanSums.trim();
}

void LoudnessAnalyzer::addWindows (const double* windowMeans, int64_t count, int64_t)
{
    histogram->addAll (windowMeans, (size_t) count);
    maxMean = maximumOf (windowMeans, count, maxMean);
    // Every tail hop's window: windows 0, hop, 2·hop, … of the file.
    const auto hop = (int64_t) result.tailHop;
    for (auto i = (hop - windows % hop) % hop; i < count; i += hop)
        result.tailHopMeans.push_back (windowMeans[i]);
    windows += count;
}

void LoudnessAnalyzer::addEnvelopes (const double* envelopeMeans, int64_t count)
{
    for (int64_t i = 0; i < count;)
    {
        if ((int64_t) afterLoudest.size() >= lookahead)
        {
            // The look-ahead is full: only a new loudest value changes anything.
            const auto loudest = loudestEnvelope;
            const auto start = i;
            while (i < count && ! (envelopeMeans[i] > loudest))
                ++i;
            envelopeCount += i - start;
            if (i == count)
                break;
        }
        addEnvelope (envelopeMeans[i++]);
    }
}

void LoudnessAnalyzer::addEnvelope (double value)
{
    // 1.6: the first loudest 10 ms envelope value and the look-ahead after it.
    if (value > loudestEnvelope)
    {
        loudestEnvelope = value;
        afterLoudest.clear();
    }
    else if ((int64_t) afterLoudest.size() < lookahead)
        afterLoudest.push_back (value);
    ++envelopeCount;
}

void LoudnessAnalyzer::end()
{
    const auto frames = windowSums.frames();
    result.peakDb = linearToDb (peak);
    if (peak == 0.0 || frames == 0)
    {
        result.silent = true;
        result.rmsMaxDb = result.rmsAnchorDb = -std::numeric_limits<double>::infinity();
        result.tailHopMeans.clear();
        return;
    }
    // Files no longer than one window (or one envelope) have exactly one: the whole-file mean.
    if (windows == 0)
    {
        const auto whole = windowSums.total() / (double) frames;
        addWindows (&whole, 1, 0);
    }
    if (envelopeCount == 0)
        addEnvelope ((sumChannels ? meanSums : windowSums).total() / (double) frames);

    // 1.3 relative gate, 1.4 anchor, 1.5 crest, 1.7 density
    const auto maxWindowDb = powerToDb (maxMean);
    result.gateThresholdDb = maxWindowDb - config.gateRelativeDb;
    const auto thresholdPower = std::pow (10.0, result.gateThresholdDb / 10.0);
    result.rmsMaxDb = linearToDb (std::sqrt (std::max (maxMean, 0.0)));
    result.anchorMean = config.rmsAnchor == "max" ? maxMean : histogram->percentile (config.rmsPercentile, thresholdPower, maxMean);
    result.rmsAnchorDb = linearToDb (std::sqrt (std::max (result.anchorMean, 0.0)));
    result.crestDb = std::isfinite (result.peakDb) && std::isfinite (result.rmsMaxDb) ? result.peakDb - result.rmsMaxDb : 0.0;
    result.density = (double) histogram->countAtOrAbove (thresholdPower) / (double) windows;

    // 1.6 envelope decay: median of the last quarter of the look-ahead.
    auto tailMedian = loudestEnvelope;
    if (! afterLoudest.empty())
    {
        const auto quarter = std::max<size_t> (1, afterLoudest.size() / 4);
        tailMedian = median (std::vector<double> (afterLoudest.end() - (long) quarter, afterLoudest.end()));
    }
    result.decayDb = powerToDb (loudestEnvelope) - powerToDb (tailMedian);
}

} // namespace cuegrid::analysis
