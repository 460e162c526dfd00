// CueGrid — GPL-3.0-or-later
// JACK MIDI timestamps by JACK frames: the engine pairs each block start with its cycle's JACK
// frame (lent by CueGrid's JACK MIDI client, JackCycleClock), so an MTC message at the cycle's
// first frame + its offset lands on its frame's engine sample whichever client runs first in the
// cycle and however late either wakes.
#include "ClockSource.h"
#include "JackCycleClock.h"
#include "MtcMessages.h"
#include "MtcPeer.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <random>
#include <thread>

using namespace cuegrid;

namespace
{
struct FakeServer
{
    std::atomic<uint32_t> frame { 0 };
    static uint32_t lastFrame (void* self) noexcept { return static_cast<FakeServer*> (self)->frame.load(); }
};
}

TEST_CASE ("JackCycleClock: one lender answers with its frame counter, detach waits for readers", "[clock]")
{
    FakeServer server, other;
    uint32_t frame = 7;
    CHECK_FALSE (JackCycleClock::lastFrame (frame));   // nothing lent
    CHECK (frame == 7);
    REQUIRE (JackCycleClock::attach (&FakeServer::lastFrame, &server));
    CHECK_FALSE (JackCycleClock::attach (&FakeServer::lastFrame, &other));   // one lender in the process
    server.frame = 4096;
    REQUIRE (JackCycleClock::lastFrame (frame));
    CHECK (frame == 4096);

    // A reader hammering it while the lender detaches: every answer is the lender's, then none.
    std::atomic<bool> stop { false };
    std::atomic<int> wrong { 0 };
    std::thread reader ([&]
    {
        while (! stop.load())
        {
            uint32_t f = 0;
            if (JackCycleClock::lastFrame (f) && f != 4096)
                ++wrong;
        }
    });
    std::this_thread::sleep_for (std::chrono::milliseconds (5));
    JackCycleClock::detach (&server);
    CHECK_FALSE (JackCycleClock::lastFrame (frame));
    stop = true;
    reader.join();
    CHECK (wrong.load() == 0);
    CHECK (JackCycleClock::attach (&FakeServer::lastFrame, &other));
    JackCycleClock::detach (&other);
}

TEST_CASE ("JackCycleClock: MTC stamped by JACK frames maps to its frame's sample whatever the callback order and wake-ups", "[clock]")
{
    // A simulated JACK server: cycle n begins at frame F0 + 128 n (the counter wraps at 2^32
    // during the run) and ideally at t0 + n · period; the engine and the MIDI client wake 0–1.5 ms
    // late, in either order. Quarter frames at 25 fps leave the sender at exact frames; each must
    // map to the engine sample of its frame. Before: stamps were the MIDI callback's wake-up +
    // the offset, placed through the engine's wake-up pair (whichever was last published).
    constexpr double sampleRate = 48000.0;
    constexpr uint32_t frames = 128;
    const double periodNs = frames / sampleRate * 1.0e9;
    const int64_t t0 = 50'000'000'000;
    const uint32_t frame0 = 0xffffffffu - 100u * frames;   // wraps after 100 cycles
    FakeServer server;
    REQUIRE (JackCycleClock::attach (&FakeServer::lastFrame, &server));
    ClockManager manager;
    SampleClock byFrames, byWakeUp;   // the engine's pairs with and without the JACK frame
    MtcPeer peer (&manager, &byFrames, "desk:midi_out"), oldPeer (&manager, &byWakeUp, "old");
    std::mt19937 random (7);
    std::uniform_int_distribution<int64_t> wake (0, 1'500'000);
    int64_t worstFrames = 0, worstWakeUp = 0;
    int quarterFrame = 0, published = 0;
    const auto start = *Timecode::parse ("10:00:00:00", FrameRate::fps25);
    for (int n = 0; n < 2000; ++n)
    {
        const auto cycleStart = t0 + (int64_t) std::llround (n * periodNs);
        const auto engineWake = cycleStart + wake (random);
        const auto midiWake = cycleStart + wake (random);
        const auto cycleFrame = frame0 + (uint32_t) n * frames;
        server.frame = cycleFrame;   // the server's counter this cycle
        auto engineBlock = [&]
        {
            uint32_t f = 0;
            REQUIRE (JackCycleClock::lastFrame (f));   // what EngineTimecode::process does on JACK
            byFrames.publishBlockStart ((int64_t) n * frames, engineWake, sampleRate, f);
            byWakeUp.publishBlockStart ((int64_t) n * frames, engineWake, sampleRate);
        };
        auto midiBlock = [&]
        {
            // Quarter frames every 480 samples (25 fps), from engine sample 1000.
            for (;;)
            {
                const auto at = 1000 + (int64_t) quarterFrame * 480;
                if (at >= (int64_t) (n + 1) * frames)
                    break;
                const auto offset = (uint32_t) (at - (int64_t) n * frames);
                const auto label = Timecode::fromFrameNumber (start.toFrameNumber() + 2 * (quarterFrame / 8), FrameRate::fps25);
                const auto bytes = mtc::quarterFrame (label, quarterFrame % 8);
                const auto stamp = midiWake + (int64_t) std::llround (offset / sampleRate * 1.0e9);
                peer.handleAtJackFrame (bytes.data(), bytes.size(), stamp, cycleFrame + offset);
                oldPeer.handle (bytes.data(), bytes.size(), stamp);
                ++quarterFrame;
            }
        };
        if (random() % 2 == 0)
        {
            midiBlock();
            engineBlock();
        }
        else
        {
            engineBlock();
            midiBlock();
        }
        // What the two peers published this cycle: each observation's sample against the truth,
        // its quarter frame's sample 1000 + 480 k (positions come from the 9th quarter frame on).
        ClockObservation a, b;
        auto* sa = manager.getSource (peer.getSlot());
        auto* sb = manager.getSource (oldPeer.getSlot());
        while (sa->pop (a))
        {
            REQUIRE (sb->pop (b));
            // An assembled position is the sender's transport at the message: start + k/4 frames.
            const auto k = std::llround ((a.frames - (double) start.toFrameNumber()) * 4.0);
            const int64_t truth = 1000 + (int64_t) k * 480;
            if (n > 0)
            {
                worstFrames = std::max (worstFrames, std::abs (a.sample - truth));
                worstWakeUp = std::max (worstWakeUp, std::abs (b.sample - truth));
            }
            ++published;
        }
    }
    JackCycleClock::detach (&server);
    INFO ("quarter frames " << quarterFrame << ", observations " << published << "; worst error by JACK frames " << worstFrames
                            << " samples, by wake-up times " << worstWakeUp << " samples");
    CHECK (published > 500);   // 532 quarter frames in 5.3 s, from the 9th on
    CHECK (worstFrames == 0);
    CHECK (worstWakeUp > 24);   // the old stamps: off by the difference of two wake-ups (up to 1.5 ms)
    CHECK (peer.getFrameStampsRejected() == 0);
}

