// CueGrid — GPL-3.0-or-later
// session_save_bench: what saving and opening a show costs at 64, 1024 and 4096 clips
// (issue 9 goals at 4096: load <= 150 ms, save <= 50 ms), manifest and session database,
// media loading excluded. Save = SessionManifest::save (atomic: temporary, fsync, rename)
// + MetadataDatabase::mirrorSession after one clip changed (a typical save); the first save,
// into a fresh database, is shown too. Load = SessionManifest::load + opening the database +
// reading every media row. Baselines in the same process: for save, the same JSON written
// to a plain file with one fsync (the floor of a durable save); for load, a bare
// nlohmann::json::parse of the same file. Not a test: prints numbers for docs/benchmarks.md.
//
// A second table times refreshMediaFacts, the media check an open can afford: every clip's file
// a hard link to one short corpus WAV; first check (each file opened and hashed) and the check
// of unchanged media (a stat per clip), against a bare stat loop over the same paths.
//
// Usage: session_save_bench [WORK_FOLDER]  (default: ./session_save_bench.work, removed after)
#include "BenchSupport.h"
#include "Session/MediaFacts.h"
#include "Session/MetadataDatabase.h"
#include "Session/SessionManifest.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

using namespace cuegrid;

namespace
{
    /** A show as an editor builds one: every clip labelled and coloured, a quarter with cue
        points, an eighth looping, every page laid out with its 8 tabs. */
    Session makeSavedSession (int clipCount)
    {
        auto session = bench::makeSession (clipCount, bench::TabLayout::wholePages, [] (ClipDefinition& clip, int i)
        {
            clip.colour = i % 2 == 0 ? "#d04040" : "#4080d0";
            clip.group = i % 4;
            clip.gainDb = -0.1 * (i % 60);
            clip.levelTrimDb = 0.05 * (i % 40);
            if (i % 4 == 0)
            {
                clip.cueInSec = 0.25;
                clip.cueOutSec = 12.5;
                clip.fadeOutMs = 500.0;
            }
            if (i % 8 == 0)
            {
                clip.loop = LoopSettings {};
                clip.loop->inSec = 1.0;
                clip.loop->outSec = 9.0;
            }
        });
        session.name = "Bench " + std::to_string (clipCount);
        session.master.limiterEnabled = true;
        return session;
    }

