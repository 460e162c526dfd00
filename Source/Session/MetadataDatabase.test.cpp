// CueGrid — GPL-3.0-or-later
// The session database: a fresh one, the migration of the analysis-only database of before
// issue 9 (Tests/data/sessions/analysis-v0.cuegrid.db, written by that AnalysisStore), a newer
// version refused, foreign keys, mirroring the manifest, integrity.
#include "Session/MetadataDatabase.h"

#include "Analysis/AnalysisQueue.h"
#include "Analysis/ContentHash.h"
#include "Session/AnalysisStore.h"
#include "Session/MediaFacts.h"
#include "Session/SessionManifest.h"
#include "Session/Errors.h"
#include "Session/SessionModel.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <map>
#include <thread>

using namespace cuegrid;
using namespace cuegrid::test;

namespace
{
    /** Runs SQL on its own connection (not the one under test); rows as "a|b" lines. */
    std::vector<std::string> query (const std::filesystem::path& file, const std::string& sql)
    {
        sqlite3* database = nullptr;
        REQUIRE (sqlite3_open_v2 (file.c_str(), &database, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) == SQLITE_OK);
        std::vector<std::string> rows;
        char* error = nullptr;
        const auto code = sqlite3_exec (database, sql.c_str(), [] (void* out, int columns, char** values, char**)
        {
            std::string row;
            for (int i = 0; i < columns; ++i)
                row += (i ? "|" : "") + std::string (values[i] != nullptr ? values[i] : "NULL");
            static_cast<std::vector<std::string>*> (out)->push_back (row);
            return 0;
        }, &rows, &error);
        const std::string message = error != nullptr ? error : "";
        sqlite3_free (error);
        sqlite3_close (database);
        INFO (sql << ": " << message);
        REQUIRE (code == SQLITE_OK);
        return rows;
    }

    std::filesystem::path copyOldDatabase (const TemporaryFolder& work)
    {
        const auto copy = work / "show.cuegrid.db";
        std::filesystem::copy_file (dataPath ("sessions/analysis-v0.cuegrid.db"), copy);
        return copy;
    }

    ClipDefinition clip (const std::string& id, const std::string& file)
    {
        ClipDefinition definition;
        definition.id = id;
        definition.file = file;
        return definition;
    }
} // namespace

