// CueGrid — GPL-3.0-or-later
// Converted copies: streamable or not, sample-identical to loadMedia on the real corpus (in
// every format sox makes of it), atomic, cancellable, and bounded on disk.
#include "ConvertedMedia.h"
#include "MediaLoader.h"
#include "Support/TestSupport.h"

#include "../Analysis/ContentHash.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <thread>

#include <csignal>
#include <ctime>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cuegrid;

namespace
{
    SF_INFO infoOf (int format, int rate)
    {
        SF_INFO info {};
        info.format = format;
        info.samplerate = rate;
        info.channels = 2;
        info.frames = 1000;
        return info;
    }

    /** The copy as libsndfile reads it, per channel, against what loadMedia holds. Returns
        the number of samples that differ (bitwise); -1 when the shapes differ. */
    int64_t samplesDiffering (const std::filesystem::path& copy, const MediaLoadResult& loaded)
    {
        const auto audio = test::readAudio (copy);
        if ((int) audio.channels.size() != loaded.audio->getNumChannels() || (int64_t) audio.frames() != loaded.audio->getNumFrames())
            return -1;
        int64_t differing = 0;
        for (int channel = 0; channel < loaded.audio->getNumChannels(); ++channel)
            for (size_t frame = 0; frame < audio.frames(); ++frame)
                if (std::memcmp (&audio.channels[(size_t) channel][frame], loaded.audio->getChannel (channel) + frame, sizeof (float)) != 0)
                    ++differing;
        return differing;
    }

    std::filesystem::path makeWithSox (const std::filesystem::path& source, const std::filesystem::path& output,
                                       const std::string& options, const std::string& effects = {})
    {
        const auto result = test::run ("sox " + test::quote (source.string()) + " " + options + " " + test::quote (output.string()) + " " + effects);
        REQUIRE (result.exitCode == 0);
        return output;
    }

    int64_t inodeOf (const std::filesystem::path& file)
    {
        struct stat status {};
        return ::stat (file.c_str(), &status) == 0 ? (int64_t) status.st_ino : -1;
    }
} // namespace

TEST_CASE ("Uncompressed media at the engine rate streams as it is, anything else needs a converted copy", "[media][convert]")
{
    CHECK (ConvertedMedia::isStreamable (infoOf (SF_FORMAT_WAV | SF_FORMAT_PCM_16, 48000), 48000.0));
    CHECK (ConvertedMedia::isStreamable (infoOf (SF_FORMAT_WAVEX | SF_FORMAT_PCM_24, 48000), 48000.0));
    CHECK (ConvertedMedia::isStreamable (infoOf (SF_FORMAT_RF64 | SF_FORMAT_FLOAT, 48000), 48000.0));
    CHECK (ConvertedMedia::isStreamable (infoOf (SF_FORMAT_W64 | SF_FORMAT_DOUBLE, 48000), 48000.0));
    CHECK (ConvertedMedia::isStreamable (infoOf (SF_FORMAT_AIFF | SF_FORMAT_PCM_S8, 44100), 44100.0));
    CHECK (ConvertedMedia::isStreamable (infoOf (SF_FORMAT_CAF | SF_FORMAT_PCM_32, 96000), 96000.0));
    CHECK_FALSE (ConvertedMedia::isStreamable (infoOf (SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100), 48000.0));
    CHECK_FALSE (ConvertedMedia::isStreamable (infoOf (SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 48000), 48000.0));
    CHECK_FALSE (ConvertedMedia::isStreamable (infoOf (SF_FORMAT_OGG | SF_FORMAT_VORBIS, 48000), 48000.0));
    CHECK_FALSE (ConvertedMedia::isStreamable (infoOf (SF_FORMAT_WAV | SF_FORMAT_ULAW, 48000), 48000.0));
    CHECK_FALSE (ConvertedMedia::isStreamable (infoOf (SF_FORMAT_WAV | SF_FORMAT_IMA_ADPCM, 48000), 48000.0));
    CHECK (ConvertedMedia::copyName ("0123456789abcdef", 48000.0) == "0123456789abcdef-48000.f32.wav");
}

