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
