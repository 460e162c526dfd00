// CueGrid — GPL-3.0-or-later
// Issue 8, test 1: pause and resume (1 ms fades, held read position), TogglePause, PauseAll and
// ResumeAll, the four retrigger modes, choke groups (limit 1–3, oldest first, fading voices do
// not count) and the solo crossfade, sample by sample.
#include "EngineTestSupport.h"

#include <algorithm>

using namespace cuegrid;
using namespace cuegrid::enginetest;

namespace
{
    using T = EngineCommand::Type;

    /** The ramp clip triggered at 0, paused at 1000 and resumed at 3000: the model. The pause
        fade reads frames 1000 … 1047, so the read position is held at 1048. */
    double pausedAndResumed (int side, int64_t n, int64_t pauseAt, int64_t resumeAt, int64_t frames)
    {
        const auto held = pauseAt + protection;
        if (n < held)
            return rampSample (side, n) * fadeIn (FadeCurve::linear, n, protection) * fadeOut (FadeCurve::linear, n - pauseAt, protection);
        if (n < resumeAt)
            return 0.0;
        const auto position = held + (n - resumeAt);
        if (position >= frames)
            return 0.0;
        return rampSample (side, position) * fadeIn (FadeCurve::linear, n - resumeAt, protection)
               * endFade (FadeCurve::linear, frames, position, protection);
    }
} // namespace

TEST_CASE ("Pause at t fades out over 1 ms and holds the read position, Resume at t2 fades in from there", "[engine][pause]")
{
    constexpr int64_t frames = 20000, pauseAt = 1000, resumeAt = 3000;
    const auto clip = rampClip (frames);
    const auto plan = std::vector<EngineCommand> { trigger (0, *clip, 0), command (T::pause, pauseAt, 0), command (T::resume, resumeAt, 0) };
    const auto out = render (plan, 25000);
    for (int side = 0; side < 2; ++side)
        CHECK_SAMPLES (out.out[(size_t) side], 0, 25000, [&] (int64_t n) { return pausedAndResumed (side, n, pauseAt, resumeAt, frames); });
    CHECK (out.left()[(size_t) (pauseAt + protection - 1)] == 0.0f);
    CHECK (silent (out.left(), pauseAt + protection - 1, resumeAt + 1));
    CHECK (out.left()[(size_t) (resumeAt + protection)] == rampSample (0, pauseAt + 2 * protection));

    const auto paused = out.of (EngineEvent::Type::voicePaused);
    const auto resumed = out.of (EngineEvent::Type::voiceResumed);
    REQUIRE (paused.size() == 1);
    REQUIRE (resumed.size() == 1);
    CHECK (paused[0].sampleTime == pauseAt);
    CHECK (resumed[0].sampleTime == resumeAt);
    const auto ended = out.of (EngineEvent::Type::voiceEnded);
    REQUIRE (ended.size() == 1);
    CHECK (ended[0].sampleTime == resumeAt + frames - (pauseAt + protection));
    CHECK (ended[0].length == frames);   // the held time is not "played"

    SECTION ("the voice status shows the held position while paused")
    {
        SteppedEngine stepped (500, plan);
        stepped.process (4);   // to 2000
        const auto entry = stepped.voice();
        CHECK (entry.paused);
        CHECK (entry.position == pauseAt + protection);
        CHECK (entry.played == pauseAt + protection);
        CHECK (entry.remaining == frames - (pauseAt + protection));
    }
}

TEST_CASE ("TogglePause pauses a playing clip and resumes a paused one, exactly like Pause and Resume", "[engine][pause]")
{
    const auto clip = rampClip (20000);
    const auto explicitly = render ({ trigger (0, *clip, 0), command (T::pause, 1000, 0), command (T::resume, 3000, 0) }, 25000);
    const auto toggled = render ({ trigger (0, *clip, 0), command (T::togglePause, 1000, 0), command (T::togglePause, 3000, 0) }, 25000);
    CHECK (toggled.left() == explicitly.left());
    CHECK (toggled.right() == explicitly.right());
    CHECK (toggled.of (EngineEvent::Type::voicePaused).size() == 1);
    CHECK (toggled.of (EngineEvent::Type::voiceResumed).size() == 1);
}

