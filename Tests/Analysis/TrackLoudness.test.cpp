// CueGrid — GPL-3.0-or-later
// Loudness per track (issue 14): BS.1770-4 integrated loudness on sines of known level, true
// peak of an inter-sample peak, loudness range on EBU Tech 3342's two-level signal, silence
// and short files, and the gating and TruePeakMeter against libebur128's own results.
#include "Analysis/LoudnessTarget.h"
#include "Analysis/TrackLoudness.h"
#include "Analysis/TruePeak.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>
#include <ebur128.h>

#include <cmath>
#include <random>

using namespace cuegrid::analysis;
using namespace cuegrid::test;

namespace
{
    /** Interleaved frames × channels; `level[c]` is channel c's amplitude (0 = silent). */
    std::vector<double> sine (const std::vector<double>& level, double seconds, double hz = 1000.0, double rate = 48000, double phase = 0)
    {
        const auto channels = level.size();
        const auto frames = (size_t) std::llround (seconds * rate);
        std::vector<double> samples (frames * channels);
        for (size_t i = 0; i < frames; ++i)
            for (size_t c = 0; c < channels; ++c)
                samples[i * channels + c] = level[c] * std::sin (2 * M_PI * hz * (double) i / rate + phase);
        return samples;
    }

    double dbfs (double db) { return std::pow (10.0, db / 20.0); }

    /** Runs the analyzer over `samples` in blocks of `block` frames, as scanAudioFile does. */
    TrackLoudness measure (const std::vector<double>& samples, int channels, double rate = 48000, int64_t block = 65536)
    {
        AudioFileInfo info;
        info.channels = channels;
        info.sampleRate = rate;
        info.frames = (int64_t) samples.size() / channels;
        TrackLoudnessAnalyzer analyzer;
        analyzer.begin (info);
        for (int64_t start = 0; start < info.frames; start += block)
            analyzer.process (samples.data() + start * channels, std::min (block, info.frames - start));
        analyzer.end();
        return analyzer.loudness();
    }

    /** A corpus file's channels as one interleaved block (frames × channels), as the analysis reads. */
    template <typename Audio>
    std::vector<double> interleave (const Audio& audio)
    {
        const auto channels = audio.channels.size();
        std::vector<double> interleaved (audio.frames() * channels);
        for (size_t i = 0; i < audio.frames(); ++i)
            for (size_t c = 0; c < channels; ++c)
                interleaved[i * channels + c] = audio.channels[c][i];
        return interleaved;
    }
} // namespace

TEST_CASE ("BS.1770: a 1 kHz sine reads -3.01 LUFS per full-scale channel, -23 in one and -20 in both channels at -20 dBFS", "[analysis][loudness]")
{
    const auto monoFull = measure (sine ({ 1.0 }, 20), 1);
    CHECK (monoFull.integratedLufs == Approx (-3.01).margin (0.1));
    const auto oneOfTwo = measure (sine ({ dbfs (-20), 0.0 }, 20), 2);
    CHECK (oneOfTwo.integratedLufs == Approx (-23.0).margin (0.1));
    const auto both = measure (sine ({ dbfs (-20), dbfs (-20) }, 20), 2);
    CHECK (both.integratedLufs == Approx (-20.0).margin (0.1));
    // A mono file is one channel (BS.1770), not dual mono: the same signal in one channel of
    // a stereo file reads the same.
    const auto mono = measure (sine ({ dbfs (-20) }, 20), 1);
    CHECK (mono.integratedLufs == Approx (oneOfTwo.integratedLufs).margin (0.01));
    // 44.1 kHz, a block size that cuts the 100 ms blocks anywhere: the same loudness.
    const auto other = measure (sine ({ dbfs (-20), dbfs (-20) }, 20, 1000.0, 44100), 2, 44100, 1234);
    CHECK (other.integratedLufs == Approx (-20.0).margin (0.1));
    // A steady sine: no loudness range; peaks at the sine's amplitude.
    CHECK (both.rangeLu == Approx (0.0).margin (0.1));
    CHECK (both.samplePeakDbfs == Approx (-20.0).margin (0.01));
    CHECK (both.truePeakDbtp == Approx (-20.0).margin (0.05));
}