TEST_CASE ("A converted copy holds exactly what loadMedia returns, for every corpus file in WAV, FLAC and Ogg at 44.1 and 48 kHz", "[media][convert]")
{
    test::TemporaryFolder folder ("convert-identity");
    int compared = 0;
    for (const auto& entry : std::filesystem::directory_iterator (test::dataPath ("corpus")))
    {
        if (entry.path().extension() != ".wav")
            continue;
        const auto stem = entry.path().stem().string();
        // The corpus as it is (44.1 and 48 kHz WAV), plus FLAC at its rate, FLAC at the other
        // common rate, and Ogg Vorbis; each converted for a 48 kHz and a 44.1 kHz engine.
        const std::vector<std::filesystem::path> sources {
            entry.path(),
            makeWithSox (entry.path(), folder / (stem + ".flac"), ""),
            makeWithSox (entry.path(), folder / (stem + "-other.flac"), "-r " + std::string (test::readAudio (entry.path()).sampleRate == 48000 ? "44100" : "48000")),
            makeWithSox (entry.path(), folder / (stem + ".ogg"), ""),
        };
        for (const auto& source : sources)
            for (const double rate : { 48000.0, 44100.0 })
            {
                INFO (source.filename().string() << " at " << rate);
                const auto loaded = loadMedia (source, rate);
                REQUIRE (loaded.error.empty());
                const auto copy = folder / ("copy-" + source.filename().string() + "-" + std::to_string ((int) rate) + ".wav");
                std::string error;
                REQUIRE (ConvertedMedia::convert (source, rate, copy, error));
                CHECK (error.empty());
                CHECK (ConvertedMedia::isValidCopy (copy, rate));
                CHECK (samplesDiffering (copy, loaded) == 0);
                ++compared;
            }
    }
    CHECK (compared == 11 * 4 * 2);
}

TEST_CASE ("A long FLAC converts in bounded blocks to the same samples as loadMedia, 6 channels keep the first two", "[media][convert]")
{
    test::TemporaryFolder folder ("convert-long");
    // 98 s of the chorus looped, 6 channels (the last four mixes of the first two), 44.1 kHz
    // 24-bit FLAC: many blocks, and soxr's internal buffers wrap many times.
    const auto source = makeWithSox (test::dataPath ("corpus/p09_lmms_chorus_dc_offset.wav"), folder / "long.flac",
                                     "-b 24", "remix 1 2 1,2 1v0.5 2v0.5 2,1 repeat 9");
    const auto loaded = loadMedia (source, 48000.0);
    REQUIRE (loaded.error.empty());
    REQUIRE (loaded.audio->getNumChannels() == 2);
    std::string error;
    REQUIRE (ConvertedMedia::convert (source, 48000.0, folder / "long.f32.wav", error));
    CHECK (samplesDiffering (folder / "long.f32.wav", loaded) == 0);
    CHECK (loaded.audio->getNumFrames() > 48000 * 60);
}

TEST_CASE ("The cache gives streamable media itself and makes a converted copy once, named by content hash and rate", "[media][convert]")
{
    test::TemporaryFolder folder ("convert-cache");
    const auto wav = test::dataPath ("corpus/p05_lmms_e_organ.wav");   // 48 kHz 24-bit
    const auto flac = makeWithSox (wav, folder / "organ.flac", "");
    ConvertedMediaCache cache (folder / "Cache" / "Media", 1ull << 30);

    std::string error;
    const auto itself = cache.copyFor (wav, 48000.0, error);
    REQUIRE (itself);
    CHECK (itself.path == wav);
    CHECK_FALSE (itself.converted);
    CHECK_FALSE (std::filesystem::exists (folder / "Cache" / "Media"));   // nothing converted, nothing made

    const auto converted = cache.copyFor (flac, 48000.0, error);
    REQUIRE (converted);
    CHECK (converted.converted);
    CHECK (converted.path == folder / "Cache" / "Media" / (*analysis::hashFileContent (flac) + "-48000.f32.wav"));
    CHECK (samplesDiffering (converted.path, loadMedia (flac, 48000.0)) == 0);

    // Asked again (another clip, a reopened show): the same file, not made again.
    const auto inode = inodeOf (converted.path);
    const auto again = cache.copyFor (flac, 48000.0, error);
    CHECK (again.path == converted.path);
    CHECK (inodeOf (again.path) == inode);
    CHECK (cache.getConversionCount() == 1);

    // The same media under another name is the same copy; another rate is another copy.
    std::filesystem::copy_file (flac, folder / "renamed.flac");
    CHECK (cache.copyFor (folder / "renamed.flac", 48000.0, error).path == converted.path);
    const auto at44 = cache.copyFor (wav, 44100.0, error);
    CHECK (at44.converted);
    CHECK (at44.path.filename().string().find ("-44100.f32.wav") != std::string::npos);
    CHECK (samplesDiffering (at44.path, loadMedia (wav, 44100.0)) == 0);

    // Errors come back as text.
    const auto missing = cache.copyFor (folder / "nothere.flac", 48000.0, error);
    CHECK_FALSE (missing);
    CHECK_THAT (error, Catch::StartsWith ("file not found: "));
}

