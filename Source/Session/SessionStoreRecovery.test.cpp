// CueGrid — GPL-3.0-or-later
// SessionStore recovery: recovery points, the run marker a killed app leaves, the temporaries it
// leaves, the Autosaver, damaged files, pruning. Saving: SessionStore.test.cpp.
#include "Errors.h"
#include "MediaLoader.h"
#include "SessionStore.h"
#include "SessionStore.test.h"

#include <catch2/catch.hpp>

#include <csignal>
#include <regex>

#include <sys/wait.h>
#include <unistd.h>

using namespace cuegrid;
using namespace cuegrid::test;
namespace fs = std::filesystem;

namespace
{
    /** Runs `body` in a child process that must die of SIGKILL, as a crashed app would (the
        body raises it while its store is alive: no destructor may run). */
    template <typename Body>
    void inKilledChild (Body&& body)
    {
        const auto child = ::fork();
        REQUIRE (child >= 0);
        if (child == 0)
        {
            try { body(); } catch (...) { ::_exit (3); }
            ::raise (SIGKILL);
            ::_exit (4);
        }
        int status = 0;
        ::waitpid (child, &status, 0);
        REQUIRE (WIFSIGNALED (status));
        REQUIRE (WTERMSIG (status) == SIGKILL);
    }
} // namespace

TEST_CASE ("SessionStore: recovery points are named by UTC time, self-contained, and the last N are kept", "[sessionstore]")
{
    test::TemporaryFolder folder ("store-recovery");
    const auto path = makeShow (folder.path / "show folder");
    const auto autosave = folder.path / "CueGrid" / "Autosave";
    SessionStore store (path, { autosave, 5, 3 });
    const auto session = SessionManifest::load (path);

    const auto recoveryFolder = store.getRecoveryFolder();
    CHECK (recoveryFolder.parent_path() == autosave);
    CHECK (std::regex_match (recoveryFolder.filename().string(), std::regex ("show-[0-9a-f]{8}")));
    // Another show.cuegrid in another folder gets its own recovery folder.
    CHECK (SessionStore::recoveryFolderFor ((folder.path / "elsewhere" / "show.cuegrid").string(), autosave) != recoveryFolder);
    CHECK (SessionStore::recoveryFolderFor (path, autosave) == recoveryFolder);

    std::vector<fs::path> written;
    for (int i = 1; i <= 5; ++i)
        written.push_back (store.recoveryPointNow (named (session, "Point " + std::to_string (i)),
                                                   i == 5 ? "before grid shrink" : "autosave"));
    for (const auto& point : written)
    {
        CHECK (point.parent_path() == recoveryFolder);
        CHECK (std::regex_match (point.filename().string(), std::regex ("20[0-9]{6}T[0-9]{6}\\.[0-9]{6}Z\\.cuegrid")));
    }
    // Rolling: the three newest are kept.
    const auto points = SessionStore::listRecoveryPoints (recoveryFolder);
    REQUIRE (points.size() == 3);
    CHECK (points[0].path == written[2]);
    CHECK (points[2].path == written[4]);
    CHECK (points[0].createdMicros < points[1].createdMicros);
    CHECK (std::regex_match (points[2].createdUtc, std::regex ("20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z")));

    // Self-contained: loaded as a plain manifest from where it is, its media resolves.
    const auto plain = SessionManifest::load (points[2].path.string());
    CHECK (plain.name == "Point 5");
    for (const auto& clip : plain.clips)
    {
        CHECK (fs::path (clip.file).is_absolute());
        CHECK (fs::exists (resolveMediaPath (points[2].path, clip.file)));
    }
    // Read back as a recovery point: the original paths and session, the time and reason.
    const auto recovered = SessionStore::loadRecoveryPoint (points[2].path);
    CHECK (recovered.sessionPath == path);
    CHECK (recovered.reason == "before grid shrink");
    CHECK (recovered.createdUtc == points[2].createdUtc);
    CHECK (recovered.session.name == "Point 5");
    CHECK (recovered.session.clips[0].file == "media/kick.wav");
    CHECK (recovered.session.clips[1].file == session.clips[1].file);
    CHECK (SessionManifest::toJson (recovered.session) == SessionManifest::toJson (named (session, "Point 5")));

    // A plain manifest is not a recovery point.
    CHECK_THROWS_WITH (SessionStore::loadRecoveryPoint (path), Catch::Contains ("not a recovery point"));
}

