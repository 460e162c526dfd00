// CueGrid — GPL-3.0-or-later
// Issue 8, test 1: StopGroup, FadeGroup, StopAll, FadeAll and Panic, sample by sample, and
// Panic's cancelling of queued and fed commands (a show script's later commands never run; a
// live command posted after it does).
#include "EngineTestSupport.h"

using namespace cuegrid;
using namespace cuegrid::enginetest;

namespace
{
    using T = EngineCommand::Type;

    /** Group A: a (0.25, fadeOut 10 ms sCurve) and b (0.125, no fadeOut: the protection fade);
        group C: c (0.0625, fadeOut 5 ms equalPower); the audition: 0.5, fadeOut 2.5 ms exponential.
        Four outputs: the master on 1/2, the audition on 3/4. All from sample 0. */
    struct Scene
    {
        ClipAudioPtr a = constantClip (0.25f, 48000), b = constantClip (0.125f, 48000), c = constantClip (0.0625f, 48000),
                     preview = constantClip (0.5f, 48000);

        std::vector<EngineCommand> start() const
        {
            VoicePlayback pa, pc, pp;
            pa.fadeOut = 480;
            pa.fadeOutCurve = FadeCurve::sCurve;
            pc.fadeOut = 240;
            pc.fadeOutCurve = FadeCurve::equalPower;
            pp.fadeOut = 120;
            pp.fadeOutCurve = FadeCurve::exponential;
            return { trigger (0, *a, 0, 0, pa), trigger (1, *b, 0, 0), trigger (2, *c, 0, 2, pc), audition (*preview, 0, pp) };
        }
    };

    double edge (int64_t n) { return fadeIn (FadeCurve::linear, n, protection); }

    std::vector<EngineCommand> with (std::vector<EngineCommand> plan, const EngineCommand& extra)
    {
        plan.push_back (extra);
        return plan;
    }
} // namespace

TEST_CASE ("StopGroup fades each voice of the group with its own fade-out and leaves the other groups", "[engine][stop]")
{
    const Scene scene;
    const auto out = render (with (scene.start(), command (T::stopGroup, 1000, -1, 0)), 3000, 128, 4);
    CHECK_SAMPLES (out.out[0], 0, 3000, [] (int64_t n)
    {
        return edge (n) * (0.25 * fadeOut (FadeCurve::sCurve, n - 1000, 480) + 0.125 * fadeOut (FadeCurve::linear, n - 1000, protection) + 0.0625);
    });
    CHECK_SAMPLES (out.out[2], 0, 3000, [] (int64_t n) { return 0.5 * edge (n); });
    const auto ended = out.of (EngineEvent::Type::voiceEnded);
    REQUIRE (ended.size() == 2);
    CHECK (ended[0].sampleTime == 1000 + protection);
    CHECK (ended[1].sampleTime == 1000 + 480);
}

TEST_CASE ("FadeGroup fades every voice of the group over its length and curve, in place of their own fades", "[engine][stop]")
{
    const Scene scene;
    const auto out = render (with (scene.start(), fade (T::fadeGroup, 1000, 960, FadeCurve::exponential, 0)), 3000, 128, 4);
    CHECK_SAMPLES (out.out[0], 0, 3000, [] (int64_t n)
                   { return edge (n) * (0.375 * fadeOut (FadeCurve::exponential, n - 1000, 960) + 0.0625); });
    const auto ended = out.of (EngineEvent::Type::voiceEnded);
    REQUIRE (ended.size() == 2);
    CHECK (ended[0].sampleTime == 1960);
    CHECK (ended[1].sampleTime == 1960);
}

TEST_CASE ("StopAll fades every voice and the audition with their own fade-outs", "[engine][stop]")
{
    const Scene scene;
    const auto out = render (with (scene.start(), command (T::stopAll, 1000)), 3000, 128, 4);
    CHECK_SAMPLES (out.out[0], 0, 3000, [] (int64_t n)
    {
        return edge (n) * (0.25 * fadeOut (FadeCurve::sCurve, n - 1000, 480) + 0.125 * fadeOut (FadeCurve::linear, n - 1000, protection)
                           + 0.0625 * fadeOut (FadeCurve::equalPower, n - 1000, 240));
    });
    CHECK_SAMPLES (out.out[2], 0, 3000, [] (int64_t n) { return 0.5 * edge (n) * fadeOut (FadeCurve::exponential, n - 1000, 120); });
    CHECK (out.of (EngineEvent::Type::voiceEnded).size() == 4);
    CHECK (silent (out.out[0], 1480, 3000));
}

