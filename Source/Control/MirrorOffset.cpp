// CueGrid — GPL-3.0-or-later
#include "MirrorOffset.h"

#include <algorithm>
#include <cmath>

namespace cuegrid
{

void MirrorOffset::reset()
{
    window.clear();
    outliers.clear();
    minima.clear();
    intercept = drift = reference = 0.0;
}

bool MirrorOffset::add (double primaryTime, double backupTime)
{
    const Observation observation { backupTime, backupTime - primaryTime };
    const auto jump = settings.jumpSeconds * settings.unitsPerSecond;
    if (! window.empty() && std::abs (observation.offset - offsetAt (backupTime)) > jump)
    {
        // Keep only a run of consecutive outliers that agree with each other.
        if (! outliers.empty() && std::abs (outliers.back().offset - observation.offset) > jump)
            outliers.clear();
        outliers.push_back (observation);
        if (outliers.size() < 3)
            return false;
        const auto run = outliers;
        reset();
        ++restarts;
        for (const auto& o : run)
            add (o.backup - o.offset, o.backup);
        return true;
    }
    outliers.clear();

    window.push_back (observation);
    while (window.size() > 1 && window.back().backup - window.front().backup > settings.windowSeconds * settings.unitsPerSecond)
        window.pop_front();

    // The bucket minima: a bucket on a fixed grid of time keeps its least observation.
    const auto bucketSpan = std::max (1.0e-9, settings.bucketSeconds * settings.unitsPerSecond);
    const auto bucketOf = [bucketSpan] (const Observation& o) { return std::floor (o.backup / bucketSpan); };
    if (minima.empty() || bucketOf (minima.back()) != bucketOf (observation))
        minima.push_back (observation);
    else if (observation.offset < minima.back().offset)
        minima.back() = observation;
    while (minima.size() > 1 && observation.backup - minima.front().backup > settings.driftSeconds * settings.unitsPerSecond)
        minima.pop_front();

    estimate();
    return true;
}

void MirrorOffset::estimate()
{
    // The drift: a least-squares line through the complete buckets' minima (all but the last),
    // from five of them on.
    drift = 0.0;
    const auto complete = minima.size() - 1;
    if (complete >= 5)
    {
        double meanX = 0.0, meanY = 0.0;
        for (size_t i = 0; i < complete; ++i)
        {
            meanX += minima[i].backup;
            meanY += minima[i].offset;
        }
        meanX /= (double) complete;
        meanY /= (double) complete;
        double sxx = 0.0, sxy = 0.0;
        for (size_t i = 0; i < complete; ++i)
        {
            sxx += (minima[i].backup - meanX) * (minima[i].backup - meanX);
            sxy += (minima[i].backup - meanX) * (minima[i].offset - meanY);
        }
        drift = sxx > 0.0 ? sxy / sxx : 0.0;
        if (std::abs (drift) > 1.0e-3)
            drift = 0.0;   // beyond 1000 ppm is no crystal: the minima are noise
    }

    // The offset now: every observation is the offset plus its delay, so the least of the
    // window's, each carried forward along the drift.
    reference = window.back().backup;
    intercept = INFINITY;
    for (const auto& o : window)
        intercept = std::min (intercept, o.offset + drift * (reference - o.backup));
}

double MirrorOffset::offsetAt (double backupTime) const noexcept
{
    return intercept + drift * (backupTime - reference);
}

} // namespace cuegrid