TEST_CASE ("True peak: an fs/4 sine at 45 degrees with 0 dBFS samples reads about +3 dBTP", "[analysis][loudness]")
{
    // Samples are ±sin(45°)·A; A = √2 puts them at ±1.0 while the waveform peaks at √2 (+3.01 dB).
    const auto samples = sine ({ std::sqrt (2.0), std::sqrt (2.0) }, 5, 12000.0, 48000, M_PI / 4);
    const auto loudness = measure (samples, 2);
    CHECK (loudness.samplePeakDbfs == Approx (0.0).margin (0.01));
    // libebur128's interpolator (49-tap Hann-windowed sinc) gains 0.1 dB at fs/4: +3.11 dBTP.
    CHECK (loudness.truePeakDbtp == Approx (3.01).margin (0.15));
    CHECK (loudness.truePeakDbtp > 3.0);
}

TEST_CASE ("Loudness range: EBU Tech 3342's 1 kHz sine at -20 then -30 dBFS reads 10 LU", "[analysis][loudness]")
{
    auto samples = sine ({ dbfs (-20), dbfs (-20) }, 20);
    const auto quieter = sine ({ dbfs (-30), dbfs (-30) }, 20);
    samples.insert (samples.end(), quieter.begin(), quieter.end());
    const auto loudness = measure (samples, 2);
    CHECK (loudness.rangeLu == Approx (10.0).margin (0.1));
}

TEST_CASE ("Silence reads -inf LUFS, dBTP and dBFS, a tone under 400 ms has peaks but no integrated loudness", "[analysis][loudness]")
{
    const auto silent = measure (std::vector<double> (48000 * 2 * 5, 0.0), 2);
    CHECK ((std::isinf (silent.integratedLufs) && silent.integratedLufs < 0));
    CHECK ((std::isinf (silent.truePeakDbtp) && silent.truePeakDbtp < 0));
    CHECK ((std::isinf (silent.samplePeakDbfs) && silent.samplePeakDbfs < 0));
    CHECK (silent.rangeLu == 0.0);
    const auto shortTone = measure (sine ({ dbfs (-6) }, 0.3), 1);
    CHECK ((std::isinf (shortTone.integratedLufs) && shortTone.integratedLufs < 0));
    CHECK (shortTone.samplePeakDbfs == Approx (-6.0).margin (0.01));
}

TEST_CASE ("Integrated loudness equals libebur128's ebur128_loudness_global on the corpus", "[analysis][loudness]")
{
    int compared = 0;
    for (const auto& entry : std::filesystem::directory_iterator (dataPath ("corpus")))
    {
        if (entry.path().extension() != ".wav")
            continue;
        const auto audio = readAudio (entry.path());
        const auto channels = (int) audio.channels.size();
        const auto interleaved = interleave (audio);
        auto* state = ebur128_init ((unsigned) channels, (unsigned long) audio.sampleRate, EBUR128_MODE_I);
        REQUIRE (state != nullptr);
        ebur128_add_frames_double (state, interleaved.data(), audio.frames());
        double expected = 0;
        ebur128_loudness_global (state, &expected);
        ebur128_destroy (&state);
        INFO (entry.path().filename().string());
        const auto measured = measure (interleaved, channels, audio.sampleRate, 3000);
        if (std::isfinite (expected))
        {
            CHECK (measured.integratedLufs == Approx (expected).margin (1e-6));
            ++compared;
        }
        else
            CHECK ((std::isinf (measured.integratedLufs) && measured.integratedLufs < 0));
    }
    CHECK (compared == 9);   // p01 and p10 are shorter than 400 ms
}

