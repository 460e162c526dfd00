// CueGrid — GPL-3.0-or-later
#include "Flywheel.h"
#include "SyntheticTimecode.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace cuegrid;

namespace
{
constexpr double rate = 48000.0;

struct Tracking
{
    int lockedAtObservation = -1;
    double rmsUs = 0.0, maxUs = 0.0, rawRmsUs = 0.0;
    double speed = 0.0;
};

/** Feeds `seconds` of a synthetic source into a flywheel in 128-sample blocks and measures the
    line against the truth at every block start after `settleSeconds`. */
Tracking track (Flywheel& flywheel, test::SyntheticTimecode& source, double seconds, double settleSeconds)
{
    Tracking result;
    int observations = 0;
    double sumSquares = 0.0, rawSquares = 0.0;
    int measured = 0, rawMeasured = 0;
    const auto blocks = (int64_t) (seconds * rate / 128.0);
    for (int64_t block = 0; block < blocks; ++block)
    {
        const auto start = block * 128;
        source.emit (start, start + 128, [&] (const ClockObservation& o)
        {
            flywheel.observe (o.sample, o.seconds(), 2.0 / o.fps);
            ++observations;
            if (result.lockedAtObservation < 0 && flywheel.hasLine())
                result.lockedAtObservation = observations;
            if ((double) o.sample > settleSeconds * rate)
            {
                const auto raw = (o.seconds() - source.truthAt ((double) o.sample)) / std::abs (source.speed) * 1.0e6;
                rawSquares += raw * raw;
                ++rawMeasured;
            }
        });
        if ((double) start > settleSeconds * rate && flywheel.hasLine())
        {
            const auto errorUs = (flywheel.positionAt (start) - source.truthAt ((double) start)) / std::abs (source.speed) * 1.0e6;
            sumSquares += errorUs * errorUs;
            result.maxUs = std::max (result.maxUs, std::abs (errorUs));
            ++measured;
        }
    }
    result.rmsUs = std::sqrt (sumSquares / std::max (measured, 1));
    result.rawRmsUs = std::sqrt (rawSquares / std::max (rawMeasured, 1));
    result.speed = flywheel.getSpeed();
    return result;
}
} // namespace

TEST_CASE ("Flywheel: 25 fps LTC with 1 sample of jitter locks on its second frame and the DLL tracks within a few microseconds", "[clock]")
{
    Flywheel flywheel;
    flywheel.prepare (rate);
    test::SyntheticTimecode ltc;
    ltc.jitterSamples = 1.0;   // ±20.8 µs, uniform: RMS 12 µs
    const auto result = track (flywheel, ltc, 60.0, 2.0);
    INFO ("locked at observation " << result.lockedAtObservation << ", DLL error RMS " << result.rmsUs << " µs, max "
                                   << result.maxUs << " µs; observations' own error RMS " << result.rawRmsUs << " µs");
    CHECK (result.lockedAtObservation == 2);
    CHECK (result.rawRmsUs > 10.0);                    // the jitter is there...
    CHECK (result.rmsUs < 6.0);                        // ...and the DLL filters it out
    CHECK (result.maxUs < 20.0);
    CHECK (std::abs (result.speed - 1.0) < 2.0e-5);
    CHECK (flywheel.getDiscontinuities() == 0);
    CHECK (flywheel.getOutliers() == 0);
}

TEST_CASE ("Flywheel: varispeed 0.9 and 1.1 and reverse are followed in speed and position", "[clock]")
{
    for (const auto speed : { 0.9, 1.1, -1.0, -1.1 })
    {
        Flywheel flywheel;
        flywheel.prepare (rate);
        test::SyntheticTimecode ltc;
        ltc.speed = speed;
        ltc.jitterSamples = 1.0;
        const auto result = track (flywheel, ltc, 20.0, 2.0);
        INFO ("speed " << speed << ": DLL speed " << result.speed << ", error RMS " << result.rmsUs << " µs, max " << result.maxUs);
        CHECK (result.lockedAtObservation == 2);
        CHECK (std::abs (result.speed - speed) < 5.0e-5);
        CHECK (result.rmsUs < 6.0);
        CHECK (result.maxUs < 15.0);
    }
}

TEST_CASE ("Flywheel: a speed change from 1.0 to 1.1 mid-stream is tracked without a discontinuity", "[clock]")
{
    Flywheel flywheel;
    flywheel.prepare (rate);
    test::SyntheticTimecode ltc;
    double worstUs = 0.0, afterUs = 0.0;
    for (int64_t start = 0; start < (int64_t) (12.0 * rate); start += 128)
    {
        if (start == (int64_t) (4.0 * rate))
            ltc.setSpeed (start, 1.1);
        ltc.emit (start, start + 128, [&] (const ClockObservation& o) { flywheel.observe (o.sample, o.seconds(), 2.0 / o.fps); });
        const auto errorUs = std::abs (flywheel.positionAt (start) - ltc.truthAt ((double) start)) * 1.0e6;
        if (start > (int64_t) (4.0 * rate))
            worstUs = std::max (worstUs, errorUs);
        if (start > (int64_t) (10.0 * rate))
            afterUs = std::max (afterUs, errorUs);
    }
    INFO ("worst error after the step " << worstUs << " µs, 6 s later " << afterUs << " µs");
    CHECK (flywheel.getDiscontinuities() == 0);
    CHECK (worstUs < 2.0 / 25.0 * 1.0e6);   // always inside the 2-frame window...
    CHECK (worstUs > 1000.0);               // ...though a 0.5 Hz loop takes a while (the check can fail)
    CHECK (afterUs < 10.0);                 // and is back on the line
    CHECK (std::abs (flywheel.getSpeed() - 1.1) < 1.0e-4);
}