TEST_CASE ("A damaged or cut-off copy is remade, a cancelled conversion leaves nothing behind", "[media][convert]")
{
    test::TemporaryFolder folder ("convert-damage");
    const auto flac = makeWithSox (test::dataPath ("corpus/p06_sc_apollo11_speech.wav"), folder / "speech.flac", "");
    ConvertedMediaCache cache (folder / "cache", 1ull << 30);
    std::string error;
    const auto first = cache.copyFor (flac, 48000.0, error);
    REQUIRE (first);
    const auto size = std::filesystem::file_size (first.path);

    // Cut short, as a copy by some other tool or a disk fault could leave it.
    std::filesystem::resize_file (first.path, size / 2);
    CHECK_FALSE (ConvertedMedia::isValidCopy (first.path, 48000.0));
    const auto remade = cache.copyFor (flac, 48000.0, error);
    REQUIRE (remade);
    CHECK (std::filesystem::file_size (remade.path) == size);
    CHECK (samplesDiffering (remade.path, loadMedia (flac, 48000.0)) == 0);

    // A plain WAV of the right shape but not written by the converter is not trusted.
    REQUIRE (test::run ("sox -n -r 48000 -c 1 -e floating-point -b 32 " + test::quote (remade.path.string()) + " synth 1 sine 440").exitCode == 0);
    CHECK_FALSE (ConvertedMedia::isValidCopy (remade.path, 48000.0));
    CHECK_FALSE (ConvertedMedia::isValidCopy (remade.path, 44100.0));
    CHECK (samplesDiffering (cache.copyFor (flac, 48000.0, error).path, loadMedia (flac, 48000.0)) == 0);

    // Cancelled (already set: the check runs before each block): an error and no file, temporary or final.
    std::filesystem::remove_all (folder / "cache");
    const std::atomic<bool> stop { true };
    const auto cancelled = cache.copyFor (flac, 48000.0, error, &stop);
    CHECK_FALSE (cancelled);
    CHECK (error == "cancelled");
    CHECK (std::filesystem::is_empty (folder / "cache"));
}

TEST_CASE ("The cache stays under its size limit by removing the least recently used copies, never one in use", "[media][convert]")
{
    test::TemporaryFolder folder ("convert-lru");
    std::vector<std::filesystem::path> sources;
    for (const auto* name : { "p04_lmms_breakbeat", "p06_sc_apollo11_speech", "p08_sonicpi_haunted_hum" })
        sources.push_back (makeWithSox (test::dataPath (std::string ("corpus/") + name + ".wav"), folder / (std::string (name) + ".flac"), ""));

    // Find the copies' sizes with an unbounded cache, then bound a fresh one to hold two of them.
    std::vector<uint64_t> sizes;
    {
        ConvertedMediaCache sizing (folder / "sizing", 1ull << 40);
        std::string error;
        for (const auto& source : sources)
            sizes.push_back (std::filesystem::file_size (sizing.copyFor (source, 48000.0, error).path));
    }
    const auto limit = sizes[0] + sizes[1] + sizes[2] - 4096;   // all three do not fit (with block rounding slack)
    ConvertedMediaCache cache (folder / "cache", limit);
    std::string error;
    auto held = cache.copyFor (sources[0], 48000.0, error);   // the oldest, but in use
    REQUIRE (held);
    std::this_thread::sleep_for (std::chrono::milliseconds (20));
    auto second = cache.copyFor (sources[1], 48000.0, error);
    const auto secondPath = second.path;
    second = {};   // no longer in use
    std::this_thread::sleep_for (std::chrono::milliseconds (20));
    auto third = cache.copyFor (sources[2], 48000.0, error);
    REQUIRE (third);
    CHECK (std::filesystem::exists (held.path));       // in use: kept although least recently used
    CHECK_FALSE (std::filesystem::exists (secondPath)); // the least recently used one not in use
    CHECK (std::filesystem::exists (third.path));
    CHECK (cache.bytesOnDisk() <= limit);

    // Released, every copy can go.
    held = {};
    third = {};
    CHECK (cache.trim (0) == 0);
    CHECK (cache.bytesOnDisk() == 0);
}

