// CueGrid — GPL-3.0-or-later
// decode_bench: the floor for any analysis that reads its files with libsndfile. Decodes the
// given files exactly as the analysis does (sf_open, sf_readf_double in 65 536-frame blocks
// into a reused buffer) and touches every sample (a checksum in four partial sums, printed so
// the work cannot be skipped), on --jobs threads taking files largest first from one queue.
// Prints the wall time, files, frames and checksum. Used by bench/analysis_vs_reference.sh.
#include "Analysis/ParallelWork.h"

#include <sndfile.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace
{
    double decodeFile (const fs::path& file, int64_t& frames)
    {
        SF_INFO info {};
        SNDFILE* sound = sf_open (file.c_str(), SFM_READ, &info);
        if (sound == nullptr)
            return 0;
        constexpr sf_count_t blockFrames = 65536;
        std::vector<double> buffer ((size_t) (blockFrames * info.channels));
        double sums[4] = {};
        for (;;)
        {
            const auto read = sf_readf_double (sound, buffer.data(), blockFrames);
            if (read <= 0)
                break;
            frames += read;
            const auto samples = (size_t) (read * info.channels);
            size_t i = 0;
            for (; i + 4 <= samples; i += 4)
                for (size_t lane = 0; lane < 4; ++lane)
                    sums[lane] += buffer[i + lane];
            for (; i < samples; ++i)
                sums[0] += buffer[i];
        }
        sf_close (sound);
        return (sums[0] + sums[1]) + (sums[2] + sums[3]);
    }
} // namespace

int main (int argc, char** argv)
{
    int jobs = 0;
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i)
    {
        const std::string argument = argv[i];
        if (argument == "--jobs" && i + 1 < argc)
            jobs = std::atoi (argv[++i]);
        else if (fs::is_directory (argument))
        {
            std::vector<fs::path> found;
            for (const auto& entry : fs::directory_iterator (argument))
                if (entry.is_regular_file())
                    found.push_back (entry.path());
            std::sort (found.begin(), found.end());
            files.insert (files.end(), found.begin(), found.end());
        }
        else
            files.emplace_back (argument);
    }
    if (files.empty())
    {
        std::fprintf (stderr, "usage: decode_bench [--jobs N] FILE_OR_FOLDER...\n");
        return 2;
    }
    const auto start = std::chrono::steady_clock::now();
    std::vector<double> checksums (files.size(), 0.0);
    std::vector<int64_t> frames (files.size(), 0);
    cuegrid::analysis::runInParallel (cuegrid::analysis::largestFirst (files), cuegrid::analysis::analysisJobs (jobs, files.size()),
                                      [&] (size_t index) { checksums[index] = decodeFile (files[index], frames[index]); });
    const auto seconds = std::chrono::duration<double> (std::chrono::steady_clock::now() - start).count();
    double checksum = 0;
    int64_t total = 0;
    for (size_t i = 0; i < files.size(); ++i)
    {
        checksum += checksums[i];
        total += frames[i];
    }
    std::printf ("decoded %zu files, %lld frames in %.4f s (checksum %.6g)\n", files.size(), (long long) total, seconds, checksum);
    return 0;
}