TEST_CASE ("SessionStore: a run marker left by a killed app offers the newest recovery point newer than the saved file", "[sessionstore]")
{
    test::TemporaryFolder folder ("store-crash");
    const auto path = makeShow (folder.path);
    const auto autosave = folder.path / "Autosave";
    const StoreSettings settings { autosave, 5, 10 };
    const auto session = SessionManifest::load (path);

    // A clean run: marker while open, none after.
    {
        SessionStore store (path, settings);
        store.markOpen();
        CHECK (fs::exists (store.getRecoveryFolder() / "running.json"));
        store.recoveryPointNow (named (session, "Clean run"));
    }
    CHECK_FALSE (fs::exists (SessionStore::recoveryFolderFor (path, autosave) / "running.json"));
    auto offer = SessionStore::findRecovery (path, autosave);
    CHECK_FALSE (offer.crashed);
    CHECK_FALSE (offer.point.has_value());

    // A run killed after two recovery points: the newer one is offered.
    inKilledChild ([&] {
        SessionStore store (path, settings);
        store.markOpen();
        store.recoveryPointNow (named (session, "Edit 1"));
        store.recoveryPointNow (named (session, "Edit 2"));
        ::raise (SIGKILL);
    });
    offer = SessionStore::findRecovery (path, autosave);
    CHECK (offer.crashed);
    CHECK_FALSE (offer.otherInstanceRunning);
    CHECK_THAT (offer.markerText, Catch::Contains ("\"pid\""));
    REQUIRE (offer.point.has_value());
    CHECK (offer.point->createdMicros > offer.savedMicros);
    CHECK (SessionStore::loadRecoveryPoint (offer.point->path).session.name == "Edit 2");

    // Saved after its last recovery point, then killed: nothing newer to offer.
    inKilledChild ([&] {
        SessionStore store (path, settings);
        store.markOpen();
        store.recoveryPointNow (named (session, "Edit 3"));
        store.save (named (session, "Saved after edit 3"));
        ::raise (SIGKILL);
    });
    offer = SessionStore::findRecovery (path, autosave);
    CHECK (offer.crashed);
    CHECK_FALSE (offer.point.has_value());

    // The marker of a live other instance: no offer (that instance has the session open).
    int ready[2];
    REQUIRE (::pipe (ready) == 0);
    const auto other = ::fork();
    REQUIRE (other >= 0);
    if (other == 0)
    {
        SessionStore store (path, settings);
        store.markOpen();
        store.recoveryPointNow (named (session, "Other instance"));
        char byte = 1;
        if (::write (ready[1], &byte, 1) != 1) {}
        ::pause();
        ::_exit (0);
    }
    char byte = 0;
    REQUIRE (::read (ready[0], &byte, 1) == 1);
    offer = SessionStore::findRecovery (path, autosave);
    CHECK (offer.crashed);
    CHECK (offer.otherInstanceRunning);
    CHECK_FALSE (offer.point.has_value());
    {
        // Opened here too: the other instance's marker stays (its crash must still show).
        SessionStore second (path, settings);
        CHECK_FALSE (second.markOpen());
    }
    CHECK_THAT (test::readText (SessionStore::recoveryFolderFor (path, autosave) / "running.json"),
                Catch::Contains ("\"pid\": " + std::to_string (other)));
    ::kill (other, SIGKILL);
    ::waitpid (other, nullptr, 0);
    ::close (ready[0]);
    ::close (ready[1]);
    offer = SessionStore::findRecovery (path, autosave);
    CHECK_FALSE (offer.otherInstanceRunning);
    REQUIRE (offer.point.has_value());
    CHECK (SessionStore::loadRecoveryPoint (offer.point->path).session.name == "Other instance");

    // Opening again cleans up: a new marker (ours), then a clean close removes it.
    {
        SessionStore store (path, settings);
        store.markOpen();
        CHECK_THAT (test::readText (store.getRecoveryFolder() / "running.json"),
                    Catch::Contains ("\"pid\": " + std::to_string (::getpid())));
    }
    CHECK_FALSE (SessionStore::findRecovery (path, autosave).crashed);
}

