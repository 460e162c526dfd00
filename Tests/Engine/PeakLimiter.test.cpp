// CueGrid — GPL-3.0-or-later
// Issue 8, test 1: the master's safety limiter. No output sample ever exceeds the ceiling (sine
// and square waves at +6 dBFS, lone spikes after silence, loud noise, real drums at +12 dB); a
// signal that stays under the ceiling renders bit-identical with the limiter on and off; the
// latency is what getLatency() reports, on or off, and offline render compensates it.
#include "Engine/PeakLimiter.h"
#include "EngineTestSupport.h"
#include "Session/MediaLoader.h"
#include "Support/TestSupport.h"

#include <random>

using namespace cuegrid;
using namespace cuegrid::enginetest;

namespace
{
    using T = EngineCommand::Type;

    double dbToGain (double db) { return std::pow (10.0, db / 20.0); }

    /** Largest |sample| of every output channel. */
    double peakOfAll (const Rendered& rendered)
    {
        double peak = 0;
        for (const auto& channel : rendered.out)
            peak = std::max (peak, (double) peakOf (channel));
        return peak;
    }

    int64_t samplesAbove (const std::vector<float>& samples, double ceiling)
    {
        int64_t count = 0;
        for (const auto s : samples)
            count += std::abs ((double) s) > ceiling ? 1 : 0;
        return count;
    }

    ClipAudioPtr corpus (const char* name)
    {
        auto loaded = loadMedia (test::dataPath (std::string ("corpus/") + name), rate);
        REQUIRE (loaded.audio != nullptr);
        return loaded.audio;
    }
} // namespace

TEST_CASE ("Limiter: no master sample exceeds the ceiling, for signals peaking at +6 dBFS and more", "[engine][limiter]")
{
    const auto sine = sineClip (997.0, 2.0, 48000);
    const auto square = makeClip (48000, 2, [] (int, int64_t i) { return (i / 24) % 2 ? 2.0f : -2.0f; });
    // Silence with lone full-scale spikes: the look-ahead must have the gain down before each.
    const auto spikes = makeClip (48000, 2, [] (int c, int64_t i) { return i % 4801 == 2400 ? (c == 0 ? 2.0f : -1.5f) : 0.0f; });
    std::mt19937 random (99);
    std::uniform_real_distribution<float> uniform (-4.0f, 4.0f);
    std::vector<float> noiseData (48000);
    for (auto& s : noiseData)
        s = uniform (random);
    const auto noise = makeClip (48000, 2, [&] (int c, int64_t i) { return noiseData[(size_t) ((i + 1000 * c) % 48000)]; });

    for (const double ceilingDb : { -1.0, -6.0, 0.0 })
    {
        const auto ceiling = dbToGain (ceilingDb);
        for (const auto& [name, clip] : { std::pair { "sine", sine }, std::pair { "square", square }, std::pair { "spikes", spikes },
                                          std::pair { "noise", noise } })
        {
            INFO ("ceiling " << ceilingDb << " dBFS, " << name);
            const auto off = render ({ trigger (0, *clip, 0) }, 48000);
            CHECK (peakOfAll (off) > 1.49);   // the signal really goes over
            const auto on = render ({ limiter (true, (float) ceilingDb), trigger (0, *clip, 0) }, 48000);
            CHECK (samplesAbove (on.left(), ceiling) == 0);
            CHECK (samplesAbove (on.right(), ceiling) == 0);
            CHECK (peakOfAll (on) > 0.97 * ceiling);   // limited, not muted
        }
    }
}

TEST_CASE ("Limiter: real drums and a bass at +12 dB stay under the ceiling on the master, sample by sample", "[engine][limiter]")
{
    const auto kick = corpus ("p01_sonicpi_heavy_kick.wav"), breakbeat = corpus ("p04_lmms_breakbeat.wav"), bass = corpus ("p07_sonicpi_bass_thick.wav");
    const std::vector<EngineCommand> plan {
        setValue (T::setClipGain, 0, 12.0f, 0), setValue (T::setClipGain, 0, 12.0f, 1), setValue (T::setClipGain, 0, 12.0f, 2),
        trigger (0, *breakbeat, 0), trigger (1, *kick, 1000, 1), trigger (2, *bass, 20000, 2), trigger (1, *kick, 30000, 1),
    };
    auto withLimiter = plan;
    withLimiter.insert (withLimiter.begin(), limiter (true, -1.0f));
    const auto off = render (plan, 4 * 48000);
    const auto on = render (withLimiter, 4 * 48000);
    CHECK (peakOfAll (off) > dbToGain (6.0));
    const auto ceiling = dbToGain (-1.0);
    CHECK (samplesAbove (on.left(), ceiling) == 0);
    CHECK (samplesAbove (on.right(), ceiling) == 0);
    CHECK (peakOfAll (on) > 0.97 * ceiling);
}

