// CueGrid — GPL-3.0-or-later
// Issue 8, test 1: the meters. Sample peak with hold and clip count per bus, RMS over 300 ms,
// EBU R 128 momentary and short-term loudness on the master (a 1 kHz stereo sine at -20 dBFS:
// the K-weighting's gain at 1 kHz computed here from the BS.1770 filter), the limiter's gain
// reduction, and the publishing rate (25 ms).
#include "EngineTestSupport.h"

#include <complex>

using namespace cuegrid;
using namespace cuegrid::enginetest;

namespace
{
    using T = EngineCommand::Type;
    constexpr int groupA = 0, groupC = 4, groupD = 6, auditionBus = 8, master = 10;   // left channel of each meter pair

    /** Meter events at exactly every 25 ms: blocks of 240 samples divide both the 1200-sample
        publishing interval and the 480-sample RMS bins. */
    constexpr int meterBlock = 240;

    /** ITU-R BS.1770-4 K-weighting at 48 kHz (pre-filter, then RLB high-pass): |H(f)|². */
    double kWeightingPower (double frequency)
    {
        const std::complex<double> z = std::polar (1.0, -2.0 * pi * frequency / rate);   // z^-1
        auto biquad = [&] (double b0, double b1, double b2, double a1, double a2)
        { return (b0 + b1 * z + b2 * z * z) / (1.0 + a1 * z + a2 * z * z); };
        const auto h = biquad (1.53512485958697, -2.69169618940638, 1.19839281085285, -1.69065929318241, 0.73248077421585)
                       * biquad (1.0, -2.0, 1.0, -1.99004745483398, 0.99007225036621);
        return std::norm (h);
    }
} // namespace

TEST_CASE ("Meters: sample peak per bus every 25 ms, peak hold for 1.5 s, the audition metered apart", "[engine][meters]")
{
    const auto a = constantClip (0.5f, 24000, 2), c = constantClip (0.25f, 24000, 2), preview = constantClip (0.125f, 96000, 2);
    const auto out = render ({ trigger (0, *a, 0, 0), trigger (1, *c, 0, 2), audition (*preview, 0) }, 4 * 48000, meterBlock, 4);
    REQUIRE (out.meters.size() >= 150);
    for (size_t i = 0; i < out.meters.size(); ++i)
    {
        const auto& meter = out.meters[i];
        const auto t = meter.sampleTime;   // engine time: the group buses' meters see it undelayed
        INFO ("meter event at " << meter.sampleTime);
        CHECK (meter.sampleTime == 1200 * (int64_t) (i + 1));
        if (t >= 2400 && t <= 22800)
        {
            CHECK (meter.peaks[groupA] == 0.5f);
            CHECK (meter.peaks[groupA + 1] == 0.5f);
            CHECK (meter.peaks[groupC] == 0.25f);
            CHECK (meter.peaks[master] == 0.75f);
            CHECK (meter.peaks[auditionBus] == 0.125f);
            CHECK (meter.peaks[2] == 0.0f);   // group B: nothing plays there
        }
        if (t >= 26400 && t <= 90000)
        {
            CHECK (meter.peaks[groupA] == 0.0f);
            CHECK (meter.peaks[master] == 0.0f);
            CHECK (meter.peaks[auditionBus] == 0.125f);
        }
    }
    CHECK (out.meters.back().lufsMomentary == -200.0f);   // silence at the end
}

TEST_CASE ("Meters: peak hold keeps the highest peak for 1.5 s", "[engine][meters]")
{
    const auto a = constantClip (0.5f, 24000, 2);
    SteppedEngine stepped (meterBlock, { trigger (0, *a, 0) });
    for (int64_t done = meterBlock; done <= 4 * 48000; done += meterBlock)
    {
        stepped.process();
        if (done % 1200 != 0)
            continue;
        const auto meters = stepped.engine->getMeters();
        INFO ("at " << done);
        CHECK (meters.sampleTime == done);
        // The voice ends at 24000; the hold set by the last non-zero peak (at 24000) lasts 1.5 s.
        if (done >= 2400 && done < 24000 + 72000)
            CHECK (meters.peakHold[0] == 0.5f);
        if (done > 24000 + 72000 + 1200)
            CHECK (meters.peakHold[0] == 0.0f);
    }
}

TEST_CASE ("Meters: RMS over the last 300 ms, a sine's A/sqrt(2) and the exact window after it stops", "[engine][meters]")
{
    // Group D on its own outputs 3/4: the output is exactly the bus its meter measures.
    OutputRouting outputs;
    outputs.groupLeft[3] = 2;
    outputs.groupRight[3] = 3;
    outputs.auditionLeft = outputs.auditionRight = 60;
    const auto sine = sineClip (1000.0, 0.5, 48000);
    const auto out = render ({ routing (outputs), trigger (0, *sine, 0, 3) }, 72000, meterBlock, 4);
    const auto& bus = out.out[2];
    for (const auto& meter : out.meters)
    {
        const auto t = meter.sampleTime;
        if (t < 0)
            continue;
        INFO ("engine time " << t);
        // The window: the 30 complete 10 ms bins before t.
        const auto end = (t / 480) * 480, start = end - 14400;
        double sum = 0;
        for (auto n = std::max<int64_t> (0, start); n < end; ++n)
            sum += (double) bus[(size_t) n] * bus[(size_t) n];
        CHECK (meter.rms[groupD] == Approx (std::sqrt (sum / 14400.0)).margin (1e-7));
        if (t >= 14400 + 480 && t <= 48000 - 480)
            CHECK (meter.rms[groupD] == Approx (0.5 / std::sqrt (2.0)).epsilon (1e-5));
        if (t >= 48000 + 14400 + 480)
            CHECK (meter.rms[groupD] == 0.0f);
    }
}

