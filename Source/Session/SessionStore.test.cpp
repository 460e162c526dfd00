// CueGrid — GPL-3.0-or-later
// SessionStore saving: backups, the migration copy of an older version, failures that change
// nothing, Save As, symlinks. Recovery points and the run marker: SessionStoreRecovery.test.cpp.
#include "Errors.h"
#include "MediaLoader.h"
#include "SessionStore.h"
#include "SessionStore.test.h"

#include <catch2/catch.hpp>

#include <set>

using namespace cuegrid;
using namespace cuegrid::test;
namespace fs = std::filesystem;

namespace
{
    /** An older version's manifest from Tests/data/sessions, copied in as show.cuegrid. */
    struct OlderShow
    {
        std::string path;
        std::string original;   // its text as copied
    };

    OlderShow copyOlderShow (const test::TemporaryFolder& folder, int version)
    {
        const auto path = (folder.path / "show.cuegrid").string();
        fs::copy_file (test::dataPath ("sessions/version" + std::to_string (version) + ".cuegrid"), path);
        CHECK (SessionStore::manifestVersionOnDisk (path) == version);
        return { path, test::readText (path) };
    }

    /** The first save kept the original byte for byte as show.v<version>.cuegrid and wrote
        the current version over it. Returns the copy's path. */
    fs::path checkMigrationCopy (const SessionStore::SaveResult& result, const OlderShow& show, int version)
    {
        const auto copy = fs::path (show.path).parent_path() / ("show.v" + std::to_string (version) + ".cuegrid");
        CHECK (SessionStore::migrationBackupPath (show.path, version) == copy);
        CHECK (result.migrationBackup == copy.string());
        CHECK (test::readText (copy) == show.original);  // byte for byte
        CHECK (SessionStore::manifestVersionOnDisk (copy.string()) == version);
        CHECK (SessionStore::manifestVersionOnDisk (show.path) == Session::currentVersion);
        return copy;
    }

    /** Later saves (by this store or another) keep that copy as it is. */
    void checkLaterSavesKeepCopy (SessionStore& store, Session session, const OlderShow& show, const fs::path& copy,
                                  const fs::path& autosave)
    {
        session.name = "Changed";
        CHECK (store.save (session).migrationBackup.empty());
        SessionStore again (show.path, { autosave, 5, 20 });
        CHECK (again.save (session).migrationBackup.empty());
        CHECK (test::readText (copy) == show.original);
    }
} // namespace

TEST_CASE ("SessionStore: save keeps the previous versions as .bak1 to .bakN, newest first", "[sessionstore]")
{
    test::TemporaryFolder folder ("store-rotation");
    const auto path = makeShow (folder.path);
    SessionStore store (path, { folder.path / "Autosave", 3, 20 });
    const auto session = SessionManifest::load (path);

    for (int i = 1; i <= 5; ++i)
    {
        const auto before = test::readText (path);
        const auto result = store.save (named (session, "Save " + std::to_string (i)));
        CHECK (result.warnings.empty());
        CHECK (test::readText (SessionStore::backupPath (path, 1)) == before);
    }
    CHECK (SessionManifest::load (path).name == "Save 5");
    CHECK (SessionManifest::load (SessionStore::backupPath (path, 1).string()).name == "Save 4");
    CHECK (SessionManifest::load (SessionStore::backupPath (path, 2).string()).name == "Save 3");
    CHECK (SessionManifest::load (SessionStore::backupPath (path, 3).string()).name == "Save 2");
    CHECK_FALSE (fs::exists (SessionStore::backupPath (path, 4)));
    CHECK (SessionStore::backupPath (path, 2) == folder.path / "show.cuegrid.bak2");
    // A backup opens where it is (same folder: the relative media paths still hold).
    const auto backup = SessionManifest::load (SessionStore::backupPath (path, 3).string());
    CHECK (fs::exists (resolveMediaPath (SessionStore::backupPath (path, 3), backup.clips[0].file)));
    // Nothing else was left beside the session (no temporaries, no migration copy of a v2 file).
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator (folder.path))
        names.insert (entry.path().filename().string());
    CHECK (names == std::set<std::string> { "media", "show.cuegrid", "show.cuegrid.bak1", "show.cuegrid.bak2", "show.cuegrid.bak3" });

    // Fewer backups kept than before: the extra ones go at the next save.
    SessionStore fewer (path, { folder.path / "Autosave", 2, 20 });
    fewer.save (named (session, "Save 6"));
    CHECK (SessionManifest::load (SessionStore::backupPath (path, 2).string()).name == "Save 4");
    CHECK_FALSE (fs::exists (SessionStore::backupPath (path, 3)));
    SessionStore none (path, { folder.path / "Autosave", 0, 20 });
    none.save (named (session, "Save 7"));
    CHECK_FALSE (fs::exists (SessionStore::backupPath (path, 1)));
    CHECK_FALSE (fs::exists (SessionStore::backupPath (path, 2)));

    // backupsKept 0: no backups at all.
    const auto other = makeShow (folder.path / "other");
    SessionStore noBackups (other, { folder.path / "Autosave", 0, 20 });
    noBackups.save (named (session, "Saved"));
    CHECK (SessionManifest::load (other).name == "Saved");
    CHECK_FALSE (fs::exists (SessionStore::backupPath (other, 1)));
}

