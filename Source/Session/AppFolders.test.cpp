// CueGrid — GPL-3.0-or-later
#include "AppFolders.h"
#include "Errors.h"
#include "MediaCache.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <optional>

using namespace cuegrid;
namespace fs = std::filesystem;

namespace
{
    /** Sets (or, with nullopt, unsets) environment variables for one test and restores them. */
    class ScopedEnvironment
    {
    public:
        ScopedEnvironment (std::map<std::string, std::optional<std::string>> values)
        {
            for (const auto& [name, value] : values)
            {
                const char* old = std::getenv (name.c_str());
                saved[name] = old != nullptr ? std::optional<std::string> (old) : std::nullopt;
                if (value) ::setenv (name.c_str(), value->c_str(), 1);
                else ::unsetenv (name.c_str());
            }
        }
        ~ScopedEnvironment()
        {
            for (const auto& [name, value] : saved)
                if (value) ::setenv (name.c_str(), value->c_str(), 1);
                else ::unsetenv (name.c_str());
        }

    private:
        std::map<std::string, std::optional<std::string>> saved;
    };
} // namespace

TEST_CASE ("AppFolders: the home is CUEGRID_HOME, else the preference, else Documents/CueGrid, else ~/CueGrid", "[appfolders]")
{
    test::TemporaryFolder folder ("app-home");
    const auto home = folder.path / "home";
    const auto config = folder.path / "config";
    fs::create_directories (home);
    fs::create_directories (config);
    ScopedEnvironment environment ({ { "HOME", home.string() }, { "XDG_CONFIG_HOME", config.string() },
                                     { "CUEGRID_HOME", std::nullopt } });
    Preferences preferences;

    // No user-dirs.dirs: ~/CueGrid.
    CHECK (AppFolders::documentsFolder().empty());
    CHECK (AppFolders (preferences).getHome() == home / "CueGrid");

    // Documents unset in the way xdg-user-dirs disables it ($HOME itself): still ~/CueGrid.
    test::writeText (config / "user-dirs.dirs", "XDG_DESKTOP_DIR=\"$HOME/Desktop\"\nXDG_DOCUMENTS_DIR=\"$HOME/\"\n");
    CHECK (AppFolders (preferences).getHome() == home / "CueGrid");

    // xdg-user-dir DOCUMENTS, as the file says it (here a localised name with a space).
    test::writeText (config / "user-dirs.dirs", "# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR=\"$HOME/Desktop\"\n"
                                                "XDG_DOCUMENTS_DIR=\"$HOME/Mes documents\"\n");
    CHECK (AppFolders::documentsFolder() == home / "Mes documents");
    CHECK (AppFolders (preferences).getHome() == home / "Mes documents" / "CueGrid");

    // The preference beats the documents folder.
    preferences.homeOverride = (folder.path / "shows").string();
    CHECK (AppFolders (preferences).getHome() == folder.path / "shows");

    // CUEGRID_HOME beats everything.
    ScopedEnvironment override ({ { "CUEGRID_HOME", (folder.path / "from-env").string() } });
    CHECK (AppFolders (preferences).getHome() == folder.path / "from-env");
}

TEST_CASE ("AppFolders: Sessions, Exports, Logs and Autosave are created on first use only", "[appfolders]")
{
    test::TemporaryFolder folder ("app-folders");
    ScopedEnvironment environment ({ { "CUEGRID_HOME", (folder.path / "CueGrid").string() } });
    const AppFolders folders ((Preferences()));
    CHECK_FALSE (fs::exists (folders.getHome()));  // constructing creates nothing
    CHECK (folders.sessions() == folder.path / "CueGrid" / "Sessions");
    CHECK (fs::is_directory (folder.path / "CueGrid" / "Sessions"));
    CHECK_FALSE (fs::exists (folder.path / "CueGrid" / "Logs"));
    CHECK (fs::is_directory (folders.exports()));
    CHECK (fs::is_directory (folders.logs()));
    CHECK (fs::is_directory (folders.autosave()));

    // A file where a folder should be: a clear error naming it.
    test::writeText (folder.path / "blocked", "x");
    ScopedEnvironment blocked ({ { "CUEGRID_HOME", (folder.path / "blocked").string() } });
    const AppFolders blockedFolders ((Preferences()));
    REQUIRE_THROWS_AS (blockedFolders.autosave(), OutputError);
    CHECK_THROWS_WITH (blockedFolders.autosave(), Catch::Contains ((folder.path / "blocked" / "Autosave").string()));
}