TEST_CASE ("A Resume during the pause fade lets the fade finish, then fades in from the held position", "[engine][pause]")
{
    const auto clip = rampClip (20000);
    const auto out = render ({ trigger (0, *clip, 0), command (T::pause, 1000, 0), command (T::resume, 1020, 0) }, 5000);
    // Equivalent to a resume exactly when the pause fade ends (1048).
    for (int side = 0; side < 2; ++side)
        CHECK_SAMPLES (out.out[(size_t) side], 0, 5000, [&] (int64_t n) { return pausedAndResumed (side, n, 1000, 1048, 20000); });
}

TEST_CASE ("PauseAll pauses every group voice but not the audition, ResumeAll resumes them", "[engine][pause]")
{
    const auto a = constantClip (0.25f, 48000, 2), b = constantClip (0.125f, 48000), preview = constantClip (0.5f, 48000, 2);
    const auto out = render ({ trigger (0, *a, 0, 0), trigger (1, *b, 0, 2), audition (*preview, 0),
                               command (T::pauseAll, 2000), command (T::resumeAll, 5000) },
                             8000, 128, 4);
    CHECK_SAMPLES (out.out[0], 0, 8000, [] (int64_t n)
    {
        return 0.375 * fadeIn (FadeCurve::linear, n, protection) * fadeOut (FadeCurve::linear, n - 2000, protection)
               + 0.375 * fadeIn (FadeCurve::linear, n - 5000, protection);
    });
    CHECK (out.out[1] == out.out[0]);
    CHECK_SAMPLES (out.out[2], 0, 8000, [] (int64_t n) { return 0.5 * fadeIn (FadeCurve::linear, n, protection); });
    CHECK (out.of (EngineEvent::Type::voicePaused).size() == 2);
    CHECK (out.of (EngineEvent::Type::voiceResumed).size() == 2);
}

TEST_CASE ("Retrigger restart: the playing voice gets the 1 ms protection fade from the trigger's sample and a new voice starts", "[engine][retrigger]")
{
    const auto clip = rampClip (20000);
    VoicePlayback playback;
    playback.retrigger = RetriggerMode::restart;
    playback.fadeOut = 960;   // not used: a restart always cuts with the protection fade
    const auto out = render ({ trigger (0, *clip, 0, 0, playback), trigger (0, *clip, 1000, 0, playback) }, 3000);
    for (int side = 0; side < 2; ++side)
        CHECK_SAMPLES (out.out[(size_t) side], 0, 3000, [&] (int64_t n)
        {
            auto sum = rampSample (side, n) * fadeIn (FadeCurve::linear, n, protection) * fadeOut (FadeCurve::linear, n - 1000, protection);
            if (n >= 1000)
                sum += rampSample (side, n - 1000) * fadeIn (FadeCurve::linear, n - 1000, protection);
            return sum;
        });
    const auto ended = out.of (EngineEvent::Type::voiceEnded);
    REQUIRE (ended.size() == 1);
    CHECK (ended[0].reason == VoiceEndReason::retriggered);
    CHECK (ended[0].sampleTime == 1000 + protection);
    CHECK (out.of (EngineEvent::Type::voiceStarted).size() == 2);
}

TEST_CASE ("Retrigger stop: the playing voice fades out over its fadeOut and nothing starts, a trigger after it ends starts anew", "[engine][retrigger]")
{
    const auto clip = rampClip (20000);
    VoicePlayback playback;
    playback.retrigger = RetriggerMode::stop;
    playback.fadeOut = 480;
    playback.fadeOutCurve = FadeCurve::sCurve;
    const auto out = render ({ trigger (0, *clip, 0, 0, playback), trigger (0, *clip, 1000, 0, playback),
                               trigger (0, *clip, 3000, 0, playback) },
                             4000);
    for (int side = 0; side < 2; ++side)
        CHECK_SAMPLES (out.out[(size_t) side], 0, 4000, [&] (int64_t n)
        {
            if (n < 3000)
                return rampSample (side, n) * fadeIn (FadeCurve::linear, n, protection) * fadeOut (FadeCurve::sCurve, n - 1000, 480);
            return rampSample (side, n - 3000) * fadeIn (FadeCurve::linear, n - 3000, protection);
        });
    const auto started = out.of (EngineEvent::Type::voiceStarted);
    REQUIRE (started.size() == 2);
    CHECK (started[1].sampleTime == 3000);
    const auto ended = out.of (EngineEvent::Type::voiceEnded);
    REQUIRE (ended.size() == 1);
    CHECK (ended[0].reason == VoiceEndReason::stopped);
    CHECK (ended[0].sampleTime == 1480);
}