TEST_CASE ("SessionStore: opening removes temporaries a killed save left, and only those of its session", "[sessionstore]")
{
    test::TemporaryFolder folder ("store-temporaries");
    const auto path = makeShow (folder.path);
    SessionStore store (path, { folder.path / "Autosave", 5, 10 });
    fs::create_directories (store.getRecoveryFolder());
    for (const auto* name : { "show.cuegrid.tmp-a1B2c3", "show.cuegrid.link-tmp", "other.cuegrid.tmp-a1B2c3", "show.cuegrid.bak1" })
        test::writeText (folder.path / name, "{");
    test::writeText (store.getRecoveryFolder() / "20261124T000256.123456Z.cuegrid.tmp-zzzzzz", "{");
    store.markOpen();
    CHECK_FALSE (fs::exists (folder.path / "show.cuegrid.tmp-a1B2c3"));
    CHECK_FALSE (fs::exists (folder.path / "show.cuegrid.link-tmp"));
    CHECK (fs::exists (folder.path / "other.cuegrid.tmp-a1B2c3"));
    CHECK (fs::exists (folder.path / "show.cuegrid.bak1"));
    CHECK_FALSE (fs::exists (store.getRecoveryFolder() / "20261124T000256.123456Z.cuegrid.tmp-zzzzzz"));
    // A temporary is never taken for a recovery point.
    CHECK (SessionStore::listRecoveryPoints (store.getRecoveryFolder()).empty());
}

TEST_CASE ("Autosaver: a recovery point one interval after the first change no point holds", "[sessionstore]")
{
    Autosaver autosaver (30.0);
    CHECK_FALSE (autosaver.isDue (0.0, false, 0));
    CHECK_FALSE (autosaver.isDue (100.0, false, 0));   // saved: never
    CHECK_FALSE (autosaver.isDue (100.0, true, 1));    // the first change starts the interval
    CHECK_FALSE (autosaver.isDue (129.9, true, 5));    // more changes do not restart it
    CHECK (autosaver.isDue (130.0, true, 5));
    autosaver.written (130.0, 5);
    CHECK_FALSE (autosaver.isDue (200.0, true, 5));    // idle with unsaved changes: the point holds them
    CHECK_FALSE (autosaver.isDue (201.0, true, 6));    // a new change at 201
    CHECK_FALSE (autosaver.isDue (230.9, true, 7));
    CHECK (autosaver.isDue (231.0, true, 7));
    CHECK_FALSE (autosaver.isDue (240.0, false, 7));   // saved: the pending change is in the file
    CHECK_FALSE (autosaver.isDue (300.0, true, 8));    // a change long after the save: a fresh interval
    CHECK_FALSE (autosaver.isDue (329.0, true, 8));
    CHECK (autosaver.isDue (330.0, true, 8));
    CHECK_FALSE (autosaver.isDue (331.0, true, 5));    // undone back to what the last point holds

    test::TemporaryFolder folder ("autosaver");
    const auto path = makeShow (folder.path);
    const auto session = SessionManifest::load (path);
    SessionStore store (path, { folder.path / "Autosave", 5, 10 });
    Autosaver ticking (5.0);
    // An edit at every second for 12 s, then 20 idle seconds with the changes unsaved.
    for (double now = 0.0; now <= 32.0; now += 1.0)
        CHECK (ticking.tick (now, true, (std::uint64_t) std::min (now, 12.0) + 1, store, session).empty());
    // Points at 5 s, at 11 s (for the changes since 6 s) and at 17 s (the change at 12 s); then none.
    CHECK (SessionStore::listRecoveryPoints (store.getRecoveryFolder()).size() == 3);

    // An autosave folder that cannot be created: the error text, no exception, tried again later.
    test::writeText (folder.path / "file", "x");
    SessionStore blocked (path, { folder.path / "file" / "Autosave", 5, 10 });
    Autosaver failing (5.0);
    CHECK (failing.tick (0.0, true, 1, blocked, session).empty());
    CHECK_THAT (failing.tick (5.0, true, 1, blocked, session), Catch::Contains ("cannot create the recovery folder"));
    CHECK (failing.tick (6.0, true, 1, blocked, session).empty());
    CHECK (failing.tick (9.9, true, 2, blocked, session).empty());
    CHECK_THAT (failing.tick (10.0, true, 2, blocked, session), Catch::Contains ("cannot create the recovery folder"));
}