TEST_CASE ("A fresh session database is created at the current version", "[session][database]")
{
    TemporaryFolder work ("database-fresh");
    const auto file = work / "show.cuegrid.db";
    {
        MetadataDatabase database (file.string());
        CHECK (database.getOpenReport().created);
        CHECK (database.getOpenReport().backupPath.empty());
        CHECK (database.getVersion() == MetadataDatabase::currentVersion);
        CHECK (database.checkIntegrity() == "ok");
        CHECK (database.allMedia().empty());
        CHECK (database.auditTrail().empty());   // nothing was migrated
    }
    CHECK (query (file, "PRAGMA user_version") == std::vector<std::string> { std::to_string (MetadataDatabase::currentVersion) });
    CHECK (query (file, "PRAGMA journal_mode") == std::vector<std::string> { "wal" });
    CHECK (query (file, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
           == std::vector<std::string> { "analysis", "audit", "markers", "media", "settings", "usage_history" });
    // No backup of a database that had nothing to keep.
    CHECK (std::distance (std::filesystem::directory_iterator (work.path), {}) <= 3);   // db, -wal, -shm at most
    for (const auto& entry : std::filesystem::directory_iterator (work.path))
        CHECK (entry.path().string().find (".bak") == std::string::npos);

    MetadataDatabase again (file.string());
    CHECK_FALSE (again.getOpenReport().created);
    CHECK (again.getOpenReport().foundVersion == MetadataDatabase::currentVersion);
}

TEST_CASE ("The analysis-only database of before issue 9 is migrated in place with a backup, keeping every result", "[session][database][migration]")
{
    TemporaryFolder work ("database-migrate");
    const auto file = copyOldDatabase (work);
    const auto before = query (file, "SELECT content_hash, settings_key, file_name, result_json, analysed_at FROM analysis ORDER BY content_hash");
    REQUIRE (before.size() == 11);
    REQUIRE (query (file, "PRAGMA user_version") == std::vector<std::string> { "0" });

    std::string backup;
    {
        MetadataDatabase database (file.string());
        const auto& report = database.getOpenReport();
        CHECK (report.foundVersion == 0);
        CHECK_FALSE (report.created);
        backup = report.backupPath;
        CHECK (backup == file.string() + ".v0.bak");
        CHECK (database.getVersion() == MetadataDatabase::currentVersion);
        CHECK (database.checkIntegrity() == "ok");
        const auto audit = database.auditTrail();
        REQUIRE (audit.size() == 1);
        CHECK (audit[0].kind == "migration");
        CHECK (audit[0].detailsJson == R"({"backup":")" + backup + R"(","from":0,"to":2})");
        CHECK (audit[0].time.size() == 24);   // 2026-11-24T00:12:03.123Z
    }
    // Every row as it was, byte for byte; the backup is the old database, standalone.
    CHECK (query (file, "SELECT content_hash, settings_key, file_name, result_json, analysed_at FROM analysis ORDER BY content_hash") == before);
    REQUIRE (std::filesystem::exists (backup));
    CHECK_FALSE (std::filesystem::exists (backup + "-wal"));
    CHECK (query (backup, "PRAGMA user_version") == std::vector<std::string> { "0" });
    CHECK (query (backup, "SELECT name FROM sqlite_master WHERE type = 'table'") == std::vector<std::string> { "analysis" });
    CHECK (query (backup, "SELECT content_hash, settings_key, file_name, result_json, analysed_at FROM analysis ORDER BY content_hash") == before);
    CHECK (query (backup, "PRAGMA integrity_check") == std::vector<std::string> { "ok" });

    // Opening again migrates nothing and backs up nothing.
    {
        MetadataDatabase again (file.string());
        CHECK (again.getOpenReport().foundVersion == MetadataDatabase::currentVersion);
        CHECK (again.getOpenReport().backupPath.empty());
        CHECK (again.auditTrail().size() == 1);
    }

    // The old rows come from an older analysis version (trackSettingsKey's key_version, now with
    // loudness): the cache does not serve them, the corpus is analysed once more and stored,
    // and from then on the cache serves it: nothing is analysed again.
    auto store = std::make_shared<AnalysisStore> (file.string());
    analysis::AnalysisConfig config;
    config.classifier = "cuegrid";
    std::vector<analysis::AnalysisQueue::Job> jobs;
    for (const auto& entry : std::filesystem::directory_iterator (dataPath ("corpus")))
        if (entry.path().extension() == ".wav")
            jobs.push_back ({ (int) jobs.size(), entry.path() });
    for (const auto expectFromCache : { false, true })
    {
        analysis::AnalysisQueue queue (config, store, 1);
        queue.enqueue (jobs);
        REQUIRE (queue.waitUntilIdle (std::chrono::seconds (60)));
        CHECK (queue.getProgress().fromCache == (expectFromCache ? 11 : 0));
        CHECK (queue.getProgress().analysed == (expectFromCache ? 0 : 11));
    }
    CHECK (query (file, "SELECT count(*) FROM analysis") == std::vector<std::string> { "22" });
}

TEST_CASE ("A second migration of a restored old database keeps the first backup", "[session][database][migration]")
{
    TemporaryFolder work ("database-migrate-twice");
    const auto file = copyOldDatabase (work);
    { MetadataDatabase database (file.string()); }
    std::filesystem::remove (file);
    std::filesystem::remove (file.string() + "-wal");
    std::filesystem::remove (file.string() + "-shm");
    std::filesystem::copy_file (dataPath ("sessions/analysis-v0.cuegrid.db"), file);
    MetadataDatabase database (file.string());
    CHECK (database.getOpenReport().backupPath == file.string() + ".v0.1.bak");
    CHECK (std::filesystem::exists (file.string() + ".v0.bak"));
}

TEST_CASE ("Connections opening an old database at once migrate it once", "[session][database][migration]")
{
    TemporaryFolder work ("database-migrate-race");
    const auto file = copyOldDatabase (work);
    std::vector<std::thread> threads;
    std::vector<MetadataDatabase::OpenReport> reports (4);
    std::vector<std::string> errors (4);
    for (size_t i = 0; i < 4; ++i)
        threads.emplace_back ([&, i]
        {
            try
            {
                MetadataDatabase database (file.string());
                reports[i] = database.getOpenReport();
            }
            catch (const std::exception& error)
            {
                errors[i] = error.what();
            }
        });
    for (auto& thread : threads)
        thread.join();
    int migrated = 0;
    for (size_t i = 0; i < 4; ++i)
    {
        CHECK (errors[i].empty());
        migrated += reports[i].backupPath.empty() ? 0 : 1;
    }
    CHECK (migrated == 1);
    CHECK (query (file, "SELECT count(*) FROM audit") == std::vector<std::string> { "1" });
    CHECK (query (file, "SELECT count(*) FROM analysis") == std::vector<std::string> { "11" });
}

TEST_CASE ("A session database of a newer version is refused with both versions and left alone", "[session][database][migration][errors]")
{
    TemporaryFolder work ("database-newer");
    const auto file = work / "show.cuegrid.db";
    { MetadataDatabase database (file.string()); }
    query (file, "PRAGMA user_version = 7; CREATE TABLE future (x); PRAGMA journal_mode = DELETE");

    const auto expected = file.string() + ": database version 7 was written by a newer CueGrid (this one reads versions 0 to 2)";
    CHECK_THROWS_MATCHES (MetadataDatabase (file.string()), InputError, Catch::Matchers::Message (expected));
    // The analysis cache's users get it as an OutputError (they work on without a cache).
    CHECK_THROWS_MATCHES (AnalysisStore (file.string()), OutputError, Catch::Matchers::Message (expected));
    CHECK (query (file, "PRAGMA user_version") == std::vector<std::string> { "7" });
    CHECK (query (file, "PRAGMA journal_mode") == std::vector<std::string> { "delete" });   // not even switched to WAL
    for (const auto& entry : std::filesystem::directory_iterator (work.path))
        CHECK (entry.path().string().find (".bak") == std::string::npos);
}

TEST_CASE ("A file that is not a CueGrid session database is refused", "[session][database][errors]")
{
    TemporaryFolder work ("database-foreign");
    const auto text = work / "text.cuegrid.db";
    writeText (text, std::string (4096, 'x'));
    CHECK_THROWS_MATCHES (MetadataDatabase (text.string()), InputError, Catch::Matchers::Message (text.string() + ": cannot update the session database: file is not a database"));
    CHECK (readText (text) == std::string (4096, 'x'));

    const auto other = work / "other.db";
    query (other, "CREATE TABLE tracks (id INTEGER)");
    CHECK_THROWS_WITH (MetadataDatabase (other.string()), Catch::Contains ("not a CueGrid session database (version 0 with tables tracks)"));
    CHECK_THROWS_WITH (MetadataDatabase ("/proc/no-such-folder/show.cuegrid.db"), Catch::Contains ("/proc/no-such-folder/show.cuegrid.db: cannot open"));
}

TEST_CASE ("Foreign keys are enforced: a marker needs its clip, and goes with it", "[session][database]")
{
    TemporaryFolder work ("database-foreign-keys");
    MetadataDatabase database ((work / "show.cuegrid.db").string());
    using Kind = MetadataDatabase::MarkerKind;
    CHECK_THROWS_MATCHES (database.addMarker ({ "ghost", Kind::warp, "beat 1", 0.5 }), OutputError,
                          Catch::Matchers::Message ((work / "show.cuegrid.db").string()
                                                    + ": cannot add a warp marker to clip 'ghost': FOREIGN KEY constraint failed"));
    CHECK_THROWS_WITH (database.addMarker ({ "ghost", Kind::cue, "in", -1.0 }), Catch::Contains ("constraint failed"));

    MetadataDatabase::MediaRecord kick;
    kick.clipId = "kick";
    kick.file = "media/kick.wav";
    kick.tags = { "drums", "intro" };
    database.putMedia ({ kick });
    database.addMarker ({ "kick", Kind::warp, "beat 2", 0.25 });
    CHECK_THROWS_WITH (database.addMarker ({ "kick", Kind::warp, "neg", -0.1 }), Catch::Contains ("CHECK constraint failed"));
    // Replacing the media row keeps its markers (an upsert, not a delete and insert).
    kick.sizeBytes = 1234;
    database.putMedia ({ kick });
    CHECK (database.markers ("kick").size() == 1);
    CHECK (*database.findMedia ("kick") == kick);

    Session session;   // without "kick": its row and markers go
    session.clips.push_back (clip ("snare", "media/snare.wav"));
    database.mirrorSession (session);
    CHECK_FALSE (database.findMedia ("kick"));
    CHECK (database.markers ("kick").empty());
    CHECK (database.checkIntegrity() == "ok");

    CHECK_THROWS_AS (database.addAudit ("relink", "[1, 2]"), InputError);
    database.addAudit ("relink", R"({"clip": "snare", "from": "old/snare.wav", "to": "media/snare.wav"})");
    CHECK (database.auditTrail().back().kind == "relink");
}

TEST_CASE ("Mirroring the manifest writes only what differs and keeps what the manifest does not hold", "[session][database]")
{
    TemporaryFolder work ("database-mirror");
    MetadataDatabase database ((work / "show.cuegrid.db").string());
    using Kind = MetadataDatabase::MarkerKind;

    Session session;
    auto hum = clip ("hum", "media/hum.wav");
    hum.cueInSec = 0.5;
    hum.cueOutSec = 4.0;
    hum.loop = LoopSettings {};
    hum.loop->inSec = 1.0;
    hum.loop->outSec = 3.0;
    session.clips.push_back (hum);
    session.clips.push_back (clip ("kick", "media/kick.wav"));
    CHECK (database.mirrorSession (session) == 2);
    CHECK (database.mirrorSession (session) == 0);
    CHECK (database.markers ("hum") == std::vector<MetadataDatabase::Marker> {
        { "hum", Kind::cue, "in", 0.5 }, { "hum", Kind::cue, "out", 4.0 }, { "hum", Kind::loop, "in", 1.0 }, { "hum", Kind::loop, "out", 3.0 } });
    CHECK (database.markers ("kick").empty());

    // Measured facts, tags and a warp marker: the database's own.
    auto record = *database.findMedia ("hum");
    record.contentHash = "0123456789abcdef";
    record.sizeBytes = 4800;
    record.durationSec = 5.0;
    record.sampleRate = 48000.0;
    record.channels = 2;
    record.format = "WAV 24-bit";
    record.tags = { "ambience" };
    database.putMedia ({ record });
    database.addMarker ({ "hum", Kind::warp, "bar 2", 2.0 });

    session.clips[0].cueInSec = 0.75;          // a moved cue point
    CHECK (database.mirrorSession (session) == 1);
    auto markers = database.markers ("hum");
    REQUIRE (markers.size() == 5);
    CHECK (markers[0] == MetadataDatabase::Marker { "hum", Kind::cue, "in", 0.75 });
    CHECK (markers[4] == MetadataDatabase::Marker { "hum", Kind::warp, "bar 2", 2.0 });
    CHECK (*database.findMedia ("hum") == record);   // the same file: facts kept

    session.clips[0].file = "media/hum-v2.wav";      // another file: the old facts go, tags stay
    CHECK (database.mirrorSession (session) == 1);
    const auto changed = *database.findMedia ("hum");
    CHECK (changed.file == "media/hum-v2.wav");
    CHECK_FALSE (changed.contentHash);
    CHECK_FALSE (changed.sizeBytes);
    CHECK (changed.tags == std::vector<std::string> { "ambience" });
    CHECK (database.markers ("hum").size() == 5);
    CHECK (database.checkIntegrity() == "ok");
}

TEST_CASE ("A renamed clip keeps its media row, markers and usage, and usage outlives a removed clip", "[session][database]")
{
    TemporaryFolder work ("database-rename");
    MetadataDatabase database ((work / "show.cuegrid.db").string());
    MetadataDatabase::MediaRecord kick;
    kick.clipId = "kick";
    kick.file = "media/kick.wav";
    kick.contentHash = "1f2b4326fa5ce567";
    kick.tags = { "drums" };
    database.putMedia ({ kick });
    database.addMarker ({ "kick", MetadataDatabase::MarkerKind::warp, "beat 1", 0.5 });
    database.addUsage ("kick", "trigger", R"({"page": 1})");
    CHECK_THROWS_WITH (database.addUsage ("ghost", "trigger"), Catch::Contains ("FOREIGN KEY constraint failed"));

    database.renameClip ("kick", "kick-intro");
    CHECK_FALSE (database.findMedia ("kick"));
    REQUIRE (database.findMedia ("kick-intro"));
    CHECK (database.findMedia ("kick-intro")->tags == std::vector<std::string> { "drums" });
    CHECK (database.markers ("kick-intro").size() == 1);
    auto usage = database.usageHistory();
    REQUIRE (usage.size() == 1);
    CHECK (usage[0].clipId == std::optional<std::string> ("kick-intro"));
    CHECK (usage[0].contentHash == std::optional<std::string> ("1f2b4326fa5ce567"));
    CHECK (usage[0].event == "trigger");

    database.putMedia ({ kick });   // another clip now takes the old id
    CHECK_THROWS_WITH (database.renameClip ("kick", "kick-intro"), Catch::Contains ("UNIQUE constraint failed"));

    database.mirrorSession (Session {});   // every clip gone: history stays, without its clip
    usage = database.usageHistory();
    REQUIRE (usage.size() == 1);
    CHECK_FALSE (usage[0].clipId);
    CHECK (usage[0].contentHash == std::optional<std::string> ("1f2b4326fa5ce567"));
    CHECK (database.checkIntegrity() == "ok");
}

TEST_CASE ("AnalysisStore opening an analysis-only database migrates it and serves its results", "[session][database][migration]")
{
    TemporaryFolder work ("database-store-migrates");
    const auto file = copyOldDatabase (work);
    const auto stored = query (file, "SELECT content_hash, settings_key, result_json FROM analysis ORDER BY content_hash LIMIT 1");
    REQUIRE (stored.size() == 1);
    const auto first = stored[0].find ('|'), second = stored[0].find ('|', first + 1);
    AnalysisStore store (file.string());
    CHECK (store.getDatabase().getVersion() == MetadataDatabase::currentVersion);
    CHECK (store.getDatabase().getOpenReport().backupPath == file.string() + ".v0.bak");
    CHECK (store.find (stored[0].substr (0, first), stored[0].substr (first + 1, second - first - 1)) == stored[0].substr (second + 1));
    CHECK_FALSE (store.find ("0000000000000000", stored[0].substr (first + 1, second - first - 1)));
}

TEST_CASE ("The version 1 database in Tests/data is migrated to version 2 with a backup, keeping every row", "[session][database][migration]")
{
    // Written by version 1 (clips, markers, usage, audit, settings, analysis): kept so that
    // every later schema version has a real version 1 file to migrate.
    TemporaryFolder work ("database-v1");
    std::filesystem::create_directories (work / "sessions");
    std::filesystem::create_directories (work / "corpus");
    for (const auto* name : { "p01_sonicpi_heavy_kick.wav", "p05_lmms_e_organ.wav", "p08_sonicpi_haunted_hum.wav" })
        std::filesystem::copy_file (dataPath ("corpus/") / name, work / "corpus" / name);
    const auto session = work / "sessions" / "metadata-v1.cuegrid";
    std::filesystem::copy_file (dataPath ("sessions/metadata-v1.cuegrid"), session);
    const auto file = work / "sessions" / "metadata-v1.cuegrid.db";
    std::filesystem::copy_file (dataPath ("sessions/metadata-v1.cuegrid.db"), file);
    const auto mediaBefore = query (file, "SELECT clip_id, file, content_hash, size_bytes, duration_sec, sample_rate, channels, format, tags"
                                          " FROM media ORDER BY clip_id");
    REQUIRE (mediaBefore.size() == 3);

    MetadataDatabase database (MetadataDatabase::pathForSession (session.string()));
    CHECK (database.getOpenReport().foundVersion == 1);
    CHECK (database.getOpenReport().backupPath == file.string() + ".v1.bak");
    CHECK (database.getVersion() == 2);
    CHECK (query (file.string() + ".v1.bak", "PRAGMA user_version") == std::vector<std::string> { "1" });
    CHECK (query (file, "SELECT clip_id, file, content_hash, size_bytes, duration_sec, sample_rate, channels, format, tags"
                        " FROM media ORDER BY clip_id") == mediaBefore);
    CHECK (database.auditTrail().back().kind == "migration");
    CHECK (database.auditTrail().back().detailsJson == R"({"backup":")" + file.string() + R"(.v1.bak","from":1,"to":2})");
    CHECK (database.findMedia ("kick")->name == "p01_sonicpi_heavy_kick.wav");   // from its path, before the file is seen
    CHECK_FALSE (database.findMedia ("kick")->bitDepth);
    CHECK (database.checkIntegrity() == "ok");
    const auto media = database.allMedia();
    REQUIRE (media.size() == 3);
    CHECK (media[0].clipId == "hum");
    CHECK (media[1].clipId == "kick");
    CHECK (media[1].tags == std::vector<std::string> { "drums", "intro" });
    CHECK (media[1].contentHash == analysis::hashFileContent (work / "corpus" / "p01_sonicpi_heavy_kick.wav"));
    CHECK (media[2].format == "WAV 24-bit");
    using Kind = MetadataDatabase::MarkerKind;
    CHECK (database.markers ("organ") == std::vector<MetadataDatabase::Marker> {
        { "organ", Kind::cue, "in", 0.5 }, { "organ", Kind::cue, "out", 4.0 }, { "organ", Kind::loop, "in", 1.0 }, { "organ", Kind::loop, "out", 3.0 } });
    CHECK (database.markers ("kick") == std::vector<MetadataDatabase::Marker> { { "kick", Kind::warp, "beat 2", 0.125 } });
    const auto usage = database.usageHistory();
    REQUIRE (usage.size() == 2);
    CHECK (usage[1].event == "stop");
    CHECK (database.auditTrail().at (0).kind == "relink");
    CHECK (database.getSetting ("mediaFolder") == std::optional<std::string> ("../corpus"));
    CHECK (query (work / "sessions" / "metadata-v1.cuegrid.db", "SELECT count(*) FROM analysis") == std::vector<std::string> { "3" });

    // A fresh checkout has other modification times: the same content is re-measured, not "changed".
    const auto loaded = SessionManifest::load (session.string());
    for (const auto& check : refreshMediaFacts (database, loaded, session.string()))
    {
        INFO (check.clipId << ": " << mediaFactsStateName (check.state) << " " << check.detail);
        CHECK ((check.state == MediaFactsCheck::State::unchanged || check.state == MediaFactsCheck::State::remeasured));
    }
    CHECK (database.mirrorSession (loaded) == 0);
    // Version 2's facts came with the refresh.
    const auto kick = *database.findMedia ("kick");
    CHECK (kick.bitDepth == 16);
    CHECK (kick.lastGoodPath == std::filesystem::weakly_canonical (work / "corpus" / "p01_sonicpi_heavy_kick.wav").generic_string());
    CHECK_FALSE (kick.replacedJson);
}

TEST_CASE ("The version 2 database in Tests/data opens as it is, its replaced file flagged until the recorded content is back", "[session][database][migration]")
{
    // Written by version 2 (`cuegrid relink` on a copy of metadata-v1, then the hum's file
    // replaced by the bass and relinked again; last_good_path set to /home/show/corpus/…):
    // kept so that the next schema version has a real version 2 file to migrate.
    TemporaryFolder work ("database-v2");
    std::filesystem::create_directories (work / "sessions");
    std::filesystem::create_directories (work / "corpus");
    for (const auto* name : { "p01_sonicpi_heavy_kick.wav", "p05_lmms_e_organ.wav", "p08_sonicpi_haunted_hum.wav" })
        std::filesystem::copy_file (dataPath ("corpus/") / name, work / "corpus" / name);
    const auto session = work / "sessions" / "metadata-v2.cuegrid";
    std::filesystem::copy_file (dataPath ("sessions/metadata-v2.cuegrid"), session);
    std::filesystem::copy_file (dataPath ("sessions/metadata-v2.cuegrid.db"), work / "sessions" / "metadata-v2.cuegrid.db");

    MetadataDatabase database (MetadataDatabase::pathForSession (session.string()));
    CHECK (database.getOpenReport().foundVersion == 2);
    CHECK (database.getOpenReport().backupPath.empty());
    CHECK (database.checkIntegrity() == "ok");
    const auto kick = *database.findMedia ("kick");
    CHECK (kick.bitDepth == 16);
    CHECK (kick.name == "p01_sonicpi_heavy_kick.wav");
    CHECK (kick.lastGoodPath == "/home/show/corpus/p01_sonicpi_heavy_kick.wav");
    CHECK (database.findMedia ("organ")->bitDepth == 24);
    const auto hum = *database.findMedia ("hum");
    REQUIRE (hum.replacedJson);
    CHECK (hum.channels == 2);   // what the clip expects
    CHECK (hum.sampleRate == 48000.0);
    CHECK_THAT (*hum.replacedJson, Catch::Contains (R"("formatChanged":true)") && Catch::Contains (R"("sampleRate":44100.0)"));
    CHECK (database.auditTrail().back().detailsJson == R"({"backup":"sessions/metadata-v2.cuegrid.db.v1.bak","from":1,"to":2})");

    // The checkout's hum is the recorded content: the flag goes, the others stand.
    const auto loaded = SessionManifest::load (session.string());
    for (const auto& check : refreshMediaFacts (database, loaded, session.string()))
    {
        INFO (check.clipId << ": " << mediaFactsStateName (check.state) << " " << check.detail);
        CHECK ((check.state == MediaFactsCheck::State::unchanged || check.state == MediaFactsCheck::State::remeasured));
    }
    CHECK_FALSE (database.findMedia ("hum")->replacedJson);
    CHECK (database.findMedia ("hum")->contentHash == hum.contentHash);
}