TEST_CASE ("Retrigger pause: a trigger pauses the playing clip, the next one resumes it", "[engine][retrigger]")
{
    const auto clip = rampClip (20000);
    VoicePlayback playback;
    playback.retrigger = RetriggerMode::pause;
    const auto out = render ({ trigger (0, *clip, 0, 0, playback), trigger (0, *clip, 1000, 0, playback),
                               trigger (0, *clip, 3000, 0, playback) },
                             25000);
    for (int side = 0; side < 2; ++side)
        CHECK_SAMPLES (out.out[(size_t) side], 0, 25000, [&] (int64_t n) { return pausedAndResumed (side, n, 1000, 3000, 20000); });
    CHECK (out.of (EngineEvent::Type::voiceStarted).size() == 1);
    CHECK (out.of (EngineEvent::Type::voicePaused).size() == 1);
    CHECK (out.of (EngineEvent::Type::voiceResumed).size() == 1);
}

TEST_CASE ("Retrigger layer: another voice of the clip starts and the first plays on", "[engine][retrigger]")
{
    const auto clip = rampClip (3000);
    VoicePlayback playback;
    playback.retrigger = RetriggerMode::layer;
    const auto out = render ({ trigger (0, *clip, 0, 0, playback), trigger (0, *clip, 1000, 0, playback) }, 5000);
    auto voice = [] (int side, int64_t k)
    {
        if (k < 0 || k >= 3000) return 0.0;
        return rampSample (side, k) * fadeIn (FadeCurve::linear, k, protection) * endFade (FadeCurve::linear, 3000, k, protection);
    };
    for (int side = 0; side < 2; ++side)
        CHECK_SAMPLES (out.out[(size_t) side], 0, 5000, [&] (int64_t n) { return voice (side, n) + voice (side, n - 1000); });
    const auto ended = out.of (EngineEvent::Type::voiceEnded);
    REQUIRE (ended.size() == 2);
    CHECK (ended[0].sampleTime == 3000);
    CHECK (ended[0].reason == VoiceEndReason::finished);
    CHECK (ended[1].sampleTime == 4000);
}

TEST_CASE ("Choke limit 1, 2 and 3: a trigger past the limit steals the group's oldest voice with the 1 ms fade", "[engine][choke]")
{
    std::vector<ClipAudioPtr> clips;
    for (int i = 0; i < 4; ++i)
        clips.push_back (constantClip (0.01f * (float) (1 << i), 48000));   // 0.01, 0.02, 0.04, 0.08: the sum tells who plays
    const auto other = constantClip (0.3f, 48000);
    for (const int limit : { 1, 2, 3 })
    {
        INFO ("choke limit " << limit);
        std::vector<EngineCommand> plan { setValue (T::setChokeLimit, 0, (float) limit, -1, 1), trigger (9, *other, 500, 0) };
        for (int i = 0; i < 4; ++i)
            plan.push_back (trigger (i, *clips[(size_t) i], 1000 * i, 1));
        std::sort (plan.begin(), plan.end(), [] (const auto& x, const auto& y) { return x.sampleTime < y.sampleTime; });
        const auto out = render (plan, 6000);

        CHECK_SAMPLES (out.left(), 0, 6000, [&] (int64_t n)
        {
            double sum = 0.3 * fadeIn (FadeCurve::linear, n - 500, protection);   // group A: untouched
            for (int i = 0; i < 4; ++i)
            {
                const int64_t stolenAt = i + limit <= 3 ? 1000 * (i + limit) : INT64_MAX / 2;
                sum += 0.01 * (1 << i) * fadeIn (FadeCurve::linear, n - 1000 * i, protection)
                       * fadeOut (FadeCurve::linear, n - stolenAt, protection);
            }
            return sum;
        });
        const auto ended = out.of (EngineEvent::Type::voiceEnded);
        REQUIRE ((int) ended.size() == 4 - limit);
        for (int i = 0; i < 4 - limit; ++i)
        {
            CHECK (ended[(size_t) i].clipSlot == i);
            CHECK (ended[(size_t) i].reason == VoiceEndReason::choked);
            CHECK (ended[(size_t) i].sampleTime == 1000 * (i + limit) + protection);
        }
    }
}

