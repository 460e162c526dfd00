// CueGrid — GPL-3.0-or-later
// Issue 12, "Timecode in the show": Engine::process() with LTC on an input channel (decoded in
// the callback), the clock manager running every block and timecode triggers and chase firing
// makes zero allocations and zero lock calls, while a control thread posts commands, reads the
// master and drains the fires. The LTC locks, jumps back (a locate) and stops (a 3 s dropout), so
// every path runs under the guard: a trigger fired, re-armed by the jump and fired again, a
// chasing clip restarted at its new offset, chasing clips stopped when the timecode stops.
#include "AudioThreadGuard.h"
#include "Clock/LtcGenerator.h"
#include "Engine/ClipReleasePool.h"
#include "Engine/Engine.h"
#include "Engine/TimecodeTriggerTable.h"
#include "Session/MediaLoader.h"
#include "Support/TestSupport.h"
#include "Support/TimecodeTestSupport.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <thread>
#include <utility>

using namespace cuegrid;

TEST_CASE ("process() with LTC decoded, the clock manager running and timecode triggers and chase firing makes zero allocations and zero lock calls", "[realtime][clock]")
{
    constexpr double rate = 48000.0;
    constexpr int blockSize = 128, channels = 2;
    std::vector<ClipAudioPtr> media;
    for (const auto* name : { "p03_colombo_snare.wav", "p05_lmms_e_organ.wav", "p06_sc_apollo11_speech.wav" })
    {
        auto loaded = loadMedia (test::dataPath (std::string ("corpus/") + name), rate);
        REQUIRE (loaded.audio != nullptr);
        media.push_back (loaded.audio);
    }

    // LTC at 25 fps: 00:00:01:00 for 6 s, a locate back to 00:00:02:00 for 3 s, then 3 s of silence.
    auto signal = LtcGenerator::generate (rate, *Timecode::parse ("00:00:01:00", FrameRate::fps25), 150);
    const auto second = LtcGenerator::generate (rate, *Timecode::parse ("00:00:02:00", FrameRate::fps25), 75);
    signal.insert (signal.end(), second.begin(), second.end());
    signal.resize (signal.size() + (size_t) (3 * rate), 0.0f);

    auto trigger = [&] (int slot, const char* timecode, bool chase)
    {
        return test::timecodeTrigger (slot, timecode, FrameRate::fps25, *media[(size_t) slot], rate, chase, slot);
    };
    auto engine = std::make_unique<Engine>();
    auto& timecode = engine->getTimecode();
    timecode.setLtcInput (0, 0);
    timecode.setTriggers ({ trigger (0, "00:00:03:00", false),    // fires at 3 s, and again after the locate
                            trigger (1, "00:00:02:10", true),     // chased, 4.5 s: fires at 2.4 s twice; stopped when the timecode stops
                            trigger (2, "00:00:01:12", true) },   // chased, 4.3 s: fires at 1.48 s, restarted 0.52 s in after the locate
                          false);
    engine->prepare (rate, blockSize);
    engine->setReportOverloads (true);

    std::atomic<bool> running { true };
    test::resetAudioThreadGuard();
    std::thread audioThread ([&]
    {
        std::vector<float> buffers ((size_t) (channels * blockSize));
        float* outputs[channels] { buffers.data(), buffers.data() + blockSize };
        test::armAudioThreadGuard (true);
        for (size_t done = 0; done + blockSize <= signal.size(); done += blockSize)
        {
            const float* inputs[1] { signal.data() + done };
            engine->process (inputs, 1, outputs, channels, blockSize);
            std::this_thread::sleep_for (std::chrono::microseconds (40));
        }
        test::armAudioThreadGuard (false);
        running.store (false, std::memory_order_release);
    });

    // The control thread: gain changes, the master and the fires, the engine's events.
    int triggers[3] {}, chases[3] {}, chaseStops[3] {}, starts = 0;
    bool sawLock = false;
    double latestMaster = 0.0;
    auto drain = [&]
    {
        TimecodeFire fire;
        while (timecode.popFire (fire))
        {
            REQUIRE (fire.clipSlot >= 0);
            REQUIRE (fire.clipSlot < 3);
            auto& counts = fire.kind == TimecodeFire::Kind::trigger ? triggers : fire.kind == TimecodeFire::Kind::chase ? chases : chaseStops;
            ++counts[fire.clipSlot];
        }
        EngineEvent event;
        while (engine->popEvent (event))
            starts += event.type == EngineEvent::Type::voiceStarted ? 1 : 0;
        const auto master = timecode.getManager().getMaster();
        sawLock = sawLock || master.state == MasterState::locked;
        latestMaster = master.seconds;
    };
    for (int i = 0; running.load (std::memory_order_acquire); ++i)
    {
        EngineCommand gain;
        gain.type = EngineCommand::Type::setClipGain;
        gain.clipSlot = i % 3;
        gain.value = -(float) (i % 7);
        gain.rampSamples = 64;
        engine->post (gain);
        drain();
        std::this_thread::sleep_for (std::chrono::milliseconds (2));
    }
    audioThread.join();
    drain();

    CHECK (test::audioThreadAllocations() == 0);
    CHECK (test::audioThreadLocks() == 0);
    CHECK (sawLock);
    CHECK (latestMaster > 5.0);   // free-running on after the timecode stopped
    CHECK (triggers[0] == 2);
    CHECK (chases[0] == 0);
    CHECK (triggers[1] == 2);
    CHECK (triggers[2] == 1);
    CHECK (chases[2] == 1);       // after the locate, at its offset
    CHECK (chaseStops[1] == 1);   // still playing when the master free-runs (5 s of LTC + 1 s flywheel)
    CHECK (chaseStops[2] == 0);   // it had ended
    CHECK (starts == 6);
    CHECK (timecode.getDroppedFires() == 0);
}