TEST_CASE ("Preferences: saved and read back, in XDG_CONFIG_HOME/cuegrid", "[appfolders]")
{
    test::TemporaryFolder folder ("preferences");
    ScopedEnvironment environment ({ { "HOME", (folder.path / "home").string() },
                                     { "XDG_CONFIG_HOME", (folder.path / "config").string() } });
    CHECK (Preferences::defaultPath() == folder.path / "config" / "cuegrid" / "preferences.json");
    ScopedEnvironment noXdg ({ { "XDG_CONFIG_HOME", std::nullopt } });
    CHECK (Preferences::defaultPath() == folder.path / "home" / ".config" / "cuegrid" / "preferences.json");

    const auto file = folder.path / "config" / "cuegrid" / "preferences.json";
    // First start: no file, the defaults, nothing to report.
    const auto first = Preferences::load (file);
    CHECK (first.problem.empty());
    CHECK (first.preferences.autosaveSeconds == 30);
    CHECK (first.preferences.recentSessions.empty());

    std::vector<std::string> sessions;
    for (int i = 0; i < 12; ++i)
    {
        sessions.push_back ((folder.path / ("show" + std::to_string (i) + ".cuegrid")).string());
        test::writeText (sessions.back(), "{}");
    }
    Preferences preferences;
    preferences.homeOverride = (folder.path / "shows").string();
    preferences.autosaveSeconds = 45;
    preferences.backupsKept = 3;
    preferences.recoveryPointsKept = 7;
    for (const auto& session : sessions)
        preferences.addRecentSession (session);
    preferences.addRecentSession (sessions[5]);  // opened again: moves to the front
    REQUIRE (preferences.recentSessions.size() == 10);
    CHECK (preferences.recentSessions[0] == sessions[5]);
    CHECK (preferences.recentSessions[1] == sessions[11]);
    CHECK (preferences.recentSessions[9] == sessions[2]);  // 0 and 1 fell off

    preferences.save (file);  // creates the folder
    CHECK (fs::is_regular_file (file));
    fs::remove (sessions[11]);  // a recent session that was deleted meanwhile
    const auto loaded = Preferences::load (file);
    CHECK (loaded.problem.empty());
    CHECK (loaded.preferences.homeOverride == preferences.homeOverride);
    CHECK (loaded.preferences.autosaveSeconds == 45);
    CHECK (loaded.preferences.backupsKept == 3);
    CHECK (loaded.preferences.recoveryPointsKept == 7);
    REQUIRE (loaded.preferences.recentSessions.size() == 9);
    CHECK (loaded.preferences.recentSessions[0] == sessions[5]);
    CHECK (loaded.preferences.recentSessions[1] == sessions[10]);

    // Saving replaces the file whole and leaves no temporary beside it.
    preferences.autosaveSeconds = 60;
    preferences.save (file);
    CHECK (Preferences::load (file).preferences.autosaveSeconds == 60);
    CHECK (std::distance (fs::directory_iterator (file.parent_path()), fs::directory_iterator()) == 1);
}