TEST_CASE ("SessionStore: the first save of a version 1 manifest keeps the original as name.v1.cuegrid", "[sessionstore]")
{
    test::TemporaryFolder folder ("store-migration");
    const auto show = copyOlderShow (folder, 1);
    const auto& path = show.path;

    SessionStore store (path, { folder.path / "Autosave", 5, 20 });
    auto session = SessionManifest::load (path);
    const auto copy = checkMigrationCopy (store.save (session), show, 1);
    checkLaterSavesKeepCopy (store, session, show, copy, folder.path / "Autosave");
    CHECK (SessionManifest::load (path).name == "Changed");

    // A current-version session never gets one.
    const auto v3 = makeShow (folder.path / "v3");
    REQUIRE (SessionStore::manifestVersionOnDisk (v3) == Session::currentVersion);
    SessionStore v3Store (v3, { folder.path / "Autosave", 5, 20 });
    CHECK (v3Store.save (SessionManifest::load (v3)).migrationBackup.empty());
    for (int version = 1; version <= Session::currentVersion; ++version)
        CHECK_FALSE (fs::exists (SessionStore::migrationBackupPath (v3, version)));
}

TEST_CASE ("SessionStore: the first save of a version 2 manifest keeps the original as name.v2.cuegrid", "[sessionstore]")
{
    test::TemporaryFolder folder ("store-migration-v2");
    const auto show = copyOlderShow (folder, 2);
    const auto& path = show.path;

    SessionStore store (path, { folder.path / "Autosave", 5, 20 });
    auto session = SessionManifest::load (path);
    session.routing.recordA = { 7, 8 };   // a version 3 field: the save is one a version 2 reader could not hold
    const auto copy = checkMigrationCopy (store.save (session), show, 2);
    CHECK_FALSE (fs::exists (SessionStore::migrationBackupPath (path, 1)));
    CHECK (SessionManifest::load (path).routing.recordA == ChannelPair { 7, 8 });
    CHECK (SessionManifest::load (copy.string()).routing.recordA == ChannelPair { 1, 2 });
    checkLaterSavesKeepCopy (store, session, show, copy, folder.path / "Autosave");

    // An unreadable or absurd version is no version: no copy named after it.
    for (const auto* text : { R"({"version": 1e300})", R"({"version": 2.5})", R"({"version": -1})", "{" })
    {
        INFO (text);
        test::writeText (folder.path / "odd.cuegrid", text);
        CHECK (SessionStore::manifestVersionOnDisk ((folder.path / "odd.cuegrid").string()) == 0);
    }
}

TEST_CASE ("SessionStore: a save that cannot be written throws OutputError naming the file and changes nothing", "[sessionstore]")
{
    test::TemporaryFolder folder ("store-failure");
    const auto path = makeShow (folder.path);
    SessionStore store (path, { folder.path / "Autosave", 3, 20 });
    const auto session = SessionManifest::load (path);
    store.save (named (session, "First"));
    const auto saved = test::readText (path);
    const auto backup = test::readText (SessionStore::backupPath (path, 1));

    // A folder in the way of the session file.
    const auto blockedPath = (folder.path / "blocked.cuegrid").string();
    fs::create_directories (blockedPath);
    SessionStore blocked (blockedPath, { folder.path / "Autosave", 3, 20 });
    CHECK_THROWS_WITH (blocked.save (session), Catch::Contains (blockedPath));

    // A missing folder.
    SessionStore nowhere ((folder.path / "gone" / "show.cuegrid").string(), { folder.path / "Autosave", 3, 20 });
    CHECK_THROWS_AS (nowhere.save (session), OutputError);
    CHECK_THROWS_WITH (nowhere.save (session), Catch::Contains ((folder.path / "gone").string()));

    CHECK (test::readText (path) == saved);
    CHECK (test::readText (SessionStore::backupPath (path, 1)) == backup);
}

