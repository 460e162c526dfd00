// CueGrid — GPL-3.0-or-later
#include "ClipPlayback.h"
#include "SessionManifest.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <limits>
#include <stdexcept>

using namespace cuegrid;

namespace
{
    Session oneClip (ClipDefinition clip = {})
    {
        Session session;
        clip.id = "a";
        clip.file = "a.wav";
        session.clips.push_back (clip);
        return session;
    }
} // namespace

TEST_CASE ("Seconds and milliseconds become frames and samples by round(x · rate)", "[playback]")
{
    CHECK (secondsToFrames (0.5, 44100.0) == 22050);
    CHECK (secondsToFrames (1.0000104, 48000.0) == 48000);     // 48000.4992
    CHECK (secondsToFrames (0.00001, 48000.0) == 0);           // 0.48
    CHECK (secondsToFrames (2.5, 1.0) == 3);                   // halves round away from zero
    CHECK (secondsToFrames (-2.5, 1.0) == -3);
    CHECK (millisecondsToSamples (1.0, 48000.0) == 48);
    CHECK (millisecondsToSamples (2.5, 44100.0) == 110);       // 110.25
    CHECK (millisecondsToSamples (5.0, 44100.0) == 221);       // 220.5
    CHECK (millisecondsToSamples (0.25, 8000.0) == 2);
    CHECK (millisecondsToSamples (3000.0, 384000.0) == 1152000);
    // Saturated, never undefined.
    CHECK (secondsToFrames (1e300, 48000.0) == std::numeric_limits<int64_t>::max());
    CHECK (secondsToFrames (-1e300, 48000.0) == std::numeric_limits<int64_t>::lowest());
    CHECK (millisecondsToSamples (1e12, 384000.0) == std::numeric_limits<int32_t>::max());
}

TEST_CASE ("A clip that sets nothing plays its whole file with a 1 ms edge fade", "[playback]")
{
    const auto playback = clipPlayback (oneClip(), 0, 48000.0, 100000);
    CHECK (playback.cueIn == 0);
    CHECK (playback.cueOut == 100000);
    CHECK (playback.startFrame == 0);
    CHECK (playback.edgeFade == 48);
    CHECK (playback.fadeIn == 0);
    CHECK (playback.fadeOut == 0);
    CHECK (playback.fadeInCurve == FadeCurve::linear);
    CHECK (playback.fadeOutCurve == FadeCurve::linear);
    CHECK (playback.loopIn == 0);
    CHECK (playback.loopOut == 0);   // no loop
    CHECK (playback.loopCount == 0);
    CHECK (playback.retrigger == RetriggerMode::restart);
    CHECK_FALSE (playback.solo);
    CHECK (playback.soloCrossfade == 24000);   // fadeDefaults.crossfadeMs 500
    CHECK (playback.soloCurve == FadeCurve::equalPower);
}

TEST_CASE ("Every clip field resolves to frames at the engine's rate", "[playback]")
{
    ClipDefinition clip;
    clip.cueInSec = 0.5;
    clip.cueOutSec = 4.0;
    clip.edgeFadeMs = 2.5;
    clip.fadeInMs = 500.0;
    clip.fadeOutMs = 1500.0;
    clip.fadeInCurve = FadeCurve::exponential;
    clip.fadeOutCurve = FadeCurve::sCurve;
    clip.loop = LoopSettings { 1.0, 3.0, 3, 5.0 };
    clip.retrigger = RetriggerMode::pause;
    clip.solo = true;
    auto session = oneClip (clip);
    session.fadeDefaults.crossfadeMs = 750.0;
    session.fadeDefaults.crossfadeCurve = FadeCurve::sCurve;

    const auto playback = clipPlayback (session, 0, 44100.0, 200000, 0.25);
    CHECK (playback.cueIn == 22050);
    CHECK (playback.cueOut == 176400);
    CHECK (playback.startFrame == 22050 + 11025);
    CHECK (playback.edgeFade == 110);
    CHECK (playback.fadeIn == 22050);
    CHECK (playback.fadeOut == 66150);
    CHECK (playback.fadeInCurve == FadeCurve::exponential);
    CHECK (playback.fadeOutCurve == FadeCurve::sCurve);
    CHECK (playback.loopIn == 44100);
    CHECK (playback.loopOut == 132300);
    CHECK (playback.loopCount == 3);
    CHECK (playback.loopCrossfade == 221);
    CHECK (playback.retrigger == RetriggerMode::pause);
    CHECK (playback.solo);
    CHECK (playback.soloCrossfade == 33075);
    CHECK (playback.soloCurve == FadeCurve::sCurve);
}

