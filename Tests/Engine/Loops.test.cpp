// CueGrid — GPL-3.0-or-later
// Issue 8, test 1: loops. A loop of count n plays its region n times (n − 1 wraps), each wrap
// crossfaded as out = x[in+k]·(k/L) + x[out+k]·(1−k/L), then playback goes on to cue out; an
// endless loop (count 0) wraps until stopped. Sample by sample against readSequence().
#include "EngineTestSupport.h"

using namespace cuegrid;
using namespace cuegrid::enginetest;

TEST_CASE ("A loop of count n plays its region n times with n-1 crossfaded wraps, then goes on to cue out", "[engine][loop]")
{
    const auto clip = rampClip (20000);
    // Loop in and out are 509 frames apart in the ramp's period: the two sides of a crossfade differ by about 0.25.
    constexpr int64_t t0 = 100, cueIn = 500, cueOut = 12000, loopIn = 2000, loopOut = 5500, crossfade = 240, fadeOutLength = 480;
    for (const int count : { 1, 2, 3 })
    {
        INFO ("loop count " << count);
        VoicePlayback playback;
        playback.cueIn = playback.startFrame = cueIn;
        playback.cueOut = cueOut;
        playback.loopIn = loopIn;
        playback.loopOut = loopOut;
        playback.loopCount = count;
        playback.loopCrossfade = (int) crossfade;
        playback.fadeOut = (int) fadeOutLength;
        playback.fadeOutCurve = FadeCurve::sCurve;
        const auto out = render ({ trigger (0, *clip, t0, 0, playback) }, 19000);

        const auto reads = readSequence (*clip, cueIn, cueOut, loopIn, loopOut, count, crossfade, 100000);
        const auto total = (cueOut - cueIn) + (count - 1) * (loopOut - loopIn);
        REQUIRE ((int64_t) reads.size() == total);  // the model agrees with the count
        for (int side = 0; side < 2; ++side)
        {
            INFO ("channel " << side);
            CHECK_SAMPLES (out.out[(size_t) side], 0, 19000, [&] (int64_t n)
            {
                const auto j = n - t0;
                if (j < 0 || j >= (int64_t) reads.size()) return 0.0;
                const auto& read = reads[(size_t) j];
                auto gain = fadeIn (FadeCurve::linear, j, protection);
                if (read.lastPass)
                    gain *= endFade (FadeCurve::linear, cueOut, read.position, protection)
                            * endFade (FadeCurve::sCurve, cueOut, read.position, fadeOutLength);
                return read.value[side] * gain;
            });
        }

        // The first wrap, straight from the formula: at k = 0 all of loop out, at k = L/2 half each.
        if (count > 1)
        {
            const auto wrap = t0 + (loopOut - cueIn);
            CHECK (out.left()[(size_t) (wrap - 1)] == Approx (rampSample (0, loopOut - 1)).margin (1e-6));
            CHECK (out.left()[(size_t) wrap] == Approx (rampSample (0, loopOut)).margin (1e-6));
            CHECK (out.left()[(size_t) (wrap + crossfade / 2)]
                   == Approx (0.5 * rampSample (0, loopIn + crossfade / 2) + 0.5 * rampSample (0, loopOut + crossfade / 2)).margin (1e-6));
            CHECK (out.left()[(size_t) (wrap + crossfade)] == Approx (rampSample (0, loopIn + crossfade)).margin (1e-6));
        }

        const auto ended = out.of (EngineEvent::Type::voiceEnded);
        REQUIRE (ended.size() == 1);
        CHECK (ended[0].sampleTime == t0 + total);
        CHECK (ended[0].reason == VoiceEndReason::finished);
        CHECK (ended[0].length == total);
    }
}

TEST_CASE ("Voice status of a loop of count 3: loops left, looping and remaining time count the passes to come", "[engine][loop]")
{
    const auto clip = rampClip (20000);
    VoicePlayback playback;
    playback.loopIn = 2000;
    playback.loopOut = 5000;
    playback.loopCount = 3;
    SteppedEngine stepped (512, { trigger (0, *clip, 0, 0, playback) });
    const int64_t total = 20000 + 2 * 3000;
    for (int64_t done = 512; done <= 20000; done += 512)
    {
        stepped.process();
        const auto entry = stepped.voice();
        INFO ("after " << done << " samples");
        REQUIRE (entry.clipSlot == 0);
        CHECK (entry.played == done);
        CHECK (entry.remaining == total - done);
        const auto wraps = done < 5000 ? 2 : done < 8000 ? 1 : 0;
        CHECK (entry.loopsLeft == wraps);
        CHECK (entry.looping == (wraps > 0));
    }
}

