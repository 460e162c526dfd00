// CueGrid — GPL-3.0-or-later
// The clock manager fed by the real readers: LTC generated with libltc and decoded by
// LtcDecoder in 128-sample blocks (as the audio callback will), MTC quarter frames assembled
// by MtcAssembler and placed on the audio clock through a SampleClock. The audio sample time is
// the only clock.
#include "ClockManager.h"
#include "ClockObservations.h"
#include "LtcGenerator.h"
#include "MtcMessages.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <memory>

using namespace cuegrid;

namespace
{
constexpr double rate = 48000.0;
constexpr int blockSize = 128;

struct LtcRun
{
    int64_t lockedAt = -1;       // block start at which the master first followed LTC
    double maxErrorUs = 0.0;     // master vs the signal's timeline, after 2 s
    double meanErrorUs = 0.0;
    SourceHealth health;
    MasterTime last;
};

/** Plays `signal` (LTC whose timeline is `expected(sample)` timecode seconds) through the decoder
    into a manager, block by block. */
template <typename Expected>
LtcRun playLtc (const std::vector<float>& signal, Expected&& expected)
{
    LtcRun run;
    auto manager = std::make_unique<ClockManager>();
    manager->prepare (rate);
    const auto slot = manager->addSource (ClockSourceKind::ltc, "LTC in 1");
    LtcDecoder decoder (rate);
    LtcFrame frame;
    double sum = 0.0;
    int measured = 0;
    for (size_t done = 0; done + blockSize <= signal.size(); done += blockSize)
    {
        const auto start = (int64_t) done;
        manager->process (start, blockSize);
        const auto master = manager->getMaster();
        if (run.lockedAt < 0 && master.activeSource == slot)
            run.lockedAt = start;
        if ((double) start > 2.0 * rate)
        {
            const auto errorUs = (master.seconds - expected ((double) start)) * 1.0e6;
            run.maxErrorUs = std::max (run.maxErrorUs, std::abs (errorUs));
            sum += errorUs;
            ++measured;
        }
        // The callback decodes this block's input; its frames are the next block's news.
        decoder.write (signal.data() + done, blockSize, start);
        while (decoder.read (frame))
            manager->getSource (slot)->publish (ltcObservation (frame, 0));
    }
    run.meanErrorUs = sum / std::max (measured, 1);
    run.health = manager->getHealth (slot);
    run.last = manager->getMaster();
    return run;
}
} // namespace

TEST_CASE ("Clock observations: decoded 25 fps LTC locks the master within 2 frames and it follows within 2 samples", "[clock]")
{
    const auto start = *Timecode::parse ("10:00:00:00", FrameRate::fps25);
    const auto signal = LtcGenerator::generate (rate, start, 25 * 8);
    const auto run = playLtc (signal, [&] (double sample) { return start.toSeconds() + sample / rate; });
    INFO ("locked at sample " << run.lockedAt << "; master vs the signal: mean " << run.meanErrorUs << " µs, max "
                              << run.maxErrorUs << " µs; jitter " << run.health.jitterUs << " µs, stability "
                              << run.health.stability << ", drift " << run.health.driftUs);
    REQUIRE (run.lockedAt >= 0);
    CHECK (run.lockedAt <= 2 * 1920 + blockSize);   // frame 0 is reported when frame 1 begins, frame 1 at 3840
    CHECK (run.maxErrorUs < 2.0e6 / rate);
    CHECK (run.health.fps == 25.0);
    CHECK (run.health.locked);
    CHECK (run.health.stability >= 95);
    CHECK (run.health.discontinuities == 0);
    CHECK (std::abs (run.last.speed - 1.0) < 1.0e-5);
}

TEST_CASE ("Clock observations: decoded LTC at 1.1x and played backwards moves the master the same way", "[clock]")
{
    const auto start = *Timecode::parse ("01:00:00:00", FrameRate::fps30);
    SECTION ("1.1x")
    {
        const auto signal = LtcGenerator::generate (rate, start, 30 * 8, -6.0, 1.1);
        const auto run = playLtc (signal, [&] (double sample) { return start.toSeconds() + 1.1 * sample / rate; });
        INFO ("mean " << run.meanErrorUs << " µs, max " << run.maxErrorUs << " µs, speed " << run.last.speed);
        CHECK (run.maxErrorUs < 2.0e6 / rate);
        CHECK (std::abs (run.last.speed - 1.1) < 1.0e-4);
        CHECK (run.health.driftWarning);
    }
    SECTION ("reverse")
    {
        auto signal = LtcGenerator::generate (rate, start, 30 * 8);
        const auto length = (double) signal.size();
        std::reverse (signal.begin(), signal.end());
        const auto run = playLtc (signal, [&] (double sample) { return start.toSeconds() + (length - sample) / rate; });
        INFO ("mean " << run.meanErrorUs << " µs, max " << run.maxErrorUs << " µs, speed " << run.last.speed);
        CHECK (run.maxErrorUs < 2.0e6 / rate);
        CHECK (std::abs (run.last.speed + 1.0) < 1.0e-4);
    }
}

