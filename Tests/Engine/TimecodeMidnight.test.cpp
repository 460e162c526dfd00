// CueGrid — GPL-3.0-or-later
// Issue 12 at midnight, through the real engine and LTC decoder: LTC from 23:59:58 runs past
// 00:00:00:00; a trigger at 00:00:02:00 fires on its frame's first sample after the wrap, a
// clip chased from before midnight starts at its offset across it, and nothing fires twice or
// relocates. docs/clock.md, "Midnight".
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
    constexpr double rate = 48000.0;

    std::vector<TimecodeFire> play (FrameRate frameRate, const char* ltcStart, const char* kickAt, const char* speechAt, int blockSize,
                                    std::vector<EngineEvent>& events)
    {
        const auto start = *Timecode::parse (ltcStart, frameRate);
        const auto signal = LtcGenerator::generate (rate, start, (int64_t) std::llround (6.0 * framesPerSecond (frameRate)));
        static std::vector<ClipAudioPtr> media;
        if (media.empty())
            for (const auto* name : { "p06_sc_apollo11_speech.wav", "p01_sonicpi_heavy_kick.wav" })
                media.push_back (loadMedia (test::dataPath (std::string ("corpus/") + name), rate).audio);
        auto trigger = [&] (int slot, const char* timecode, bool chase)
        {
            return test::timecodeTrigger (slot, timecode, frameRate, *media[(size_t) slot], rate, chase, slot);
        };
        auto engine = std::make_unique<Engine>();
        engine->getTimecode().setLtcInput (0, 0);
        engine->getTimecode().setTriggers ({ trigger (0, speechAt, true), trigger (1, kickAt, false) }, false);
        engine->prepare (rate, blockSize);
        std::vector<TimecodeFire> fires;
        std::vector<float> left ((size_t) blockSize), right ((size_t) blockSize);
        float* outputs[2] { left.data(), right.data() };
        for (size_t done = 0; done + (size_t) blockSize <= signal.size(); done += (size_t) blockSize)
        {
            const float* inputs[1] { signal.data() + done };
            engine->process (inputs, 1, outputs, 2, blockSize);
            TimecodeFire fire;
            while (engine->getTimecode().popFire (fire))
                fires.push_back (fire);
            EngineEvent event;
            while (engine->popEvent (event))
                if (event.type == EngineEvent::Type::voiceStarted)
                    events.push_back (event);
        }
        return fires;
    }
}

TEST_CASE ("Timecode at midnight: a trigger at 00:00:02:00 fires on its frame after the wrap, a chase from before midnight lands across it", "[engine][timecode]")
{
    // Each rate across midnight, and the same at noon (11:59:58 → 12:00:02) as the control:
    // midnight changes nothing but the rounding of seconds near 0 rather than 43 200 (a sample at
    // most: measured 192000 against 191999 at 24 fps, both within the decoder's 2 samples).
    struct Case { FrameRate rate; const char* ltc; const char* kick; const char* speech; const char* noonLtc; const char* noonKick; const char* noonSpeech; };
    for (const auto& c : { Case { FrameRate::fps25, "23:59:58:00", "00:00:02:00", "23:59:57:00", "11:59:58:00", "12:00:02:00", "11:59:57:00" },
                           Case { FrameRate::fps2997drop, "23:59:58;00", "00:00:02;00", "23:59:57;00", "11:59:58;00", "12:00:02;00", "11:59:57;00" },
                           Case { FrameRate::fps24, "23:59:58:00", "00:00:02:00", "23:59:57:00", "11:59:58:00", "12:00:02:00", "11:59:57:00" },
                           Case { FrameRate::fps30, "23:59:58:00", "00:00:02:00", "23:59:57:00", "11:59:58:00", "12:00:02:00", "11:59:57:00" } })
        for (const int blockSize : { 128, 500 })
        {
            INFO (frameRateName (c.rate) << ", block size " << blockSize);
            std::vector<EngineEvent> voices, noonVoices;
            const auto fires = play (c.rate, c.ltc, c.kick, c.speech, blockSize, voices);
            const auto noon = play (c.rate, c.noonLtc, c.noonKick, c.noonSpeech, blockSize, noonVoices);
            // The kick's frame's first sample, ceil (frames · rate / fps) after the LTC's first
            // frame (29.97's frames are 1601.6 samples); the decoded master is within 2 samples.
            const auto ltcStart = *Timecode::parse (c.ltc, c.rate);
            const auto frames = (double) (Timecode::parse (c.kick, c.rate)->toFrameNumber() + framesPerDay (c.rate) - ltcStart.toFrameNumber());
            const auto expected = (int64_t) std::ceil (frames * rate / framesPerSecond (c.rate) - 1.0e-9);
            const auto speechBefore = ltcStart.toSeconds() - Timecode::parse (c.speech, c.rate)->toSeconds();   // 1 s (1.001 s at 29.97)
            REQUIRE (fires.size() == 2);
            REQUIRE (noon.size() == 2);
            int kicks = 0, speechChases = 0;
            for (size_t i = 0; i < fires.size(); ++i)
            {
                const auto& f = fires[i];
                CHECK (std::abs (f.sample - noon[i].sample) <= 1);   // as at noon
                CHECK (f.kind == noon[i].kind);
                CHECK (f.offsetSeconds == Approx (noon[i].offsetSeconds).margin (1.0 / rate));
                if (f.clipSlot == 1 && f.kind == TimecodeFire::Kind::trigger)
                {
                    ++kicks;
                    CHECK (std::abs (f.sample - expected) <= 2);
                    CHECK (f.masterSeconds == Approx (Timecode::parse (c.kick, c.rate)->toSeconds()));
                }
                else if (f.clipSlot == 0 && f.kind == TimecodeFire::Kind::chase)
                {
                    ++speechChases;
                    CHECK_FALSE (f.afterJump);
                    // Chased at the lock, 1 s + the lock's time into the speech.
                    CHECK (f.offsetSeconds == Approx (speechBefore + (double) f.sample / rate).margin (3.0 / rate));
                    CHECK (f.sample < 3 * 2000 + 2 * blockSize);
                }
            }
            CHECK (kicks == 1);
            CHECK (speechChases == 1);
            CHECK (voices.size() == 2);
        }

    // A chase whose trigger is before midnight and whose LTC starts after it: 2 s + the lock in.
    std::vector<EngineEvent> voices;
    const auto fires = play (FrameRate::fps25, "00:00:01:00", "00:00:05:00", "23:59:59:00", 128, voices);
    REQUIRE_FALSE (fires.empty());
    CHECK (fires[0].kind == TimecodeFire::Kind::chase);
    CHECK (fires[0].clipSlot == 0);
    CHECK (fires[0].offsetSeconds == Approx (2.0 + (double) fires[0].sample / rate).margin (2.0 / rate));
    CHECK (fires[0].masterSeconds < 2.0);   // the master's time of day, after midnight
}
