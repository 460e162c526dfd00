// CueGrid — GPL-3.0-or-later
// Test 5 (issue 8, test 4): the engine's process() neither allocates nor locks, under a real
// concurrent load of random commands of every type from a control thread (triggers with random
// fades, cue points, loops, solo and retrigger modes; stops with fades, pause/resume, group and
// global fades, Panic, pan, routing, choke limits, limiter settings), on 6 outputs with the
// limiter working and meters (LUFS included) read from a third thread.
#include "Engine/ClipReleasePool.h"
#include "RealtimeRig.h"
#include "Session/MediaCache.h"
#include "Session/MediaLoader.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <sndfile.h>

#include <array>
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

namespace
{
    FadeCurve randomCurve (std::mt19937& random) { return (FadeCurve) (random() % 4); }

    /** Random playback of `audio`: cue points, offset, edge fade, fades of every curve, short
        loops (many wraps and crossfades), solo, every retrigger mode. */
    VoicePlayback randomPlayback (std::mt19937& random, const ClipAudio& audio)
    {
        const auto frames = audio.getNumFrames();
        VoicePlayback p;
        p.cueIn = (int64_t) (random() % (uint32_t) (frames / 4));
        p.cueOut = random() % 3 == 0 ? -1 : p.cueIn + 1000 + (int64_t) (random() % (uint32_t) (frames - p.cueIn - 1000));
        const auto end = p.cueOut < 0 ? frames : p.cueOut;
        p.startFrame = p.cueIn + (int64_t) (random() % 500);
        p.edgeFade = random() % 2 ? -1 : 12 + (int) (random() % 469);
        p.fadeIn = random() % 2 ? 0 : (int) (random() % 9600);
        p.fadeInCurve = randomCurve (random);
        p.fadeOut = random() % 2 ? 0 : (int) (random() % 9600);
        p.fadeOutCurve = randomCurve (random);
        if (random() % 2 == 0)
        {
            p.loopIn = p.cueIn + (int64_t) (random() % (uint32_t) ((end - p.cueIn) / 2));
            p.loopOut = std::min (end, p.loopIn + 100 + (int64_t) (random() % 3000));
            p.loopCount = (int) (random() % 4);
            p.loopCrossfade = random() % 2 ? -1 : 12 + (int) (random() % 469);
        }
        p.solo = random() % 6 == 0;
        p.soloCrossfade = (int) (random() % 9600);
        p.soloCurve = randomCurve (random);
        p.retrigger = (RetriggerMode) (random() % 4);
        return p;
    }
} // namespace