TEST_CASE ("Clock observations: MTC quarter frames from the assembler, stamped on the monotonic clock, lock the master", "[clock]")
{
    // A sender at 25 fps from 02:00:00:00 starting at audio sample 4800; the audio clock and
    // the monotonic clock are paired at every block start as the engine will publish them.
    const auto start = *Timecode::parse ("02:00:00:00", FrameRate::fps25);
    const int64_t monotonicAtZero = 7'000'000'000;
    auto manager = std::make_unique<ClockManager>();
    manager->prepare (rate);
    const auto slot = manager->addSource (ClockSourceKind::mtc, "desk");
    SampleClock clock;
    MtcAssembler assembler;
    int quarterFrame = 0;   // quarter frames sent
    double maxErrorUs = 0.0;
    int64_t lockedAt = -1;
    for (int64_t blockStart = 0; blockStart < (int64_t) (6.0 * rate); blockStart += blockSize)
    {
        clock.publishBlockStart (blockStart, monotonicAtZero + (int64_t) std::llround ((double) blockStart / rate * 1.0e9), rate);
        manager->process (blockStart, blockSize);
        const auto master = manager->getMaster();
        if (lockedAt < 0 && master.activeSource == slot)
            lockedAt = blockStart;
        if ((double) blockStart > 2.0 * rate)
            maxErrorUs = std::max (maxErrorUs, std::abs (master.seconds - (start.toSeconds() + (double) (blockStart - 4800) / rate)) * 1.0e6);

        // Quarter frames sent during the next block, each stamped on arrival (no transport delay).
        for (;;)
        {
            const auto sendSample = 4800.0 + quarterFrame * rate / 100.0;   // 4 a frame at 25 fps: every 10 ms
            if (sendSample >= (double) (blockStart + blockSize))
                break;
            const auto frame = start.toFrameNumber() + 2 * (quarterFrame / 8);
            const auto bytes = mtc::quarterFrame (Timecode::fromFrameNumber (frame, FrameRate::fps25), quarterFrame % 8);
            const auto arrivalNs = monotonicAtZero + (int64_t) std::llround (sendSample / rate * 1.0e9);
            MtcPosition position;
            if (assembler.handle (bytes.data(), bytes.size(), (double) arrivalNs * 1.0e-9, position) == MtcAssembler::Result::position)
                manager->getSource (slot)->publish (mtcObservation (position, clock));
            ++quarterFrame;
        }
    }
    const auto health = manager->getHealth (slot);
    INFO ("locked at " << lockedAt << "; master vs the sender after 2 s: max " << maxErrorUs << " µs; jitter " << health.jitterUs);
    REQUIRE (lockedAt >= 0);
    CHECK ((double) lockedAt < 4800.0 + 9.0 * rate / 100.0 + 2 * blockSize);   // 8 quarter frames to assemble, the 9th locks
    CHECK (maxErrorUs < 2.0e6 / rate);
    CHECK (health.locked);
    CHECK (health.fps == 25.0);
}