// The live handoff (ShowController::postTimecodeTriggers): a control thread builds a new trigger
// table every few milliseconds, posts it as a command and frees the old ones through
// ClipReleasePool's fence, while LTC runs and the triggers fire. The swaps happen on the audio
// thread at block boundaries with no allocation or lock; each trigger fires once (a swap keeps
// the state of a trigger for the same clip at the same index); every retired table is freed.
TEST_CASE ("A trigger table swapped live while LTC runs makes zero allocations and zero lock calls and each trigger fires once", "[realtime][clock]")
{
    constexpr double rate = 48000.0;
    constexpr int blockSize = 128, channels = 2;
    std::vector<ClipAudioPtr> media;
    for (const auto* name : { "p03_colombo_snare.wav", "p05_lmms_e_organ.wav" })
    {
        auto loaded = loadMedia (test::dataPath (std::string ("corpus/") + name), rate);
        REQUIRE (loaded.audio != nullptr);
        media.push_back (loaded.audio);
    }
    // LTC at 25 fps from 00:00:01:00 for 5 s.
    const auto signal = LtcGenerator::generate (rate, *Timecode::parse ("00:00:01:00", FrameRate::fps25), 125);

    auto trigger = [&] (int slot, const char* timecode)
    {
        return test::timecodeTrigger (slot, timecode, FrameRate::fps25, *media[(size_t) slot % 2], rate, false, slot % 2);
    };
    // Two tables in turn: the same two triggers, the second with one more that never fires.
    auto makeTable = [&] (int generation)
    {
        std::vector<TimecodeTrigger> triggers { trigger (0, "00:00:03:00"), trigger (1, "00:00:04:12") };
        if (generation % 2 == 1)
            triggers.push_back (trigger (2, "01:00:00:00"));
        return std::make_shared<const TimecodeTriggerTable> (std::move (triggers), false, media);
    };

    auto engine = std::make_unique<Engine>();
    auto& timecode = engine->getTimecode();
    timecode.setLtcInput (0, 0);
    engine->prepare (rate, blockSize);

    ClipReleasePool pool;
    TimecodeTriggerTablePtr current;
    int generation = 0, swapsPosted = 0;
    auto postTable = [&]
    {
        auto table = makeTable (generation++);
        EngineCommand command;
        command.type = EngineCommand::Type::setTimecodeTriggers;
        command.timecodeTriggers = table.get();
        REQUIRE (engine->post (command));
        ++swapsPosted;
        pool.retire (std::exchange (current, std::move (table)), engine->getCommandsPosted());
    };
    postTable();

    std::atomic<bool> running { true };
    test::resetAudioThreadGuard();
    std::thread audioThread ([&]
    {
        std::vector<float> buffers ((size_t) (channels * blockSize));
        float* outputs[channels] { buffers.data(), buffers.data() + blockSize };
        test::armAudioThreadGuard (true);
        for (size_t done = 0; done + blockSize <= signal.size(); done += blockSize)
        {
            const float* inputs[1] { signal.data() + done };
            engine->process (inputs, 1, outputs, channels, blockSize);
            std::this_thread::sleep_for (std::chrono::microseconds (40));
        }
        test::armAudioThreadGuard (false);
        running.store (false, std::memory_order_release);
    });

    int triggers[3] {}, starts = 0, freed = 0;
    int64_t fireSample[2] { -1, -1 };
    auto drain = [&]
    {
        TimecodeFire fire;
        while (timecode.popFire (fire))
            if (fire.kind == TimecodeFire::Kind::trigger && fire.clipSlot >= 0 && fire.clipSlot < 3)
            {
                ++triggers[fire.clipSlot];
                if (fire.clipSlot < 2)
                    fireSample[fire.clipSlot] = fire.sample;
            }
        EngineEvent event;
        while (engine->popEvent (event))
            starts += event.type == EngineEvent::Type::voiceStarted ? 1 : 0;
        freed += pool.collect (engine->getCommandsReceived());
    };
    while (running.load (std::memory_order_acquire))
    {
        postTable();
        drain();
        std::this_thread::sleep_for (std::chrono::milliseconds (3));
    }
    audioThread.join();
    // The last table may have been posted after the audio thread's last block: one more block,
    // run here now that the audio thread has ended, lets the engine receive it (seen under ASan).
    {
        std::vector<float> buffers ((size_t) (channels * blockSize));
        float* outputs[channels] { buffers.data(), buffers.data() + blockSize };
        const std::vector<float> silence ((size_t) blockSize);
        const float* inputs[1] { silence.data() };
        engine->process (inputs, 1, outputs, channels, blockSize);
    }
    drain();

    CHECK (test::audioThreadAllocations() == 0);
    CHECK (test::audioThreadLocks() == 0);
    CHECK (swapsPosted > 50);
    CHECK (triggers[0] == 1);
    CHECK (triggers[1] == 1);
    CHECK (triggers[2] == 0);
    CHECK (starts == 2);
    CHECK (timecode.getDroppedFires() == 0);
    // Every table but the installed one is freed once the engine swapped it out.
    CHECK (pool.size() == 0);
    CHECK (freed == swapsPosted - 1);
    CHECK (current->audioThreadReferences.load() == 1);
    // The triggers fire where the timecode puts them: 00:00:03:00 is 2 s of LTC in, 00:00:04:12 3.48 s
    // (within the decoder's latency: a frame is known once it has been read).
    CHECK (fireSample[0] > 0);
    CHECK (fireSample[1] - fireSample[0] == (int64_t) std::llround (1.48 * rate));
}
