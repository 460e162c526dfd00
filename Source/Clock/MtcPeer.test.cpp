// CueGrid — GPL-3.0-or-later
// MTC peers (issue 12, test 4 at the level of the inputs' code): two MIDI inputs' MtcPeers in
// one clock manager, fed the bytes a sender writes, stamped on a monotonic clock that the
// audio clock is paired with at each block start (as the engine publishes it).
#include "MtcPeer.h"
#include "MtcMessages.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <memory>

using namespace cuegrid;

namespace
{
constexpr double rate = 48000.0;
constexpr int blockSize = 128;
constexpr int64_t monotonicAtZero = 5'000'000'000;

int64_t monotonicAt (double sample) { return monotonicAtZero + (int64_t) std::llround (sample / rate * 1.0e9); }

/** A sender of quarter frames at 25 fps: label start + 2 frames per sequence, from `fromSample`. */
struct Sender
{
    Timecode start;
    double fromSample = 0.0, untilSample = 1.0e18;
    int sent = 0;
    double lastSample = 0.0;   // of the last quarter frame sent

    void sendUntil (MtcPeer& peer, double endSample)
    {
        for (;;)
        {
            const auto sample = fromSample + sent * rate / 100.0;
            if (sample >= endSample || sample >= untilSample)
                return;
            const auto label = Timecode::fromFrameNumber (start.toFrameNumber() + 2 * (sent / 8), FrameRate::fps25);
            const auto bytes = mtc::quarterFrame (label, sent % 8);
            CHECK (peer.handle (bytes.data(), bytes.size(), monotonicAt (sample)));
            ++sent;
            lastSample = sample;
        }
    }
};
} // namespace

TEST_CASE ("MTC peer: only quarter frames and full frames are MTC, so notes and CCs still reach the mappings", "[clock]")
{
    const auto t = *Timecode::parse ("01:02:03:04", FrameRate::fps25);
    const auto qf = mtc::quarterFrame (t, 3);
    const auto ff = mtc::fullFrame (t);
    const uint8_t note[] = { 0x90, 60, 100 }, cc[] = { 0xb0, 7, 64 }, clock[] = { 0xf8 }, song[] = { 0xf2, 0, 0 };
    const uint8_t otherSysex[] = { 0xf0, 0x7e, 0x7f, 0x06, 0x01, 0xf7 };
    CHECK (MtcPeer::isMtc (qf.data(), qf.size()));
    CHECK (MtcPeer::isMtc (ff.data(), ff.size()));
    CHECK_FALSE (MtcPeer::isMtc (note, sizeof (note)));
    CHECK_FALSE (MtcPeer::isMtc (cc, sizeof (cc)));
    CHECK_FALSE (MtcPeer::isMtc (clock, sizeof (clock)));
    CHECK_FALSE (MtcPeer::isMtc (song, sizeof (song)));
    CHECK_FALSE (MtcPeer::isMtc (otherSysex, sizeof (otherSysex)));

    // Without a manager the peer still takes MTC away from the mappings, and follows nothing.
    MtcPeer alone (nullptr, nullptr, "no clock");
    CHECK (alone.getSlot() == -1);
    CHECK (alone.handle (qf.data(), qf.size(), 1));
    CHECK_FALSE (alone.handle (note, sizeof (note), 2));
    CHECK (alone.getMessages() == 1);
}

TEST_CASE ("MTC peer: two inputs are two sources, one stops and the other takes over, one sends another time and is flagged", "[clock]")
{
    auto manager = std::make_unique<ClockManager>();
    manager->prepare (rate);
    SampleClock clock;
    auto a = std::make_unique<MtcPeer> (manager.get(), &clock, "probe-a:out");
    MtcPeer b (manager.get(), &clock, "probe-b:out");
    const auto slotA = a->getSlot(), slotB = b.getSlot();
    REQUIRE (slotA >= 0);
    REQUIRE (slotB >= 0);
    REQUIRE (slotA != slotB);

    const auto start = *Timecode::parse ("10:00:00:00", FrameRate::fps25);
    Sender senderA { start, 4800.0, 4.0 * rate };                  // stops at 4 s
    Sender senderB { start, 4800.0 + rate / 400.0 };               // the same time, 2.5 ms later in the quarter-frame grid
    int64_t failoverAt = -1, differentAt = -1;
    double lastOfA = 0.0;
    double maxStepUs = 0.0, previousEnd = 0.0;
    bool followedA = false, wasLocked = false;
    uint64_t errorsBeforeJump = 0;
    for (int64_t blockStart = 0; blockStart < (int64_t) (12.0 * rate); blockStart += blockSize)
    {
        clock.publishBlockStart (blockStart, monotonicAt ((double) blockStart), rate);
        manager->process (blockStart, blockSize);
        const auto master = manager->getMaster();
        if (blockStart < (int64_t) (8.0 * rate) && wasLocked)
            maxStepUs = std::max (maxStepUs, std::abs (master.seconds - previousEnd) * 1.0e6);
        wasLocked = master.everLocked;
        previousEnd = master.seconds + master.speed * blockSize / rate;
        followedA = followedA || master.activeSource == slotA;
        if (followedA && failoverAt < 0 && master.activeSource == slotB)
            failoverAt = blockStart;
        if (differentAt < 0 && manager->getHealth (slotB).differentTime)
            differentAt = blockStart;

        const auto end = (double) (blockStart + blockSize);
        senderA.sendUntil (*a, end);
        if (blockStart == (int64_t) (8.0 * rate) / blockSize * blockSize)
        {
            errorsBeforeJump = b.getSequenceErrors();
            lastOfA = senderA.lastSample;
            // From 8 s peer A is back (restarted) and B jumps 2 s ahead: B disagrees with A.
            senderA = Sender { Timecode::fromFrameNumber (start.toFrameNumber() + 200, FrameRate::fps25), 8.0 * rate };
            senderB = Sender { Timecode::fromFrameNumber (start.toFrameNumber() + 250, FrameRate::fps25), 8.0 * rate };
        }
        senderB.sendUntil (b, end);
    }
    ClockEvent event;
    int failovers = 0, disagreements = 0;
    while (manager->popEvent (event))
    {
        failovers += event.type == ClockEvent::Type::failover && event.source == slotB && event.other == slotA;
        disagreements += event.type == ClockEvent::Type::peerDisagreement;
    }
    INFO ("A's last quarter frame at " << lastOfA / rate << " s, failover at " << failoverAt / rate << " s, different time flagged at " << differentAt / rate
          << " s, largest step " << maxStepUs << " us");
    CHECK (followedA);
    REQUIRE (failoverAt > 0);
    // A's last quarter frame just before 4 s; lost after the 1 s flywheel time: failover in the
    // block that time runs out in (the block after, at most).
    CHECK ((double) failoverAt >= lastOfA + rate - blockSize);
    CHECK ((double) failoverAt <= lastOfA + rate + 2 * blockSize);
    CHECK (failovers >= 1);
    CHECK (maxStepUs < 200.0);   // until B's own jump at 8 s, never a step: the master goes on from A's flywheel
    CHECK (differentAt > (int64_t) (8.0 * rate));
    CHECK (disagreements >= 1);
    CHECK (b.getMessages() > 0);
    CHECK (errorsBeforeJump == 0);   // (B's restart mid-sequence at 8 s is one)

    a.reset();   // the device unplugged: its slot is freed by the next block
    manager->process ((int64_t) (12.0 * rate), blockSize);
    CHECK_FALSE (manager->getHealth (slotA).inUse);
}