TEST_CASE ("Clock observations: LTC with a noise burst, the cable pulled for 2 s while MTC runs, and a jump", "[clock]")
{
    // Issue 12 test 3 at unit level, through the real readers. LTC at 25 fps from 10:00:00:00 at
    // sample 0: noise from 3.0 to 3.2 s, silence (the cable pulled) from 5 to 7 s, and from 10 s
    // LTC from 11:00:00:00 (the desk located). MTC from the same timeline as the first LTC,
    // all along, from another input.
    const auto start = *Timecode::parse ("10:00:00:00", FrameRate::fps25);
    const auto jumpTo = *Timecode::parse ("11:00:00:00", FrameRate::fps25);
    auto signal = LtcGenerator::generate (rate, start, 25 * 10);
    const auto after = LtcGenerator::generate (rate, jumpTo, 25 * 6);
    signal.insert (signal.end(), after.begin(), after.end());
    uint32_t noise = 5;
    for (auto i = (size_t) (3.0 * rate); i < (size_t) (3.2 * rate); ++i)
    {
        noise = noise * 1664525u + 1013904223u;
        signal[i] = 0.5f * ((float) (noise >> 8) / 8388608.0f - 1.0f);
    }
    std::fill (signal.begin() + (long) (5.0 * rate), signal.begin() + (long) (7.0 * rate), 0.0f);
    auto expectedLtc = [&] (double sample)
    {
        return sample < 10.0 * rate ? start.toSeconds() + sample / rate : jumpTo.toSeconds() + (sample - 10.0 * rate) / rate;
    };

    const int64_t monotonicAtZero = 3'000'000'000;
    auto manager = std::make_unique<ClockManager>();
    manager->prepare (rate);
    const auto ltcSlot = manager->addSource (ClockSourceKind::ltc, "LTC in 1");
    const auto mtcSlot = manager->addSource (ClockSourceKind::mtc, "desk");
    LtcDecoder decoder (rate);
    MtcAssembler assembler;
    SampleClock clock;
    LtcFrame frame;
    int quarterFrame = 0;
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
            manager->getSource (ltcSlot)->publish (ltcObservation (frame, 0));
        for (;;)
        {
            const auto sendSample = quarterFrame * rate / 100.0;
            if (sendSample >= (double) (blockStart + blockSize))
                break;
            const auto label = Timecode::fromFrameNumber (start.toFrameNumber() + 2 * (quarterFrame / 8), FrameRate::fps25);
            const auto bytes = mtc::quarterFrame (label, quarterFrame % 8);
            MtcPosition position;
            const auto arrival = (double) (monotonicAtZero + (int64_t) std::llround (sendSample / rate * 1.0e9)) * 1.0e-9;
            if (assembler.handle (bytes.data(), bytes.size(), arrival, position) == MtcAssembler::Result::position)
                manager->getSource (mtcSlot)->publish (mtcObservation (position, clock));
            ++quarterFrame;
        }
    }

    std::string log;
    int failovers = 0, takeovers = 0, discontinuities = 0;
    int64_t failoverAt = -1, takeoverAt = -1;
    for (const auto& e : events)
    {
        log += std::to_string ((double) e.sample / rate) + " s " + clockEventTypeName (e.type) + " " + clockEventCauseName (e.cause)
               + " source " + std::to_string (e.source) + "\n";
        if (e.type == ClockEvent::Type::failover)
        {
            ++failovers;
            failoverAt = e.sample;
            CHECK (e.cause == ClockEvent::Cause::lost);
            CHECK (e.source == mtcSlot);
        }
        if (e.type == ClockEvent::Type::takeover)
        {
            ++takeovers;
            takeoverAt = e.sample;
            CHECK (e.source == ltcSlot);
        }
        discontinuities += e.type == ClockEvent::Type::discontinuity && e.source == ltcSlot;
    }
    // Steps between blocks: none but the first lock and following LTC's jump at 10 s.
    double worstStep = 0.0, worstOffLine = 0.0, worstOffLineAt = 0.0;
    for (size_t i = 1; i < history.size(); ++i)
    {
        const auto& a = history[i - 1];
        const auto& b = history[i];
        const auto step = b.seconds - (a.seconds + a.speed * blockSize / rate);
        const auto nearJump = std::abs ((double) b.sample - 10.0 * rate) < 0.2 * rate;
        if (a.everLocked && ! nearJump)
            worstStep = std::max (worstStep, std::abs (step));
        if ((double) b.sample > 1.0 * rate && ! nearJump && b.activeSource == ltcSlot && b.state == MasterState::locked)
        {
            const auto off = std::abs (b.seconds - expectedLtc ((double) b.sample));
            if (off > worstOffLine)
            {
                worstOffLine = off;
                worstOffLineAt = (double) b.sample / rate;
            }
        }
    }
    const auto health = manager->getHealth (ltcSlot);
    REQUIRE (failoverAt > 0);
    const auto atFailover = history[(size_t) (failoverAt / blockSize)];
    const auto failoverOffLine = atFailover.seconds - expectedLtc ((double) atFailover.sample);
    INFO ("at the failover, after 1 s of flywheel, the master is " << failoverOffLine * 1.0e6 << " µs off LTC's line");
    CHECK (std::abs (failoverOffLine) < 1.0 / rate);
    INFO (log << "largest step " << worstStep * 1.0e6 << " µs; master off LTC's line while following it " << worstOffLine * 1.0e6
              << " µs at " << worstOffLineAt << " s; LTC dropouts " << health.dropouts << ", discontinuities " << health.discontinuities << ", outliers "
              << health.outliers);
    CHECK (failovers == 1);
    CHECK (takeovers == 1);
    // Pulled at 5 s: the last frame is reported at 5.0 s, lost 1 s later; back at 7 s (its second
    // frame 7.08 s), leading again 2 s after that.
    CHECK ((double) failoverAt / rate > 5.95);
    CHECK ((double) failoverAt / rate < 6.1);
    CHECK ((double) takeoverAt / rate > 9.0);
    CHECK ((double) takeoverAt / rate < 9.2);
    CHECK (health.dropouts >= 2);            // the noise burst and the pull
    CHECK (discontinuities == 1);            // the jump
    CHECK (worstStep < 1.0e-9);
    CHECK (worstOffLine < 2.0 / rate);
    const auto& last = history.back();
    CHECK (last.activeSource == ltcSlot);
    CHECK (std::abs (last.seconds - expectedLtc ((double) last.sample)) < 2.0 / rate);   // the locate was followed
}