TEST_CASE ("Preferences: a corrupt file gives the defaults and says which file, without throwing", "[appfolders]")
{
    test::TemporaryFolder folder ("preferences-corrupt");
    const auto file = folder.path / "preferences.json";

    test::writeText (file, "{\"format\": \"cuegrid.preferences\", \"version\": 1, \"autosaveSeconds\": 4");  // cut off
    auto result = Preferences::load (file);
    CHECK_THAT (result.problem, Catch::Contains (file.string()) && Catch::Contains ("malformed JSON"));
    CHECK (result.preferences.autosaveSeconds == 30);

    test::writeText (file, "[1, 2, 3]");
    CHECK_THAT (Preferences::load (file).problem, Catch::Contains ("not a preferences file"));

    test::writeText (file, "{\"format\": \"something.else\"}");
    CHECK_THAT (Preferences::load (file).problem, Catch::Contains ("format is not \"cuegrid.preferences\""));

    // One bad value: that one keeps its default, the others are read, the problem names it.
    test::writeText (file, R"({"format": "cuegrid.preferences", "version": 1, "autosaveSeconds": 0.5,
                               "backupsKept": 9, "recoveryPointsKept": 100000, "home": "relative/path",
                               "recentSessions": "not a list"})");
    result = Preferences::load (file);
    CHECK (result.preferences.autosaveSeconds == 30);
    CHECK (result.preferences.backupsKept == 9);
    CHECK (result.preferences.recoveryPointsKept == 20);
    CHECK (result.preferences.homeOverride.empty());
    CHECK_THAT (result.problem, Catch::Contains ("autosaveSeconds must be a whole number from 5 to 3600 (kept 30)")
                                    && Catch::Contains ("recoveryPointsKept must be a whole number from 1 to 1000")
                                    && Catch::Contains ("home must be an absolute folder path")
                                    && Catch::Contains ("recentSessions must be a list"));

    // Wrong types anywhere: no exception, the defaults for what was wrong.
    test::writeText (file, R"({"format": 5})");
    CHECK_THAT (Preferences::load (file).problem, Catch::Contains ("format is not"));
    test::writeText (file, R"({"format": "cuegrid.preferences", "version": "x", "home": 5, "recentSessions": [1, null, "/nonexistent"],
                               "autosaveSeconds": "30", "backupsKept": null, "recoveryPointsKept": [1]})");
    result = Preferences::load (file);
    CHECK (result.preferences.recentSessions.empty());
    CHECK (result.preferences.autosaveSeconds == 30);
    CHECK (result.preferences.backupsKept == 5);
    CHECK_THAT (result.problem, Catch::Contains ("home must be") && Catch::Contains ("autosaveSeconds must be"));

    // A folder where the file should be: unreadable, still no exception.
    fs::remove (file);
    fs::create_directories (file);
    CHECK_FALSE (Preferences::load (file).problem.empty());
    CHECK_THROWS_AS (Preferences().save (file), OutputError);
}

TEST_CASE ("checkMediaFolder: creates, writes a test file, reads free space and the file system", "[appfolders]")
{
    test::TemporaryFolder folder ("media-check");
    const auto media = folder.path / "Show" / "Media";

    const auto missing = checkMediaFolder (media, false);
    CHECK_FALSE (missing.usable);
    CHECK_THAT (missing.problem, Catch::Contains (media.string()) && Catch::Contains ("does not exist"));

    const auto created = checkMediaFolder (media, true, 0);
    CHECK (created.usable);
    CHECK (created.problem.empty());
    CHECK (fs::is_directory (media));
    CHECK (fs::is_empty (media));  // the test file is gone
    CHECK (created.freeBytes > 0);
    CHECK (created.warnings.empty());
    CHECK_FALSE (created.network);

    // Less free space than asked for: a warning with the amount, still usable.
    const auto tight = checkMediaFolder (media, true, created.freeBytes * 4 + (1ull << 40));
    CHECK (tight.usable);
    REQUIRE (tight.warnings.size() == 1);
    CHECK_THAT (tight.warnings[0], Catch::Contains ("free"));

    test::writeText (folder.path / "file.wav", "x");
    const auto file = checkMediaFolder (folder.path / "file.wav");
    CHECK_FALSE (file.usable);
    CHECK_THAT (file.problem, Catch::Contains ("is not a folder"));

    // /proc refuses new files even to root: a folder nobody can write in.
    const auto readOnly = checkMediaFolder ("/proc", false, 0);
    CHECK_FALSE (readOnly.usable);
    CHECK_THAT (readOnly.problem, Catch::Contains ("/proc: cannot write in the folder"));

    // /dev/shm is a tmpfs: named, local, not removable.
    if (fs::is_directory ("/dev/shm"))
    {
        const auto shm = checkMediaFolder ("/dev/shm", false, 0);
        CHECK (shm.fileSystem == "tmpfs");
        CHECK_FALSE (shm.network);
        CHECK_FALSE (shm.removable);
    }
}

