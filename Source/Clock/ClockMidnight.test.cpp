// CueGrid — GPL-3.0-or-later
// Midnight (23:59:59:FF → 00:00:00:00) through the real readers: LTC generated with libltc and
// decoded by LtcDecoder, MTC quarter frames from MtcAssembler, at 24, 25, 29.97 drop-frame and
// 30 fps. The master, each source's flywheel and a failover after the wrap must see the next
// frame, not a jump back a day. docs/clock.md, "Midnight".
#include "ClockManager.h"
#include "ClockObservations.h"
#include "LtcGenerator.h"
#include "MtcMessages.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

using namespace cuegrid;

namespace
{
constexpr double rate = 48000.0;
constexpr int blockSize = 128;
}

TEST_CASE ("Clock midnight: LTC and MTC across 23:59:59:FF at every rate, LTC pulled after the wrap: no discontinuity, no step, the master wraps", "[clock]")
{
    for (const auto frameRate : { FrameRate::fps24, FrameRate::fps25, FrameRate::fps2997drop, FrameRate::fps30 })
    {
        INFO ("rate " << frameRateName (frameRate));
        const auto fps = framesPerSecond (frameRate);
        const auto day = timecodeDaySeconds (fps, isDropFrame (frameRate));
        // LTC from 3 s before midnight for 7 s (the cable pulled 5 s in, 2 s after the wrap);
        // MTC on the same timeline all along, from another input.
        const auto start = Timecode::fromFrameNumber (framesPerDay (frameRate) - 3 * nominalFramesPerSecond (frameRate), frameRate);
        auto signal = LtcGenerator::generate (rate, start, (int64_t) std::llround (7.0 * fps));
        std::fill (signal.begin() + (long) (5.0 * rate), signal.end(), 0.0f);
        signal.resize (signal.size() + (size_t) (2.0 * rate), 0.0f);
        // The truth, as a time of day: start + sample / rate, wrapped.
        auto truth = [&] (double sample) { return wrapToDay (start.toSeconds() + sample / rate, day); };

        const int64_t monotonicAtZero = 5'000'000'000;
        auto manager = std::make_unique<ClockManager>();
        manager->prepare (rate);
        const auto ltcSlot = manager->addSource (ClockSourceKind::ltc, "LTC in 1");
        const auto mtcSlot = manager->addSource (ClockSourceKind::mtc, "desk");
        LtcDecoder decoder (rate);
        MtcAssembler assembler;
        SampleClock clock;
        LtcFrame frame;
        int quarterFrame = 0, decoded = 0, decodedDiscontinuities = 0;
        std::vector<MasterTime> history;
        std::vector<ClockEvent> events;
        for (size_t done = 0; done + blockSize <= signal.size(); done += blockSize)
        {
            const auto blockStart = (int64_t) done;
            clock.publishBlockStart (blockStart, monotonicAtZero + (int64_t) std::llround ((double) blockStart / rate * 1.0e9), rate);
            manager->process (blockStart, blockSize);
            history.push_back (manager->getMaster());
            ClockEvent event;
            while (manager->popEvent (event))
                events.push_back (event);

            decoder.write (signal.data() + done, blockSize, blockStart);
            while (decoder.read (frame))
            {
                decodedDiscontinuities += frame.discontinuity && decoded > 0;   // the decoder: 00:00:00:00 follows 23:59:59:FF
                ++decoded;
                manager->getSource (ltcSlot)->publish (ltcObservation (frame, 0));
            }
            for (;;)
            {
                const auto sendSample = quarterFrame * rate / (4.0 * fps);
                if (sendSample >= (double) (blockStart + blockSize))
                    break;
                const auto label = Timecode::fromFrameNumber (start.toFrameNumber() + 2 * (quarterFrame / 8), frameRate);
                const auto bytes = mtc::quarterFrame (label, quarterFrame % 8);
                MtcPosition position;
                const auto arrival = (double) (monotonicAtZero + (int64_t) std::llround (sendSample / rate * 1.0e9)) * 1.0e-9;
                if (assembler.handle (bytes.data(), bytes.size(), arrival, position) == MtcAssembler::Result::position)
                    manager->getSource (mtcSlot)->publish (mtcObservation (position, clock));
                ++quarterFrame;
            }
        }

        std::string log;
        int failovers = 0, relocates = 0, discontinuities = 0;
        int64_t failoverAt = -1;
        for (const auto& e : events)
        {
            log += std::to_string ((double) e.sample / rate) + " s " + clockEventTypeName (e.type) + " " + clockEventCauseName (e.cause)
                   + " source " + std::to_string (e.source) + " delta " + std::to_string (e.deltaSeconds) + "\n";
            failovers += e.type == ClockEvent::Type::failover;
            relocates += e.type == ClockEvent::Type::relocate;
            discontinuities += e.type == ClockEvent::Type::discontinuity;
            if (e.type == ClockEvent::Type::failover)
            {
                failoverAt = e.sample;
                CHECK (e.cause == ClockEvent::Cause::lost);
                CHECK (e.source == mtcSlot);
                CHECK (std::abs (e.deltaSeconds) < 0.05);   // MTC within a frame of LTC's flywheel, not a day
            }
        }

        // Block to block, the master goes on by speed · n exactly (no step), across the wrap; the
        // published time of day wraps once, the continuous line never.
        double worstStep = 0.0, worstOffTruth = 0.0;
        int wraps = 0;
        for (size_t i = 1; i < history.size(); ++i)
        {
            const auto& a = history[i - 1];
            const auto& b = history[i];
            if (! a.everLocked)
                continue;
            worstStep = std::max (worstStep, std::abs (dayDifference (b.seconds, a.seconds + a.speed * blockSize / rate, day)));
            CHECK (b.lineSeconds > a.lineSeconds);
            CHECK (b.seconds >= 0.0);
            CHECK (b.seconds < day);
            CHECK (std::abs (wrapToDay (b.lineSeconds, day) - b.seconds) < 1.0e-6);
            wraps += b.seconds < a.seconds;
            if ((double) b.sample > 1.0 * rate)
                worstOffTruth = std::max (worstOffTruth, std::abs (dayDifference (b.seconds, truth ((double) b.sample), day)));
        }
        const auto ltc = manager->getHealth (ltcSlot), mtc = manager->getHealth (mtcSlot);
        INFO (log << "largest step " << worstStep * 1.0e6 << " µs; master off the truth " << worstOffTruth * 1.0e6
                  << " µs; LTC discontinuities " << ltc.discontinuities << " outliers " << ltc.outliers << "; MTC discontinuities "
                  << mtc.discontinuities << " outliers " << mtc.outliers << "; master at the end " << history.back().seconds);
        CHECK (decoded > 4 * (int) fps);   // 5 s of LTC
        CHECK (decodedDiscontinuities == 0);
        CHECK (relocates == 1);          // the first lock only
        CHECK (discontinuities == 0);
        CHECK (ltc.discontinuities == 0);
        CHECK (mtc.discontinuities == 0);
        CHECK (ltc.outliers == 0);
        CHECK (mtc.outliers == 0);
        CHECK (failovers == 1);          // LTC lost 1 s after its last frame (6 s), to MTC
        CHECK ((double) failoverAt / rate > 5.9);
        CHECK ((double) failoverAt / rate < 6.1);
        CHECK (wraps == 1);
        CHECK (worstStep < 1.0e-9);
        CHECK (worstOffTruth < 0.5e-3);   // MTC's quarter frames after the failover are within its own jitter
        const auto& last = history.back();
        CHECK (last.activeSource == mtcSlot);
        CHECK (last.seconds < 7.0);       // after midnight: 00:00:06
        CHECK (std::abs (last.seconds - truth ((double) last.sample)) < 1.0e-3);
        CHECK (mtc.positionFrames >= 0.0);
        CHECK (mtc.positionFrames < 7.0 * fps);   // the health's position is the time of day too
    }
}

