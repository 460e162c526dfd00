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
    constexpr size_t maxRegions = 20;   // corr_max_regions

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
    frames = 0;
    windows.clear();
    windows.reserve (AudioFileInfo::reserveHint (info.frames / (int64_t) windowLength + 1));
}

void StereoCompatibilityDetector::process (const double* interleaved, int64_t count)
{
    if (! stereo)
        return;
    frames += count;
    // De-interleaved a run at a time, up to the end of the window or of the block.
    for (int64_t frame = 0; frame < count;)
    {
        const auto take = std::min<int64_t> (count - frame, (int64_t) (windowLength - filled));
        const auto* in = interleaved + frame * 2;
        for (int64_t k = 0; k < take; ++k)
        {
            left[filled + (size_t) k] = in[2 * k];
            right[filled + (size_t) k] = in[2 * k + 1];
        }
        filled += (size_t) take;
        frame += take;
        if (filled == windowLength)
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
    // Sums in four partial sums each (vectorisable; ~1e-16 relative from one running sum). L = R
    // or L = −R sample by sample still gives ll = ±lr = rr exactly, as dual-mono and polarity need.
    const auto n = (double) windowLength;
    const auto* l = left.data();
    const auto* r = right.data();
    double sumLeft[4] = {}, sumRight[4] = {};
    size_t i = 0;
    for (; i + 4 <= windowLength; i += 4)
        for (size_t lane = 0; lane < 4; ++lane)
        {
            sumLeft[lane] += l[i + lane];
            sumRight[lane] += r[i + lane];
        }
    for (; i < windowLength; ++i)
    {
        sumLeft[0] += l[i];
        sumRight[0] += r[i];
    }
    const auto meanLeft = ((sumLeft[0] + sumLeft[1]) + (sumLeft[2] + sumLeft[3])) / n;
    const auto meanRight = ((sumRight[0] + sumRight[1]) + (sumRight[2] + sumRight[3])) / n;
    double sumLL[4] = {}, sumRR[4] = {}, sumLR[4] = {};
    for (i = 0; i + 4 <= windowLength; i += 4)
        for (size_t lane = 0; lane < 4; ++lane)
        {
            const auto a = l[i + lane] - meanLeft, b = r[i + lane] - meanRight;
            sumLL[lane] += a * a;
            sumRR[lane] += b * b;
            sumLR[lane] += a * b;
        }
    for (; i < windowLength; ++i)
    {
        const auto a = l[i] - meanLeft, b = r[i] - meanRight;
        sumLL[0] += a * a;
        sumRR[0] += b * b;
        sumLR[0] += a * b;
    }
    const auto ll = (sumLL[0] + sumLL[1]) + (sumLL[2] + sumLL[3]);
    const auto rr = (sumRR[0] + sumRR[1]) + (sumRR[2] + sumRR[3]);
    const auto lr = (sumLR[0] + sumLR[1]) + (sumLR[2] + sumLR[3]);
    filled = 0;
    if (std::max (std::sqrt (ll / n), std::sqrt (rr / n)) < 1e-7)
    {
        windows.push_back ({ 0.0, 0.0, false });   // silent window: not active, breaks a region
        return;
    }
    anyActive = true;
    totalLL += ll;
    totalRR += rr;
    totalLR += lr;
    const auto loss = monoLoss (ll, rr, lr), corr = correlation (ll, rr, lr);
    windows.push_back ({ corr, loss, true });
    anyFlagged = anyFlagged || flagged (corr, loss);
}

bool StereoCompatibilityDetector::flagged (double corr, double monoLossDb)
{
    return corr < corrWarn || (std::isfinite (monoLossDb) && monoLossDb > monoLossWarnDb);
}

nlohmann::ordered_json StereoCompatibilityDetector::regions (bool activeFallback) const
{
    // Runs of consecutive windows (flagged ones, or with activeFallback every active one); a
    // silent window ends a run. An infinite loss counts as 0 dB in a region, as in the reference.
    struct Region { int64_t start, end; double minCorr, maxLoss; };
    std::vector<Region> found;
    bool open = false;
    for (size_t index = 0; index < windows.size(); ++index)
    {
        const auto& window = windows[index];
        if (! window.active || ! (activeFallback || flagged (window.corr, window.monoLoss)))
        {
            open = false;
            continue;
        }
        const auto start = (int64_t) (index * windowLength);
        const auto end = std::min (start + (int64_t) windowLength, frames) - 1;
        const auto loss = std::isfinite (window.monoLoss) ? window.monoLoss : 0.0;
        if (open)
        {
            found.back().end = end;
            found.back().minCorr = std::min (found.back().minCorr, window.corr);
            found.back().maxLoss = std::max (found.back().maxLoss, loss);
        }
        else
            found.push_back ({ start, end, window.corr, loss });
        open = true;
    }
    std::stable_sort (found.begin(), found.end(), [] (const Region& a, const Region& b) { return a.minCorr < b.minCorr; });
    if (found.size() > maxRegions)
        found.resize (maxRegions);
    auto list = nlohmann::ordered_json::array();
    for (const auto& region : found)
        list.push_back ({ { "sample_start", region.start }, { "sample_end", region.end },
                          { "min_corr", region.minCorr }, { "max_mono_loss_db", region.maxLoss } });
    return list;
}

DetectorResult StereoCompatibilityDetector::result() const
{
    DetectorResult result { Severity::clean, stereo ? "stereo compatibility OK" : "not stereo", {} };
    result.details = { { "lr_corr", nullptr }, { "mono_loss_db", nullptr }, { "corr_warn", false }, { "mono_warn", false } };
    if (stereo && frames >= 8)
        result.details["windowed_regions"] = nlohmann::ordered_json::array();
    if (! stereo || ! anyActive)
        return result;
    result.details.erase ("lr_corr");        // numbers from here on: in data
    result.details.erase ("mono_loss_db");
    const auto wholeLoss = monoLoss (totalLL, totalRR, totalLR);
    result.data["mono_loss_db"] = wholeLoss;
    const bool hasCorrelation = totalLL * totalRR > 0;
    const auto wholeCorr = correlation (totalLL, totalRR, totalLR);
    if (hasCorrelation)
        result.data["lr_corr"] = wholeCorr;
    const bool corrWarning = hasCorrelation && wholeCorr < corrWarn;
    const bool monoWarning = std::isfinite (wholeLoss) && wholeLoss > monoLossWarnDb;
    if (! hasCorrelation)
        result.details["lr_corr"] = nullptr;
    result.data["whole_file_warning"] = corrWarning || monoWarning ? 1.0 : 0.0;
    result.details["corr_warn"] = corrWarning;
    result.details["mono_warn"] = monoWarning;

    // Flagged windows; with none but a whole-file warning, every active window (the reference's fallback).
    auto windowed = regions (false);
    if (windowed.empty() && (corrWarning || monoWarning))
        windowed = regions (true);
    if (! windowed.empty())
    {
        double minCorr = windowed[0]["min_corr"], maxLoss = 0;
        for (const auto& region : windowed)
        {
            minCorr = std::min (minCorr, region["min_corr"].get<double>());
            maxLoss = std::max (maxLoss, region["max_mono_loss_db"].get<double>());
        }
        result.details["min_window_corr"] = minCorr;
        result.details["max_window_mono_loss_db"] = maxLoss;
    }
    result.details["windowed_regions"] = std::move (windowed);

    if (corrWarning || monoWarning)
    {
        std::string summary;
        if (corrWarning)
            summary = formatNumber ("corr %.2f (< -0.3)", wholeCorr);
        if (monoWarning)
            summary += (summary.empty() ? "" : ", ") + formatNumber ("mono loss %.1f dB (> 6 dB)", wholeLoss);
        result.severity = Severity::attention;
        result.summary = summary;
    }
    else if (anyFlagged)
    {
        result.severity = Severity::attention;
        result.summary = formatNumber ("regions: min corr %.2f", result.details["min_window_corr"].get<double>());
    }
    return result;
}

} // namespace cuegrid::analysis