TEST_CASE ("A conversion killed midway leaves no copy, only a temporary that the cache removes when stale", "[media][convert]")
{
    test::TemporaryFolder folder ("convert-kill");
    const auto source = folder / "noise.flac";
    REQUIRE (test::run ("sox -n -r 44100 -c 2 -b 16 " + test::quote (source.string()) + " synth 120 pinknoise").exitCode == 0);
    ConvertedMediaCache cache (folder / "cache", 1ull << 32);
    std::filesystem::create_directories (cache.getFolder());
    const auto copy = cache.getFolder() / ConvertedMedia::copyName (*analysis::hashFileContent (source), 48000.0);

    const auto child = ::fork();
    REQUIRE (child >= 0);
    if (child == 0)
    {
        [[maybe_unused]] const auto niceness = ::nice (19);   // the parent's polls come first on a busy machine
        std::string error;
        ConvertedMedia::convert (source, 48000.0, copy, error);
        ::_exit (0);
    }
    // Killed once its temporary holds 1 MB (of the 46 MB it would write).
    std::filesystem::path temporary;
    for (int wait = 0; wait < 2000 && temporary.empty(); ++wait)
    {
        for (const auto& entry : std::filesystem::directory_iterator (cache.getFolder()))
            if (entry.path().filename().string().find (".tmp-") != std::string::npos && std::filesystem::file_size (entry.path()) > (1u << 20))
                temporary = entry.path();
        std::this_thread::sleep_for (std::chrono::milliseconds (5));
    }
    ::kill (child, SIGKILL);
    int status = 0;
    ::waitpid (child, &status, 0);
    REQUIRE_FALSE (temporary.empty());
    CHECK (WIFSIGNALED (status));
    CHECK_FALSE (std::filesystem::exists (copy));   // never a partial copy under the final name

    std::string error;
    const auto made = cache.copyFor (source, 48000.0, error);
    REQUIRE (made);
    CHECK (made.path == copy);
    CHECK (samplesDiffering (copy, loadMedia (source, 48000.0)) == 0);
    CHECK (std::filesystem::exists (temporary));    // it may be a live conversion of another process…
    const struct timespec old[2] = { { 0, UTIME_OMIT }, { ::time (nullptr) - 3600, 0 } };
    REQUIRE (::utimensat (AT_FDCWD, temporary.c_str(), old, 0) == 0);
    cache.trim (1ull << 32);
    CHECK_FALSE (std::filesystem::exists (temporary));   // …until it is an hour old
    CHECK (std::filesystem::exists (copy));
}

TEST_CASE ("Two readers asking for the same copy at once get one copy, made once", "[media][convert]")
{
    test::TemporaryFolder folder ("convert-parallel");
    const auto source = makeWithSox (test::dataPath ("corpus/p09_lmms_chorus_dc_offset.wav"), folder / "chorus.ogg", "");
    ConvertedMediaCache cache (folder / "cache", 1ull << 30);
    ConvertedMediaCache::Copy copies[2];
    std::string errors[2];
    std::thread first ([&] { copies[0] = cache.copyFor (source, 48000.0, errors[0]); });
    std::thread second ([&] { copies[1] = cache.copyFor (source, 48000.0, errors[1]); });
    first.join();
    second.join();
    REQUIRE (copies[0]);
    REQUIRE (copies[1]);
    CHECK (copies[0].path == copies[1].path);
    int files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator (cache.getFolder()))
        ++files;
    CHECK (files == 1);
    CHECK (cache.getConversionCount() == 1);   // the second waited for the first's copy
    CHECK (samplesDiffering (copies[0].path, loadMedia (source, 48000.0)) == 0);
}
