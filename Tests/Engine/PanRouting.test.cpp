// CueGrid — GPL-3.0-or-later
// Issue 8, test 1: the pan law for mono clips and the balance for stereo clips, and routing to
// N device outputs (a group on its own pair bypasses the master; a route past the device's
// channels falls back to the master), sample by sample.
#include "Engine/ClipGainTable.h"
#include "EngineTestSupport.h"

using namespace cuegrid;
using namespace cuegrid::enginetest;

namespace
{
    using T = EngineCommand::Type;
    double edge (int64_t n) { return fadeIn (FadeCurve::linear, n, protection); }
} // namespace

TEST_CASE ("Pan law: a mono clip at pan p gets cos((p+1)pi/4)/cos(pi/4) left and sin((p+1)pi/4)/cos(pi/4) right", "[engine][pan]")
{
    const auto clip = constantClip (0.5f, 48000);
    for (const double pan : { -1.0, -0.5, 0.0, 0.5, 1.0 })
    {
        INFO ("pan " << pan);
        const auto out = render ({ setValue (T::setClipPan, 0, (float) pan, 4), trigger (4, *clip, 0, 1) }, 1000);
        for (int side = 0; side < 2; ++side)
        {
            INFO ("channel " << side);
            CHECK_SAMPLES (out.out[(size_t) side], 0, 1000, [&] (int64_t n) { return 0.5 * monoPan (pan, side) * edge (n); });
        }
    }
    // Fixed points of the law, not through the model: unity at centre, +3 dB hard left, -3 dB at the far side of ±0.5.
    const auto centre = render ({ trigger (4, *clip, 0, 1) }, 200);
    CHECK (centre.left()[100] == 0.5f);
    CHECK (centre.right()[100] == 0.5f);
    const auto hardLeft = render ({ setValue (T::setClipPan, 0, -1.0f, 4), trigger (4, *clip, 0, 1) }, 200);
    CHECK (hardLeft.left()[100] == Approx (0.5 * std::sqrt (2.0)).epsilon (1e-6));
    CHECK (std::abs (hardLeft.right()[100]) < 1e-7f);
}

TEST_CASE ("Balance: a stereo clip at pan p keeps one side and scales the other by 1 - |p|", "[engine][pan]")
{
    const auto clip = rampClip (48000);
    for (const double pan : { -1.0, -0.5, 0.0, 0.5, 1.0 })
    {
        INFO ("pan " << pan);
        const auto out = render ({ setValue (T::setClipPan, 0, (float) pan, 4), trigger (4, *clip, 0, 1) }, 1000);
        for (int side = 0; side < 2; ++side)
        {
            INFO ("channel " << side);
            CHECK_SAMPLES (out.out[(size_t) side], 0, 1000,
                           [&] (int64_t n) { return rampSample (side, n) * stereoBalance (pan, side) * edge (n); });
        }
    }
}

TEST_CASE ("A pan ramp moves the pan value linearly, each sample through the pan law", "[engine][pan]")
{
    const auto clip = constantClip (0.5f, 48000);
    const auto out = render ({ trigger (0, *clip, 0), setValue (T::setClipPan, 1000, 1.0f, 0, 0, 1000) }, 3000);
    for (int side = 0; side < 2; ++side)
        CHECK_SAMPLES (out.out[(size_t) side], 0, 3000, [&] (int64_t n)
        {
            const auto pan = std::clamp ((double) (n - 1000) / 1000.0, 0.0, 1.0);
            return 0.5 * monoPan (pan, side) * edge (n);
        });
}

TEST_CASE ("A session's clip pans arrive with its clip gains in one table", "[engine][pan]")
{
    const auto clip = constantClip (0.5f, 48000);
    const auto table = std::make_shared<const ClipGainTable> (std::vector<double> { 1.0, 0.5, 1.0 }, std::vector<double> { 0.0, 0.5, -0.5 });
    auto gains = command (T::setClipGains, 0);
    gains.clipGains = table.get();
    const auto out = render ({ gains, trigger (1, *clip, 0), trigger (2, *clip, 0, 3) }, 500);
    for (int side = 0; side < 2; ++side)
        CHECK_SAMPLES (out.out[(size_t) side], 0, 500, [&] (int64_t n)
                       { return (0.25 * monoPan (0.5, side) + 0.5 * monoPan (-0.5, side)) * edge (n); });
}

namespace
{
    /** Group A: 0.25 stereo; group D: a ramp four times as loud (peaks near +9.5 dBFS); the
        audition: 0.5. Master at -6 dB with the limiter on. */
    struct RoutedScene
    {
        ClipAudioPtr a = constantClip (0.25f, 48000, 2);
        ClipAudioPtr loud = makeClip (48000, 2, [] (int c, int64_t i) { return 4.0f * rampSample (c, i); });
        ClipAudioPtr preview = constantClip (0.5f, 48000, 2);

        std::vector<EngineCommand> plan (const OutputRouting& outputs, bool limiterOn) const
        {
            return { routing (outputs), limiter (limiterOn), setValue (T::setMasterGain, 0, (float) (20.0 * std::log10 (0.5))),
                     trigger (0, *a, 0, 0), trigger (1, *loud, 0, 3), audition (*preview, 0) };
        }
    };
} // namespace