TEST_CASE ("process() makes zero allocations and zero lock calls over 20 000 blocks of random commands of every type, limiter and meters running", "[realtime]")
{
    constexpr double rate = 48000.0;
    constexpr int blockSize = 128, blocks = 20000, channels = 6;
    std::vector<ClipAudioPtr> media;
    for (const auto* name : { "p01_sonicpi_heavy_kick.wav", "p03_colombo_snare.wav", "p05_lmms_e_organ.wav",
                              "p07_sonicpi_bass_thick.wav", "p10_millo_clap_dualmono.wav", "p06_sc_apollo11_speech.wav" })
    {
        auto loaded = loadMedia (test::dataPath (std::string ("corpus/") + name), rate);
        REQUIRE (loaded.audio != nullptr);
        media.push_back (loaded.audio);
    }

    auto engine = std::make_unique<Engine>();
    engine->prepare (rate, blockSize);
    engine->setReportOverloads (true);
    {
        // The limiter on, hard: the master at +6 dB so it keeps reducing; group D on outputs 5/6.
        EngineCommand setup;
        setup.type = EngineCommand::Type::setLimiter;
        setup.enabled = true;
        setup.value = -1.0f;
        engine->post (setup);
        setup.type = EngineCommand::Type::setMasterGain;
        setup.value = 6.0f;
        engine->post (setup);
        setup.type = EngineCommand::Type::setRouting;
        setup.routing.groupLeft[3] = 4;
        setup.routing.groupRight[3] = 5;
        engine->post (setup);
    }
    // Paced like a (fast) device so the control thread's commands interleave.
    test::NoiseFedAudioThread audio (*engine, 0, channels, blockSize, blocks, std::chrono::microseconds (40));

    // A meter view (the GUI's timer): reads the meter and voice snapshots while the audio runs.
    std::atomic<bool> reading { true };
    long meterReads = 0;
    float deepestReduction = 0.0f, loudest = -200.0f;
    std::thread meterThread ([&]
    {
        while (reading.load (std::memory_order_acquire))
        {
            const auto meters = engine->getMeters();
            deepestReduction = std::max (deepestReduction, meters.gainReductionDb);
            loudest = std::max (loudest, meters.lufsMomentary);
            [[maybe_unused]] const auto status = engine->getVoiceStatus();
            ++meterReads;
            std::this_thread::sleep_for (std::chrono::microseconds (200));
        }
    });

    // Control thread: the engine's single producer and consumer.
    using T = EngineCommand::Type;
    std::mt19937 random (7);
    ClipReleasePool pool;
    long started = 0, stolen = 0, choked = 0, paused = 0, panics = 0, meterEvents = 0, posted = 0, tablesPosted = 0;
    std::array<long, 24> postedOfType {};
    EngineEvent event;
    while (audio.running())
    {
        EngineCommand command;
        const auto now = engine->getSamplePosition();
        command.sampleTime = random() % 4 == 0 ? immediately : now + (int64_t) (random() % 4000) - 200;
        command.clipSlot = (int) (random() % 40);
        command.group = (int) (random() % 4);
        const auto& clipAudio = media[random() % media.size()];
        ClipGainTablePtr table;
        switch (random() % 40)
        {
            case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7:
                command.type = T::trigger;
                command.audio = clipAudio.get();
                command.playback = randomPlayback (random, *clipAudio);
                break;
            case 8: command.type = T::stop; command.fadeSamples = (int) (random() % 9600) - 1; break;
            case 9: command.type = T::stopGroup; break;
            case 10: command.type = T::setGroupGain; command.value = -(float) (random() % 30); command.rampSamples = (int) (random() % 5000); break;
            case 11: command.type = T::setClipGain; command.value = -(float) (random() % 30); command.rampSamples = (int) (random() % 500); break;
            case 12: command.type = T::setGroupMute; command.value = (float) (random() % 2); break;
            case 13: command.type = T::audition; command.audio = clipAudio.get(); command.playback = randomPlayback (random, *clipAudio); break;
            case 14:
                // A whole session's clip gains at once (100 000 slots), freed through the pool.
                table = std::make_shared<const ClipGainTable> (std::vector<double> (Engine::maxClipSlots, 0.5 + (double) (random() % 50) / 100.0));
                command.type = T::setClipGains;
                command.clipGains = table.get();
                break;
            case 15: command.type = random() % 3 == 0 ? T::pause : random() % 2 ? T::resume : T::togglePause; break;
            case 16: command.type = T::fadeGroup; command.fadeSamples = (int) (random() % 48000); command.curve = (FadeCurve) (random() % 4); break;
            case 17: command.type = random() % 3 ? T::pauseAll : T::resumeAll; break;
            case 18: command.type = T::setClipPan; command.value = (float) ((int) (random() % 201) - 100) / 100.0f; command.rampSamples = (int) (random() % 4000); break;
            case 19: command.type = T::setAuditionGain; command.value = -(float) (random() % 20); command.rampSamples = (int) (random() % 2000); break;
            case 20: command.type = T::setChokeLimit; command.value = random() % 3 ? 0.0f : (float) (1 + random() % 3); break;
            case 21:
                command.type = T::setRouting;
                if (random() % 2) { command.routing.groupLeft[3] = 4; command.routing.groupRight[3] = 5; }
                if (random() % 2) { command.routing.groupLeft[1] = 6; command.routing.groupRight[1] = 7; }   // past 6: the master
                if (random() % 4 == 0) { command.routing.auditionLeft = 4; command.routing.auditionRight = 5; }
                break;
            case 22: command.type = T::setLimiter; command.enabled = random() % 8 != 0; command.value = -(float) (random() % 6); break;
            case 23: command.type = T::setMasterGain; command.value = (float) (random() % 12) - 3.0f; command.rampSamples = (int) (random() % 4000); break;
            case 24: command.type = random() % 8 ? T::stopAudition : T::stopAll; break;
            case 25: command.type = random() % 3 ? T::setClipGain : T::fadeAll; command.fadeSamples = (int) (random() % 48000); command.curve = (FadeCurve) (random() % 4); break;
            case 26: command.type = random() % 12 == 0 ? T::panic : T::setGroupGain; break;
            default:
                command.type = T::trigger;
                command.audio = clipAudio.get();
                command.playback = randomPlayback (random, *clipAudio);
                break;
        }
        if (engine->post (command))
        {
            ++posted;
            ++postedOfType[(size_t) command.type];
            tablesPosted += command.type == T::setClipGains ? 1 : 0;
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
            choked += event.type == EngineEvent::Type::voiceEnded && event.reason == VoiceEndReason::choked ? 1 : 0;
            paused += event.type == EngineEvent::Type::voicePaused ? 1 : 0;
            panics += event.type == EngineEvent::Type::panic ? 1 : 0;
            meterEvents += event.type == EngineEvent::Type::meter ? 1 : 0;
        }
        if (posted % 4 == 0)
            std::this_thread::sleep_for (std::chrono::microseconds (20));
    }
    audio.join();
    reading.store (false, std::memory_order_release);
    meterThread.join();

    INFO ("posted " << posted << " commands, " << started << " voices started, " << stolen << " stolen, " << choked << " choked, "
                    << paused << " paused, " << panics << " panics, " << meterEvents << " meter events, " << meterReads
                    << " meter reads, deepest gain reduction " << deepestReduction << " dB, loudest " << loudest << " LUFS");
    CHECK (audio.blocksDone() == blocks);
    for (int type = 0; type <= (int) T::setLimiter; ++type)
    {
        INFO ("command type " << type);
        CHECK (postedOfType[(size_t) type] > 0);   // every command type was in the mix
    }
    CHECK (started > 1000);     // the load was real
    CHECK (stolen > 0);         // ... enough to exercise voice stealing
    CHECK (choked > 0);         // ... and choke groups
    CHECK (paused > 0);
    CHECK (panics > 0);
    CHECK (tablesPosted > 50);  // ... and whole clip-gain tables
    CHECK (meterEvents > 1000); // 20 000 blocks = 53 s: 40 meter events a second
    CHECK (meterReads > 1000);
    CHECK (deepestReduction > 1.0f);   // the limiter worked
    CHECK (loudest > -40.0f);          // the loudness meter ran
    CHECK (test::audioThreadAllocations() == 0);
    CHECK (test::audioThreadLocks() == 0);
}