TEST_CASE ("Fades a clip does not set come from the session's fadeDefaults, and a clip's 0 is kept", "[playback]")
{
    ClipDefinition clip;
    clip.fadeOutMs = 0.0;
    clip.fadeInCurve = FadeCurve::linear;
    auto session = oneClip (clip);
    session.fadeDefaults.inMs = 20.0;
    session.fadeDefaults.outMs = 300.0;
    session.fadeDefaults.inCurve = FadeCurve::equalPower;
    session.fadeDefaults.outCurve = FadeCurve::exponential;

    const auto playback = clipPlayback (session, 0, 48000.0, 48000);
    CHECK (playback.fadeIn == 960);
    CHECK (playback.fadeOut == 0);
    CHECK (playback.fadeInCurve == FadeCurve::linear);
    CHECK (playback.fadeOutCurve == FadeCurve::exponential);
}

TEST_CASE ("Cue points, offsets and loops are clamped to the media", "[playback]")
{
    SECTION ("media shorter than the cue region")
    {
        ClipDefinition clip;
        clip.cueInSec = 3.0;
        clip.cueOutSec = 4.0;
        clip.loop = LoopSettings { 3.5, std::nullopt, 2, 1.0 };
        const auto playback = clipPlayback (oneClip (clip), 0, 48000.0, 100000);
        CHECK (playback.cueIn == 100000);
        CHECK (playback.cueOut == 100000);
        CHECK (playback.startFrame == 100000);
        CHECK (playback.loopOut == 0);     // nothing left to loop
        CHECK (playback.loopCount == 0);
    }
    SECTION ("cue out past the end of the media")
    {
        ClipDefinition clip;
        clip.cueInSec = 1.0;
        clip.cueOutSec = 4.0;
        clip.loop = LoopSettings { std::nullopt, 3.5, 0, 1.0 };
        const auto playback = clipPlayback (oneClip (clip), 0, 48000.0, 150000);
        CHECK (playback.cueIn == 48000);
        CHECK (playback.cueOut == 150000);
        CHECK (playback.loopIn == 48000);
        CHECK (playback.loopOut == 150000);
    }
    SECTION ("an offset past cue out starts at cue out")
    {
        ClipDefinition clip;
        clip.cueOutSec = 1.0;
        const auto session = oneClip (clip);
        CHECK (clipPlayback (session, 0, 48000.0, 96000, 0.999).startFrame == 47952);
        CHECK (clipPlayback (session, 0, 48000.0, 96000, 2.0).startFrame == 48000);
        CHECK (clipPlayback (session, 0, 48000.0, 96000, 1e300).startFrame == 48000);
        CHECK (clipPlayback (session, 0, 48000.0, 96000, -1.0).startFrame == 0);
    }
    SECTION ("an empty loop object loops the whole cue region")
    {
        ClipDefinition clip;
        clip.cueInSec = 0.5;
        clip.loop = LoopSettings {};
        const auto playback = clipPlayback (oneClip (clip), 0, 48000.0, 96000);
        CHECK (playback.loopIn == 24000);
        CHECK (playback.loopOut == 96000);
        CHECK (playback.loopCount == 0);
        CHECK (playback.loopCrossfade == 48);
    }
    SECTION ("no media at all")
    {
        const auto playback = clipPlayback (oneClip(), 0, 48000.0, -5);
        CHECK (playback.cueIn == 0);
        CHECK (playback.cueOut == 0);
        CHECK (playback.startFrame == 0);
    }
}

TEST_CASE ("clipPlayback refuses a clip index outside the session", "[playback]")
{
    CHECK_THROWS_AS (clipPlayback (oneClip(), 1, 48000.0, 10), std::out_of_range);
    CHECK_THROWS_AS (clipPlayback (oneClip(), -1, 48000.0, 10), std::out_of_range);
}