TEST_CASE ("Clock midnight: the flywheel locks on a pair of frames either side of midnight and keeps one line", "[clock]")
{
    Flywheel flywheel;
    flywheel.prepare (rate);
    const auto day = timecodeDaySeconds (25.0, false);
    const auto tolerance = 2.0 / 25.0;
    int64_t sample = 0;
    double line = day - 0.04;   // 23:59:59:24
    for (int frame = 0; frame < 100; ++frame, sample += 1920, line += 0.04)
    {
        const auto observed = wrapToDay (line, day);
        const auto result = flywheel.observe (sample, flywheel.unwrap (sample, observed, day), tolerance);
        if (frame == 1)
            CHECK (result == Flywheel::Result::locked);   // 23:59:59:24 then 00:00:00:00 is a plausible pair
        if (frame > 1)
            CHECK (result == Flywheel::Result::tracked);
    }
    CHECK (flywheel.getDiscontinuities() == 0);
    CHECK (flywheel.getOutliers() == 0);
    CHECK (flywheel.positionAt (sample) == Approx (line).margin (1.0e-9));   // one line, past a day
    CHECK (wrapToDay (flywheel.positionAt (sample), day) == Approx (line - day).margin (1.0e-9));
}

TEST_CASE ("Clock midnight: day lengths and the day arithmetic", "[clock]")
{
    CHECK (timecodeDaySeconds (25.0, false) == 86400.0);
    CHECK (timecodeDaySeconds (24.0, false) == 86400.0);
    CHECK (timecodeDaySeconds (30.0, false) == 86400.0);
    CHECK (timecodeDaySeconds (30000.0 / 1001.0, true) == Approx (2589408.0 * 1001.0 / 30000.0));   // 86 399.9136
    CHECK (timecodeDaySeconds (30000.0 / 1001.0, false) == Approx (86486.4));
    const auto day = 86400.0;
    CHECK (nearestDayTo (2.0, day - 1.0, day) == day + 2.0);
    CHECK (nearestDayTo (day - 1.0, 2.0, day) == -1.0);
    CHECK (dayDifference (2.0, day - 1.0, day) == 3.0);
    CHECK (dayDifference (day - 1.0, 2.0, day) == -3.0);
    CHECK (wrapToDay (day + 2.5, day) == 2.5);
    CHECK (wrapToDay (-1.0, day) == day - 1.0);
}