TEST_CASE ("A voice already fading out does not count against the choke limit and is not stolen", "[engine][choke]")
{
    const auto a = constantClip (0.1f, 48000), b = constantClip (0.2f, 48000), c = constantClip (0.4f, 48000);
    VoicePlayback longFade;
    longFade.fadeOut = 4800;
    const auto out = render ({ setValue (T::setChokeLimit, 0, 1.0f, -1, 2), trigger (0, *a, 0, 2, longFade), stop (0, 1000),
                               trigger (1, *b, 2000, 2), trigger (2, *c, 3000, 2) },
                             7000);
    CHECK_SAMPLES (out.left(), 0, 7000, [] (int64_t n)
    {
        return 0.1 * fadeIn (FadeCurve::linear, n, protection) * fadeOut (FadeCurve::linear, n - 1000, 4800)
               + 0.2 * fadeIn (FadeCurve::linear, n - 2000, protection) * fadeOut (FadeCurve::linear, n - 3000, protection)
               + 0.4 * fadeIn (FadeCurve::linear, n - 3000, protection);
    });
    const auto ended = out.of (EngineEvent::Type::voiceEnded);
    REQUIRE (ended.size() == 2);
    CHECK (ended[0].clipSlot == 1);
    CHECK (ended[0].reason == VoiceEndReason::choked);
    CHECK (ended[0].sampleTime == 3000 + protection);
    CHECK (ended[1].clipSlot == 0);
    CHECK (ended[1].reason == VoiceEndReason::stopped);
    CHECK (ended[1].sampleTime == 1000 + 4800);
}

TEST_CASE ("Solo: the new voice fades in with the crossfade curve while its group's other voices fade out, other groups play on", "[engine][solo]")
{
    const auto a = constantClip (0.2f, 48000), b = constantClip (0.1f, 48000), c = constantClip (0.05f, 48000), d = constantClip (0.4f, 48000);
    constexpr int64_t soloAt = 2000, L = 960;
    for (const auto curve : allCurves)
    {
        INFO ("crossfade curve " << curveName (curve));
        VoicePlayback ownFades;   // replaced by the crossfade
        ownFades.fadeOut = 4800;
        ownFades.fadeOutCurve = FadeCurve::exponential;
        VoicePlayback solo;
        solo.solo = true;
        solo.soloCrossfade = (int) L;
        solo.soloCurve = curve;
        solo.fadeIn = 4800;
        solo.fadeInCurve = FadeCurve::sCurve;
        const auto out = render ({ trigger (0, *a, 0, 0, ownFades), trigger (2, *c, 0, 1), trigger (1, *b, 500, 0, ownFades),
                                   trigger (3, *d, soloAt, 0, solo) },
                                 5000);
        CHECK_SAMPLES (out.left(), 0, 5000, [&] (int64_t n)
        {
            const auto out_ = fadeOut (curve, n - soloAt, L);
            return 0.2 * fadeIn (FadeCurve::linear, n, protection) * out_
                   + 0.1 * fadeIn (FadeCurve::linear, n - 500, protection) * out_
                   + 0.05 * fadeIn (FadeCurve::linear, n, protection)
                   + 0.4 * fadeIn (FadeCurve::linear, n - soloAt, protection) * fadeIn (curve, n - soloAt, L);
        });
        const auto ended = out.of (EngineEvent::Type::voiceEnded);
        REQUIRE (ended.size() == 2);
        for (const auto& event : ended)
        {
            CHECK (event.group == 0);
            CHECK (event.reason == VoiceEndReason::stopped);
            CHECK (event.sampleTime == soloAt + L);
        }
    }
}

TEST_CASE ("A stop or a cut that begins during the pause fade ends the voice at stop + L whatever the block size", "[engine][pause]")
{
    const auto clip = rampClip (20000);
    for (const auto ending : { T::stop, T::panic })
    {
        for (const int blockSize : { 32, 128, 512, 1031 })
        {
            INFO ((ending == T::stop ? "stop" : "panic") << " at 1003, block size " << blockSize);
            auto end = command (ending, 1003, 0);
            end.fadeSamples = 0;   // a Stop with the protection fade, like a Panic's
            const auto out = render ({ trigger (0, *clip, 0), command (T::pause, 1000, 0), end }, 3000, blockSize);
            for (int side = 0; side < 2; ++side)
                CHECK_SAMPLES (out.out[(size_t) side], 0, 3000, [&] (int64_t n)
                {
                    return rampSample (side, n) * fadeIn (FadeCurve::linear, n, protection)
                           * fadeOut (FadeCurve::linear, n - 1000, protection) * fadeOut (FadeCurve::linear, n - 1003, protection);
                });
            const auto ended = out.of (EngineEvent::Type::voiceEnded);
            REQUIRE (ended.size() == 1);
            CHECK (ended[0].sampleTime == 1003 + protection);
        }
    }
}
