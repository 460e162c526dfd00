// CueGrid — GPL-3.0-or-later
// Converted copies (issue 10): how fast a media file becomes a float32 WAV at the engine's rate,
// and the memory it takes, against loadMedia (the whole file decoded and resampled in memory)
// and a bare libsndfile decode of the same file, in the same run.
//
//   convert_bench [seconds=180] [work folder=/tmp/cuegrid-convert-bench]
//
// The source is the corpus' stereo 44.1 kHz chorus looped to `seconds`, written as 16-bit FLAC
// and 16-bit WAV. Each measurement runs in a child process, so its peak RSS is its own.
#include "Session/ConvertedMedia.h"
#include "Session/MediaFile.h"
#include "Session/MediaLoader.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cuegrid;

namespace
{
    bool makeSource (const std::filesystem::path& output, int format, double seconds)
    {
        SF_INFO inputInfo {};
        SoundFilePtr input (sf_open (CUEGRID_BENCH_CORPUS "/p09_lmms_chorus_dc_offset.wav", SFM_READ, &inputInfo));
        if (input == nullptr)
            return false;
        SF_INFO outputInfo { 0, inputInfo.samplerate, inputInfo.channels, format, 0, 0 };
        SoundFilePtr sound (sf_open (output.c_str(), SFM_WRITE, &outputInfo));
        if (sound == nullptr)
            return false;
        std::vector<float> block (4096 * (size_t) inputInfo.channels);
        auto remaining = (sf_count_t) (seconds * inputInfo.samplerate);
        while (remaining > 0)
        {
            auto read = sf_readf_float (input.get(), block.data(), std::min<sf_count_t> (4096, remaining));
            if (read <= 0)
            {
                sf_seek (input.get(), 0, SEEK_SET);
                continue;
            }
            sf_writef_float (sound.get(), block.data(), read);
            remaining -= read;
        }
        return true;
    }

    struct Measure { double seconds = 0; double peakMiB = 0; bool ok = false; };

    /** Runs `work` in a child; its wall time and peak resident set. */
    Measure inChild (const std::function<bool()>& work)
    {
        const auto start = std::chrono::steady_clock::now();
        const auto child = ::fork();
        if (child == 0)
            ::_exit (work() ? 0 : 1);
        int status = 0;
        struct rusage usage {};
        ::wait4 (child, &status, 0, &usage);
        Measure measure;
        measure.seconds = std::chrono::duration<double> (std::chrono::steady_clock::now() - start).count();
        measure.peakMiB = (double) usage.ru_maxrss / 1024.0;
        measure.ok = WIFEXITED (status) && WEXITSTATUS (status) == 0;
        return measure;
    }

    bool bareDecode (const std::filesystem::path& file)
    {
        auto media = openMediaFile (file);
        if (! media)
            return false;
        std::vector<float> block (65536);
        const auto frames = (sf_count_t) block.size() / media.info.channels;
        while (sf_readf_float (media.sound.get(), block.data(), frames) > 0) {}
        return true;
    }
} // namespace

int main (int argc, char* argv[])
{
    const double seconds = argc > 1 ? std::atof (argv[1]) : 180.0;
    const std::filesystem::path folder = argc > 2 ? argv[2] : "/tmp/cuegrid-convert-bench";
    std::filesystem::remove_all (folder);
    std::filesystem::create_directories (folder);

    struct Source { const char* name; int format; };
    std::printf ("%.0f s stereo 44.1 kHz source; each run in its own process (peak RSS of that process)\n\n", seconds);
    std::printf ("%-34s %9s %12s %10s\n", "run", "wall s", "audio s / s", "peak MiB");
    for (const auto& source : { Source { "source.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16 },
                                Source { "source.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16 } })
    {
        const auto file = folder / source.name;
        if (! makeSource (file, source.format, seconds))
        {
            std::fprintf (stderr, "cannot make %s\n", file.c_str());
            return 1;
        }
        for (const double rate : { 48000.0, 44100.0 })
        {
            if (rate == 44100.0 && source.format != (SF_FORMAT_FLAC | SF_FORMAT_PCM_16))
                continue;   // a WAV at the engine's rate streams as it is: nothing to convert
            const auto copy = folder / ("copy-" + std::to_string ((int) rate) + ".f32.wav");
            struct Run { std::string name; std::function<bool()> work; };
            const std::vector<Run> runs {
                { "bare decode (baseline)", [&] { return bareDecode (file); } },
                { "loadMedia (whole file in RAM)", [&] { return loadMedia (file, rate).audio != nullptr; } },
                { "ConvertedMedia::convert", [&] { std::string error; return ConvertedMedia::convert (file, rate, copy, error); } },
            };
            std::printf ("%s → %.0f Hz\n", source.name, rate);
            double baseline = 0;
            for (const auto& run : runs)
            {
                const auto measure = inChild (run.work);
                if (! measure.ok)
                {
                    std::fprintf (stderr, "%s failed\n", run.name.c_str());
                    return 1;
                }
                if (baseline == 0)
                    baseline = measure.seconds;
                std::printf ("  %-32s %9.3f %12.1f %10.1f   (%.1f× the bare decode)\n", run.name.c_str(), measure.seconds,
                             seconds / measure.seconds, measure.peakMiB, measure.seconds / baseline);
            }
            std::filesystem::remove (copy);
        }
    }
    std::filesystem::remove_all (folder);
    return 0;
}
