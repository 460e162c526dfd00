// CueGrid — GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <deque>

namespace cuegrid
{

/** The backup's estimate of how far its clock is from the primary's: offset = backup − primary
    at the same instant, from heartbeats (mirroring compares the two machines' steady clocks with
    it, in ns; any unit works).

    Each heartbeat gives one observation o = b − p: p the primary's time when it sent the
    heartbeat, b the backup's when it arrived. The network delay d ≥ 0 only adds: o = offset + d.
    So the estimate is a minimum filter: the least observation of the last `windowSeconds`
    (default 4 s), each carried forward along the drift. The drift (two crystals, ±100 ppm) is
    a least-squares line through the minima of 2 s buckets over the last `driftSeconds`
    (default 60 s; from five complete buckets on, 0 before): a 2 s minimum is the heartbeat that
    waited least, and a long baseline keeps the jitter out of the slope. An observation more
    than `jumpSeconds` away from the estimate is set aside: three in a row mean the other clock
    restarted and everything starts again from them; a single one (a network stall) is dropped.

    Plain data; one thread (the mirror receiver's). */
class MirrorOffset
{
public:
    struct Settings
    {
        double unitsPerSecond = 48000.0;   // samples at 48 kHz, or 1e9 for ns
        double windowSeconds = 4.0;
        double driftSeconds = 60.0;
        double bucketSeconds = 2.0;
        double jumpSeconds = 0.25;
    };

    MirrorOffset() = default;
    explicit MirrorOffset (const Settings& initial) : settings (initial) {}

    /** One heartbeat: the primary's time at sending and the backup's at arrival (units).
        Returns false when it was set aside as an outlier. */
    bool add (double primaryTime, double backupTime);

    /** True once an estimate exists (after the first observation). */
    bool hasEstimate() const noexcept { return ! window.empty(); }

    /** The estimated offset (units) at backup time `backupTime`: backup − primary. */
    double offsetAt (double backupTime) const noexcept;

    /** Drift of the backup's clock against the primary's (units per unit; 1e-6 = 1 ppm). */
    double getDrift() const noexcept { return drift; }

    /** Observations in the window; times the window started again after a jump. */
    int getObservations() const noexcept { return (int) window.size(); }
    int getRestarts() const noexcept { return restarts; }

    void reset();

private:
    struct Observation { double backup = 0.0, offset = 0.0; };
    void estimate();

    Settings settings;
    std::deque<Observation> window, outliers;   // the last windowSeconds; a run of outliers
    std::deque<Observation> minima;             // per bucket over the last driftSeconds (the last one still filling)
    double intercept = 0.0, drift = 0.0, reference = 0.0;
    int restarts = 0;
};

} // namespace cuegrid
