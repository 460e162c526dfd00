// CueGrid — GPL-3.0-or-later
// Issue 8, test 1: fade curves, stop fades, the natural-end fade, cue points, the Trigger offset
// and the edge fade, sample by sample against the formulas (EngineTestSupport.h).
#include "EngineTestSupport.h"

using namespace cuegrid;
using namespace cuegrid::enginetest;

TEST_CASE ("Fade-in of every curve: the k-th sample gets g(k/L) times the 1 ms linear edge fade", "[engine][envelope]")
{
    const auto clip = rampClip (20000);
    constexpr int64_t t0 = 100, L = 480;  // 10 ms
    for (const auto curve : allCurves)
    {
        INFO ("curve " << curveName (curve));
        VoicePlayback playback;
        playback.fadeIn = (int) L;
        playback.fadeInCurve = curve;
        const auto out = render ({ trigger (0, *clip, t0, 0, playback) }, 2000);
        for (int side = 0; side < 2; ++side)
        {
            INFO ("channel " << side);
            CHECK_SAMPLES (out.out[(size_t) side], 0, 2000, [&] (int64_t n)
            {
                const auto k = n - t0;
                if (k < 0) return 0.0;
                return (double) rampSample (side, k) * fadeIn (FadeCurve::linear, k, protection) * fadeIn (curve, k, L);
            });
        }
        // Spot values that do not go through the model: halfway, g(1/2).
        const double half[] = { 0.5, std::sqrt (0.5), 0.5, std::pow (10.0, -1.5) };
        CHECK (out.left()[(size_t) (t0 + L / 2)] == Approx (rampSample (0, L / 2) * half[(int) curve]).margin (1e-6));
        CHECK (out.left()[(size_t) t0] == 0.0f);
        CHECK (out.left()[(size_t) (t0 + L)] == rampSample (0, L));
    }
}

TEST_CASE ("Stop fade-out of every curve: g((L-1-k)/L) from the stop sample, the last sample silent, the voice ends at stop + L", "[engine][envelope]")
{
    const auto clip = rampClip (20000);
    constexpr int64_t stopAt = 1000;
    for (const auto curve : allCurves)
    {
        for (const int commandFade : { -1, 960 })  // -1: the clip's fadeOutMs; 960: the Stop's fadeMs
        {
            INFO ("curve " << curveName (curve) << ", stop fadeSamples " << commandFade);
            VoicePlayback playback;
            playback.fadeOut = 480;
            playback.fadeOutCurve = curve;
            const int64_t L = commandFade < 0 ? 480 : commandFade;
            const auto out = render ({ trigger (0, *clip, 0, 0, playback), stop (0, stopAt, commandFade) }, 3000);
            CHECK_SAMPLES (out.left(), protection, 3000, [&] (int64_t n)
                           { return (double) rampSample (0, n) * fadeOut (curve, n - stopAt, L); });
            CHECK_SAMPLES (out.right(), protection, 3000, [&] (int64_t n)
                           { return (double) rampSample (1, n) * fadeOut (curve, n - stopAt, L); });
            CHECK (out.left()[(size_t) (stopAt - 1)] == rampSample (0, stopAt - 1));
            CHECK (out.left()[(size_t) (stopAt + L - 2)] != 0.0f);
            CHECK (out.left()[(size_t) (stopAt + L - 1)] == 0.0f);
            CHECK (silent (out.left(), stopAt + L - 1, 3000));

            const auto fading = out.of (EngineEvent::Type::voiceFading);
            REQUIRE (fading.size() == 1);
            CHECK (fading[0].sampleTime == stopAt);
            CHECK (fading[0].length == L);
            const auto ended = out.of (EngineEvent::Type::voiceEnded);
            REQUIRE (ended.size() == 1);
            CHECK (ended[0].sampleTime == stopAt + L);
            CHECK (ended[0].reason == VoiceEndReason::stopped);
            CHECK (ended[0].length == stopAt + L);
        }
    }
}

TEST_CASE ("A Stop with fadeMs 0 is the 1 ms linear protection fade, whatever the clip's fade-out", "[engine][envelope]")
{
    const auto clip = constantClip (0.5f, 20000);
    VoicePlayback playback;
    playback.fadeOut = 4800;
    playback.fadeOutCurve = FadeCurve::exponential;
    const auto out = render ({ trigger (0, *clip, 0, 0, playback), stop (0, 777, 0) }, 1000);
    CHECK_SAMPLES (out.left(), protection, 1000, [] (int64_t n) { return 0.5 * fadeOut (FadeCurve::linear, n - 777, protection); });
    const auto ended = out.of (EngineEvent::Type::voiceEnded);
    REQUIRE (ended.size() == 1);
    CHECK (ended[0].sampleTime == 777 + protection);
}