TEST_CASE ("Flywheel: one wild frame is an outlier, a jump that continues is a discontinuity and relocks there", "[clock]")
{
    Flywheel flywheel;
    flywheel.prepare (rate);
    const auto frame = rate / 25.0;   // 1920 samples
    auto observe = [&] (int index, double seconds) { return flywheel.observe ((int64_t) (index * frame), seconds, 0.08); };
    for (int i = 0; i < 50; ++i)
        observe (i, 100.0 + i / 25.0);
    REQUIRE (flywheel.isTracking());

    // A noise burst: frame 50 reads 10 s off, frame 51 is where it should be.
    CHECK (observe (50, 110.0) == Flywheel::Result::held);
    CHECK (std::abs (flywheel.positionAt ((int64_t) (50 * frame)) - 102.0) < 1.0e-6);   // the line goes on
    CHECK (observe (51, 100.0 + 51 / 25.0) == Flywheel::Result::tracked);
    CHECK (flywheel.getOutliers() == 1);
    CHECK (flywheel.getDiscontinuities() == 0);

    // A locate: from frame 60 on the source runs from 200 s.
    for (int i = 52; i < 60; ++i)
        observe (i, 100.0 + i / 25.0);
    CHECK (observe (60, 200.0) == Flywheel::Result::held);
    CHECK (observe (61, 200.04) == Flywheel::Result::jumped);
    CHECK (flywheel.getDiscontinuities() == 1);
    CHECK (flywheel.getOutliers() == 1);
    CHECK (std::abs (flywheel.positionAt ((int64_t) (71 * frame)) - 200.44) < 1.0e-6);
    CHECK (std::abs (flywheel.getSpeed() - 1.0) < 1.0e-9);

    // A direction change: running backwards from frame 80.
    for (int i = 62; i < 80; ++i)
        observe (i, 200.0 + (i - 60) / 25.0);
    const auto turn = 200.0 + 19.0 / 25.0;
    observe (80, turn - 1.0 / 25.0);   // within 2 frames of the forward line: tracked
    observe (81, turn - 2.0 / 25.0);   // 4 frames off the line: held
    CHECK (observe (82, turn - 3.0 / 25.0) == Flywheel::Result::jumped);
    CHECK (flywheel.getSpeed() < -0.9);
}

TEST_CASE ("Flywheel: silent for 0.5 s it keeps predicting, then relocks from two new frames", "[clock]")
{
    Flywheel flywheel;
    flywheel.prepare (rate);
    const auto frame = rate / 25.0;
    for (int i = 0; i < 50; ++i)
        flywheel.observe ((int64_t) (i * frame), 10.0 + i / 25.0, 0.08);
    // Frames 50-61 lost (0.48 s). The prediction at frame 60 is the line.
    CHECK (std::abs (flywheel.positionAt ((int64_t) (60 * frame)) - 12.4) < 1.0e-6);
    CHECK (flywheel.observe ((int64_t) (62 * frame), 10.0 + 62 / 25.0, 0.08) == Flywheel::Result::acquiring);
    CHECK (flywheel.hasLine());            // still predicting
    CHECK_FALSE (flywheel.isTracking());
    CHECK (flywheel.observe ((int64_t) (63 * frame), 10.0 + 63 / 25.0, 0.08) == Flywheel::Result::locked);
    CHECK (flywheel.isTracking());
    CHECK (flywheel.getDiscontinuities() == 0);   // came back where the line said

    // Back elsewhere after a gap: counted.
    flywheel.observe ((int64_t) (90 * frame), 50.0, 0.08);
    CHECK (flywheel.getDiscontinuities() == 1);
}

TEST_CASE ("Flywheel: the late last frame before a cut does not bend the flywheel, a small shift that continues is absorbed", "[clock]")
{
    const auto frame = rate / 25.0;
    auto feed = [] (Flywheel& flywheel, int from, int to, double shiftSeconds)
    {
        for (int i = from; i < to; ++i)
            flywheel.observe ((int64_t) (i * rate / 25.0), 100.0 + i / 25.0 + shiftSeconds, 0.08);
    };
    SECTION ("a cut")
    {
        Flywheel flywheel;
        flywheel.prepare (rate);
        feed (flywheel, 0, 75, 0.0);
        // The decoder's last frame before the cable is pulled: 16 samples (333 µs) late.
        CHECK (flywheel.observe ((int64_t) (75 * frame) + 16, 103.0, 0.08) == Flywheel::Result::held);
        const auto oneSecondLater = (int64_t) (100 * frame);
        CHECK (std::abs (flywheel.positionAt (oneSecondLater) - 104.0) < 1.0e-7);
    }
    SECTION ("a single glitch")
    {
        Flywheel flywheel;
        flywheel.prepare (rate);
        feed (flywheel, 0, 75, 0.0);
        flywheel.observe ((int64_t) (75 * frame), 103.0 + 300.0e-6, 0.08);
        feed (flywheel, 76, 100, 0.0);
        CHECK (flywheel.getOutliers() == 1);
        CHECK (std::abs (flywheel.positionAt ((int64_t) (100 * frame)) - 104.0) < 1.0e-7);
    }
    SECTION ("a shift that continues")
    {
        Flywheel flywheel;
        flywheel.prepare (rate);
        feed (flywheel, 0, 75, 0.0);
        feed (flywheel, 75, 300, 300.0e-6);
        CHECK (flywheel.getOutliers() == 0);
        CHECK (flywheel.getDiscontinuities() == 0);
        CHECK (std::abs (flywheel.positionAt ((int64_t) (300 * frame)) - (112.0 + 300.0e-6)) < 1.0e-6);
    }
}
