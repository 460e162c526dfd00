// CueGrid — GPL-3.0-or-later
// Issue 12, chase of a looping clip: a clip that should be playing at the current timecode
// starts where it would be after playing that long from cue in, through its loop passes
// (offset modulo the loop length after the first pass through loop out), with the plays left
// and a wrap's crossfade; the engine renders it bit-identically at every block size, offline
// (render --ltc) as in the realtime loop. docs/clock.md, "Chase".
#include "Clock/LtcGenerator.h"
#include "Engine/Engine.h"
#include "Engine/OfflineRenderer.h"
#include "Engine/Voice.h"
#include "Session/MediaLoader.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <memory>

using namespace cuegrid;

namespace
{
    constexpr double rate = 48000.0;
    constexpr int protectionFade = 48;

    /** `frames` samples of voice output (left), rendered in 1000-sample pieces from engine time 0. */
    std::vector<float> renderVoiceFor (Voice& voice, int64_t frames)
    {
        GainRamp gain, pan;
        gain.reset (1.0);
        pan.reset (0.0);
        std::vector<float> left ((size_t) frames, 0.0f), right ((size_t) frames, 0.0f);
        for (int64_t done = 0; done < frames && voice.isActive();)
        {
            const auto n = (int) std::min<int64_t> (1000, frames - done);
            const auto ended = renderVoice (voice, left.data() + done, right.data() + done, n, done, gain, pan, protectionFade);
            done += n;
            if (ended >= 0)
                break;
        }
        return left;
    }
}

TEST_CASE ("chasePlayback: a voice chased into a loop plays what the voice started at cue in plays from then on, bit for bit", "[engine][timecode]")
{
    // A clip whose every frame is different, so a wrong position cannot match by chance.
    std::vector<float> samples (48000);
    for (size_t i = 0; i < samples.size(); ++i)
        samples[i] = (float) std::sin ((double) i * 0.0123) * (0.5f + (float) i / 96000.0f);
    const ClipAudio audio ({ samples }, rate);

    VoicePlayback loop;
    loop.cueIn = 1000;
    loop.cueOut = 20000;
    loop.loopIn = 5000;
    loop.loopOut = 9000;   // 4000 frames a pass; the first pass reaches loop out 8000 frames after cue in
    loop.loopCrossfade = 240;
    loop.startFrame = loop.cueIn;

    struct Case { const char* what; int32_t loopCount; int64_t elapsed; int64_t startFrame; int32_t plays; int32_t crossfadeAge; };
    for (const auto& c : { Case { "endless, the seventh pass", 0, 30000, 7000, 0, -1 },
                           Case { "endless, 100 samples into a wrap's crossfade", 0, 8000 + 3 * 4000 + 100, 5100, 0, 100 },
                           Case { "3 plays, in the second", 3, 8000 + 1500, 6500, 2, -1 },
                           Case { "2 plays, both played: on towards cue out", 2, 8000 + 4000 + 3000, 12000, 1, -1 },
                           Case { "endless, still in the first pass", 0, 6000, 7000, 0, -1 } })
    {
        INFO (c.what);
        auto playback = loop;
        playback.loopCount = c.loopCount;
        const auto chased = chasePlayback (playback, audio.getNumFrames(), c.elapsed);
        CHECK (chased.startFrame == c.startFrame);
        CHECK (chased.loopCount == c.plays);
        CHECK (chased.startCrossfadeAge == (c.crossfadeAge < 0 ? chased.startCrossfadeAge : c.crossfadeAge));

        Voice reference, chase;
        reference.start (audio, playback, protectionFade);
        chase.start (audio, chased, protectionFade);
        CHECK (chase.remainingFrames (0) == (c.loopCount == 0 ? -1 : reference.remainingFrames (0) - c.elapsed));
        const auto length = (int64_t) 16000;
        const auto whole = renderVoiceFor (reference, c.elapsed + length);
        const auto part = renderVoiceFor (chase, length);
        // After the chase's own 1 ms edge fade-in, the same samples.
        int64_t differing = 0, firstDiffering = -1;
        for (int64_t k = protectionFade; k < length; ++k)
            if (part[(size_t) k] != whole[(size_t) (c.elapsed + k)])
            {
                ++differing;
                if (firstDiffering < 0)
                    firstDiffering = k;
            }
        INFO ("first differing sample " << firstDiffering);
        CHECK (differing == 0);
    }

    // No loop: cue in + elapsed, clamped to cue out.
    VoicePlayback plain;
    plain.cueIn = 1000;
    plain.cueOut = 20000;
    CHECK (chasePlayback (plain, audio.getNumFrames(), 7000).startFrame == 8000);
    CHECK (chasePlayback (plain, audio.getNumFrames(), 70000).startFrame == 20000);
}

namespace
{
    struct LoopRun
    {
        std::vector<float> left;
        std::vector<TimecodeFire> fires;
        std::vector<EngineEvent> events;
    };

