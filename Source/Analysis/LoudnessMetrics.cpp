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

namespace
{
    double powerToDb (double power) { return 10.0 * std::log10 (std::max (power, tiny)); }

    /** Hop-1 sliding means of `power` over `length` samples through prefix sums in double,
        as the reference computes them (so silent windows after loud ones carry its noise). */
    std::vector<double> slidingMeans (const std::vector<double>& power, int length)
    {
        const auto n = power.size();
        if (n <= (size_t) length)
        {
            double sum = 0;
            for (auto p : power) sum += p;
            return { sum / (double) n };
        }
        std::vector<double> prefix (n + 1, 0.0);
        for (size_t i = 0; i < n; ++i)
            prefix[i + 1] = prefix[i] + power[i];
        std::vector<double> means (n - (size_t) length + 1);
        for (size_t i = 0; i < means.size(); ++i)
            means[i] = (prefix[i + (size_t) length] - prefix[i]) / (double) length;
        return means;
    }

    /** numpy.percentile, method "linear". */
    double percentile (std::vector<double> values, double percent)
    {
        std::sort (values.begin(), values.end());
        const auto rank = (double) (values.size() - 1) * percent / 100.0;
        const auto lower = (size_t) std::floor (rank);
        const auto t = rank - (double) lower;
        const auto a = values[lower], b = values[std::min (lower + 1, values.size() - 1)];
        return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1.0 - t);
    }

    double median (std::vector<double> values)
    {
        std::sort (values.begin(), values.end());
        const auto n = values.size();
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
    }
} // namespace

LoudnessMetrics measureLoudness (const AnalysisAudio& audio, const AnalysisConfig& config)
{
    LoudnessMetrics metrics;
    const auto n = (size_t) audio.frames;
    const auto channels = audio.channelCount();

    double peak = 0;
    for (const auto& channel : audio.channels)
        for (auto sample : channel)
            peak = std::max (peak, std::abs (sample));
    metrics.peakDb = linearToDb (peak);
    metrics.anchorLabel = config.rmsAnchor == "max" ? "max" : "p" + std::to_string ((int) config.rmsPercentile);
    if (peak == 0.0)
    {
        const auto negativeInfinity = -std::numeric_limits<double>::infinity();
        metrics.silent = true;
        metrics.rmsMaxDb = metrics.rmsAnchorDb = negativeInfinity;
        return metrics;
    }

    // Per-sample power: mean (or sum) over channels of x²; the decay envelope always uses the mean.
    std::vector<double> power (n), meanPower (n);
    for (size_t i = 0; i < n; ++i)
    {
        double sum = 0;
        for (int c = 0; c < channels; ++c)
            sum += audio.channels[(size_t) c][i] * audio.channels[(size_t) c][i];
        meanPower[i] = sum / channels;
        power[i] = channels > 1 && config.stereoMode == "sum" ? sum : meanPower[i];
    }

    // 1.2 momentary windows, 1.3 relative gate
    metrics.windowLength = std::max (1, (int) (config.windowMs / 1000.0 * audio.sampleRate));
    metrics.windowMeans = slidingMeans (power, metrics.windowLength);
    const auto& means = metrics.windowMeans;
    double maxWindowDb = -std::numeric_limits<double>::infinity();
    for (auto m : means)
        maxWindowDb = std::max (maxWindowDb, powerToDb (m));
    metrics.active.resize (means.size());
    std::vector<double> activeMeans;
    for (size_t i = 0; i < means.size(); ++i)
        if ((metrics.active[i] = powerToDb (means[i]) >= maxWindowDb - config.gateRelativeDb))
            activeMeans.push_back (means[i]);
    if (activeMeans.empty())
        activeMeans = means;

    // 1.4 anchor, 1.5 crest
    const auto maxMean = *std::max_element (activeMeans.begin(), activeMeans.end());
    metrics.rmsMaxDb = linearToDb (std::sqrt (std::max (maxMean, 0.0)));
    metrics.anchorMean = config.rmsAnchor == "max" ? maxMean : percentile (activeMeans, config.rmsPercentile);
    metrics.rmsAnchorDb = linearToDb (std::sqrt (std::max (metrics.anchorMean, 0.0)));
    metrics.crestDb = std::isfinite (metrics.peakDb) && std::isfinite (metrics.rmsMaxDb) ? metrics.peakDb - metrics.rmsMaxDb : 0.0;

    // 1.6 envelope decay
    const auto envelopeLength = std::max (1, (int) (0.010 * audio.sampleRate));
    const auto envelope = slidingMeans (meanPower, envelopeLength);
    const auto loudest = (size_t) (std::max_element (envelope.begin(), envelope.end()) - envelope.begin());
    const auto lookahead = (size_t) std::max (1, (int) (config.decayLookaheadMs / 1000.0 * audio.sampleRate));
    const auto end = std::min (envelope.size(), loudest + 1 + lookahead);
    double tailMedian = envelope[loudest];
    if (end > loudest + 1)
    {
        const std::vector<double> tail (envelope.begin() + (long) loudest + 1, envelope.begin() + (long) end);
        const auto quarter = std::max<size_t> (1, tail.size() / 4);
        tailMedian = median (std::vector<double> (tail.end() - (long) quarter, tail.end()));
    }
    metrics.decayDb = powerToDb (envelope[loudest]) - powerToDb (tailMedian);

    // 1.7 density
    metrics.density = (double) activeMeans.size() / (double) means.size();
    return metrics;
}

} // namespace cuegrid::analysis