TEST_CASE ("Limiter: a signal that never reaches the ceiling renders bit-identical with the limiter on and off", "[engine][limiter]")
{
    const auto organ = corpus ("p05_lmms_e_organ.wav"), speech = corpus ("p06_sc_apollo11_speech.wav");
    auto plan = [&] (float gainDb, bool limiterOn)
    {
        return std::vector<EngineCommand> { limiter (limiterOn, -1.0f), setValue (T::setMasterGain, 0, gainDb),
                                            trigger (0, *organ, 0), trigger (1, *speech, 5000, 3) };
    };
    // Bring the mix's peak to -1.2 dBFS: 0.2 dB under the ceiling.
    const auto unity = render (plan (0.0f, false), 5 * 48000);
    const auto gainDb = (float) (-1.2 - test::toDecibels (peakOfAll (unity)));
    const auto off = render (plan (gainDb, false), 5 * 48000);
    const auto on = render (plan (gainDb, true), 5 * 48000);
    INFO ("master gain " << gainDb << " dB");
    CHECK (test::toDecibels (peakOfAll (off)) == Approx (-1.2).margin (0.01));
    CHECK (on.left() == off.left());
    CHECK (on.right() == off.right());
}

TEST_CASE ("Limiter latency: getLatency() samples (1.5 ms) on or off, compensated by offline render", "[engine][limiter]")
{
    for (const auto& [sampleRate, expected] : { std::pair { 44100.0, 66 }, std::pair { 48000.0, 72 }, std::pair { 96000.0, 144 } })
    {
        auto engine = std::make_unique<Engine>();
        engine->prepare (sampleRate, 256);
        CHECK (engine->getLatency() == expected);
    }
    const auto clip = constantClip (0.5f, 48000);
    for (const bool enabled : { false, true })
    {
        INFO ("limiter " << (enabled ? "on" : "off"));
        auto engine = std::make_unique<Engine>();
        engine->prepare (rate, 256);
        engine->post (limiter (enabled));
        engine->post (trigger (0, *clip, 0));
        std::vector<float> left (1024), right (1024);
        for (int block = 0; block < 4; ++block)
        {
            float* outputs[] = { left.data() + 256 * block, right.data() + 256 * block };
            engine->process (outputs, 2, 256);
        }
        // Engine time 1 is the first non-zero sample (the edge fade starts at 0): heard at 1 + latency.
        const auto latency = engine->getLatency();
        REQUIRE (latency == 72);
        CHECK (silent (left, 0, 1 + latency));
        CHECK (left[(size_t) (1 + latency)] == Approx (0.5 / protection).margin (1e-7));
        CHECK (left[(size_t) (protection + latency)] == 0.5f);
    }
    const auto offline = render ({ limiter (true), trigger (0, *clip, 0) }, 200);
    CHECK (offline.latency == 72);
    CHECK (offline.left()[0] == 0.0f);
    CHECK (offline.left()[1] == Approx (0.5 / protection).margin (1e-7));
}

TEST_CASE ("PeakLimiter: a constant +6 dBFS reports its gain reduction and comes back to exactly unity gain after the release", "[engine][limiter]")
{
    PeakLimiter limiter;
    limiter.prepare (rate);
    limiter.setParameters (true, -1.0);
    const auto latency = limiter.getLatency();
    const auto ceiling = dbToGain (-1.0);

    // 0.5 s at 2.0 (+6 dBFS), then 3 s of a -12 dBFS sine.
    const int64_t loud = 24000, total = loud + 3 * 48000;
    std::vector<float> inLeft ((size_t) total), inRight ((size_t) total);
    for (int64_t i = 0; i < total; ++i)
    {
        inLeft[(size_t) i] = i < loud ? 2.0f : (float) (0.25 * std::sin (2.0 * pi * 440.0 * (double) i / rate));
        inRight[(size_t) i] = -inLeft[(size_t) i];
    }
    auto left = inLeft, right = inRight;
    double deepest = 0;
    for (int64_t offset = 0; offset < total; offset += 1000)
    {
        const auto n = (int) std::min<int64_t> (1000, total - offset);
        limiter.process (left.data() + offset, right.data() + offset, n);
        const auto reduction = limiter.takeGainReductionDb();
        if (offset == 10000)
            CHECK (reduction == Approx (20.0 * std::log10 (2.0 / ceiling)).margin (1e-3));   // 7.02 dB
        deepest = std::max (deepest, (double) reduction);
    }
    CHECK (deepest == Approx (7.0206).margin (1e-3));
    CHECK (samplesAbove (left, ceiling) == 0);
    CHECK (silent (left, 0, latency));
    // Steady state of the loud part: exactly the ceiling.
    CHECK (left[(size_t) (latency + 10000)] == Approx (ceiling).epsilon (1e-6));
    // 2 s after the loud part (25 release time constants) the gain is exactly 1 again.
    const auto settled = loud + 2 * 48000;
    int64_t differences = 0;
    for (int64_t n = settled; n < total; ++n)
        differences += left[(size_t) n] != inLeft[(size_t) (n - latency)] || right[(size_t) n] != inRight[(size_t) (n - latency)] ? 1 : 0;
    CHECK (differences == 0);
    CHECK (limiter.takeGainReductionDb() == 0.0f);
}

