// CueGrid — GPL-3.0-or-later
// Issue 13, test 3: `cuegrid media-folder` moves, copies and keeps a session's media folder on
// real corpus media, and a move killed midway (at a test hook, and at random moments) leaves
// every clip playable with its content unchanged; the next run finishes or undoes it.
#include "Analysis/ContentHash.h"
#include "Session/MediaFolderChange.h"
#include "Session/MediaLoader.h"
#include "Session/MetadataDatabase.h"
#include "Session/SessionManifest.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <map>
#include <random>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

using namespace cuegrid;
using namespace cuegrid::test;
namespace fs = std::filesystem;

namespace
{
    const char* const corpusFiles[] = { "p01_sonicpi_heavy_kick.wav", "p02_sonicpi_hihat_open.wav", "p03_colombo_snare.wav",
                                        "p04_lmms_breakbeat.wav", "p05_lmms_e_organ.wav", "p06_sc_apollo11_speech.wav",
                                        "p07_sonicpi_bass_thick.wav", "p08_sonicpi_haunted_hum.wav", "p09_lmms_chorus_dc_offset.wav",
                                        "p10_millo_clap_dualmono.wav", "p11_lmms_epiano_chord.wav" };

    std::string cli (const std::string& arguments) { return quote (cliPath()) + " " + arguments; }

    /** A session `show.cuegrid` in `folder` whose media folder "show Media" holds the corpus, every
        file imported; with `outside`, one more clip whose file is outside the media folder. */
    fs::path makeShow (const fs::path& folder, bool outside)
    {
        fs::create_directories (folder);
        const auto session = folder / "show.cuegrid";
        REQUIRE (run (cli ("new " + quote (session.string()) + " --media-folder " + quote ((folder / "show Media").string()))).exitCode == 0);
        for (const auto* name : corpusFiles)
            fs::copy_file (dataPath ("corpus/") / name, folder / "show Media" / name);
        std::string paths = quote ((folder / "show Media").string());
        if (outside)
        {
            fs::create_directories (folder / "outside");
            fs::copy_file (dataPath ("corpus/p03_colombo_snare.wav"), folder / "outside" / "p03_colombo_snare.wav");
            paths += " " + quote ((folder / "outside" / "p03_colombo_snare.wav").string());
        }
        REQUIRE (run (cli ("import " + quote (session.string()) + " " + paths)).exitCode == 0);
        return session;
    }

    /** Each clip's media content (XXH3), by clip id; a missing file fails the test. */
    std::map<std::string, std::string> contentByClip (const fs::path& session)
    {
        std::map<std::string, std::string> content;
        for (const auto& clip : SessionManifest::load (session.string()).clips)
        {
            const auto file = resolveMediaPath (session, clip.file);
            INFO ("clip " << clip.id << ": " << file);
            const auto hash = analysis::hashFileContent (file);
            REQUIRE (hash);
            content[clip.id] = *hash;
        }
        return content;
    }

    /** `cuegrid info` finds every clip's media (exit 0, no MISSING line). */
    void requireEveryClipPlayable (const fs::path& session)
    {
        const auto info = run (cli ("info " + quote (session.string())));
        INFO (info.output);
        CHECK (info.exitCode == 0);
        CHECK (info.output.find ("MISSING") == std::string::npos);
    }

    /** How many clips' files lie in `folder`. */
    int clipsIn (const fs::path& session, const fs::path& folder)
    {
        int n = 0;
        for (const auto& clip : SessionManifest::load (session.string()).clips)
        {
            const auto relative = resolveMediaPath (session, clip.file).lexically_normal().lexically_relative (folder.lexically_normal());
            n += ! relative.empty() && *relative.begin() != ".." ? 1 : 0;
        }
        return n;
    }

    int filesIn (const fs::path& folder, const std::string& extension)
    {
        int n = 0;
        std::error_code code;
        if (fs::is_directory (folder, code))
            for (const auto& entry : fs::recursive_directory_iterator (folder))
                n += entry.path().extension() == extension ? 1 : 0;
        return n;
    }

    std::string recordedFolder (const fs::path& session)
    {
        return MetadataDatabase (MetadataDatabase::pathForSession (session.string())).getSetting ("mediaFolder").value_or ("");
    }