TEST_CASE ("TruePeakMeter equals libebur128's true peak on the corpus and at 44.1, 96 and 192 kHz", "[analysis][loudness]")
{
    auto compare = [] (const std::vector<double>& interleaved, int channels, double rate, const std::string& what)
    {
        auto* state = ebur128_init ((unsigned) channels, (unsigned long) rate, EBUR128_MODE_TRUE_PEAK);
        REQUIRE (state != nullptr);
        TruePeakMeter meter;
        meter.reset (channels, rate);
        std::mt19937 random (7);
        const auto frames = (int64_t) interleaved.size() / channels;
        for (int64_t start = 0; start < frames;)
        {
            const auto block = std::min<int64_t> (frames - start, std::uniform_int_distribution<int64_t> (1, 20000) (random));
            meter.process (interleaved.data() + start * channels, block);
            ebur128_add_frames_double (state, interleaved.data() + start * channels, (size_t) block);
            start += block;
        }
        double expected = 0, expectedSample = 0;
        for (int c = 0; c < channels; ++c)
        {
            double value = 0;
            ebur128_true_peak (state, (unsigned) c, &value);
            expected = std::max (expected, value);
            ebur128_sample_peak (state, (unsigned) c, &value);
            expectedSample = std::max (expectedSample, value);
        }
        ebur128_destroy (&state);
        INFO (what);
        CHECK (toDecibels (meter.truePeak()) == Approx (toDecibels (expected)).margin (0.001));
        CHECK (meter.samplePeak() == Approx (expectedSample).epsilon (1e-7));   // float samples: exact for PCM16/24
        return toDecibels (meter.truePeak()) - toDecibels (meter.samplePeak());
    };
    int withInterSamplePeaks = 0;
    for (const auto& entry : std::filesystem::directory_iterator (dataPath ("corpus")))
    {
        if (entry.path().extension() != ".wav")
            continue;
        const auto audio = readAudio (entry.path());
        const auto channels = (int) audio.channels.size();
        const auto interleaved = interleave (audio);
        withInterSamplePeaks += compare (interleaved, channels, audio.sampleRate, entry.path().filename().string()) > 0.05 ? 1 : 0;
    }
    CHECK (withInterSamplePeaks >= 2);   // p01 and p02 (+1.6 dB) exercise the interpolator
    std::mt19937 random (3);
    std::normal_distribution<double> noise (0.0, 0.2);
    std::vector<double> noisy (96000 * 2 * 3);
    for (auto& x : noisy)
        x = noise (random);
    compare (noisy, 2, 96000, "noise at 96 kHz (2x)");
    compare (noisy, 2, 192000, "noise at 192 kHz (no interpolation)");
    compare (sine ({ std::sqrt (2.0) }, 2, 11025.0, 44100, M_PI / 4), 1, 44100, "fs/4 sine at 44.1 kHz");
}

TEST_CASE ("More channels than libebur128 takes: 64 are measured, 65 are not and say why, in the JSON and its read-back too", "[analysis][loudness]")
{
    std::vector<double> wide;
    for (const auto x : sine ({ dbfs (-20) }, 1.0))
        wide.insert (wide.end(), 65, x);
    std::vector<double> sixtyFour;
    for (const auto x : sine ({ dbfs (-20) }, 1.0))
        sixtyFour.insert (sixtyFour.end(), 64, x);

    const auto measured = measure (sixtyFour, 64);
    CHECK (measured.notMeasured.empty());
    CHECK (std::isfinite (measured.integratedLufs));

    const auto refused = measure (wide, 65);
    CHECK (refused.notMeasured == "more than 64 channels (libebur128's limit)");
    const auto json = loudnessJson (refused);
    CHECK (json["integrated_lufs"].is_null());
    CHECK (json["not_measured"] == refused.notMeasured);
    CHECK (loudnessFromJson (nlohmann::json::parse (json.dump())).notMeasured == refused.notMeasured);
}