TEST_CASE ("A loop over the whole region wraps from the file's end: the outgoing side of the crossfade reads zeros", "[engine][loop]")
{
    constexpr int64_t frames = 3000, crossfade = 480;
    const auto clip = rampClip (frames);
    VoicePlayback playback;
    playback.loopIn = 0;
    playback.loopOut = frames;
    playback.loopCount = 2;
    playback.loopCrossfade = (int) crossfade;
    const auto out = render ({ trigger (0, *clip, 0, 0, playback) }, 7000);
    const auto reads = readSequence (*clip, 0, frames, 0, frames, 2, crossfade, 100000);
    REQUIRE ((int64_t) reads.size() == 2 * frames);
    for (int side = 0; side < 2; ++side)
        CHECK_SAMPLES (out.out[(size_t) side], 0, 7000, [&] (int64_t j)
        {
            if (j >= (int64_t) reads.size()) return 0.0;
            const auto& read = reads[(size_t) j];
            return read.value[side] * fadeIn (FadeCurve::linear, j, protection)
                   * (read.lastPass ? endFade (FadeCurve::linear, frames, read.position, protection) : 1.0);
        });
    // No end fade on the first pass; after the wrap x[out+k] is past the file: only x[in+k]·k/L.
    CHECK (out.left()[(size_t) (frames - 1)] == rampSample (0, frames - 1));
    CHECK (out.left()[(size_t) frames] == 0.0f);
    CHECK (out.left()[(size_t) (frames + 240)] == Approx (0.5 * rampSample (0, 240)).margin (1e-6));
}

TEST_CASE ("An endless loop (count 0) wraps until stopped, also during its stop fade, then ends at stop + L", "[engine][loop]")
{
    const auto clip = rampClip (10000);
    constexpr int64_t loopIn = 1000, loopOut = 3500, crossfade = 96, stopAt = 15800, L = 480;
    VoicePlayback playback;
    playback.loopIn = loopIn;
    playback.loopOut = loopOut;
    playback.loopCount = 0;
    playback.loopCrossfade = (int) crossfade;
    playback.fadeOut = (int) L;
    playback.fadeOutCurve = FadeCurve::equalPower;
    const auto out = render ({ trigger (0, *clip, 0, 0, playback), stop (0, stopAt) }, 20000);
    const auto reads = readSequence (*clip, 0, 10000, loopIn, loopOut, 0, crossfade, 20000);
    REQUIRE (reads.size() == 20000);
    // Wraps at 3500, 6000, …, 16000: the last inside the stop fade.
    for (int side = 0; side < 2; ++side)
        CHECK_SAMPLES (out.out[(size_t) side], 0, 20000, [&] (int64_t j)
        {
            return reads[(size_t) j].value[side] * fadeIn (FadeCurve::linear, j, protection)
                   * fadeOut (FadeCurve::equalPower, j - stopAt, L);
        });
    CHECK (peakOf (out.left(), 15000, 15800) > 0.5f);   // still looping long after the file's 10000 frames
    const auto ended = out.of (EngineEvent::Type::voiceEnded);
    REQUIRE (ended.size() == 1);
    CHECK (ended[0].sampleTime == stopAt + L);
    CHECK (ended[0].reason == VoiceEndReason::stopped);
}

TEST_CASE ("Voice status of an endless loop reports remaining -1 and loops left -1 until stopped", "[engine][loop]")
{
    const auto clip = rampClip (10000);
    VoicePlayback playback;
    playback.loopIn = 1000;
    playback.loopOut = 3000;
    playback.loopCount = 0;
    playback.fadeOut = 4800;
    SteppedEngine stepped (256, { trigger (0, *clip, 0, 0, playback), stop (0, 20000) });
    stepped.process (78);   // 19968 samples
    auto entry = stepped.voice();
    CHECK (entry.remaining == -1);
    CHECK (entry.loopsLeft == -1);
    CHECK (entry.looping);
    CHECK_FALSE (entry.stopping);
    stepped.process();   // 20224: 224 samples into the 4800-sample stop fade
    entry = stepped.voice();
    CHECK (entry.stopping);
    CHECK (entry.remaining == 4800 - 224);
}
