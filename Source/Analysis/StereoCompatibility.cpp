// CueGrid — GPL-3.0-or-later
// Rule and thresholds: SessionPrep 0.3.3 stereo_compat.py, ../shared/specs/analysis-sessionprep.md 1.13 note 2.
#include "StereoCompatibility.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cuegrid::analysis
{

namespace
{
    constexpr double corrWarn = -0.3, monoLossWarnDb = 6.0, windowMs = 500.0;

    double correlation (double ll, double rr, double lr)
    {
        const auto denominator = std::sqrt (ll * rr);
        return denominator > 0 ? lr / denominator : 0.0;
    }

    double monoLoss (double ll, double rr, double lr)  // dB; +inf when the fold-down cancels
    {
        const auto mono = (ll + 2 * lr + rr) / 4;
        return mono > 0 ? 10.0 * std::log10 (((ll + rr) / 2) / mono) : std::numeric_limits<double>::infinity();
    }
} // namespace

void StereoCompatibilityDetector::begin (const AudioFileInfo& info)
{
    stereo = info.channels == 2;
    windowLength = (size_t) std::max (8, (int) (info.sampleRate * windowMs / 1000.0));
    filled = 0;
    left.assign (stereo ? windowLength : 0, 0.0);
    right.assign (stereo ? windowLength : 0, 0.0);
    totalLL = totalRR = totalLR = 0;
    anyFlagged = anyActive = false;
}

void StereoCompatibilityDetector::process (const double* interleaved, int64_t frames)
{
    if (! stereo)
        return;
    for (int64_t frame = 0; frame < frames; ++frame)
    {
        left[filled] = interleaved[frame * 2];
        right[filled] = interleaved[frame * 2 + 1];
        if (++filled == windowLength)
            finishWindow();
    }
}

void StereoCompatibilityDetector::end()
{
    if (! stereo || filled == 0)
        return;
    std::fill (left.begin() + (long) filled, left.end(), 0.0);   // the last window is zero-padded
    std::fill (right.begin() + (long) filled, right.end(), 0.0);
    finishWindow();
}

void StereoCompatibilityDetector::finishWindow()
{
    const auto n = (double) windowLength;
    double meanLeft = 0, meanRight = 0;
    for (size_t i = 0; i < windowLength; ++i)
    {
        meanLeft += left[i];
        meanRight += right[i];
    }
    meanLeft /= n;
    meanRight /= n;
    double ll = 0, rr = 0, lr = 0;
    for (size_t i = 0; i < windowLength; ++i)
    {
        const auto l = left[i] - meanLeft, r = right[i] - meanRight;
        ll += l * l;
        rr += r * r;
        lr += l * r;
    }
    filled = 0;
    if (std::max (std::sqrt (ll / n), std::sqrt (rr / n)) < 1e-7)
        return;   // silent window: not active
    anyActive = true;
    totalLL += ll;
    totalRR += rr;
    totalLR += lr;
    const auto loss = monoLoss (ll, rr, lr);
    anyFlagged = anyFlagged || correlation (ll, rr, lr) < corrWarn || (std::isfinite (loss) && loss > monoLossWarnDb);
}

DetectorResult StereoCompatibilityDetector::result() const
{
    DetectorResult result { Severity::clean, stereo ? "stereo compatibility OK" : "not stereo", {} };
    if (! stereo || ! anyActive)
        return result;
    const auto wholeLoss = monoLoss (totalLL, totalRR, totalLR);
    result.data["mono_loss_db"] = wholeLoss;
    const bool hasCorrelation = totalLL * totalRR > 0;
    const auto wholeCorr = correlation (totalLL, totalRR, totalLR);
    if (hasCorrelation)
        result.data["lr_corr"] = wholeCorr;
    const bool corrWarning = hasCorrelation && wholeCorr < corrWarn;
    const bool monoWarning = std::isfinite (wholeLoss) && wholeLoss > monoLossWarnDb;
    result.data["whole_file_warning"] = corrWarning || monoWarning ? 1.0 : 0.0;
    if (corrWarning || monoWarning)
    {
        std::string summary;
        if (corrWarning)
            summary = formatNumber ("corr %.2f (< -0.3)", wholeCorr);
        if (monoWarning)
            summary += (summary.empty() ? "" : ", ") + formatNumber ("mono loss %.1f dB (> 6 dB)", wholeLoss);
        // With a whole-file warning every active window becomes a region (the reference's fallback).
        result.severity = Severity::attention;
        result.summary = summary;
    }
    else if (anyFlagged)
        result.severity = Severity::attention;
    return result;
}

} // namespace cuegrid::analysis