TEST_CASE ("The version 2 test session resolves as its manifest says", "[playback][v2]")
{
    const auto session = SessionManifest::load (test::dataPath ("sessions/version2.cuegrid").string());
    // organ: cue 0.5–4 s, fades 500/1500 ms, edge 2.5 ms, solo over the session's 750 ms linear.
    const auto organ = clipPlayback (session, session.findClip ("organ"), 48000.0, 214358);
    CHECK (organ.cueIn == 24000);
    CHECK (organ.cueOut == 192000);
    CHECK (organ.edgeFade == 120);
    CHECK (organ.fadeIn == 24000);
    CHECK (organ.fadeOut == 72000);
    CHECK (organ.solo);
    CHECK (organ.soloCrossfade == 36000);
    CHECK (organ.soloCurve == FadeCurve::linear);
    CHECK (organ.retrigger == RetriggerMode::stop);
    // kick: the session's fades (10 ms sCurve in, 250 ms equalPower out).
    const auto kick = clipPlayback (session, session.findClip ("kick"), 48000.0, 12967);
    CHECK (kick.fadeIn == 480);
    CHECK (kick.fadeInCurve == FadeCurve::sCurve);
    CHECK (kick.fadeOut == 12000);
    CHECK (kick.fadeOutCurve == FadeCurve::equalPower);
    CHECK (kick.retrigger == RetriggerMode::layer);
    // hum: loop 1–3 s inside cue 0.25–9.5 s, three plays, 5 ms crossfade.
    const auto hum = clipPlayback (session, session.findClip ("hum"), 48000.0, 469515, 0.5);
    CHECK (hum.cueIn == 12000);
    CHECK (hum.cueOut == 456000);
    CHECK (hum.startFrame == 36000);
    CHECK (hum.loopIn == 48000);
    CHECK (hum.loopOut == 144000);
    CHECK (hum.loopCount == 3);
    CHECK (hum.loopCrossfade == 240);
}

TEST_CASE ("Routing: 1-based manifest pairs become 0-based device channels", "[playback][routing]")
{
    RoutingSettings routing;
    CHECK (outputRouting (routing).masterLeft == 0);
    CHECK (outputRouting (routing).masterRight == 1);
    CHECK (outputRouting (routing).auditionLeft == 2);
    CHECK (outputRouting (routing).auditionRight == 3);
    for (int group = 0; group < groupCount; ++group)
    {
        CHECK (outputRouting (routing).groupLeft[group] == -1);
        CHECK (outputRouting (routing).groupRight[group] == -1);
    }

    routing.master = { 3, 4 };
    routing.audition = { 64, 63 };
    routing.groups[1] = ChannelPair { 6, 5 };
    const auto resolved = outputRouting (routing);
    CHECK (resolved.masterLeft == 2);
    CHECK (resolved.masterRight == 3);
    CHECK (resolved.auditionLeft == 63);
    CHECK (resolved.auditionRight == 62);
    CHECK (resolved.groupLeft[0] == -1);
    CHECK (resolved.groupLeft[1] == 5);
    CHECK (resolved.groupRight[1] == 4);
}

TEST_CASE ("Curve and retrigger names convert both ways, and others are refused", "[playback]")
{
    for (auto curve : { FadeCurve::linear, FadeCurve::equalPower, FadeCurve::sCurve, FadeCurve::exponential })
        CHECK (fadeCurveFromName (fadeCurveName (curve)) == curve);
    CHECK (std::string (fadeCurveName (FadeCurve::sCurve)) == "sCurve");
    CHECK (std::string (fadeCurveName (FadeCurve::equalPower)) == "equalPower");
    CHECK_FALSE (fadeCurveFromName ("Linear").has_value());
    CHECK_FALSE (fadeCurveFromName ("").has_value());
    for (auto mode : { RetriggerMode::restart, RetriggerMode::stop, RetriggerMode::pause, RetriggerMode::layer })
        CHECK (retriggerModeFromName (retriggerModeName (mode)) == mode);
    CHECK (std::string (retriggerModeName (RetriggerMode::layer)) == "layer");
    CHECK_FALSE (retriggerModeFromName ("toggle").has_value());
}