TEST_CASE ("SessionStore: hand-edited or damaged markers and recovery points never make findRecovery throw", "[sessionstore]")
{
    test::TemporaryFolder folder ("store-hostile");
    const auto path = makeShow (folder.path);
    const auto autosave = folder.path / "Autosave";
    SessionStore store (path, { autosave, 5, 10 });
    const auto session = SessionManifest::load (path);
    const auto good = store.recoveryPointNow (named (session, "Good point"));
    const auto recoveryFolder = store.getRecoveryFolder();

    for (const auto* marker : { R"({"pid": "abc", "host": 5, "processStart": []})", "[1, 2]", "not json", "",
                                R"({"pid": 1, "host": null})" })
    {
        INFO (marker);
        test::writeText (recoveryFolder / "running.json", marker);
        RecoveryOffer offer;
        REQUIRE_NOTHROW (offer = SessionStore::findRecovery (path, autosave));
        CHECK (offer.crashed);
        CHECK_FALSE (offer.otherInstanceRunning);
        REQUIRE (offer.point.has_value());
        CHECK (offer.point->path == good);
    }

    // Newer points whose notes are damaged are passed over for the good one.
    auto text = test::readText (good);
    const auto damage = [&] (const std::string& name, const std::string& from, const std::string& to)
    {
        auto damaged = text;
        const auto at = damaged.find (from);
        REQUIRE (at != std::string::npos);
        damaged.replace (at, from.size(), to);
        test::writeText (recoveryFolder / name, damaged);
    };
    damage ("20991231T000000.000001Z.cuegrid", "\"session\": \"", "\"session\": 5, \"x\": \"");
    damage ("20991231T000000.000002Z.cuegrid", "\"recoveryPoint\": {", "\"recoveryPoint\": \"text\", \"y\": {");
    damage ("20991231T000000.000003Z.cuegrid", "\"format\"", "\"formatx\"");
    test::writeText (recoveryFolder / "20991231T000000.000004Z.cuegrid", "{\"truncated\": ");
    RecoveryOffer offer;
    REQUIRE_NOTHROW (offer = SessionStore::findRecovery (path, autosave));
    REQUIRE (offer.point.has_value());
    CHECK (offer.point->path == good);
    CHECK_THROWS_AS (SessionStore::loadRecoveryPoint (recoveryFolder / "20991231T000000.000001Z.cuegrid"), InputError);
    CHECK_THROWS_AS (SessionStore::loadRecoveryPoint (recoveryFolder / "20991231T000000.000002Z.cuegrid"), InputError);
}

TEST_CASE ("SessionStore: pruneAutosave removes recovery folders long unused and without a run marker", "[sessionstore]")
{
    test::TemporaryFolder folder ("store-prune");
    const auto autosave = folder.path / "Autosave";
    const auto point = [&] (const std::string& session, const std::string& name)
    {
        fs::create_directories (autosave / session);
        test::writeText (autosave / session / name, "{}");
    };
    point ("old-00000001", "20200101T000000.000000Z.cuegrid");       // a show closed years ago
    point ("old-00000001", "20200102T000000.000000Z.cuegrid");
    test::writeText (autosave / "old-00000001" / "20200102T000000.000000Z.cuegrid.tmp-abcdef", "{");
    point ("crashed-00000002", "20200101T000000.000000Z.cuegrid");   // old, but its run marker says it crashed
    test::writeText (autosave / "crashed-00000002" / "running.json", "{}");
    point ("mixed-00000003", "20200101T000000.000000Z.cuegrid");     // old points and a recent one
    point ("notes-00000004", "20200101T000000.000000Z.cuegrid");     // old, with a file CueGrid did not write
    test::writeText (autosave / "notes-00000004" / "my notes.txt", "keep me");
    fs::create_directories (autosave / "empty-00000005");

    // A recent point in the mixed folder (named by now).
    const auto mixed = autosave / "mixed-00000003";
    test::writeText (mixed / "20991231T000000.000000Z.cuegrid", "{}");

    CHECK (SessionStore::pruneAutosave (autosave, 30.0) == 2);       // old-… and empty-…
    CHECK_FALSE (fs::exists (autosave / "old-00000001"));
    CHECK_FALSE (fs::exists (autosave / "empty-00000005"));
    CHECK (fs::exists (autosave / "crashed-00000002" / "20200101T000000.000000Z.cuegrid"));
    CHECK (fs::exists (mixed / "20200101T000000.000000Z.cuegrid"));
    CHECK (fs::exists (autosave / "notes-00000004" / "my notes.txt"));
    CHECK_FALSE (fs::exists (autosave / "notes-00000004" / "20200101T000000.000000Z.cuegrid"));
    CHECK (SessionStore::pruneAutosave (folder.path / "no such folder") == 0);
}
