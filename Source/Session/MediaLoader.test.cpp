// CueGrid — GPL-3.0-or-later
// Media import on real corpus files, in every container and sample format CueGrid accepts
// (the other formats are made from the corpus with sox at test time).
#include "MediaLoader.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

using namespace cuegrid;

TEST_CASE ("16- and 24-bit WAV, mono and stereo, load at their own rate sample for sample", "[media]")
{
    const auto organ = loadMedia (test::dataPath ("corpus/p05_lmms_e_organ.wav"), 48000.0);  // 24-bit stereo 48k
    REQUIRE (organ.error.empty());
    const auto reference = test::readAudio (test::dataPath ("corpus/p05_lmms_e_organ.wav"));
    REQUIRE (organ.audio->getNumChannels() == 2);
    REQUIRE ((size_t) organ.audio->getNumFrames() == reference.frames());
    CHECK (std::equal (reference.channels[1].begin(), reference.channels[1].end(), organ.audio->getChannel (1)));
    CHECK (organ.info.format == "WAV 24-bit");

    const auto kick = loadMedia (test::dataPath ("corpus/p01_sonicpi_heavy_kick.wav"), 44100.0);  // 16-bit mono
    REQUIRE (kick.error.empty());
    CHECK (kick.audio->getNumChannels() == 1);
    CHECK (kick.audio->getChannel (1) == kick.audio->getChannel (0));  // mono feeds both sides
}

TEST_CASE ("Another rate is resampled once at load with the length scaled", "[media]")
{
    const auto kick = loadMedia (test::dataPath ("corpus/p01_sonicpi_heavy_kick.wav"), 48000.0);
    REQUIRE (kick.error.empty());
    CHECK (kick.info.sampleRate == 44100.0);
    CHECK (kick.audio->getSampleRate() == 48000.0);
    CHECK (kick.audio->getNumFrames() == std::llround (11913 * 48000.0 / 44100.0));
    // Band-limited resampling keeps the level: peak within 0.5 dB of the original's.
    const auto original = test::readAudio (test::dataPath ("corpus/p01_sonicpi_heavy_kick.wav"));
    float originalPeak = 0, resampledPeak = 0;
    for (auto s : original.channels[0]) originalPeak = std::max (originalPeak, std::abs (s));
    for (int64_t i = 0; i < kick.audio->getNumFrames(); ++i) resampledPeak = std::max (resampledPeak, std::abs (kick.audio->getChannel (0)[i]));
    CHECK (std::abs (test::toDecibels (resampledPeak) - test::toDecibels (originalPeak)) < 0.5);
}

TEST_CASE ("FLAC, AIFF, Ogg Vorbis, 32-bit float and WAVE_FORMAT_EXTENSIBLE 6-channel files load", "[media]")
{
    test::TemporaryFolder folder ("formats");
    const auto source = test::dataPath ("corpus/p03_colombo_snare.wav").string();
    struct Case { std::string name, formatArguments, effects; int channels; };
    for (const auto& c : { Case { "snare.flac", "", "", 2 }, Case { "snare.aiff", "", "", 2 }, Case { "snare.ogg", "", "", 2 },
                           Case { "snare-float.wav", "-e floating-point -b 32", "", 2 },
                           Case { "snare-6ch.wav", "-b 24", "remix 1 2 1 2 1 2", 6 } })
    {
        INFO (c.name);
        const auto path = folder / c.name;
        REQUIRE (test::run ("sox " + test::quote (source) + " " + c.formatArguments + " " + test::quote (path.string())
                            + " " + c.effects).exitCode == 0);
        const auto loaded = loadMedia (path, 44100.0);
        REQUIRE (loaded.error.empty());
        CHECK (loaded.info.channels == c.channels);
        CHECK (loaded.audio->getNumChannels() == 2);  // the first two channels of wider files
        CHECK (loaded.audio->getNumFrames() > 44000);
    }
}

TEST_CASE ("Missing, corrupt and empty files give a clear error, never an exception", "[media][errors]")
{
    test::TemporaryFolder folder ("badmedia");
    const auto missing = loadMedia (folder / "nothere.wav", 48000.0);
    CHECK (missing.audio == nullptr);
    CHECK_THAT (missing.error, Catch::StartsWith ("file not found: ") && Catch::EndsWith ("nothere.wav"));

    test::writeText (folder / "corrupt.wav", "RIFF\x10\x00\x00\x00WAVEjunkjunkjunk");
    const auto corrupt = loadMedia (folder / "corrupt.wav", 48000.0);
    CHECK (corrupt.audio == nullptr);
    CHECK_THAT (corrupt.error, Catch::StartsWith ("cannot decode ") && Catch::Contains ("corrupt.wav"));

    REQUIRE (test::run ("sox -n -r 48000 -c 1 " + test::quote ((folder / "empty.wav").string()) + " trim 0 0").exitCode == 0);
    const auto empty = loadMedia (folder / "empty.wav", 48000.0);
    CHECK (empty.audio == nullptr);
    CHECK_THAT (empty.error, Catch::Contains ("empty.wav") && Catch::EndsWith ("empty file (no audio frames)"));
}