TEST_CASE ("FadeAll fades every voice and the audition over its length with its curve", "[engine][stop]")
{
    const Scene scene;
    for (const auto curve : allCurves)
    {
        INFO ("curve " << curveName (curve));
        const auto out = render (with (scene.start(), fade (T::fadeAll, 1000, 2400, curve)), 4000, 128, 4);
        CHECK_SAMPLES (out.out[0], 0, 4000, [&] (int64_t n) { return edge (n) * 0.4375 * fadeOut (curve, n - 1000, 2400); });
        CHECK_SAMPLES (out.out[2], 0, 4000, [&] (int64_t n) { return edge (n) * 0.5 * fadeOut (curve, n - 1000, 2400); });
        const auto ended = out.of (EngineEvent::Type::voiceEnded);
        REQUIRE (ended.size() == 4);
        for (const auto& event : ended)
        {
            CHECK (event.sampleTime == 3400);
            CHECK (event.reason == VoiceEndReason::stopped);
        }
    }
}

TEST_CASE ("Panic ends every voice and the audition within 1 ms and cancels queued and later fed commands, a live command posted after it runs", "[engine][panic]")
{
    const Scene scene;
    const auto later = constantClip (0.3f, 48000);
    constexpr int64_t panicAt = 10000;
    auto plan = scene.start();
    plan.push_back (command (T::panic, panicAt));
    plan.push_back (stop (0, panicAt + 10));               // fed before the panic ran: dropped from the queue
    plan.push_back (trigger (5, *later, 12000));           // the same
    plan.push_back (trigger (6, *later, 100000, 1));       // fed after the panic ran: never scheduled
    int64_t panicSeen = -1, dropped = -1;
    const auto out = render (
        plan, 120000, 128, 4,
        [&] (Engine& engine, const EngineEvent& event)
        {
            if (event.type != EngineEvent::Type::panic)
                return;
            panicSeen = event.sampleTime;
            dropped = event.length;
            engine.post (trigger (7, *later, 30000, 3));   // live, posted after the panic: runs
        },
        [&] (Engine& engine) { engine.post (trigger (8, *later, 20000)); });   // live, posted before: dropped

    CHECK (panicSeen == panicAt);
    CHECK (dropped == 3);   // the live trigger at 20000, the fed stop and the fed trigger at 12000
    CHECK_SAMPLES (out.out[0], 0, 40000, [] (int64_t n)
                   { return edge (n) * 0.4375 * fadeOut (FadeCurve::linear, n - panicAt, protection) + 0.3 * edge (n - 30000); });
    CHECK_SAMPLES (out.out[2], 0, 40000, [] (int64_t n) { return edge (n) * 0.5 * fadeOut (FadeCurve::linear, n - panicAt, protection); });
    CHECK (silent (out.out[0], panicAt + protection - 1, 30001));
    CHECK_FALSE (silent (out.out[0], 40000, 48000));   // slot 7 plays on, to its end at 78000
    CHECK (silent (out.out[0], 78000, 120000));

    const auto ended = out.of (EngineEvent::Type::voiceEnded);
    REQUIRE (ended.size() == 5);
    for (int i = 0; i < 4; ++i)
    {
        CHECK (ended[(size_t) i].sampleTime == panicAt + protection);
        CHECK (ended[(size_t) i].reason == VoiceEndReason::panic);
    }
    CHECK (ended[4].clipSlot == 7);
    std::vector<int> startedSlots;
    for (const auto& event : out.of (EngineEvent::Type::voiceStarted))
        startedSlots.push_back (event.clipSlot);
    CHECK (startedSlots == std::vector<int> { 0, 1, 2, -1, 7 });
    CHECK (out.of (EngineEvent::Type::voiceFading).empty());
}
