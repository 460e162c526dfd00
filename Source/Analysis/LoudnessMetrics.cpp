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

void LoudnessAnalyzer::SlidingMean::reset (int newLength)
{
    length = newLength;
    cumulative = 0;
    pushed = 0;
    newest = 0;
    prefix.assign ((size_t) length + 1, 0.0);
}

void LoudnessAnalyzer::begin (const AudioFileInfo& fileInfo)
{
    info = fileInfo;
    result = {};
    result.anchorLabel = config.rmsAnchor == "max" ? "max" : "p" + std::to_string ((int) config.rmsPercentile);
    result.windowLength = std::max (1, (int) (config.windowMs / 1000.0 * info.sampleRate));
    result.tailHop = std::max (1, (int) (config.tailHopMs / 1000.0 * info.sampleRate));
    sumChannels = info.channels > 1 && config.stereoMode == "sum";
    window.reset (result.windowLength);
    envelope.reset (std::max (1, (int) (0.010 * info.sampleRate)));
    lookahead = std::max (1, (int) (config.decayLookaheadMs / 1000.0 * info.sampleRate));
    afterLoudest.clear();
    afterLoudest.reserve ((size_t) lookahead);
    peak = powerSum = meanPowerSum = 0;
    windows = envelopeCount = untilTailHop = 0;
    maxMean = loudestEnvelope = -1;
}

void LoudnessAnalyzer::process (const double* interleaved, int64_t frames)
{
    const auto channels = info.channels;
    for (int64_t frame = 0; frame < frames; ++frame)
    {
        const auto* samples = interleaved + frame * channels;
        double sum = 0;
        for (int c = 0; c < channels; ++c)
        {
            peak = std::max (peak, std::abs (samples[c]));
            sum += samples[c] * samples[c];
        }
        // 1.2: per-sample power, mean (or sum) over channels; 1.6 always uses the mean.
        const auto meanPower = sum / channels;
        const auto power = sumChannels ? sum : meanPower;
        powerSum += power;
        meanPowerSum += meanPower;
        double mean;
        if (window.push (power, mean))
            addWindow (mean);
        if (envelope.push (meanPower, mean))
            addEnvelope (mean);
    }
}

void LoudnessAnalyzer::addWindow (double mean)
{
    histogram.add (mean);
    maxMean = std::max (maxMean, mean);
    if (untilTailHop-- == 0)
    {
        result.tailHopMeans.push_back (mean);
        untilTailHop = result.tailHop - 1;
    }
    ++windows;
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
    const auto frames = window.pushed;
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
        addWindow (powerSum / (double) frames);
    if (envelopeCount == 0)
        addEnvelope (meanPowerSum / (double) frames);

    // 1.3 relative gate, 1.4 anchor, 1.5 crest, 1.7 density
    const auto maxWindowDb = powerToDb (maxMean);
    result.gateThresholdDb = maxWindowDb - config.gateRelativeDb;
    const auto thresholdPower = std::pow (10.0, result.gateThresholdDb / 10.0);
    result.rmsMaxDb = linearToDb (std::sqrt (std::max (maxMean, 0.0)));
    result.anchorMean = config.rmsAnchor == "max" ? maxMean : histogram.percentile (config.rmsPercentile, thresholdPower, maxMean);
    result.rmsAnchorDb = linearToDb (std::sqrt (std::max (result.anchorMean, 0.0)));
    result.crestDb = std::isfinite (result.peakDb) && std::isfinite (result.rmsMaxDb) ? result.peakDb - result.rmsMaxDb : 0.0;
    result.density = (double) histogram.countAtOrAbove (thresholdPower) / (double) windows;

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
