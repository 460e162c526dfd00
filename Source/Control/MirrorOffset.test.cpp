// CueGrid — GPL-3.0-or-later
#include "MirrorOffset.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace cuegrid;

namespace
{
    /** Heartbeats every 100 ms from a primary to a backup whose clock runs `driftPpm` fast and
        `offset` ahead; each waits 0.2 ms plus an exponential network delay (mean `jitterMs`),
        with a 40 ms stall one time in 50. Returns the worst |estimate − truth| (samples) over
        the heartbeats after the first `settle` seconds. */
    double worstError (double offset, double driftPpm, double jitterMs, double seconds, double settle, uint32_t seed)
    {
        const double rate = 48000.0;
        MirrorOffset estimator ({ rate, 4.0, 60.0, 2.0, 0.25 });
        std::mt19937 random (seed);
        std::exponential_distribution<double> delay (1.0 / jitterMs);
        std::uniform_int_distribution<int> stall (0, 49);
        double worst = 0.0;
        for (double t = 0.0; t < seconds; t += 0.1)
        {
            const auto primary = t * rate;
            const auto waitedMs = 0.2 + delay (random) + (stall (random) == 0 ? 40.0 : 0.0);
            const auto arrival = t + waitedMs / 1000.0;
            const auto truthAt = [&] (double backupTime) { return offset + driftPpm * 1.0e-6 * backupTime * rate; };
            const auto backup = arrival * rate + truthAt (arrival);
            estimator.add (primary, backup);
            if (t >= settle)
                worst = std::max (worst, std::abs (estimator.offsetAt (backup) - truthAt (arrival)));
        }
        return worst;
    }
}

TEST_CASE ("MirrorOffset: the minimum filter finds the offset under network jitter, within a few samples")
{
    // 1 ms mean jitter (a busy LAN), no drift: the estimate is the offset plus the least delay
    // seen (0.2 ms = 9.6 samples) and a bit.
    const auto worst = worstError (123456.0, 0.0, 1.0, 30.0, 2.0, 1);
    CHECK (worst < 20.0);
    CHECK (worst > 9.0);   // the least delay cannot be seen through: it is in every observation
}

TEST_CASE ("MirrorOffset: follows a 100 ppm clock drift over ten minutes")
{
    // 100 ppm is 4.8 samples a second at 48 kHz: a plain minimum over 8 s would lag 38 samples.
    const auto worst = worstError (-5000.0, 100.0, 1.0, 600.0, 10.0, 2);
    CHECK (worst < 24.0);
    const auto withoutJitter = worstError (-5000.0, -80.0, 0.05, 600.0, 10.0, 3);
    CHECK (withoutJitter < 14.0);
}

TEST_CASE ("MirrorOffset: a single stall is dropped, a restarted timeline is taken after three heartbeats")
{
    const double rate = 48000.0;
    MirrorOffset estimator ({ rate, 4.0, 60.0, 2.0, 0.25 });
    for (int i = 0; i < 50; ++i)
        estimator.add (i * 4800.0, i * 4800.0 + 1000.0);
    REQUIRE (estimator.offsetAt (50 * 4800.0) == Approx (1000.0).margin (0.5));

    // A heartbeat that waited 0.5 s: set aside, the estimate does not move.
    CHECK_FALSE (estimator.add (50 * 4800.0, 50 * 4800.0 + 1000.0 + 24000.0));
    CHECK (estimator.offsetAt (51 * 4800.0) == Approx (1000.0).margin (0.5));

    // The primary's device restarted: its timeline begins at 0 again, the offset jumps by 60 s.
    const double jump = 60.0 * rate;
    CHECK_FALSE (estimator.add (0.0, 51 * 4800.0 + 0.0 + 1000.0 + jump - 51 * 4800.0));
    CHECK_FALSE (estimator.add (4800.0, 52 * 4800.0 + 1000.0 + jump - 51 * 4800.0));
    CHECK (estimator.add (9600.0, 53 * 4800.0 + 1000.0 + jump - 51 * 4800.0));
    CHECK (estimator.getRestarts() == 1);
    CHECK (estimator.offsetAt (53 * 4800.0) == Approx (1000.0 + jump).margin (0.5));
}