TEST_CASE ("JackCycleClock: a JACK-frame stamp far from the arrival time is not used, the arrival stamp is", "[clock]")
{
    // The engine's block start paired with a JACK frame a second off (its frame tracking gone
    // wrong): MTC stamped by frames would land a second away; the arrival stamp is kept.
    constexpr double sampleRate = 48000.0;
    ClockManager manager;
    SampleClock wrongFrames, noFrames;
    MtcPeer peer (&manager, &wrongFrames, "desk:midi_out"), arrivalPeer (&manager, &noFrames, "arrival");
    const int64_t t0 = 50'000'000'000;
    const auto start = *Timecode::parse ("10:00:00:00", FrameRate::fps25);
    for (int k = 0; k < 64; ++k)
    {
        const int64_t at = 1000 + (int64_t) k * 480;                                  // the quarter frame's engine sample
        const int64_t blockStart = at - at % 128;
        const auto blockNs = t0 + (int64_t) std::llround ((double) blockStart / sampleRate * 1.0e9);
        const auto frameOfBlock = (uint32_t) (blockStart + 48000);                    // the MIDI client's (right)
        wrongFrames.publishBlockStart (blockStart, blockNs, sampleRate, frameOfBlock + 48000);   // the engine's: a second off
        noFrames.publishBlockStart (blockStart, blockNs, sampleRate);
        const auto label = Timecode::fromFrameNumber (start.toFrameNumber() + 2 * (k / 8), FrameRate::fps25);
        const auto bytes = mtc::quarterFrame (label, k % 8);
        const auto stamp = t0 + (int64_t) std::llround ((double) at / sampleRate * 1.0e9);
        peer.handleAtJackFrame (bytes.data(), bytes.size(), stamp, frameOfBlock + (uint32_t) (at - blockStart));
        arrivalPeer.handle (bytes.data(), bytes.size(), stamp);
    }
    ClockObservation a, b;
    int compared = 0;
    while (manager.getSource (peer.getSlot())->pop (a))
    {
        REQUIRE (manager.getSource (arrivalPeer.getSlot())->pop (b));
        CHECK (a.sample == b.sample);
        CHECK (std::abs (a.sample - (1000 + (int64_t) std::llround ((a.frames - (double) start.toFrameNumber()) * 4.0) * 480)) <= 1);
        ++compared;
    }
    CHECK (compared > 40);
    CHECK ((int) peer.getFrameStampsRejected() == compared);
}

TEST_CASE ("JackFrameTracker: a late callback's read of the next cycle's frame is ignored, a skip of cycles is believed after 8", "[clock]")
{
    JackFrameTracker tracker;
    uint32_t read = 0xffffff00u;   // wraps at the third cycle
    CHECK (tracker.next (read, 128) == 0xffffff00u);
    CHECK (tracker.next (read += 128, 128) == 0xffffff80u);
    CHECK (tracker.next (read += 128, 128) == 0u);
    // Late: this callback ran after the server began the next cycle, and read its frame.
    CHECK (tracker.next (read + 256, 128) == 128u);
    read += 128;
    CHECK (tracker.next (read += 128, 128) == 256u);   // caught up
    // An xrun: the server skipped two cycles (its counter moved 256 frames more): believed on the 8th.
    read += 256;
    uint32_t got = 0;
    for (int i = 0; i < 7; ++i)
        got = tracker.next (read += 128, 128);
    CHECK (got == read - 256);   // still the expected line
    CHECK (tracker.next (read += 128, 128) == read);   // the 8th alike: resynchronised
    CHECK (tracker.next (read += 128, 128) == read);
}