    /** Starts `cuegrid ARGS…` with stdout and stderr into `log` and `pauseAt` in
        CUEGRID_MEDIA_FOLDER_TEST_PAUSE (none when empty); returns the pid. */
    pid_t startCli (const std::vector<std::string>& arguments, const fs::path& log, const std::string& pauseAt)
    {
        std::vector<std::string> words { cliPath() };
        words.insert (words.end(), arguments.begin(), arguments.end());
        std::vector<char*> argv;
        for (auto& word : words)
            argv.push_back (word.data());
        argv.push_back (nullptr);
        std::vector<std::string> environment;
        for (char** variable = environ; *variable != nullptr; ++variable)
            if (std::string (*variable).rfind ("CUEGRID_MEDIA_FOLDER_TEST_PAUSE=", 0) != 0)
                environment.emplace_back (*variable);
        if (! pauseAt.empty())
            environment.push_back ("CUEGRID_MEDIA_FOLDER_TEST_PAUSE=" + pauseAt);
        std::vector<char*> envp;
        for (auto& variable : environment)
            envp.push_back (variable.data());
        envp.push_back (nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init (&actions);
        posix_spawn_file_actions_addopen (&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_adddup2 (&actions, 1, 2);
        pid_t pid = -1;
        const auto started = posix_spawn (&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
        posix_spawn_file_actions_destroy (&actions);
        REQUIRE (started == 0);
        return pid;
    }

    /** Waits (up to 60 s: a loaded machine) until `log` says the run paused, then kills it. */
    void killWhenPaused (pid_t pid, const fs::path& log)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds (60);
        bool paused = false;
        while (! paused && std::chrono::steady_clock::now() < deadline)
        {
            std::this_thread::sleep_for (std::chrono::milliseconds (10));
            paused = readText (log).find ("test hook: media folder change paused") != std::string::npos;
        }
        ::kill (pid, SIGKILL);
        int status = 0;
        REQUIRE (::waitpid (pid, &status, 0) == pid);
        INFO (readText (log));
        REQUIRE (paused);
        REQUIRE (WIFSIGNALED (status));
    }
} // namespace

TEST_CASE ("cuegrid media-folder copy, move and keep: every clip plays, its content unchanged", "[cli][mediafolder]")
{
    TemporaryFolder work ("cli-media-folder");
    const auto session = makeShow (work / "show", true);
    const auto before = contentByClip (session);
    REQUIRE (before.size() == 12);
    requireEveryClipPlayable (session);

    // A dry run prints the plan and changes nothing.
    const auto manifestBefore = readText (session);
    const auto dry = run (cli ("media-folder " + quote (session.string()) + " " + quote ((work / "Copied").string()) + " --mode copy --dry-run --json"));
    INFO (dry.output);
    REQUIRE (dry.exitCode == 0);
    const auto plan = nlohmann::json::parse (dry.output.substr (dry.output.find ('{')));
    CHECK (plan["files"].size() == 12);
    CHECK (plan["clips"] == 12);
    CHECK (plan["totalBytes"].get<std::uintmax_t>() > 5'000'000);
    CHECK (plan["warnings"].dump().find ("outside the old media folder") != std::string::npos);
    CHECK (readText (session) == manifestBefore);
    CHECK (! fs::exists (work / "Copied"));

    // Copy: the clips use the copies (outside the session's folder: absolute paths), the originals stay.
    const auto copied = run (cli ("media-folder " + quote (session.string()) + " " + quote ((work / "Copied").string()) + " --mode copy"));
    INFO (copied.output);
    REQUIRE (copied.exitCode == 0);
    CHECK (clipsIn (session, work / "Copied") == 12);
    CHECK (filesIn (work / "show" / "show Media", ".wav") == 11);
    CHECK (fs::exists (work / "show" / "outside" / "p03_colombo_snare.wav"));
    CHECK (contentByClip (session) == before);
    CHECK (fs::path (recordedFolder (session)) == work / "Copied");
    requireEveryClipPlayable (session);

    // Move back inside the session's folder: the clips' paths become relative, the old folder's files go.
    const auto moved = run (cli ("media-folder " + quote (session.string()) + " " + quote ((work / "show" / "Moved Media").string()) + " --mode move"));
    INFO (moved.output);
    REQUIRE (moved.exitCode == 0);
    CHECK (clipsIn (session, work / "show" / "Moved Media") == 12);
    CHECK (filesIn (work / "Copied", ".wav") == 0);
    CHECK (filesIn (work / "show" / "Moved Media", ".wav") == 12);
    for (const auto& clip : SessionManifest::load (session.string()).clips)
        CHECK (clip.file.rfind ("Moved Media/", 0) == 0);
    CHECK (recordedFolder (session) == "Moved Media");
    CHECK (contentByClip (session) == before);
    requireEveryClipPlayable (session);

    // Keep: only the folder is recorded.
    const auto manifestMoved = readText (session);
    const auto kept = run (cli ("media-folder " + quote (session.string()) + " " + quote ((work / "show" / "Kept").string()) + " --mode keep"));
    INFO (kept.output);
    REQUIRE (kept.exitCode == 0);
    CHECK (readText (session) == manifestMoved);
    CHECK (recordedFolder (session) == "Kept");
    CHECK (fs::is_directory (work / "show" / "Kept"));
    CHECK (filesIn (work / "show" / "Moved Media", ".wav") == 12);

    // The session folder moved as a whole still plays: its paths are relative.
    fs::rename (work / "show", work / "show elsewhere");
    requireEveryClipPlayable (work / "show elsewhere" / "show.cuegrid");
    CHECK (contentByClip (work / "show elsewhere" / "show.cuegrid") == before);

    // Every change is in the audit trail.
    const auto audit = MetadataDatabase ((work / "show elsewhere" / "show.cuegrid.db").string()).auditTrail();
    int changes = 0;
    for (const auto& entry : audit)
        changes += entry.kind == "mediaFolder" ? 1 : 0;
    CHECK (changes == 3);

    // A plan that cannot run changes nothing: exit 4.
    writeText (work / "a file", "x");
    const auto refused = run (cli ("media-folder " + quote ((work / "show elsewhere" / "show.cuegrid").string()) + " " + quote ((work / "a file").string()) + " --mode move"));
    INFO (refused.output);
    CHECK (refused.exitCode == 4);
    CHECK (refused.output.find ("not a folder") != std::string::npos);
    CHECK (filesIn (work / "show elsewhere" / "Moved Media", ".wav") == 12);
}

TEST_CASE ("cuegrid media-folder move killed midway: every clip stays playable, nothing is lost", "[cli][mediafolder][kill]")
{
    TemporaryFolder work ("cli-media-folder-kill");
    const auto session = makeShow (work / "show", false);
    const auto before = contentByClip (session);
    const auto oldFolder = work / "show" / "show Media", newFolder = work / "show" / "New Media";
    const auto log = work / "run.log";
    const std::vector<std::string> move { "media-folder", session.string(), newFolder.string(), "--mode", "move" };

    SECTION ("killed while copying: the next run undoes it")
    {
        killWhenPaused (startCli (move, log, "files:4"), log);
        CHECK (fs::exists (mediaFolderJournalPath (session.string())));
        CHECK (filesIn (newFolder, ".wav") == 4);
        requireEveryClipPlayable (session);   // the manifest was never switched
        CHECK (clipsIn (session, oldFolder) == 11);

        const auto recovered = run (cli ("media-folder " + quote (session.string()) + " --recover"));
        INFO (recovered.output);
        CHECK (recovered.exitCode == 0);
        CHECK (recovered.output.find ("was undone") != std::string::npos);
        CHECK (! fs::exists (mediaFolderJournalPath (session.string())));
        CHECK (filesIn (newFolder, ".wav") == 0);
        CHECK (filesIn (newFolder, ".part") == 0);
        CHECK (filesIn (oldFolder, ".wav") == 11);
        CHECK (clipsIn (session, oldFolder) == 11);
        CHECK (contentByClip (session) == before);
        CHECK (fs::path (recordedFolder (session)) == "show Media");
    }

    SECTION ("killed after the switch: the next run finishes it")
    {
        killWhenPaused (startCli (move, log, "switched"), log);
        requireEveryClipPlayable (session);
        CHECK (clipsIn (session, newFolder) == 11);
        CHECK (filesIn (oldFolder, ".wav") == 11);   // no original deleted yet

        const auto recovered = run (cli ("media-folder " + quote (session.string()) + " --recover"));
        INFO (recovered.output);
        CHECK (recovered.exitCode == 0);
        CHECK (recovered.output.find ("was finished") != std::string::npos);
        CHECK (! fs::exists (mediaFolderJournalPath (session.string())));
        CHECK (filesIn (oldFolder, ".wav") == 0);
        CHECK (filesIn (newFolder, ".wav") == 11);
        CHECK (contentByClip (session) == before);
        CHECK (recordedFolder (session) == "New Media");
        requireEveryClipPlayable (session);
    }

    SECTION ("killed at random moments, moving back and forth: every clip plays, every file is whole in one place")
    {
        const auto start = std::chrono::steady_clock::now();
        REQUIRE (run (cli ("media-folder " + quote (session.string()) + " " + quote (newFolder.string()) + " --mode move")).exitCode == 0);
        const auto undisturbedMicros = std::chrono::duration_cast<std::chrono::microseconds> (std::chrono::steady_clock::now() - start).count();
        const auto seed = std::random_device {}();
        INFO ("seed " << seed << ", undisturbed move " << undisturbedMicros << " us");
        std::mt19937 random (seed);
        int killed = 0;
        fs::path from = newFolder, to = oldFolder;
        for (int round = 0; round < 12; ++round)
        {
            INFO ("round " << round);
            const auto pid = startCli ({ "media-folder", session.string(), to.string(), "--mode", "move" }, log, "");
            std::this_thread::sleep_for (std::chrono::microseconds (std::uniform_int_distribution<long> (0, undisturbedMicros) (random)));
            ::kill (pid, SIGKILL);
            int status = 0;
            REQUIRE (::waitpid (pid, &status, 0) == pid);
            killed += WIFSIGNALED (status) ? 1 : 0;

            requireEveryClipPlayable (session);
            CHECK (contentByClip (session) == before);
            REQUIRE (run (cli ("media-folder " + quote (session.string()) + " --recover")).exitCode == 0);
            CHECK (! fs::exists (mediaFolderJournalPath (session.string())));
            requireEveryClipPlayable (session);
            CHECK (contentByClip (session) == before);
            // All in one folder or the other, with no copy or part left in the other.
            const int inTo = clipsIn (session, to), inFrom = clipsIn (session, from);
            CHECK (((inTo == 11 && inFrom == 0) || (inTo == 0 && inFrom == 11)));
            CHECK (filesIn (inTo == 11 ? from : to, ".wav") == 0);
            CHECK (filesIn (from, ".part") + filesIn (to, ".part") == 0);
            if (inTo == 11)
                std::swap (from, to);
        }
        CHECK (killed > 0);
    }
}
