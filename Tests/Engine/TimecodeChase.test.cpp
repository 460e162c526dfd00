// CueGrid — GPL-3.0-or-later
// Issue 12, "Timecode in the show", through the real engine and LTC decoder: timecode triggers
// fire at their frame's first sample, once per pass, re-armed by a locate back; chasing clips
// start at their offset at the lock and after a locate; when the timecode stops they stop after
// the flywheel time, or roll on (chaseWhenStopped keepRolling).
#include "Clock/LtcGenerator.h"
#include "Engine/Engine.h"
#include "Session/MediaLoader.h"
#include "Support/TestSupport.h"
#include "Support/TimecodeTestSupport.h"

#include <catch2/catch.hpp>

#include <memory>

using namespace cuegrid;

namespace
{
    struct Run
    {
        std::vector<TimecodeFire> fires;
        std::vector<EngineEvent> events;

        std::vector<TimecodeFire> firesOf (int slot, TimecodeFire::Kind kind) const
        {
            std::vector<TimecodeFire> found;
            for (const auto& fire : fires)
                if (fire.clipSlot == slot && fire.kind == kind)
                    found.push_back (fire);
            return found;
        }
        std::vector<EngineEvent> eventsOf (int slot, EngineEvent::Type type) const
        {
            std::vector<EngineEvent> found;
            for (const auto& event : events)
                if (event.clipSlot == slot && event.type == type)
                    found.push_back (event);
            return found;
        }
    };

    /** 25 fps LTC from 00:00:10:00 for 4 s, a locate back to 00:00:11:00 for 3 s, 3 s of silence:
        engine sample s carries 10 + s/48000 s, then from 192000 11 + (s − 192000)/48000 s. */
    Run play (bool keepRolling, int blockSize)
    {
        constexpr double rate = 48000.0;
        auto signal = LtcGenerator::generate (rate, *Timecode::parse ("00:00:10:00", FrameRate::fps25), 100);
        const auto located = LtcGenerator::generate (rate, *Timecode::parse ("00:00:11:00", FrameRate::fps25), 75);
        signal.insert (signal.end(), located.begin(), located.end());
        signal.resize (signal.size() + (size_t) (3 * rate), 0.0f);

        static std::vector<ClipAudioPtr> media;
        if (media.empty())
            for (const auto* name : { "p06_sc_apollo11_speech.wav", "p01_sonicpi_heavy_kick.wav", "p05_lmms_e_organ.wav" })
                media.push_back (loadMedia (test::dataPath (std::string ("corpus/") + name), rate).audio);
        auto trigger = [&] (int slot, const char* timecode, bool chase)
        {
            return test::timecodeTrigger (slot, timecode, FrameRate::fps25, *media[(size_t) slot], rate, chase, slot);
        };
        auto engine = std::make_unique<Engine>();
        engine->getTimecode().setLtcInput (0, 0);
        engine->getTimecode().setTriggers ({ trigger (0, "00:00:09:00", true),     // speech, 4.28 s: chased at the lock and after the locate
                                             trigger (1, "00:00:12:00", false),    // kick: at 96000, and again at 240000 after the locate
                                             trigger (2, "00:00:11:12", true) },   // organ, 4.47 s: playing when the timecode stops
                                           keepRolling);
        engine->prepare (rate, blockSize);
        Run run;
        std::vector<float> left ((size_t) blockSize), right ((size_t) blockSize);
        float* outputs[2] { left.data(), right.data() };
        for (size_t done = 0; done + (size_t) blockSize <= signal.size(); done += (size_t) blockSize)
        {
            const float* inputs[1] { signal.data() + done };
            engine->process (inputs, 1, outputs, 2, blockSize);
            TimecodeFire fire;
            while (engine->getTimecode().popFire (fire))
                run.fires.push_back (fire);
            EngineEvent event;
            while (engine->popEvent (event))
                if (event.type != EngineEvent::Type::meter)
                    run.events.push_back (event);
        }
        return run;
    }
}

TEST_CASE ("Timecode triggers fire on their frame once per pass, chasing clips start at their offset and stop when the timecode stops", "[engine][timecode]")
{
    for (const int blockSize : { 128, 500 })
    {
        INFO ("block size " << blockSize);
        const auto run = play (false, blockSize);

        // The kick: at 00:00:12:00's first sample on both passes, and its voices there.
        const auto kicks = run.firesOf (1, TimecodeFire::Kind::trigger);
        REQUIRE (kicks.size() == 2);
        CHECK (kicks[0].sample == 96000);
        CHECK (kicks[1].sample == 240000);
        const auto kickVoices = run.eventsOf (1, EngineEvent::Type::voiceStarted);
        REQUIRE (kickVoices.size() == 2);
        CHECK (kickVoices[0].sampleTime == 96000);
        CHECK (kickVoices[1].sampleTime == 240000);

        // The speech (from 9 s) should be playing at the lock: chased 1 s + the lock's time in.
        const auto speech = run.firesOf (0, TimecodeFire::Kind::chase);
        REQUIRE (speech.size() == 2);
        CHECK_FALSE (speech[0].afterJump);
        CHECK (speech[0].sample < 2 * 1920 + 2 * blockSize);
        CHECK (speech[0].offsetSeconds == Approx (1.0 + speech[0].sample / 48000.0).margin (2.0 / 48000));
        // After the locate to 11 s it restarts 2 s + the relock's time in (stopped first with the
        // 1 ms protection fade).
        CHECK (speech[1].afterJump);
        CHECK (speech[1].sample > 192000);
        CHECK (speech[1].sample < 192000 + 3 * 1920 + 2 * blockSize);
        CHECK (speech[1].offsetSeconds == Approx (2.0 + (speech[1].sample - 192000) / 48000.0).margin (2.0 / 48000));
        const auto speechVoices = run.eventsOf (0, EngineEvent::Type::voiceStarted);
        REQUIRE (speechVoices.size() == 2);
        CHECK (speechVoices[1].sampleTime == speech[1].sample);
        CHECK (run.firesOf (0, TimecodeFire::Kind::trigger).empty());

        // The organ (chase, 11.48 s): a trigger on both passes (at 71040 and 215040), stopped
        // once the LTC (ending at 336000, 14 s) has been silent for the 1 s flywheel time.
        const auto organ = run.firesOf (2, TimecodeFire::Kind::trigger);
        REQUIRE (organ.size() == 2);
        CHECK (organ[0].sample == 71040);
        CHECK (organ[1].sample == 215040);
        const auto stops = run.firesOf (2, TimecodeFire::Kind::chaseStop);
        REQUIRE (stops.size() == 1);
        CHECK (stops[0].sample >= 336000 + 48000 - 2 * 1920);
        CHECK (stops[0].sample <= 336000 + 48000 + 2 * 1920 + blockSize);
        const auto fading = run.eventsOf (2, EngineEvent::Type::voiceFading);
        REQUIRE_FALSE (fading.empty());
        CHECK (fading.back().sampleTime == stops[0].sample);
        CHECK (run.firesOf (0, TimecodeFire::Kind::chaseStop).empty());   // it had ended (13.28 s)
    }

    // keepRolling: the organ plays to its end.
    const auto rolling = play (true, 128);
    CHECK (rolling.firesOf (2, TimecodeFire::Kind::chaseStop).empty());
    const auto ended = rolling.eventsOf (2, EngineEvent::Type::voiceEnded);
    REQUIRE (ended.size() == 2);   // the first pass's voice stopped by the locate, the second's at its end
    CHECK (ended.back().reason == VoiceEndReason::finished);
}
