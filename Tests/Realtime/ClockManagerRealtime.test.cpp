// CueGrid — GPL-3.0-or-later
// Issue 12: ClockManager::process() on the audio thread makes zero allocations and zero lock
// calls while LTC is published on the audio thread, two MTC peers from a "MIDI" thread (placed on
// the audio clock through the SampleClock), and the message thread reads the master, the health
// table and the events, changes the settings, asks for relocates and adds and removes a source.
// Sources drop out on purpose, so failovers and takeovers happen under the guard.
#include "AudioThreadGuard.h"
#include "Clock/ClockManager.h"
#include "Clock/SyntheticTimecode.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <thread>

using namespace cuegrid;

TEST_CASE ("ClockManager::process makes zero allocations and zero lock calls through failovers and takeovers", "[realtime][clock]")
{
    constexpr double rate = 48000.0;
    constexpr int blockSize = 128, blocks = 20000;   // 53 s of audio
    ClockSettings settings;
    settings.flywheelSeconds = 0.2;
    settings.holdSeconds = 1.2;
    auto manager = std::make_unique<ClockManager>();
    manager->prepare (rate, settings);
    SampleClock sampleClock;
    sampleClock.publishBlockStart (0, SampleClock::monotonicNowNs(), rate);
    const auto ltcSlot = manager->addSource (ClockSourceKind::ltc, "LTC");
    const auto mtcA = manager->addSource (ClockSourceKind::mtc, "MTC A");
    const auto mtcB = manager->addSource (ClockSourceKind::mtc, "MTC B");
    REQUIRE (ltcSlot >= 0);
    REQUIRE (mtcA >= 0);
    REQUIRE (mtcB >= 0);

    std::atomic<int> blocksDone { 0 };
    std::atomic<bool> done { false };
    test::resetAudioThreadGuard();
    std::thread audioThread ([&]
    {
        test::SyntheticTimecode ltc;
        ltc.jitterSamples = 1.0;
        test::armAudioThreadGuard (true);
        for (int block = 0; block < blocks; ++block)
        {
            const auto start = (int64_t) block * blockSize;
            sampleClock.publishBlockStart (start, SampleClock::monotonicNowNs(), rate);
            // LTC decoded in the callback: silent for 2 s of every 8 (the cable pulled).
            if (block > 0 && (block % 3000) < 2250)
                ltc.emit (start - blockSize, start, [&] (const ClockObservation& o) { manager->getSource (ltcSlot)->publish (o); });
            manager->process (start, blockSize);
            blocksDone.store (block + 1, std::memory_order_release);
            std::this_thread::sleep_for (std::chrono::microseconds (40));
        }
        test::armAudioThreadGuard (false);
        done.store (true, std::memory_order_release);
    });

    std::thread midiThread ([&]
    {
        // Quarter frames every 10 ms of audio time; peer B stops now and then.
        int64_t lastSample = 0;
        while (! done.load (std::memory_order_acquire))
        {
            const auto now = SampleClock::monotonicNowNs();
            const auto sample = sampleClock.sampleAt (now);
            if (sample >= lastSample + 480)
            {
                lastSample = sample;
                const auto frames = (3600.0 + (double) sample / rate) * 25.0;
                manager->getSource (mtcA)->publishAtMonotonic (now, frames, 25.0, false, false, sampleClock);
                if ((sample / 48000) % 10 < 6)
                    manager->getSource (mtcB)->publishAtMonotonic (now, frames, 25.0, false, false, sampleClock);
            }
            std::this_thread::sleep_for (std::chrono::microseconds (200));
        }
    });

    // The message thread.
    long events = 0, failovers = 0, takeovers = 0, reads = 0, healthReads = 0, added = 0;
    int extra = -1;
    ClockEvent event;
    int lastBlock = 0;
    while (blocksDone.load (std::memory_order_acquire) < blocks)
    {
        const auto block = blocksDone.load (std::memory_order_acquire);
        const auto master = manager->getMaster();
        reads += master.sample >= 0 ? 1 : 0;
        for (int slot = 0; slot < ClockManager::maxSources; ++slot)
            healthReads += manager->getHealth (slot).inUse ? 1 : 0;
        while (manager->popEvent (event))
        {
            ++events;
            failovers += event.type == ClockEvent::Type::failover;
            takeovers += event.type == ClockEvent::Type::takeover;
        }
        if (block / 4000 != lastBlock / 4000)
        {
            // Now and then: a PTP source comes or goes, the settings change, a relocate.
            if (extra < 0)
            {
                extra = manager->addSource (ClockSourceKind::ptp, "PTP");
                added += extra >= 0;
            }
            else
            {
                manager->removeSource (extra);
                extra = -1;
            }
            settings.maxSlew = settings.maxSlew == 0.005 ? 0.002 : 0.005;
            manager->setSettings (settings);
            if (block > 12000 && block < 16000)
                manager->requestRelocate();
        }
        lastBlock = block;
        std::this_thread::sleep_for (std::chrono::microseconds (500));
    }
    audioThread.join();
    midiThread.join();
    while (manager->popEvent (event))
    {
        ++events;
        failovers += event.type == ClockEvent::Type::failover;
        takeovers += event.type == ClockEvent::Type::takeover;
    }

    INFO (events << " events: " << failovers << " failovers, " << takeovers << " takeovers; " << reads << " master reads, "
                 << healthReads << " health reads, " << added << " sources added; " << manager->getTimeline().getDroppedEvents()
                 << " events dropped");
    CHECK (failovers >= 4);
    CHECK (takeovers >= 4);
    CHECK (added >= 2);
    CHECK (reads > 100);
    CHECK (healthReads > 300);
    CHECK (manager->getMaster().everLocked);
    CHECK (test::audioThreadAllocations() == 0);
    CHECK (test::audioThreadLocks() == 0);
}
