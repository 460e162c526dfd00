// CueGrid — GPL-3.0-or-later
// analysis_bench: throughput of analysis::analyseFiles() (decode, metrics, classification,
// gain, detectors) in × realtime and MB/s, against a bare libsndfile decode of the same files
// in the same run (sf_open, sf_readf_double in 65536-frame blocks into a reused buffer, the
// samples summed into a printed checksum with four accumulators so the sum costs little).
// Measured per file (one analyseFiles() call per file), then for all files: one
// analyseFiles() call on one thread, as the CLI does, and two threads each analysing every
// other file, against one and two threads decoding the same files. Each time is the best run
// of at least 3, repeated until the runs add up to 0.2 s per file and 1 s for all files (the
// minimum filters out the shared VM's noise). Goal: analysis at ≥ 50 % of bare decode speed.
// Not a test: prints numbers for docs/benchmarks.md.
#include "Analysis/AnalysisConfig.h"
#include "Analysis/SessionAnalysis.h"
#include "Analysis/TrackLoudness.h"

#include <sndfile.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

using namespace cuegrid;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace
{
    constexpr double perFileSeconds = 0.2, allFilesSeconds = 1.0, goalPercent = 50.0;
    constexpr int minimumRuns = 3;
    constexpr sf_count_t blockFrames = 65536;

    struct MediaFile
    {
        fs::path path;
        std::string name;
        double megabytes = 0;        // size on disk / 1e6
        double durationSeconds = 0;
    };

    /** The audio files at the top level of each folder, sorted within each folder. */
    bool collectFiles (const std::vector<fs::path>& folders, std::vector<fs::path>& files)
    {
        for (const auto& folder : folders)
        {
            std::error_code error;
            std::vector<fs::path> found;
            for (const auto& entry : fs::directory_iterator (folder, error))
            {
                auto extension = entry.path().extension().string();
                std::transform (extension.begin(), extension.end(), extension.begin(),
                                [] (unsigned char c) { return (char) std::tolower (c); });
                if (entry.is_regular_file() && (extension == ".wav" || extension == ".flac"
                                                || extension == ".aif" || extension == ".aiff"))
                    found.push_back (entry.path());
            }
            if (error)
            {
                std::fprintf (stderr, "analysis_bench: cannot read folder %s: %s\n", folder.c_str(), error.message().c_str());
                return false;
            }
            std::sort (found.begin(), found.end());
            files.insert (files.end(), found.begin(), found.end());
        }
        return true;
    }

    /** The bare decode: every sample read as double, summed so the work is observable. */
    double decodeFile (const fs::path& file, std::vector<double>& buffer)
    {
        SF_INFO info {};
        SNDFILE* sound = sf_open (file.c_str(), SFM_READ, &info);
        if (sound == nullptr)
            return 0;
        buffer.resize ((size_t) (blockFrames * info.channels));
        double sums[4] = {};
        for (;;)
        {
            const auto read = sf_readf_double (sound, buffer.data(), blockFrames);
            if (read <= 0)
                break;
            const auto samples = (size_t) (read * info.channels);
            size_t i = 0;
            for (; i + 4 <= samples; i += 4)
                for (int lane = 0; lane < 4; ++lane)
                    sums[lane] += buffer[i + (size_t) lane];
            for (; i < samples; ++i)
                sums[0] += buffer[i];
        }
        sf_close (sound);
        return sums[0] + sums[1] + sums[2] + sums[3];
    }

    double decodeFiles (const std::vector<fs::path>& files)
    {
        std::vector<double> buffer;
        double checksum = 0;
        for (const auto& file : files)
            checksum += decodeFile (file, buffer);
        return checksum;
    }

    /** Number of tracks analysed without error (all of them, or the run is not valid). */
    size_t analyse (const std::vector<fs::path>& files)
    {
        const auto result = analysis::analyseFiles (files, analysis::AnalysisConfig {}, 1);   // one job: the rows say how many threads
        return (size_t) std::count_if (result.tracks.begin(), result.tracks.end(),
                                       [] (const analysis::TrackAnalysis& track) { return track.ok(); });
    }

    /** Decode and EBU R 128 loudness only (TrackLoudnessAnalyzer alone), one file after another:
        with the decode time, the loudness measure's own cost. */
    size_t measureLoudness (const std::vector<fs::path>& files)
    {
        size_t ok = 0;
        for (const auto& file : files)
        {
            analysis::AudioFileInfo info;
            analysis::TrackLoudnessAnalyzer loudness;
            std::string error;
            ok += analysis::scanAudioFile (file, info, { &loudness }, error) ? 1 : 0;
        }
        return ok;
    }

    /** Shortest run of `work`: at least minimumRuns runs, and at least minimumTotalSeconds of them. */
    template <typename Work>
    double bestSeconds (double minimumTotalSeconds, Work&& work)
    {
        double best = std::numeric_limits<double>::max(), total = 0;
        for (int run = 0; run < minimumRuns || total < minimumTotalSeconds; ++run)
        {
            const auto start = Clock::now();
            work();
            const auto seconds = std::chrono::duration<double> (Clock::now() - start).count();
            best = std::min (best, seconds);
            total += seconds;
        }
        return best;
    }

    /** Two std::threads, one per half, timed from the first start to the last join. */
    template <typename Work>
    double bestTwoThreadSeconds (const std::array<std::vector<fs::path>, 2>& halves, Work&& work)
    {
        return bestSeconds (allFilesSeconds, [&]
        {
            std::thread first ([&] { work (0, halves[0]); });
            std::thread second ([&] { work (1, halves[1]); });
            first.join();
            second.join();
        });
    }

    struct Speed
    {
        double realtime = 0, megabytesPerSecond = 0;
    };

    Speed speedOf (double audioSeconds, double megabytes, double seconds)
    {
        return { audioSeconds / seconds, megabytes / seconds };
    }

    void printRule()
    {
        std::printf ("%s\n", std::string (111, '-').c_str());   // the width of a row
    }

    void printHeader()
    {
        std::printf ("%-32s %8s %7s | %10s %8s | %12s %8s | %9s\n",
                     "file", "audio s", "MB", "decode xRT", "MB/s", "analysis xRT", "MB/s", "% decode");
        printRule();
    }

    /** One table row; returns analysis speed as a percentage of decode speed. */
    double printRow (const std::string& label, double audioSeconds, double megabytes, double decodeSeconds, double analysisSeconds)
    {
        const auto decode = speedOf (audioSeconds, megabytes, decodeSeconds);
        const auto analysed = speedOf (audioSeconds, megabytes, analysisSeconds);
        const auto percent = 100.0 * decodeSeconds / analysisSeconds;
        std::printf ("%-32s %8.2f %7.3f | %10.1f %8.1f | %12.1f %8.1f | %8.1f%%\n", label.c_str(), audioSeconds, megabytes,
                     decode.realtime, decode.megabytesPerSecond, analysed.realtime, analysed.megabytesPerSecond, percent);
        return percent;
    }
} // namespace