TEST_CASE ("Natural end: the region's last fadeOutMs get the out curve on top of the linear edge fade", "[engine][envelope]")
{
    constexpr int64_t frames = 5000, t0 = 100, edge = 96, L = 480;
    const auto clip = rampClip (frames);
    for (const auto curve : allCurves)
    {
        INFO ("curve " << curveName (curve));
        VoicePlayback playback;
        playback.edgeFade = (int) edge;
        playback.fadeOut = (int) L;
        playback.fadeOutCurve = curve;
        const auto out = render ({ trigger (0, *clip, t0, 0, playback) }, 6000);
        for (int side = 0; side < 2; ++side)
        {
            INFO ("channel " << side);
            CHECK_SAMPLES (out.out[(size_t) side], 0, 6000, [&] (int64_t n)
            {
                const auto position = n - t0;
                if (position < 0 || position >= frames) return 0.0;
                return (double) rampSample (side, position) * fadeIn (FadeCurve::linear, position, edge)
                       * endFade (FadeCurve::linear, frames, position, edge) * endFade (curve, frames, position, L);
            });
        }
        CHECK (out.left()[(size_t) (t0 + frames - 1)] == 0.0f);
        CHECK (out.left()[(size_t) (t0 + frames - L - 1)] == rampSample (0, frames - L - 1));
        const auto ended = out.of (EngineEvent::Type::voiceEnded);
        REQUIRE (ended.size() == 1);
        CHECK (ended[0].sampleTime == t0 + frames);
        CHECK (ended[0].reason == VoiceEndReason::finished);
        CHECK (ended[0].length == frames);
    }
}

TEST_CASE ("Cue in, cue out and a Trigger offset: reading starts at cue in + offset with the edge fade and ends at cue out", "[engine][envelope]")
{
    const auto clip = rampClip (10000);
    constexpr int64_t t0 = 200, cueIn = 1000, cueOut = 6000, offset = 500;
    for (const int edge : { 12, 48, 240, 480 })  // edgeFadeMs 0.25, 1, 5 and 10
    {
        INFO ("edge fade " << edge << " samples");
        VoicePlayback playback;
        playback.cueIn = cueIn;
        playback.cueOut = cueOut;
        playback.startFrame = cueIn + offset;
        playback.edgeFade = edge;
        const auto out = render ({ trigger (3, *clip, t0, 2, playback) }, 6000);
        for (int side = 0; side < 2; ++side)
        {
            INFO ("channel " << side);
            CHECK_SAMPLES (out.out[(size_t) side], 0, 6000, [&] (int64_t n)
            {
                const auto k = n - t0, position = cueIn + offset + k;
                if (k < 0 || position >= cueOut) return 0.0;
                return (double) rampSample (side, position) * fadeIn (FadeCurve::linear, k, edge)
                       * endFade (FadeCurve::linear, cueOut, position, edge);
            });
        }
        const auto started = out.of (EngineEvent::Type::voiceStarted);
        REQUIRE (started.size() == 1);
        CHECK (started[0].sampleTime == t0);
        CHECK (started[0].length == cueOut - cueIn);
        const auto ended = out.of (EngineEvent::Type::voiceEnded);
        REQUIRE (ended.size() == 1);
        CHECK (ended[0].sampleTime == t0 + cueOut - cueIn - offset);
        CHECK (ended[0].length == cueOut - cueIn - offset);
    }
}

TEST_CASE ("A voice's gain is the product of its envelopes and the clip, group and master gains", "[engine][envelope]")
{
    // A fade-in (sCurve, 20 ms) interrupted by a Stop (equalPower, 10 ms) while it is still
    // rising, with the clip at -6 dB, its group at -3 dB and the master at -2 dB.
    const auto clip = rampClip (20000);
    VoicePlayback playback;
    playback.fadeIn = 960;
    playback.fadeInCurve = FadeCurve::sCurve;
    playback.fadeOut = 480;
    playback.fadeOutCurve = FadeCurve::equalPower;
    constexpr int64_t t0 = 50, stopAt = 50 + 600;
    const auto out = render ({ setValue (EngineCommand::Type::setClipGain, 0, -6.0f, 5),
                               setValue (EngineCommand::Type::setGroupGain, 0, -3.0f, -1, 1),
                               setValue (EngineCommand::Type::setMasterGain, 0, -2.0f),
                               trigger (5, *clip, t0, 1, playback), stop (5, stopAt) },
                             2000);
    const auto gains = std::pow (10.0, -11.0 / 20.0);
    for (int side = 0; side < 2; ++side)
        CHECK_SAMPLES (out.out[(size_t) side], 0, 2000, [&] (int64_t n)
        {
            const auto k = n - t0;
            if (k < 0) return 0.0;
            return (double) rampSample (side, k) * gains * fadeIn (FadeCurve::linear, k, protection)
                   * fadeIn (FadeCurve::sCurve, k, 960) * fadeOut (FadeCurve::equalPower, n - stopAt, 480);
        });
    CHECK (out.left()[(size_t) (stopAt + 479)] == 0.0f);
}
