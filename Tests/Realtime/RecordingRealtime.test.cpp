// CueGrid — GPL-3.0-or-later
// Issue 10, test 5 (Record A/B's part): process() with the device's inputs, Record A and B
// starting and stopping at random samples, their input channels changed, voices playing, and the
// recording writer thread draining the rings to real files - stalled on purpose at times, so the
// rings fill and frames are lost - makes zero allocations and zero lock calls on the audio thread.
#include "RealtimeRig.h"
#include "Session/MediaLoader.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <random>

using namespace cuegrid;

static_assert (std::atomic<float>::is_always_lock_free && std::atomic<int64_t>::is_always_lock_free
               && std::atomic<bool>::is_always_lock_free, "the record buses' meters and counters must not lock");

TEST_CASE ("process() with Record A and B running makes zero allocations and zero lock calls, the writer stalling and frames lost", "[realtime]")
{
    constexpr double rate = 48000.0;
    constexpr int blockSize = 128, blocks = 12000, inputs = 4, outputs = 2;
    test::TemporaryFolder folder ("realtime-recording");
    auto hum = loadMedia (test::dataPath ("corpus/p08_sonicpi_haunted_hum.wav"), rate).audio;
    REQUIRE (hum != nullptr);

    auto engine = std::make_unique<Engine>();
    engine->setRecordRingSeconds (0.25);   // small: the writer's stalls overflow it
    engine->prepare (rate, blockSize);
    engine->setReportOverloads (true);
    test::RecordingRig recording (*engine, folder.path, "realtime", rate);
    auto& writer = recording.writer;
    test::NoiseFedAudioThread audio (*engine, inputs, outputs, blockSize, blocks, std::chrono::microseconds (40));

    using T = EngineCommand::Type;
    std::mt19937 random (11);
    long posted = 0, starts = 0, stops = 0, gaps = 0, voices = 0;
    int64_t lostFrames = 0;
    EngineEvent event;
    while (audio.running())
    {
        // The writer stalls for 0.4 s now and then (a slow disk): the 0.25 s rings overflow.
        writer.setExtraDelayMs (audio.blocksDone() % 3000 < 600 ? 400 : 0);
        EngineCommand command;
        command.sampleTime = random() % 3 == 0 ? immediately : engine->getSamplePosition() + (int64_t) (random() % 3000);
        switch (random() % 8)
        {
            case 0: case 1: command.type = T::recordStart; command.group = 1 + (int) (random() % 3); break;
            case 2: command.type = T::recordStop; command.group = 1 + (int) (random() % 3); break;
            case 3:
                command.type = T::setRecordInputs;
                for (int bus = 0; bus < 2; ++bus)
                {
                    command.recordInputs.left[bus] = (int16_t) ((int) (random() % 6) - 1);   // -1 and past the inputs too
                    command.recordInputs.right[bus] = (int16_t) ((int) (random() % 6) - 1);
                }
                break;
            default:
                command.type = T::trigger;
                command.clipSlot = (int) (random() % 8);
                command.group = (int) (random() % 4);
                command.audio = hum.get();
                command.playback.cueOut = 48000;
                break;
        }
        posted += engine->post (command) ? 1 : 0;
        while (engine->popEvent (event))
        {
            starts += event.type == EngineEvent::Type::recordStarted;
            stops += event.type == EngineEvent::Type::recordStopped;
            voices += event.type == EngineEvent::Type::voiceStarted;
            if (event.type == EngineEvent::Type::recordDiscontinuity)
            {
                ++gaps;
                lostFrames += event.length;
            }
        }
        std::this_thread::sleep_for (std::chrono::microseconds (300));
    }
    audio.join();
    recording.stop();

    INFO ("posted " << posted << " commands: " << starts << " takes started, " << stops << " stopped, " << gaps
                    << " discontinuities (" << lostFrames << " frames lost), " << voices << " voices; the writer wrote "
                    << writer.getFramesWritten() << " frames");
    CHECK (starts > 20);
    CHECK (stops > 20);
    CHECK (gaps > 0);                       // the rings did overflow
    CHECK (writer.getFramesWritten() > 48000);
    CHECK (voices > 100);
    CHECK (test::audioThreadAllocations() == 0);
    CHECK (test::audioThreadLocks() == 0);
}