    /** The organ (4.47 s) looping 0.5–1.5 s until stopped, timecode 00:00:05:00, chase; 25 fps LTC
        from 00:00:10:00 for 4 s: at the lock it should be 5 s + the lock's time in, i.e. in its
        fourth pass through the loop. `offline`: renderOffline (render --ltc); else the realtime
        loop of Engine::process with the LTC as the device's input. */
    LoopRun playLoop (int blockSize, bool offline)
    {
        const auto ltc = LtcGenerator::generate (rate, *Timecode::parse ("00:00:10:00", FrameRate::fps25), 100);
        static ClipAudioPtr organ;
        if (organ == nullptr)
            organ = loadMedia (test::dataPath ("corpus/p05_lmms_e_organ.wav"), rate).audio;
        TimecodeTrigger t;
        t.clipSlot = 0;
        t.seconds = 5.0;
        t.lengthSeconds = std::numeric_limits<double>::infinity();   // a loop until stopped (TimecodeTriggers)
        t.chase = true;
        t.command.type = EngineCommand::Type::trigger;
        t.command.clipSlot = 0;
        t.command.audio = organ.get();
        auto& p = t.command.playback;
        p.cueOut = organ->getNumFrames();
        p.loopIn = 24000;
        p.loopOut = 72000;
        p.loopCount = 0;
        p.loopCrossfade = 240;

        auto engine = std::make_unique<Engine>();
        engine->getTimecode().setLtcInput (0, 0);
        engine->getTimecode().setTriggers ({ t }, false);
        engine->prepare (rate, blockSize);
        LoopRun run;
        auto collect = [&]
        {
            TimecodeFire fire;
            while (engine->getTimecode().popFire (fire))
                run.fires.push_back (fire);
        };
        const auto total = (int64_t) ltc.size() - (int64_t) ltc.size() % 1000;   // the same length at every block size
        if (offline)
        {
            CommandFeeder feeder ({});
            const std::vector<std::vector<float>> inputs { ltc };
            renderOffline (
                *engine, feeder, total, blockSize, 2,
                [&] (const float* const* channels, int, int n)
                {
                    run.left.insert (run.left.end(), channels[0], channels[0] + n);
                    collect();
                },
                [&] (const EngineEvent& e) { if (e.type != EngineEvent::Type::meter) run.events.push_back (e); }, &inputs);
        }
        else
        {
            // The device's loop, its output delayed by the engine's latency (as a recording is).
            std::vector<float> left ((size_t) blockSize), right ((size_t) blockSize);
            float* outputs[2] { left.data(), right.data() };
            const auto latency = engine->getLatency();
            std::vector<float> input ((size_t) blockSize);
            for (int64_t done = 0; done < total + latency; done += blockSize)
            {
                for (int i = 0; i < blockSize; ++i)
                    input[(size_t) i] = done + i < (int64_t) ltc.size() ? ltc[(size_t) (done + i)] : 0.0f;
                const float* inputs[1] { input.data() };
                engine->process (inputs, 1, outputs, 2, blockSize);
                run.left.insert (run.left.end(), left.begin(), left.end());
                collect();
                EngineEvent event;
                while (engine->popEvent (event))
                    if (event.type != EngineEvent::Type::meter)
                        run.events.push_back (event);
            }
            run.left.erase (run.left.begin(), run.left.begin() + latency);
            run.left.resize ((size_t) total);
        }
        return run;
    }
}

TEST_CASE ("Chase of a looping clip lands in the right pass, and render --ltc equals the realtime loop bit for bit at block sizes 128, 500 and 1031", "[engine][timecode][blocks]")
{
    // The chase starts at the first block of running timecode, so its sample depends on the block
    // size (as every chase does); at one block size, offline and realtime are the same samples.
    for (const int blockSize : { 128, 500, 1031 })
    {
        INFO ("block size " << blockSize);
        const auto realtime = playLoop (blockSize, false);
        REQUIRE (realtime.fires.size() == 1);
        const auto& chase = realtime.fires[0];
        CHECK (chase.kind == TimecodeFire::Kind::chase);
        CHECK (chase.offsetSeconds == Approx (5.0 + (double) chase.sample / rate).margin (2.0 / rate));
        // 5.08 s into a clip 4.47 s long: the first pass ends at loop out (1.5 s), then 1 s passes;
        // before, the chase started at the offset itself (past cue out) and the voice ended at once.
        int ended = 0, started = 0;
        for (const auto& e : realtime.events)
        {
            ended += e.clipSlot == 0 && e.type == EngineEvent::Type::voiceEnded;
            started += e.clipSlot == 0 && e.type == EngineEvent::Type::voiceStarted;
        }
        CHECK (started == 1);
        CHECK (ended == 0);   // an endless loop plays on to the end of the run
        double energy = 0.0;
        for (auto i = realtime.left.size() - 48000; i < realtime.left.size(); ++i)
            energy += (double) realtime.left[i] * realtime.left[i];
        CHECK (energy > 1.0);   // still sounding in the last second

        const auto offline = playLoop (blockSize, true);
        REQUIRE (offline.fires.size() == 1);
        CHECK (offline.fires[0].sample == chase.sample);
        CHECK (offline.fires[0].offsetSeconds == chase.offsetSeconds);
        REQUIRE (offline.left.size() == realtime.left.size());
        size_t differing = 0;
        for (size_t i = 0; i < offline.left.size(); ++i)
            differing += offline.left[i] != realtime.left[i];
        CHECK (differing == 0);
    }
}
