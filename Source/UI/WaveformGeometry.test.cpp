// CueGrid — GPL-3.0-or-later
#include "UI/WaveformGeometry.h"

#include <catch2/catch.hpp>

#include <string>

using namespace cuegrid;

TEST_CASE ("WaveformAxis maps seconds to pixels and back, kept inside the file")
{
    const WaveformAxis axis { 10.0, 20.0f, 500.0f };   // 10 s across 500 px from x = 20
    CHECK (axis.xOf (0.0) == 20.0f);
    CHECK (axis.xOf (10.0) == 520.0f);
    CHECK (axis.xOf (2.5) == 145.0f);
    CHECK (axis.secondsAt (145.0f) == Approx (2.5));
    CHECK (axis.secondsAt (0.0f) == 0.0);       // left of the wave: the file's start
    CHECK (axis.secondsAt (900.0f) == 10.0);    // right of it: the file's end
    for (double seconds : { 0.0, 0.123, 4.56, 9.999 })
        CHECK (axis.secondsAt (axis.xOf (seconds)) == Approx (seconds).margin (1e-4));

    const WaveformAxis unknown { 0.0, 20.0f, 500.0f };  // length not read yet
    CHECK (unknown.secondsAt (300.0f) == 0.0);
    CHECK (unknown.xOf (3.0) == 20.0f);
}

TEST_CASE ("ClipMarkers: defaults are the file's ends and the session's fades, kept in the cue region")
{
    FadeDefaults defaults;
    defaults.inMs = 100.0;
    defaults.outMs = 500.0;
    ClipDefinition clip;
    auto m = ClipMarkers::of (clip, defaults, 8.0);
    CHECK (m.cueIn == 0.0);
    CHECK (m.cueOut == 8.0);
    CHECK_FALSE (m.hasLoop);
    CHECK (m.fadeInEnd == Approx (0.1));
    CHECK (m.fadeOutStart == Approx (7.5));
    CHECK (m.fadeInCurve == FadeCurve::linear);

    defaults.outCurve = FadeCurve::sCurve;
    clip.fadeInCurve = FadeCurve::exponential;
    m = ClipMarkers::of (clip, defaults, 8.0);
    CHECK (m.fadeInCurve == FadeCurve::exponential);   // the clip's
    CHECK (m.fadeOutCurve == FadeCurve::sCurve);       // the session's

    clip.cueInSec = 1.0;
    clip.cueOutSec = 3.0;
    clip.fadeInMs = 250.0;
    clip.fadeOutMs = 3000.0;   // longer than the region: starts at cue in
    clip.loop = LoopSettings {};
    clip.loop->outSec = 2.5;
    m = ClipMarkers::of (clip, defaults, 8.0);
    CHECK (m.cueIn == 1.0);
    CHECK (m.cueOut == 3.0);
    CHECK (m.hasLoop);
    CHECK (m.loopIn == 1.0);     // unset: cue in
    CHECK (m.loopOut == 2.5);
    CHECK (m.fadeInEnd == Approx (1.25));
    CHECK (m.fadeOutStart == 1.0);
    CHECK (m.secondsOf (WaveformHandle::loopOut) == 2.5);
    CHECK (m.secondsOf (WaveformHandle::fadeIn) == Approx (1.25));

    // A cue out past the file's end (a shortened file) is drawn at the end.
    clip.cueOutSec = 20.0;
    m = ClipMarkers::of (clip, defaults, 8.0);
    CHECK (m.cueOut == 8.0);
}

TEST_CASE ("Fade handles: the dragged time becomes whole ms from cue in or to cue out, within the manifest's range")
{
    ClipMarkers m;
    m.cueIn = 1.0;
    m.cueOut = 9.0;
    CHECK (fadeMsForHandle (WaveformHandle::fadeIn, 1.2504, m) == 250.0);
    CHECK (fadeMsForHandle (WaveformHandle::fadeIn, 0.5, m) == 0.0);          // before cue in
    CHECK (fadeMsForHandle (WaveformHandle::fadeIn, 8.0, m) == 3000.0);       // the longest fade
    CHECK (fadeMsForHandle (WaveformHandle::fadeOut, 8.5, m) == 500.0);
    CHECK (fadeMsForHandle (WaveformHandle::fadeOut, 9.5, m) == 0.0);
    CHECK (roundToMillisecond (1.23449) == 1.234);
    CHECK (roundToMillisecond (1.2346) == 1.235);
    CHECK (std::string (waveformHandleName (WaveformHandle::cueIn)) == "cueIn");
    CHECK (std::string (waveformHandleName (WaveformHandle::fadeOut)) == "fadeOut");
}

TEST_CASE ("thumbnailKey changes with the file's path, size or modification time and is the same in every run")
{
    const auto key = thumbnailKey ("/show/media/kick.wav", 123456, 1700000000000);
    CHECK (key == thumbnailKey ("/show/media/kick.wav", 123456, 1700000000000));
    CHECK (key != thumbnailKey ("/show/media/kick2.wav", 123456, 1700000000000));
    CHECK (key != thumbnailKey ("/show/media/kick.wav", 123457, 1700000000000));
    CHECK (key != thumbnailKey ("/show/media/kick.wav", 123456, 1700000000001));
    // FNV-1a 64 of the bytes, so a key written to the disk cache today is found tomorrow.
    CHECK (thumbnailKey ("", 0, 0) == 0x4dfa4cffd1f7979full);
}