int main (int argc, char** argv)
{
    std::vector<fs::path> folders;
    for (int i = 1; i < argc; ++i)
    {
        const std::string argument = argv[i];
        if (argument == "-h" || argument == "--help")
        {
            std::printf ("usage: analysis_bench [FOLDER...]\n"
                         "  default folder: %s\n  synthetic set:  %s\n", CUEGRID_BENCH_CORPUS, CUEGRID_BENCH_SYNTHETIC);
            return 0;
        }
        folders.emplace_back (argument);
    }
    if (folders.empty())
        folders.emplace_back (CUEGRID_BENCH_CORPUS);

    std::vector<fs::path> paths;
    if (! collectFiles (folders, paths))
        return 1;

    // Check every file decodes and analyses before timing anything (this also warms the page cache).
    std::vector<MediaFile> files;
    for (const auto& path : paths)
    {
        SF_INFO info {};
        SNDFILE* sound = sf_open (path.c_str(), SFM_READ, &info);
        if (sound == nullptr)
        {
            std::fprintf (stderr, "analysis_bench: skipping %s: %s\n", path.c_str(), sf_strerror (nullptr));
            continue;
        }
        sf_close (sound);
        const auto result = analysis::analyseFiles ({ path }, analysis::AnalysisConfig {}, 1);
        if (result.tracks.size() != 1 || ! result.tracks[0].ok())
        {
            std::fprintf (stderr, "analysis_bench: skipping %s: analysis failed: %s\n", path.c_str(),
                          result.tracks.empty() ? "no track" : result.tracks[0].error.c_str());
            continue;
        }
        files.push_back ({ path, path.filename().string(), (double) fs::file_size (path) / 1.0e6,
                           result.tracks[0].durationSeconds });
    }
    if (files.empty())
    {
        std::fprintf (stderr, "analysis_bench: no readable .wav/.flac/.aif/.aiff files\n");
        return 1;
    }

    std::vector<fs::path> allPaths;
    std::array<std::vector<fs::path>, 2> halves;
    std::array<double, 2> halfMegabytes {};
    double totalSeconds = 0, totalMegabytes = 0;
    for (size_t i = 0; i < files.size(); ++i)
    {
        allPaths.push_back (files[i].path);
        halves[i % 2].push_back (files[i].path);
        halfMegabytes[i % 2] += files[i].megabytes;
        totalSeconds += files[i].durationSeconds;
        totalMegabytes += files[i].megabytes;
    }

    std::printf ("analysis_bench: %zu files, %.2f s of audio, %.3f MB, in", files.size(), totalSeconds, totalMegabytes);
    for (const auto& folder : folders)
        std::printf (" %s", folder.c_str());
    std::printf ("\n  each time: best of >= %d runs, repeated to >= %.1f s per file and >= %.1f s for all files; %u hardware threads\n\n",
                 minimumRuns, perFileSeconds, allFilesSeconds, std::thread::hardware_concurrency());

    volatile double decodeSink = 0;   // keeps the per-file and two-thread decodes observable
    printHeader();
    double lowestPercent = std::numeric_limits<double>::max();
    std::string lowestFile;
    int filesAtGoal = 0;
    for (const auto& file : files)
    {
        const std::vector<fs::path> single { file.path };
        const auto decodeSeconds = bestSeconds (perFileSeconds, [&] { decodeSink = decodeFiles (single); });
        const auto analysisSeconds = bestSeconds (perFileSeconds, [&] { analyse (single); });
        const auto percent = printRow (file.name, file.durationSeconds, file.megabytes, decodeSeconds, analysisSeconds);
        filesAtGoal += percent >= goalPercent ? 1 : 0;
        if (percent < lowestPercent)
        {
            lowestPercent = percent;
            lowestFile = file.name;
        }
    }

    // All files: one analyseFiles() call (as the CLI does, session detectors included) against
    // decoding every file, then two threads each doing every other file.
    double checksum = 0;
    const auto decodeOneThread = bestSeconds (allFilesSeconds, [&] { checksum = decodeFiles (allPaths); });
    size_t allTracks = 0;
    const auto analysisOneThread = bestSeconds (allFilesSeconds, [&] { allTracks = analyse (allPaths); });
    // The loudness share: (decode + loudness − decode) against (analysis on one thread − decode).
    size_t loudnessTracks = 0;
    const auto loudnessOneThread = bestSeconds (allFilesSeconds, [&] { loudnessTracks = measureLoudness (allPaths); });
    size_t serialTracks = 0;
    const auto analysisSerial = bestSeconds (allFilesSeconds, [&]
    {
        const auto result = analysis::analyseFiles (allPaths, analysis::AnalysisConfig {}, 1);
        serialTracks = (size_t) std::count_if (result.tracks.begin(), result.tracks.end(), [] (const analysis::TrackAnalysis& t) { return t.ok(); });
    });
    std::array<double, 2> threadChecksums {};
    std::array<size_t, 2> threadTracks {};
    const auto decodeTwoThreads = bestTwoThreadSeconds (halves, [&] (int half, const std::vector<fs::path>& part)
    {
        threadChecksums[(size_t) half] = decodeFiles (part);
    });
    const auto analysisTwoThreads = bestTwoThreadSeconds (halves, [&] (int half, const std::vector<fs::path>& part)
    {
        threadTracks[(size_t) half] = analyse (part);
    });
    decodeSink = threadChecksums[0] + threadChecksums[1];

    printRule();
    const auto percentOneThread = printRow ("all files, 1 thread", totalSeconds, totalMegabytes, decodeOneThread, analysisOneThread);
    const auto percentTwoThreads = printRow ("all files, 2 threads", totalSeconds, totalMegabytes, decodeTwoThreads, analysisTwoThreads);

    std::printf ("\n  2 threads: every other file, halves of %.3f MB and %.3f MB; speed-up over 1 thread: decode %.2fx, analysis %.2fx\n",
                 halfMegabytes[0], halfMegabytes[1], decodeOneThread / decodeTwoThreads, analysisOneThread / analysisTwoThreads);
    std::printf ("  loudness (EBU R 128, TrackLoudnessAnalyzer alone, decode included): %.3f s; analyseFiles (jobs 1): %.3f s;"
                 " decode %.3f s -> loudness is %.1f %% of the analysis beyond decode (%zu and %zu tracks ok)\n",
                 loudnessOneThread, analysisSerial, decodeOneThread,
                 100.0 * (loudnessOneThread - decodeOneThread) / (analysisSerial - decodeOneThread), loudnessTracks, serialTracks);
    std::printf ("  per file: %d of %zu at >= %.0f %% of decode speed; lowest %.1f %% (%s)\n",
                 filesAtGoal, files.size(), goalPercent, lowestPercent, lowestFile.c_str());
    std::printf ("  decode checksum (sum of all samples) %.9g; tracks analysed ok: %zu of %zu (1 thread), %zu of %zu (2 threads)\n",
                 checksum, allTracks, files.size(), threadTracks[0] + threadTracks[1], files.size());
    const bool met = percentOneThread >= goalPercent && percentTwoThreads >= goalPercent;
    std::printf ("goal: analysis >= %.0f %% of bare decode speed on all files (1 and 2 threads): %.1f %% and %.1f %% -> %s\n",
                 goalPercent, percentOneThread, percentTwoThreads, met ? "MET" : "NOT MET");
    return allTracks == files.size() && threadTracks[0] + threadTracks[1] == files.size() ? 0 : 1;
}
