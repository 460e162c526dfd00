// CueGrid — GPL-3.0-or-later
// Media import on real corpus files, in every container and sample format CueGrid accepts
// (the other formats are made from the corpus with sox at test time).
#include "MediaCache.h"
#include "MediaLoader.h"
#include "SessionMedia.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include <sys/stat.h>

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

TEST_CASE ("A session decodes each media file once, shared by every clip that uses it", "[media][limits]")
{
    test::TemporaryFolder folder ("sharedmedia");
    const auto kick = test::dataPath ("corpus/p01_sonicpi_heavy_kick.wav");
    std::filesystem::create_symlink (kick, folder / "alias.wav");   // another path to the same file
    Session session;
    session.clips = { { "a", kick.string() }, { "b", kick.string() }, { "c", (folder / "alias.wav").string() },
                      { "d", test::dataPath ("corpus/p03_colombo_snare.wav").string() } };
    const auto media = loadClipMedia (session, (folder / "show.cuegrid").string(), 48000.0);
    REQUIRE (media.size() == 4);
    for (const auto& loaded : media)
        REQUIRE (loaded.audio != nullptr);
    CHECK (media[0].audio == media[1].audio);
    CHECK (media[0].audio == media[2].audio);
    CHECK (media[0].audio != media[3].audio);
}

TEST_CASE ("Media past the session's memory budget fails with a clear error and the rest loads", "[media][limits]")
{
    // Two different 30 s stereo files at 48 kHz: 11 MB each decoded; a 16 MB budget holds one.
    test::TemporaryFolder folder ("mediabudget");
    for (const auto* name : { "one.wav", "two.wav" })
        REQUIRE (test::run ("sox -n -r 48000 -c 2 " + test::quote ((folder / name).string()) + " synth 30 sine "
                            + (std::string (name) == "one.wav" ? "440" : "550")).exitCode == 0);
    Session session;
    session.clips = { { "one", "one.wav" }, { "two", "two.wav" } };
    ::setenv ("CUEGRID_MEDIA_MEMORY_MB", "16", 1);
    // Decoded whole (files under the streaming threshold): the budget refuses the second.
    auto& cache = MediaCache::instance();
    const auto threshold = cache.getStreamMinSeconds();
    cache.setStreamMinSeconds (60.0);
    const auto media = loadClipMedia (session, (folder / "show.cuegrid").string(), 48000.0, 1);
    // Streamed (30 s is past the threshold): only their pinned heads are in memory, in the
    // chunk cache's own budget, so both load.
    cache.setStreamMinSeconds (20.0);
    const auto streamed = loadClipMedia (session, (folder / "show.cuegrid").string(), 48000.0, 1);
    cache.setStreamMinSeconds (threshold);
    ::unsetenv ("CUEGRID_MEDIA_MEMORY_MB");
    CHECK (media[0].audio != nullptr);
    CHECK (media[1].audio == nullptr);
    CHECK_THAT (media[1].error, Catch::EndsWith ("two.wav: not loaded: it does not fit in the session's media memory budget (16 MiB)"));
    REQUIRE (streamed[0].audio != nullptr);
    REQUIRE (streamed[1].audio != nullptr);
    CHECK (streamed[0].audio->isStreamed());
    CHECK (streamed[1].audio->isStreamed());
    CHECK (streamed[1].audio->getNumFrames() == 30 * 48000);
}

TEST_CASE ("Special files, impossible rates and cut-off files are named, never opened blindly", "[media][limits]")
{
    test::TemporaryFolder folder ("specialmedia");
    REQUIRE (::mkfifo ((folder / "pipe.wav").c_str(), 0644) == 0);
    const auto pipe = loadMedia (folder / "pipe.wav", 48000.0);   // would block for ever if opened for reading
    CHECK (pipe.audio == nullptr);
    CHECK_THAT (pipe.error, Catch::EndsWith ("pipe.wav is a FIFO (named pipe), not a media file"));

    const auto device = loadMedia ("/dev/zero", 48000.0);
    CHECK_THAT (device.error, Catch::EndsWith ("/dev/zero is a character device, not a media file"));

    // A 48 kHz file whose header is rewritten to 4 kHz, below the 8 kHz floor.
    REQUIRE (test::run ("sox -n -r 48000 -c 1 -b 16 " + test::quote ((folder / "low.wav").string()) + " synth 0.1 sine 440").exitCode == 0);
    {
        std::fstream file (folder / "low.wav", std::ios::in | std::ios::out | std::ios::binary);
        const unsigned char rate[4] = { 0xA0, 0x0F, 0, 0 };  // 4000, little-endian, at byte 24
        file.seekp (24);
        file.write (reinterpret_cast<const char*> (rate), 4);
    }
    const auto low = loadMedia (folder / "low.wav", 48000.0);
    CHECK (low.audio == nullptr);
    CHECK_THAT (low.error, Catch::EndsWith ("sample rate 4000 Hz is outside 8000 to 384000 Hz"));

    // The corpus snare cut to half its data: it plays what is there and says what is missing.
    const auto snare = test::dataPath ("corpus/p03_colombo_snare.wav");
    const auto whole = loadMedia (snare, 44100.0);
    REQUIRE (whole.audio != nullptr);
    std::filesystem::copy_file (snare, folder / "cut.wav");
    std::filesystem::resize_file (folder / "cut.wav", std::filesystem::file_size (snare) / 2);
    const auto cut = loadMedia (folder / "cut.wav", whole.info.sampleRate);
    REQUIRE (cut.audio != nullptr);
    CHECK (cut.audio->getNumFrames() < whole.audio->getNumFrames());
    CHECK_THAT (cut.warning, Catch::StartsWith ("truncated file: ") && Catch::Contains ("missing"));
    CHECK (std::equal (cut.audio->getChannel (0), cut.audio->getChannel (0) + cut.audio->getNumFrames(), whole.audio->getChannel (0)));
}
