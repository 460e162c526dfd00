// CueGrid — GPL-3.0-or-later
// `cuegrid import` killed with SIGKILL at random moments, half the time while it migrates an
// analysis-only session database: afterwards the manifest always loads with either all or none
// of the run's clips, the database passes integrity_check and foreign_key_check, is at version
// 0 or 1 and still has every analysis result, and every migration backup is a whole version 0
// database. (Issue 9, test 2, for the database and the CLI's part.)
#include "Session/MetadataDatabase.h"
#include "Session/SessionManifest.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <csignal>
#include <fcntl.h>
#include <random>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

using namespace cuegrid;
using namespace cuegrid::test;

namespace
{
    /** Starts `cuegrid ARGS…` with its output discarded; returns the pid. */
    pid_t startCli (const std::vector<std::string>& arguments)
    {
        std::vector<std::string> words { cliPath() };
        words.insert (words.end(), arguments.begin(), arguments.end());
        std::vector<char*> argv;
        for (auto& word : words)
            argv.push_back (word.data());
        argv.push_back (nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init (&actions);
        posix_spawn_file_actions_addopen (&actions, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen (&actions, 2, "/dev/null", O_WRONLY, 0);
        pid_t pid = -1;
        const auto started = posix_spawn (&pid, argv[0], &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy (&actions);
        REQUIRE (started == 0);
        return pid;
    }

    void restoreOldDatabase (const std::filesystem::path& database)
    {
        for (const auto* suffix : { "", "-wal", "-shm" })
            std::filesystem::remove (database.string() + suffix);
        std::filesystem::copy_file (dataPath ("sessions/analysis-v0.cuegrid.db"), database);
    }
} // namespace

TEST_CASE ("cuegrid import killed at random moments leaves a session that opens and a sound database", "[cli][prepare][kill]")
{
    TemporaryFolder work ("cli-import-kill");
    const auto session = work / "show.cuegrid";
    const auto database = work / "show.cuegrid.db";
    REQUIRE (run (quote (cliPath()) + " new " + quote (session.string())).exitCode == 0);
    std::filesystem::copy_file (session, work / "empty.cuegrid");
    std::filesystem::create_directories (work / "media");
    for (const auto* name : { "p01_sonicpi_heavy_kick.wav", "p03_colombo_snare.wav", "p05_lmms_e_organ.wav", "p08_sonicpi_haunted_hum.wav" })
        std::filesystem::copy_file (dataPath ("corpus/") / name, work / "media" / name);

    // How long an undisturbed import takes here, migration included: the kills land within it.
    restoreOldDatabase (database);
    const auto start = std::chrono::steady_clock::now();
    REQUIRE (run (quote (cliPath()) + " import " + quote (session.string()) + " " + quote ((work / "media").string())).exitCode == 0);
    const auto importMicroseconds = std::chrono::duration_cast<std::chrono::microseconds> (std::chrono::steady_clock::now() - start).count();

    const auto seed = std::random_device {}();
    INFO ("seed " << seed << ", undisturbed import " << importMicroseconds << " us");
    std::mt19937 random (seed);
    int killed = 0, finished = 0, migrationsSeen = 0;
    for (int round = 0; round < 200; ++round)
    {
        INFO ("round " << round);
        if (round % 25 == 0)
            std::filesystem::copy_file (work / "empty.cuegrid", session, std::filesystem::copy_options::overwrite_existing);
        if (round % 2 == 0)
            restoreOldDatabase (database);
        const auto clipsBefore = SessionManifest::load (session.string()).clips.size();
        const auto tab = std::to_string (1 + (round % 25) / 4);   // 4 files a run, 4 runs a tab: never full

        const auto pid = startCli ({ "import", session.string(), (work / "media").string(), "--tab", tab });
        std::this_thread::sleep_for (std::chrono::microseconds (std::uniform_int_distribution<long> (0, importMicroseconds * 6 / 5) (random)));
        ::kill (pid, SIGKILL);
        int status = 0;
        REQUIRE (::waitpid (pid, &status, 0) == pid);
        ++(WIFSIGNALED (status) ? killed : finished);

        // The manifest: whole, with all of the run's clips or none.
        Session loaded;
        REQUIRE_NOTHROW (loaded = SessionManifest::load (session.string()));
        CHECK ((loaded.clips.size() == clipsBefore || loaded.clips.size() == clipsBefore + 4));

        // The database: sound, old or new, every analysis result kept.
        const auto inspection = MetadataDatabase::inspect (database.string());
        REQUIRE (inspection.exists);
        CHECK (inspection.error.empty());
        CHECK (inspection.integrity == "ok");
        CHECK ((inspection.version == 0 || inspection.version == MetadataDatabase::currentVersion));
        CHECK (inspection.analysisRows >= 11);

        // Opening it as the app would finishes an interrupted migration.
        {
            MetadataDatabase opened (database.string());
            CHECK (opened.getVersion() == MetadataDatabase::currentVersion);
            CHECK (opened.checkIntegrity() == "ok");
            opened.mirrorSession (loaded);
            CHECK (opened.allMedia().size() == loaded.clips.size());
        }
        for (const auto& entry : std::filesystem::directory_iterator (work.path))
            if (entry.path().extension() == ".bak")
            {
                ++migrationsSeen;
                const auto backup = MetadataDatabase::inspect (entry.path().string());
                CHECK (backup.version == 0);
                CHECK (backup.integrity == "ok");
                CHECK (backup.analysisRows == 11);
                std::filesystem::remove (entry.path());
            }
    }
    INFO ("killed " << killed << ", finished " << finished << ", migration backups " << migrationsSeen << ", undisturbed import " << importMicroseconds << " us");
    CHECK (killed > 0);
    CHECK (migrationsSeen > 0);
}