    void writeAndSync (const std::string& path, const std::string& text)
    {
        const int descriptor = ::open (path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (descriptor < 0 || ::write (descriptor, text.data(), text.size()) != (ssize_t) text.size() || ::fsync (descriptor) != 0)
            std::perror (path.c_str());
        ::close (descriptor);
    }

    std::string readAll (const std::string& path)
    {
        std::ifstream stream (path, std::ios::binary);
        std::ostringstream text;
        text << stream.rdbuf();
        return text.str();
    }

    void removeDatabase (const std::string& path)
    {
        for (const auto* suffix : { "", "-wal", "-shm" })
            std::filesystem::remove (path + suffix);
    }
} // namespace

int main (int argc, char** argv)
{
    const std::filesystem::path work = argc > 1 ? argv[1] : "session_save_bench.work";
    std::filesystem::remove_all (work);
    std::filesystem::create_directories (work);
    std::printf ("session_save_bench: manifest + session database, media excluded; best of 5 (first save: best of 3); folder %s\n",
                 std::filesystem::absolute (work).c_str());
    std::printf ("%6s | %9s %9s %9s | %9s %6s | %10s | %9s %9s %9s | %9s %6s\n", "clips", "save ms", "manifest", "database",
                 "baseline", "ratio", "1st save", "load ms", "manifest", "database", "baseline", "ratio");

    for (const int clips : { 64, 1024, 4096 })
    {
        auto session = makeSavedSession (clips);
        const auto manifestPath = (work / ("bench-" + std::to_string (clips) + ".cuegrid")).string();
        const auto databasePath = MetadataDatabase::pathForSession (manifestPath);
        const auto plainPath = (work / ("plain-" + std::to_string (clips) + ".json")).string();

        // The first save into a fresh database: every row inserted.
        const auto firstSave = bench::bestMs (3, [&]
        {
            removeDatabase (databasePath);
            SessionManifest::save (session, manifestPath);
            MetadataDatabase database (databasePath);
            database.mirrorSession (session);
        });

        // A typical save: one clip's cue point moved since the last one.
        double manifestSave = 0, databaseSave = 0;
        const auto save = bench::bestMs (5, [&, edit = 0] () mutable
        {
            session.clips[(size_t) (edit * 7 % clips)].cueInSec = 0.5 + 0.01 * ++edit;
            const auto start = std::chrono::steady_clock::now();
            SessionManifest::save (session, manifestPath);
            const auto middle = std::chrono::steady_clock::now();
            MetadataDatabase database (databasePath);
            database.mirrorSession (session);
            const auto end = std::chrono::steady_clock::now();
            manifestSave = std::chrono::duration<double, std::milli> (middle - start).count();
            databaseSave = std::chrono::duration<double, std::milli> (end - middle).count();
        });
        const auto saveBaseline = bench::bestMs (5, [&] { writeAndSync (plainPath, SessionManifest::toJson (session).dump (2) + "\n"); });

        double manifestLoad = 0, databaseLoad = 0;
        size_t rows = 0;
        const auto load = bench::bestMs (5, [&]
        {
            const auto start = std::chrono::steady_clock::now();
            const auto loaded = SessionManifest::load (manifestPath);
            const auto middle = std::chrono::steady_clock::now();
            MetadataDatabase database (databasePath);
            rows = database.allMedia().size();
            const auto end = std::chrono::steady_clock::now();
            manifestLoad = std::chrono::duration<double, std::milli> (middle - start).count();
            databaseLoad = std::chrono::duration<double, std::milli> (end - middle).count();
            if (loaded.clips.size() != rows)
                std::fprintf (stderr, "mismatch: %zu clips, %zu media rows\n", loaded.clips.size(), rows);
        });
        const auto loadBaseline = bench::bestMs (5, [&] { volatile auto size = nlohmann::json::parse (readAll (manifestPath)).size(); (void) size; });

        // The split of the best run is the split of the last run; close enough to show where time goes.
        std::printf ("%6d | %9.2f %9.2f %9.2f | %9.2f %6.2f | %10.2f | %9.2f %9.2f %9.2f | %9.2f %6.2f   (%.2f MB manifest)\n", clips,
                     save, manifestSave, databaseSave, saveBaseline, save / saveBaseline, firstSave, load, manifestLoad, databaseLoad,
                     loadBaseline, load / loadBaseline, (double) std::filesystem::file_size (manifestPath) / 1e6);
    }

    std::printf ("\nmedia facts (refreshMediaFacts; each clip's file a hard link to %s)\n", CUEGRID_BENCH_KICK);
    std::printf ("%6s | %12s | %14s %9s %6s\n", "clips", "1st check ms", "unchanged ms", "bare stat", "ratio");
    for (const int clips : { 64, 1024, 4096 })
    {
        const auto session = makeSavedSession (clips);
        const auto manifestPath = (work / ("facts-" + std::to_string (clips) + ".cuegrid")).string();
        std::filesystem::create_directories (work / "media");
        for (const auto& clip : session.clips)
        {
            std::error_code code;
            std::filesystem::create_hard_link (CUEGRID_BENCH_KICK, work / clip.file, code);
            if (code)
                std::filesystem::copy_file (CUEGRID_BENCH_KICK, work / clip.file, std::filesystem::copy_options::overwrite_existing);
        }
        const auto databasePath = MetadataDatabase::pathForSession (manifestPath);
        const auto first = bench::bestMs (1, [&]
        {
            MetadataDatabase database (databasePath);
            refreshMediaFacts (database, session, manifestPath);
        });
        size_t unchangedCount = 0;
        const auto unchanged = bench::bestMs (5, [&]
        {
            MetadataDatabase database (databasePath);
            unchangedCount = 0;
            for (const auto& check : refreshMediaFacts (database, session, manifestPath))
                unchangedCount += check.state == MediaFactsCheck::State::unchanged ? 1 : 0;
        });
        const auto bare = bench::bestMs (5, [&]
        {
            struct stat status {};
            for (const auto& clip : session.clips)
                ::stat ((work / clip.file).c_str(), &status);
        });
        if (unchangedCount != (size_t) clips)
            std::fprintf (stderr, "only %zu of %d clips unchanged\n", unchangedCount, clips);
        std::printf ("%6d | %12.2f | %14.2f %9.2f %6.2f\n", clips, first, unchanged, bare, unchanged / bare);
        for (const auto& clip : session.clips)
            std::filesystem::remove (work / clip.file);
    }
    std::filesystem::remove_all (work);
    return 0;
}