TEST_CASE ("A group routed to channels 5/6 of 6 bypasses the master, its gain and its limiter, aligned with the master", "[engine][routing]")
{
    const RoutedScene scene;
    OutputRouting outputs;
    outputs.groupLeft[3] = 4;
    outputs.groupRight[3] = 5;
    const auto out = render (scene.plan (outputs, true), 4000, 128, 6);
    CHECK_SAMPLES (out.out[0], 0, 4000, [] (int64_t n) { return 0.125 * edge (n); });
    CHECK_SAMPLES (out.out[1], 0, 4000, [] (int64_t n) { return 0.125 * edge (n); });
    CHECK_SAMPLES (out.out[2], 0, 4000, [] (int64_t n) { return 0.5 * edge (n); });
    CHECK_SAMPLES (out.out[3], 0, 4000, [] (int64_t n) { return 0.5 * edge (n); });
    CHECK_SAMPLES (out.out[4], 0, 4000, [] (int64_t n) { return 4.0 * rampSample (0, n) * edge (n); });
    CHECK_SAMPLES (out.out[5], 0, 4000, [] (int64_t n) { return 4.0 * rampSample (1, n) * edge (n); });
}

TEST_CASE ("A group routed past the device's channels falls back to the master, a master past them to outputs 1/2", "[engine][routing]")
{
    const RoutedScene scene;
    OutputRouting outputs;
    outputs.groupLeft[3] = 4;
    outputs.groupRight[3] = 5;
    SECTION ("group D on 5/6 of a 4-channel device")
    {
        const auto out = render (scene.plan (outputs, false), 4000, 128, 4);
        for (int side = 0; side < 2; ++side)
            CHECK_SAMPLES (out.out[(size_t) side], 0, 4000, [&] (int64_t n) { return 0.5 * (0.25 + 4.0 * rampSample (side, n)) * edge (n); });
        CHECK_SAMPLES (out.out[2], 0, 4000, [] (int64_t n) { return 0.5 * edge (n); });
    }
    SECTION ("the master on 7/8 and the audition on 9/10 of a 6-channel device")
    {
        outputs.masterLeft = 6;
        outputs.masterRight = 7;
        outputs.auditionLeft = 8;
        outputs.auditionRight = 9;
        const auto out = render (scene.plan (outputs, false), 4000, 128, 6);
        for (int side = 0; side < 2; ++side)
            CHECK_SAMPLES (out.out[(size_t) side], 0, 4000, [&] (int64_t n) { return (0.125 + 0.5) * edge (n); });
        CHECK_SAMPLES (out.out[4], 0, 4000, [] (int64_t n) { return 4.0 * rampSample (0, n) * edge (n); });
        CHECK (silent (out.out[2], 0, 4000));
        CHECK (silent (out.out[3], 0, 4000));
    }
}

TEST_CASE ("A routing change takes effect at its exact sample whatever the block size", "[engine][routing]")
{
    // Group D (0.5) moves from the master to outputs 5/6 at 1000 and back at 3000; the audition
    // (0.25) moves from 3/4 to 5/6 at 2000; the master moves from 1/2 to 3/4 at 4000.
    const auto d = constantClip (0.5f, 48000, 2), preview = constantClip (0.25f, 48000, 2);
    OutputRouting own, both, masterMoved;
    own.groupLeft[3] = 4;
    own.groupRight[3] = 5;
    both = own;
    both.auditionLeft = 4;
    both.auditionRight = 5;
    masterMoved.auditionLeft = 4;
    masterMoved.auditionRight = 5;
    masterMoved.masterLeft = 2;
    masterMoved.masterRight = 3;
    const std::vector<EngineCommand> plan { trigger (0, *d, 0, 3), audition (*preview, 0), routing (own, 1000), routing (both, 2000),
                                            routing (OutputRouting {}, 3000), routing (masterMoved, 4000) };
    auto inRange = [] (int64_t n, int64_t from, int64_t to) { return n >= from && n < to ? 1.0 : 0.0; };
    for (const int blockSize : { 32, 128, 512, 1031 })
    {
        INFO ("block size " << blockSize);
        const auto out = render (plan, 6000, blockSize, 6);
        CHECK_SAMPLES (out.out[0], 0, 6000, [&] (int64_t n) { return 0.5 * edge (n) * (inRange (n, 0, 1000) + inRange (n, 3000, 4000)); });
        CHECK_SAMPLES (out.out[2], 0, 6000, [&] (int64_t n)
                       { return 0.25 * edge (n) * (inRange (n, 0, 2000) + inRange (n, 3000, 4000)) + 0.5 * inRange (n, 4000, 6000); });
        CHECK_SAMPLES (out.out[4], 0, 6000, [&] (int64_t n)
                       { return 0.5 * edge (n) * inRange (n, 1000, 3000) + 0.25 * edge (n) * (inRange (n, 2000, 3000) + inRange (n, 4000, 6000)); });
    }
}