TEST_CASE ("Preferences: mediaCacheMB is read, range-checked and saved, and sets the media cache's budget", "[appfolders]")
{
    test::TemporaryFolder folder ("preferences-media-cache");
    const auto file = folder.path / "preferences.json";
    CHECK (Preferences::load (file).preferences.mediaCacheMB == 0);   // automatic

    test::writeText (file, R"({"format": "cuegrid.preferences", "version": 1, "mediaCacheMB": 300000})");
    auto result = Preferences::load (file);
    CHECK (result.preferences.mediaCacheMB == 0);
    CHECK_THAT (result.problem, Catch::Contains ("mediaCacheMB must be a whole number from 0 to 262144"));

    result.preferences.mediaCacheMB = 1536;
    result.preferences.save (file);
    CHECK (Preferences::load (file).preferences.mediaCacheMB == 1536);

    // Applied unless CUEGRID_MEDIA_CACHE_MB is set (the environment wins, for tests).
    auto& cache = MediaCache::instance();
    const auto before = cache.getBudgetBytes();
    cache.setBudgetFromPreferences (1536);
    if (std::getenv ("CUEGRID_MEDIA_CACHE_MB") == nullptr)
        CHECK (cache.getBudgetBytes() == (int64_t) 1536 << 20);
    else
        CHECK (cache.getBudgetBytes() == before);
    cache.setBudgetBytes (before);
}

TEST_CASE ("Preferences: the MIDI and OSC debounce are read, range-checked and saved", "[appfolders]")
{
    test::TemporaryFolder folder ("preferences-debounce");
    const auto file = folder.path / "preferences.json";
    CHECK (Preferences::load (file).preferences.midiDebounceMs == 0);   // off
    CHECK (Preferences::load (file).preferences.oscDebounceMs == 0);

    test::writeText (file, R"({"format": "cuegrid.preferences", "version": 1, "midiDebounceMs": 80, "oscDebounceMs": -5})");
    auto result = Preferences::load (file);
    CHECK (result.preferences.midiDebounceMs == 80);
    CHECK (result.preferences.oscDebounceMs == 0);
    CHECK_THAT (result.problem, Catch::Contains ("oscDebounceMs must be a whole number from 0 to 10000"));

    result.preferences.oscDebounceMs = 250;
    result.preferences.save (file);
    const auto back = Preferences::load (file);
    CHECK (back.problem.empty());
    CHECK (back.preferences.midiDebounceMs == 80);
    CHECK (back.preferences.oscDebounceMs == 250);
    CHECK_THAT (test::readText (file), Catch::Contains ("\"oscDebounceMs\": 250"));
}

TEST_CASE ("Preferences: mediaSearchPaths keeps absolute folders, refuses relative ones and is saved", "[appfolders]")
{
    test::TemporaryFolder folder ("preferences-search-paths");
    const auto file = folder.path / "preferences.json";
    CHECK (Preferences::load (file).preferences.mediaSearchPaths.empty());

    test::writeText (file, R"({"format": "cuegrid.preferences", "version": 1, "mediaSearchPaths": ["/mnt/show media", "relative/media", 7]})");
    auto result = Preferences::load (file);
    CHECK (result.preferences.mediaSearchPaths == std::vector<std::string> { "/mnt/show media" });
    CHECK_THAT (result.problem, Catch::Contains ("mediaSearchPaths: an entry is not an absolute folder path (ignored)"));

    result.preferences.mediaSearchPaths.push_back ("/srv/audio");
    result.preferences.save (file);
    CHECK (Preferences::load (file).preferences.mediaSearchPaths == std::vector<std::string> { "/mnt/show media", "/srv/audio" });
    CHECK (Preferences::load (file).problem.empty());
}