TEST_CASE ("SessionStore: Save As rebases relative media paths and moves the run marker", "[sessionstore]")
{
    test::TemporaryFolder folder ("store-save-as");
    const auto path = makeShow (folder.path / "old");
    const auto autosave = folder.path / "Autosave";
    SessionStore store (path, { autosave, 5, 10 });
    store.markOpen();
    const auto oldMarker = store.getRecoveryFolder() / "running.json";
    CHECK (fs::exists (oldMarker));
    auto session = SessionManifest::load (path);
    ClipDefinition local = session.clips[0];
    local.id = "local";
    local.file = "../new/media/local.wav";  // inside the new folder once saved there
    session.clips.push_back (local);

    // Into a folder elsewhere: media outside it becomes absolute, inside it relative.
    fs::create_directories (folder.path / "new" / "media");
    const auto newPath = (folder.path / "new" / "renamed.cuegrid").string();
    const auto oldBytes = test::readText (path);
    SessionStore::SaveResult result;
    const auto rebased = store.saveAs (session, newPath, &result);
    CHECK (result.warnings.empty());
    CHECK (store.getSessionPath() == newPath);
    CHECK (store.getSaveCount() == 1);
    CHECK (rebased.clips[0].file == (folder.path / "old" / "media" / "kick.wav").string());
    CHECK (rebased.clips[1].file == session.clips[1].file);  // absolute already
    CHECK (rebased.clips[2].file == "media/local.wav");
    const auto reloaded = SessionManifest::load (newPath);
    CHECK (SessionManifest::toJson (reloaded) == SessionManifest::toJson (rebased));
    CHECK (fs::exists (resolveMediaPath (newPath, reloaded.clips[0].file)));
    CHECK (test::readText (path) == oldBytes);  // the old file is untouched

    // The marker moved with the store.
    CHECK_FALSE (fs::exists (oldMarker));
    CHECK (fs::exists (store.getRecoveryFolder() / "running.json"));
    CHECK (store.getRecoveryFolder() == SessionStore::recoveryFolderFor (newPath, autosave));
    CHECK (store.recoveryPointNow (rebased).parent_path() == SessionStore::recoveryFolderFor (newPath, autosave));

    // A Save As that fails leaves the store where it was.
    CHECK_THROWS_AS (store.saveAs (rebased, (folder.path / "missing" / "x.cuegrid").string()), OutputError);
    CHECK (store.getSessionPath() == newPath);
    CHECK (store.getSaveCount() == 1);

    // keepRunMarker: a store destroyed without a clean close leaves its marker.
    {
        SessionStore recovered (path, { autosave, 5, 10 });
        recovered.markOpen();
        recovered.keepRunMarker();
    }
    CHECK (SessionStore::findRecovery (path, autosave).crashed);
}

TEST_CASE ("SessionStore: every manifest in Tests/data/sessions saves as the current version, an older one with its copy named by version", "[sessionstore]")
{
    test::TemporaryFolder folder ("store-data-sessions");
    int versions[Session::currentVersion + 1] = {};
    for (const auto& entry : fs::directory_iterator (test::dataPath ("sessions")))
    {
        if (entry.path().extension() != ".cuegrid" || SessionStore::manifestVersionOnDisk (entry.path().string()) == 0)
            continue;
        INFO (entry.path().filename().string());
        const auto path = (folder.path / entry.path().filename()).string();
        fs::copy_file (entry.path(), path);
        const auto version = SessionStore::manifestVersionOnDisk (path);
        REQUIRE ((version >= 1 && version <= Session::currentVersion));
        ++versions[version];
        const auto original = test::readText (path);
        const auto session = SessionManifest::load (path);
        SessionStore store (path, { folder.path / "Autosave", 5, 10 });
        const auto result = store.save (session);
        CHECK (SessionStore::manifestVersionOnDisk (path) == Session::currentVersion);
        CHECK (SessionManifest::toJson (SessionManifest::load (path)) == SessionManifest::toJson (session));
        CHECK (test::readText (SessionStore::backupPath (path, 1)) == original);
        if (version < Session::currentVersion)
        {
            CHECK (result.migrationBackup == SessionStore::migrationBackupPath (path, version).string());
            CHECK (test::readText (SessionStore::migrationBackupPath (path, version)) == original);
        }
        else
            CHECK (result.migrationBackup.empty());
    }
    CHECK (versions[1] >= 1);
    CHECK (versions[2] >= 1);
    CHECK (versions[3] >= 1);
    CHECK (versions[4] >= 1);
}

TEST_CASE ("SessionStore: a session that is a symlink is saved through it and backed up beside it", "[sessionstore]")
{
    test::TemporaryFolder folder ("store-symlink");
    const auto target = makeShow (folder.path / "real");
    const auto link = (folder.path / "show.cuegrid").string();
    fs::create_symlink (target, link);
    const auto original = test::readText (target);
    SessionStore store (link, { folder.path / "Autosave", 5, 10 });
    auto session = SessionManifest::load (link);
    session.name = "Through the link";
    store.save (session);
    CHECK (fs::is_symlink (link));                                         // the link stays a link
    CHECK (SessionManifest::load (target).name == "Through the link");     // its target was replaced
    CHECK (test::readText (SessionStore::backupPath (link, 1)) == original);  // the old target, not the link
    CHECK_FALSE (fs::is_symlink (SessionStore::backupPath (link, 1)));
}