namespace
{
    /** A stereo 16-bit WAV of `seconds` at 48 kHz (a tone and noise). */
    void writeLongWav (const std::filesystem::path& file, double seconds, uint32_t seed)
    {
        SF_INFO info {};
        info.samplerate = 48000;
        info.channels = 2;
        info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
        auto* sound = sf_open (file.c_str(), SFM_WRITE, &info);
        REQUIRE (sound != nullptr);
        std::mt19937 random (seed);
        std::vector<float> block (2 * 4800);
        for (int second = 0; second < (int) (seconds * 10); ++second)
        {
            for (size_t i = 0; i < block.size(); ++i)
                block[i] = 0.3f * std::sin ((float) i * 0.01f * (float) (1 + seed)) + (float) (random() % 1000) / 20000.0f;
            REQUIRE (sf_writef_float (sound, block.data(), 4800) == 4800);
        }
        sf_close (sound);
    }
} // namespace

TEST_CASE ("process() makes zero allocations and zero lock calls with streaming voices while the readers load and evict chunks and Record A and B run", "[realtime][streaming]")
{
    constexpr double rate = 48000.0;
    constexpr int blockSize = 128, blocks = 12000, channels = 2;
    test::TemporaryFolder folder ("realtime-streaming");
    auto& cache = MediaCache::instance();
    cache.setStreamMinSeconds (10.0);
    cache.setBudgetBytes ((int64_t) 4 << 20);   // 4 MiB for 3 files of 30 s (17 MiB as float): the readers evict all the time
    std::vector<ClipAudioPtr> media;
    for (uint32_t i = 0; i < 3; ++i)
    {
        const auto file = folder / ("bed" + std::to_string (i) + ".wav");
        writeLongWav (file, 30.0, i);
        auto loaded = loadMediaForPlayback (file, rate, nullptr, { 0 });
        REQUIRE (loaded.audio != nullptr);
        REQUIRE (loaded.audio->isStreamed());
        media.push_back (loaded.audio);
    }
    const auto readBefore = cache.getChunksRead();
    const auto evictedBefore = cache.getChunksEvicted();

    auto engine = std::make_unique<Engine>();
    engine->prepare (rate, blockSize);
    engine->setReportOverloads (true);
    // Issue 10 test 5: recording runs too. Both buses record the two inputs (noise) to disk.
    test::RecordingRig recording (*engine, folder.path, "streaming", rate);
    {
        EngineCommand record;
        record.type = EngineCommand::Type::setRecordInputs;
        for (int bus = 0; bus < 2; ++bus)
        {
            record.recordInputs.left[bus] = 0;
            record.recordInputs.right[bus] = 1;
        }
        engine->post (record);
        record.type = EngineCommand::Type::recordStart;
        record.group = recordBusBoth;
        engine->post (record);
    }
    // About 5x realtime: misses happen too.
    test::NoiseFedAudioThread audio (*engine, 2, channels, blockSize, blocks, std::chrono::microseconds (500));

    using T = EngineCommand::Type;
    std::mt19937 random (11);
    long started = 0, underruns = 0;
    EngineEvent event;
    while (audio.running())
    {
        EngineCommand command;
        command.sampleTime = immediately;
        command.clipSlot = (int) (random() % 12);
        command.group = (int) (random() % 4);
        const auto& clipAudio = media[random() % media.size()];
        switch (random() % 10)
        {
            case 0: command.type = T::stop; command.fadeSamples = (int) (random() % 4800); break;
            case 1: command.type = random() % 2 ? T::pause : T::resume; break;
            case 2: command.type = random() % 4 ? T::panic : T::recordStart; command.group = recordBusBoth; break;
            default:
                command.type = T::trigger;
                command.audio = clipAudio.get();
                command.playback = randomPlayback (random, *clipAudio);
                break;
        }
        engine->post (command);
        while (engine->popEvent (event))
        {
            started += event.type == EngineEvent::Type::voiceStarted ? 1 : 0;
            underruns += event.type == EngineEvent::Type::underrun ? 1 : 0;
        }
        std::this_thread::sleep_for (std::chrono::milliseconds (3));
    }
    audio.join();
    recording.stop();
    const auto read = cache.getChunksRead() - readBefore, evicted = cache.getChunksEvicted() - evictedBefore;
    INFO (started << " voices started, " << underruns << " underrun events, " << read << " chunks read, " << evicted
                  << " evicted, peak cache " << cache.getPeakUsedBytes() << " bytes");
    CHECK (started > 300);
    CHECK (read > 200);        // the readers followed the voices
    CHECK (evicted > 100);     // ... and evicted under the budget while the audio thread read
    CHECK (underruns > 0);     // cold starts mid-file: the miss path ran too
    CHECK (recording.writer.getFramesWritten() > 2 * 48000);   // both buses recorded meanwhile
    CHECK (test::audioThreadAllocations() == 0);
    CHECK (test::audioThreadLocks() == 0);
}
