// CueGrid — GPL-3.0-or-later
// Issue 12: an MTC peer's handle() on a MIDI thread (JUCE's ALSA thread, the JACK process
// thread) makes zero allocations and zero lock calls per message: assembling, stamping through
// the SampleClock and publishing to the clock manager, non-MTC messages passed over.
#include "AudioThreadGuard.h"
#include "Clock/MtcMessages.h"
#include "Clock/MtcPeer.h"

#include <catch2/catch.hpp>

#include <memory>

using namespace cuegrid;

TEST_CASE ("MtcPeer handle makes zero allocations and zero lock calls", "[realtime][clock]")
{
    auto manager = std::make_unique<ClockManager>();
    manager->prepare (48000.0);
    SampleClock clock;
    clock.publishBlockStart (0, 1'000'000'000, 48000.0);
    MtcPeer peer (manager.get(), &clock, "desk");
    REQUIRE (peer.getSlot() >= 0);
    const auto start = *Timecode::parse ("01:00:00:00", FrameRate::fps25);
    const uint8_t note[] = { 0x90, 60, 100 };
    int consumed = 0, passed = 0;
    test::resetAudioThreadGuard();
    test::armAudioThreadGuard (true);
    for (int i = 0; i < 800; ++i)   // 200 frames of quarter frames, a full frame and a note now and then
    {
        const auto ns = 1'000'000'000 + (int64_t) i * 10'000'000;
        const auto label = Timecode::fromFrameNumber (start.toFrameNumber() + 2 * (i / 8), FrameRate::fps25);
        const auto qf = mtc::quarterFrame (label, i % 8);
        consumed += peer.handle (qf.data(), qf.size(), ns);
        if (i % 100 == 50)
        {
            const auto ff = mtc::fullFrame (label);
            consumed += peer.handle (ff.data(), ff.size(), ns + 1000);
            passed += ! peer.handle (note, sizeof (note), ns + 2000);
        }
    }
    test::armAudioThreadGuard (false);
    CHECK (test::audioThreadAllocations() == 0);
    CHECK (test::audioThreadLocks() == 0);
    CHECK (consumed == 808);
    CHECK (passed == 8);
    // What it published reached the manager: the source locked.
    for (int64_t block = 0; block < 20; ++block)
        manager->process (block * 128, 128);
    CHECK (manager->getHealth (peer.getSlot()).state != SourceState::none);
}