TEST_CASE ("PeakLimiter bypassed: a pure delay of getLatency() samples", "[engine][limiter]")
{
    PeakLimiter limiter;
    limiter.prepare (rate);
    limiter.setParameters (false, -1.0);
    std::vector<float> in (5000), left, right;
    for (size_t i = 0; i < in.size(); ++i)
        in[i] = (float) (3.0 * std::sin (0.01 * (double) i));
    left = in;
    right = in;
    limiter.process (left.data(), right.data(), 5000);
    const auto latency = limiter.getLatency();
    CHECK (latency == 72);
    CHECK (silent (left, 0, latency));
    bool same = true;
    for (int n = latency; n < 5000; ++n)
        same = same && left[(size_t) n] == in[(size_t) (n - latency)];
    CHECK (same);
    CHECK (limiter.takeGainReductionDb() == 0.0f);
}

TEST_CASE ("Limiter switched on, re-set and off mid-block renders the same at every block size", "[engine][limiter]")
{
    const auto loud = sineClip (997.0, 2.0, 48000);
    const std::vector<EngineCommand> plan { trigger (0, *loud, 0), limiter (true, -1.0f, 1000), limiter (true, -6.0f, 5003),
                                            limiter (false, -6.0f, 9011), limiter (true, -3.0f, 13001) };
    const auto reference = render (plan, 20000, 32);
    // Away from the switches by more than the look-ahead (72 samples):
    CHECK (peakOf (reference.left(), 1100, 4900) <= (float) dbToGain (-1.0));
    CHECK (peakOf (reference.left(), 5100, 8900) <= (float) dbToGain (-6.0));
    CHECK (peakOf (reference.left(), 9100, 12900) > 1.9f);
    CHECK (peakOf (reference.left(), 13100, 20000) <= (float) dbToGain (-3.0));
    for (const int blockSize : { 128, 512, 1031 })
    {
        INFO ("block size " << blockSize);
        const auto other = render (plan, 20000, blockSize);
        const auto at = firstDifference (other.left(), reference.left());
        INFO ("first difference at " << at);
        CHECK (at == -1);
    }
}

TEST_CASE ("Limiter switched on and off is heard exactly at the command's sample, not a look-ahead early", "[engine][limiter]")
{
    // A +6 dBFS sine: without the limiter the render equals the bypassed one sample for sample;
    // with it every sample is under the ceiling. On at 4000, off at 12000.
    const auto loud = sineClip (997.0, 2.0, 48000);
    const auto bypassed = render ({ trigger (0, *loud, 0) }, 16000, 128);
    for (const int blockSize : { 32, 128, 1031 })
    {
        INFO ("block size " << blockSize);
        const auto switched = render ({ trigger (0, *loud, 0), limiter (true, -1.0f, 4000), limiter (false, -1.0f, 12000) }, 16000, blockSize);
        const auto& out = switched.left();
        const auto& reference = bypassed.left();
        // Before the switch on and from the switch off: exactly the unlimited signal.
        CHECK (firstDifference (std::vector<float> (out.begin(), out.begin() + 4000),
                                std::vector<float> (reference.begin(), reference.begin() + 4000)) == -1);
        CHECK (firstDifference (std::vector<float> (out.begin() + 12000, out.end()),
                                std::vector<float> (reference.begin() + 12000, reference.end())) == -1);
        // From the switch on to the switch off: never over the ceiling, and really limiting.
        CHECK (peakOf (out, 4000, 12000) <= (float) dbToGain (-1.0));
        CHECK (peakOf (reference, 4000, 4100) > 1.5f);
    }
}
