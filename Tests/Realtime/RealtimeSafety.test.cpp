// CueGrid — GPL-3.0-or-later
// Test 5: the engine's process() neither allocates nor locks, under a real concurrent load of
// random triggers, stops, parameter changes and audition from a control thread.
#include "AudioThreadGuard.h"
#include "Engine/ClipReleasePool.h"
#include "Engine/Engine.h"
#include "Session/MediaLoader.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <mutex>
#include <random>
#include <thread>

using namespace cuegrid;

TEST_CASE ("The detectors catch an allocation and a lock on an armed thread", "[realtime]")
{
    test::resetAudioThreadGuard();
    std::mutex mutex;
    std::thread probe ([&]
    {
        test::armAudioThreadGuard (true);
        static int* volatile escaped;  // keeps the compiler from eliding new/delete
        escaped = new int (42);
        delete escaped;
        mutex.lock();
        mutex.unlock();
        test::armAudioThreadGuard (false);
    });
    probe.join();
    CHECK (test::audioThreadAllocations() == 2);  // new + delete
    CHECK (test::audioThreadLocks() == 1);
    // Unarmed threads are not counted.
    test::resetAudioThreadGuard();
    auto* other = new int (1);
    delete other;
    CHECK (test::audioThreadAllocations() == 0);
}

TEST_CASE ("process() makes zero allocations and zero lock calls over 20 000 blocks of random commands", "[realtime]")
{
    constexpr double rate = 48000.0;
    constexpr int blockSize = 128, blocks = 20000;
    std::vector<ClipAudioPtr> media;
    for (const auto* name : { "p01_sonicpi_heavy_kick.wav", "p03_colombo_snare.wav", "p05_lmms_e_organ.wav",
                              "p07_sonicpi_bass_thick.wav", "p10_millo_clap_dualmono.wav" })
    {
        auto loaded = loadMedia (test::dataPath (std::string ("corpus/") + name), rate);
        REQUIRE (loaded.audio != nullptr);
        media.push_back (loaded.audio);
    }

    auto engine = std::make_unique<Engine>();
    engine->prepare (rate, blockSize);
    engine->setReportOverloads (true);
    std::atomic<int> blocksDone { 0 };
    test::resetAudioThreadGuard();

    std::thread audioThread ([&]
    {
        std::vector<float> buffers (4 * blockSize);
        float* outputs[] = { buffers.data(), buffers.data() + blockSize, buffers.data() + 2 * blockSize, buffers.data() + 3 * blockSize };
        test::armAudioThreadGuard (true);
        for (int block = 0; block < blocks; ++block)
        {
            engine->process (outputs, 4, blockSize);
            blocksDone.store (block + 1, std::memory_order_release);
            // Paced like a (fast) device so the control thread's commands interleave.
            std::this_thread::sleep_for (std::chrono::microseconds (40));
        }
        test::armAudioThreadGuard (false);
    });

    // Control thread: the engine's single producer and consumer.
    std::mt19937 random (7);
    ClipReleasePool pool;
    long started = 0, stolen = 0, posted = 0, tablesPosted = 0;
    EngineEvent event;
    while (blocksDone.load (std::memory_order_acquire) < blocks)
    {
        EngineCommand command;
        const auto now = engine->getSamplePosition();
        command.sampleTime = random() % 4 == 0 ? immediately : now + (int64_t) (random() % 4000) - 200;
        command.clipSlot = (int) (random() % 40);
        command.group = (int) (random() % 4);
        const auto& audio = media[random() % media.size()];
        ClipGainTablePtr table;
        switch (random() % 11)
        {
            case 0: case 1: case 2: case 3:
                command.type = EngineCommand::Type::trigger;
                command.audio = audio.get();
                break;
            case 4: command.type = EngineCommand::Type::stop; break;
            case 5: command.type = EngineCommand::Type::stopGroup; break;
            case 6: command.type = EngineCommand::Type::setGroupGain; command.value = -(float) (random() % 30); command.rampSamples = (int) (random() % 5000); break;
            case 7: command.type = EngineCommand::Type::setClipGain; command.value = -(float) (random() % 30); command.rampSamples = (int) (random() % 500); break;
            case 8: command.type = EngineCommand::Type::setGroupMute; command.value = (float) (random() % 2); break;
            case 9: command.type = EngineCommand::Type::audition; command.audio = audio.get(); break;
            case 10:
                // A whole session's clip gains at once (100 000 slots), freed through the pool.
                table = std::make_shared<const ClipGainTable> (std::vector<double> (Engine::maxClipSlots, 0.5 + (double) (random() % 50) / 100.0));
                command.type = EngineCommand::Type::setClipGains;
                command.clipGains = table.get();
                break;
        }
        if (engine->post (command))
        {
            ++posted;
            tablesPosted += command.type == EngineCommand::Type::setClipGains ? 1 : 0;
        }
        pool.retire (std::move (table), engine->getCommandsPosted());
        // Exercise the retire path too: media handed over to the release pool.
        if (posted % 500 == 0)
            pool.retire (std::make_shared<const ClipAudio> (std::vector<std::vector<float>> { std::vector<float> (64, 0.1f) }, rate),
                         engine->getCommandsPosted());
        pool.collect (engine->getCommandsReceived());
        while (engine->popEvent (event))
        {
            started += event.type == EngineEvent::Type::voiceStarted ? 1 : 0;
            stolen += event.type == EngineEvent::Type::voiceEnded && event.reason == VoiceEndReason::stolen ? 1 : 0;
        }
        [[maybe_unused]] const auto status = engine->getVoiceStatus();
        if (posted % 4 == 0)
            std::this_thread::sleep_for (std::chrono::microseconds (20));
    }
    audioThread.join();

    INFO ("posted " << posted << " commands, " << started << " voices started, " << stolen << " stolen");
    CHECK (blocksDone.load() == blocks);
    CHECK (started > 1000);     // the load was real
    CHECK (stolen > 0);         // ... enough to exercise voice stealing
    CHECK (tablesPosted > 50);  // ... and whole clip-gain tables
    CHECK (test::audioThreadAllocations() == 0);
    CHECK (test::audioThreadLocks() == 0);
}