TEST_CASE ("Meters: the clip count counts every sample at or above 0 dBFS, none on the master with the limiter on", "[engine][meters]")
{
    // Seven samples at or over full scale in each channel: 1.0, 1.5, -1.0, -2.0, 1.0, 1.25, -1.1.
    const int64_t overs[] = { 1000, 1500, 2000, 2500, 3000, 3500, 4000 };
    const float values[] = { 1.0f, 1.5f, -1.0f, -2.0f, 1.0f, 1.25f, -1.1f };
    const auto clip = makeClip (6000, 2, [&] (int, int64_t i)
    {
        for (int k = 0; k < 7; ++k)
            if (i == overs[k])
                return values[k];
        return i == 4500 ? 0.99999f : 0.5f;
    });
    for (const bool limiterOn : { false, true })
    {
        INFO ("limiter " << (limiterOn ? "on" : "off"));
        // The clip count is in the engine's snapshot (getMeters()), not in the meter events.
        SteppedEngine stepped (meterBlock, { limiter (limiterOn), trigger (0, *clip, 0, 2) });
        stepped.process (50);
        const auto meters = stepped.engine->getMeters();
        CHECK (meters.clips[groupC] == 7);
        CHECK (meters.clips[groupC + 1] == 7);
        CHECK (meters.clips[groupA] == 0);
        CHECK (meters.clips[master] == (limiterOn ? 0u : 7u));
        CHECK (meters.clips[master + 1] == (limiterOn ? 0u : 7u));
    }
}

TEST_CASE ("Meters: a 1 kHz stereo sine at -20 dBFS reads -20 LUFS momentary and short-term, as EBU R 128 computes it", "[engine][meters]")
{
    const double amplitude = std::pow (10.0, -20.0 / 20.0);
    // EBU R 128 / BS.1770: L = -0.691 + 10 log10(sum over channels of the K-weighted mean square).
    const auto expected = -0.691 + 10.0 * std::log10 (2.0 * kWeightingPower (1000.0) * amplitude * amplitude / 2.0);
    INFO ("expected " << expected << " LUFS (K-weighting at 1 kHz: " << 10.0 * std::log10 (kWeightingPower (1000.0)) << " dB)");
    CHECK (expected == Approx (-20.0).margin (0.01));

    const auto sine = sineClip (1000.0, amplitude, 5 * 48000);
    const auto out = render ({ limiter (true), trigger (0, *sine, 0) }, 5 * 48000, meterBlock);
    int momentary = 0, shortTerm = 0;
    for (const auto& meter : out.meters)
    {
        const auto t = meter.sampleTime;
        INFO ("engine time " << t);
        // Loudness updates every 100 ms: the first whole 400 ms window after the onset (and the
        // limiter's 72-sample delay) is the one that ends at 500 ms.
        if (t >= 19200 + 4800 + 480 && t < 5 * 48000 - 480)
        {
            CHECK (meter.lufsMomentary == Approx (expected).margin (0.02));
            CHECK (std::abs (meter.lufsMomentary + 20.0f) <= 0.5f);
            ++momentary;
        }
        if (t >= 3 * 48000 + 4800 + 4800 && t < 5 * 48000 - 480)
        {
            CHECK (meter.lufsShortTerm == Approx (expected).margin (0.02));
            ++shortTerm;
        }
        CHECK (meter.gainReductionDb == 0.0f);   // under the ceiling
    }
    CHECK (momentary > 100);
    CHECK (shortTerm > 30);
}

TEST_CASE ("Meters: the limiter's gain reduction is reported with the meters", "[engine][meters]")
{
    const auto loud = constantClip (2.0f, 48000, 2);   // +6 dBFS
    const auto out = render ({ limiter (true, -1.0f), trigger (0, *loud, 0) }, 48000, meterBlock);
    const auto expected = 20.0 * std::log10 (2.0 / std::pow (10.0, -1.0 / 20.0));   // 7.02 dB
    int checked = 0;
    for (const auto& meter : out.meters)
    {
        const auto t = meter.sampleTime;
        if (t < 2400 || t > 44000)
            continue;
        INFO ("engine time " << t);
        CHECK (meter.gainReductionDb == Approx (expected).margin (1e-3));
        CHECK (meter.peaks[master] <= (float) std::pow (10.0, -1.0 / 20.0));
        ++checked;
    }
    CHECK (checked > 30);
    CHECK (out.meters.front().gainReductionDb > 0.0f);
}

TEST_CASE ("Meters are published at least 20 times a second whatever the block size", "[engine][meters]")
{
    const auto clip = constantClip (0.5f, 96000, 2);
    for (const int blockSize : { 32, 128, 1031, 2048 })
    {
        INFO ("block size " << blockSize);
        const auto out = render ({ trigger (0, *clip, 0) }, 96000, blockSize);
        REQUIRE (out.meters.size() >= 2);
        int64_t longest = 0;
        for (size_t i = 1; i < out.meters.size(); ++i)
            longest = std::max (longest, out.meters[i].sampleTime - out.meters[i - 1].sampleTime);
        CHECK (longest <= 2400);   // 50 ms
        CHECK (out.meters.size() >= 40);
    }
}
