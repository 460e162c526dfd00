// CueGrid — GPL-3.0-or-later
// `cuegrid new` and `cuegrid import` as a script preparing a show runs them, on real corpus
// media: the session they write loads, clips fill the tab's empty cells, the session database
// gets the media rows and the analysis (the same as `cuegrid analyze`), bad files are reported
// one by one, and what cannot be done leaves the session as it was.
#include "Analysis/ContentHash.h"
#include "Session/MetadataDatabase.h"
#include "Session/SessionManifest.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <map>

using namespace cuegrid;
using namespace cuegrid::test;

namespace
{
    CommandResult cli (const std::string& arguments)
    {
        return run (quote (cliPath()) + " " + arguments);
    }

    /** The corpus files named, copied into `folder`. */
    void copyCorpus (const std::filesystem::path& folder, const std::vector<std::string>& names)
    {
        std::filesystem::create_directories (folder);
        for (const auto& name : names)
            std::filesystem::copy_file (dataPath ("corpus/" + name), folder / name);
    }

    std::string scalar (const std::filesystem::path& database, const std::string& sql)
    {
        sqlite3* handle = nullptr;
        // Read-write (nothing is written): a read-only connection would leave -wal and -shm behind.
        REQUIRE (sqlite3_open_v2 (database.c_str(), &handle, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
        sqlite3_stmt* statement = nullptr;
        REQUIRE (sqlite3_prepare_v2 (handle, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
        std::string value;
        if (sqlite3_step (statement) == SQLITE_ROW && sqlite3_column_text (statement, 0) != nullptr)
            value = reinterpret_cast<const char*> (sqlite3_column_text (statement, 0));
        sqlite3_finalize (statement);
        sqlite3_close (handle);
        return value;
    }

    const std::vector<std::string> threeFiles { "p01_sonicpi_heavy_kick.wav", "p05_lmms_e_organ.wav", "p08_sonicpi_haunted_hum.wav" };
} // namespace

TEST_CASE ("cuegrid info names the manifest version and what the next save does to an older one", "[cli][prepare]")
{
    // The test shows themselves: info reads and never writes.
    const std::pair<const char*, const char*> expected[] {
        { "version1.cuegrid", "Version:     1 (saved as version 4 when next saved; the original is kept as version1.v1.cuegrid)\n" },
        { "version2.cuegrid", "Version:     2 (saved as version 4 when next saved; the original is kept as version2.v2.cuegrid)\n" },
        { "version3.cuegrid", "Version:     3 (saved as version 4 when next saved; the original is kept as version3.v3.cuegrid)\n" },
        { "version4.cuegrid", "Version:     4\n" },
    };
    for (const auto& [file, line] : expected)
    {
        const auto path = dataPath (std::string ("sessions/") + file);
        const auto before = readText (path);
        const auto result = cli ("info " + quote (path.string()));
        INFO (result.output);
        CHECK (result.exitCode == 0);
        CHECK_THAT (result.output, Catch::Contains (line));
        CHECK (readText (path) == before);
    }
}

TEST_CASE ("cuegrid new creates an empty version 3 session with the limiter on and never replaces a file", "[cli][prepare]")
{
    TemporaryFolder work ("cli-new");
    const auto session = work / "Friday show.cuegrid";
    const auto result = cli ("new " + quote (session.string()) + " --media-folder " + quote ((work / "Media").string()));
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    CHECK_THAT (result.output, Catch::Contains ("created") && Catch::Contains ("GB free"));

    const auto json = nlohmann::json::parse (readText (session));
    CHECK (json["version"] == Session::currentVersion);
    const auto loaded = SessionManifest::load (session.string());
    CHECK (loaded.name == "Friday show");
    CHECK (loaded.master.limiterEnabled);
    CHECK (loaded.clips.empty());
    REQUIRE (loaded.pages.size() == 1);
    REQUIRE (loaded.pages[0].tabs.size() == 8);
    for (const auto& tab : loaded.pages[0].tabs)
        CHECK ((tab.rows == 4 && tab.columns == 8 && tab.slots.empty()));
    CHECK (loaded.pages[0].tabs[7].name == "Tab 8");
    CHECK (std::filesystem::is_directory (work / "Media"));

    const auto database = work / "Friday show.cuegrid.db";
    CHECK (scalar (database, "PRAGMA user_version") == std::to_string (MetadataDatabase::currentVersion));
    CHECK (scalar (database, "SELECT value FROM settings WHERE key = 'mediaFolder'") == "Media");

    // Never over an existing session: exit 4, the bytes as they were.
    const auto before = readText (session);
    const auto again = cli ("new " + quote (session.string()));
    CHECK (again.exitCode == 4);
    CHECK_THAT (again.output, Catch::Contains ("already exists"));
    CHECK (readText (session) == before);

    // A media folder that cannot be made: exit 4 and no session.
    const auto badFolder = cli ("new " + quote ((work / "other.cuegrid").string()) + " --media-folder /proc/no-such-folder/media");
    CHECK (badFolder.exitCode == 4);
    CHECK_THAT (badFolder.output, Catch::Contains ("/proc/no-such-folder/media"));
    CHECK_FALSE (std::filesystem::exists (work / "other.cuegrid"));

    CHECK (cli ("new " + quote ((work / "show.json").string())).exitCode == 2);
    CHECK_FALSE (std::filesystem::exists (work / "show.json"));
    const auto noFolder = cli ("new " + quote ((work / "missing" / "show.cuegrid").string()));
    CHECK (noFolder.exitCode == 4);
    CHECK_THAT (noFolder.output, Catch::Contains ("does not exist"));
}

TEST_CASE ("cuegrid import fills empty cells from the first, records media and analysis, and reports bad files one by one", "[cli][prepare]")
{
    TemporaryFolder work ("cli-import");
    const auto session = work / "show.cuegrid";
    REQUIRE (cli ("new " + quote (session.string())).exitCode == 0);
    copyCorpus (work / "media", threeFiles);
    writeText (work / "media" / "notes.wav", "not audio");                     // rejected, the rest imported
    writeText (work / "media" / "readme.txt", "ignored: not an audio name");

    const auto first = cli ("import " + quote (session.string()) + " " + quote ((work / "media").string()) + " --tab 3 --group C");
    INFO (first.output);
    CHECK (first.exitCode == 3);
    CHECK_THAT (first.output, Catch::Contains ("notes.wav: not imported") && Catch::Contains ("imported 3 clip(s)")
                                  && Catch::Contains ("3 analysed, 0 from the session database"));

    auto loaded = SessionManifest::load (session.string());
    REQUIRE (loaded.clips.size() == 3);
    const auto& tab = loaded.pages[0].tabs[2];
    REQUIRE (tab.slots.size() == 3);
    for (size_t i = 0; i < 3; ++i)
    {
        const auto& clip = loaded.clips[i];
        const auto stem = std::filesystem::path (threeFiles[i]).stem().string();
        CHECK (clip.id == stem);
        CHECK (clip.file == "media/" + threeFiles[i]);           // relative: the show moves with its folder
        CHECK (clip.group == 2);
        CHECK (clip.gainDb == 0.0);                              // nothing applied without --apply-gain
        CHECK ((tab.slots[i].row == 0 && tab.slots[i].column == (int) i && tab.slots[i].clip == stem));
    }
    CHECK (loaded.clips[0].label == "p01 sonicpi heavy kick");

    // The media rows: what the file is, keyed as the analysis cache keys it.
    MetadataDatabase database ((work / "show.cuegrid.db").string());
    const auto organ = database.findMedia ("p05_lmms_e_organ");
    REQUIRE (organ);
    CHECK (organ->contentHash == analysis::hashFileContent (work / "media" / "p05_lmms_e_organ.wav"));
    CHECK (organ->sizeBytes == (int64_t) std::filesystem::file_size (work / "media" / "p05_lmms_e_organ.wav"));
    CHECK (organ->sampleRate == 48000.0);
    CHECK (organ->channels == 2);
    CHECK (organ->format == "WAV 24-bit");
    CHECK (*organ->durationSec == Approx (4.4658).margin (1e-3));
    CHECK (organ->modifiedNs.value_or (0) > 0);
    CHECK (database.allMedia().size() == 3);
    CHECK (database.checkIntegrity() == "ok");
    CHECK (scalar (work / "show.cuegrid.db", "SELECT count(*) FROM analysis") == "3");
    const auto info = cli ("info " + quote (session.string()));
    CHECK (info.exitCode == 0);
    CHECK_THAT (info.output, Catch::Contains ("show.cuegrid.db, version 2, integrity ok, 3 media row(s), 0 marker(s), 3 analysis result(s)"));

    // Again with --apply-gain: new ids, the next empty cells, gains as `cuegrid analyze` plans them, all from the cache.
    std::filesystem::remove (work / "media" / "notes.wav");
    const auto second = cli ("import " + quote (session.string()) + " " + quote ((work / "media").string()) + " --tab 3 --apply-gain");
    INFO (second.output);
    CHECK (second.exitCode == 0);
    CHECK_THAT (second.output, Catch::Contains ("0 analysed, 3 from the session database; gains applied"));
    const auto analyzed = cli ("analyze " + quote ((work / "media").string()) + " --json " + quote ((work / "analysis.json").string()));
    REQUIRE (analyzed.exitCode == 0);
    std::map<std::string, std::pair<double, double>> planned;   // file name → gain, fader
    const auto report = nlohmann::json::parse (readText (work / "analysis.json"));
    for (const auto& track : report["tracks"])
        planned[track["filename"].get<std::string>()] = { track["gain_db"].get<double>(), track["fader_offset_db"].get<double>() };
    REQUIRE (planned.size() == 3);

    loaded = SessionManifest::load (session.string());
    REQUIRE (loaded.clips.size() == 6);
    for (size_t i = 3; i < 6; ++i)
    {
        const auto& clip = loaded.clips[i];
        CHECK (clip.id == std::filesystem::path (threeFiles[i - 3]).stem().string() + "-2");
        CHECK (clip.group == 0);
        const auto& [gain, fader] = planned.at (threeFiles[i - 3]);
        CHECK (clip.gainDb == Approx (gain).margin (1e-9));
        CHECK (clip.levelTrimDb == Approx (fader).margin (1e-9));
        CHECK (clip.gainDb != 0.0);
        CHECK (loaded.pages[0].tabs[2].slotAt (0, (int) i) != nullptr);
    }
}

TEST_CASE ("cuegrid import refuses what does not fit and leaves the session unchanged", "[cli][prepare][errors]")
{
    TemporaryFolder work ("cli-import-full");
    const auto session = work / "show.cuegrid";
    copyCorpus (work / "media", threeFiles);
    writeText (session, R"({"format": "cuegrid.session", "version": 2, "clips": [{"id": "kick", "file": "media/p01_sonicpi_heavy_kick.wav"}],
  "pages": [{"name": "Main", "tabs": [{"name": "Small", "rows": 1, "columns": 3, "slots": [{"row": 0, "column": 1, "clip": "kick"}]}]}]})");
    const auto before = readText (session);

    const auto full = cli ("import " + quote (session.string()) + " " + quote ((work / "media").string()));
    CHECK (full.exitCode == 2);
    CHECK_THAT (full.output, Catch::Contains ("tab \"Small\" of page \"Main\" has 2 empty cell(s) for 3 file(s); nothing was imported"));
    CHECK (readText (session) == before);

    const auto noPage = cli ("import " + quote (session.string()) + " --page 2 " + quote ((work / "media" / threeFiles[1]).string()));
    CHECK (noPage.exitCode == 2);
    CHECK_THAT (noPage.output, Catch::Contains ("--page 2: session \"Untitled\" has 1 page(s)"));
    const auto missing = cli ("import " + quote (session.string()) + " " + quote ((work / "nothing.wav").string()));
    CHECK (missing.exitCode == 3);
    CHECK_THAT (missing.output, Catch::Contains ("nothing.wav: not imported: file not found"));
    CHECK (readText (session) == before);

    // Two files fill the free cells around the taken one: (0,0), then (0,2).
    const auto fits = cli ("import " + quote (session.string()) + " " + quote ((work / "media" / threeFiles[1]).string()) + " "
                           + quote ((work / "media" / threeFiles[2]).string()));
    INFO (fits.output);
    CHECK (fits.exitCode == 0);
    const auto loaded = SessionManifest::load (session.string());
    const auto& tab = loaded.pages[0].tabs[0];
    REQUIRE (tab.slots.size() == 3);
    CHECK (tab.slotAt (0, 0)->clip == "p05_lmms_e_organ");
    CHECK (tab.slotAt (0, 2)->clip == "p08_sonicpi_haunted_hum");

    // A database from a newer CueGrid: refused before anything is written.
    const auto newer = cli ("import " + quote (session.string()) + " " + quote ((work / "media" / threeFiles[0]).string()) + " --tab 2");
    REQUIRE (newer.exitCode == 0);
    sqlite3* handle = nullptr;
    REQUIRE (sqlite3_open ((work / "show.cuegrid.db").c_str(), &handle) == SQLITE_OK);
    sqlite3_exec (handle, "PRAGMA user_version = 9", nullptr, nullptr, nullptr);
    sqlite3_close (handle);
    const auto afterNewer = readText (session);
    const auto refused = cli ("import " + quote (session.string()) + " " + quote ((work / "media" / threeFiles[0]).string()) + " --tab 2");
    CHECK (refused.exitCode == 2);
    CHECK_THAT (refused.output, Catch::Contains ("show.cuegrid.db: database version 9 was written by a newer CueGrid (this one reads versions 0 to 2)"));
    CHECK (readText (session) == afterNewer);
}

TEST_CASE ("cuegrid import migrates an analysis-only database and keeps its results", "[cli][prepare][migration]")
{
    TemporaryFolder work ("cli-import-migrate");
    const auto sessions = work / "sessions";
    std::filesystem::create_directories (sessions);
    copyCorpus (work / "corpus", threeFiles);
    // The old session beside ../corpus, as in Tests/data.
    std::filesystem::copy_file (dataPath ("sessions/analysis-v0.cuegrid"), sessions / "analysis-v0.cuegrid");
    std::filesystem::copy_file (dataPath ("sessions/analysis-v0.cuegrid.db"), sessions / "analysis-v0.cuegrid.db");
    // info looks without migrating.
    const auto info = cli ("info " + quote ((sessions / "analysis-v0.cuegrid").string()));
    CHECK (info.exitCode == 0);
    CHECK_THAT (info.output, Catch::Contains ("analysis-v0.cuegrid.db, version 0 (migrated to 2 when next opened), integrity ok, 0 media row(s), 0 marker(s), 11 analysis result(s)"));
    CHECK (scalar (sessions / "analysis-v0.cuegrid.db", "PRAGMA user_version") == "0");
    CHECK_FALSE (std::filesystem::exists (sessions / "analysis-v0.cuegrid.db.v0.bak"));
    CHECK_FALSE (std::filesystem::exists (sessions / "analysis-v0.cuegrid.db-wal"));

    const auto result = cli ("import " + quote ((sessions / "analysis-v0.cuegrid").string()) + " " + quote ((work / "corpus").string())
                             + " --tab 2");
    INFO (result.output);
    CHECK (result.exitCode == 0);
    CHECK_THAT (result.output, Catch::Contains ("migrated the session database") && Catch::Contains ("from version 0 to 2")
                                   && Catch::Contains ("3 analysed, 0 from the session database"));
    CHECK (std::filesystem::exists (sessions / "analysis-v0.cuegrid.db.v0.bak"));
    CHECK (scalar (sessions / "analysis-v0.cuegrid.db", "PRAGMA user_version") == "2");
    // The 11 old results are kept; they come from an older analysis version (trackSettingsKey's
    // key_version, now with loudness), so the three files were analysed again and added.
    CHECK (scalar (sessions / "analysis-v0.cuegrid.db", "SELECT count(*) FROM analysis") == "14");
    // The three clips the old manifest had plus the three imported, all mirrored.
    CHECK (scalar (sessions / "analysis-v0.cuegrid.db", "SELECT count(*) FROM media") == "6");
    CHECK (SessionManifest::load ((sessions / "analysis-v0.cuegrid").string()).clips.size() == 6);
}

TEST_CASE ("cuegrid import descends into subfolders only with --recursive and imports a truncated file with a warning", "[cli][prepare]")
{
    TemporaryFolder work ("cli-import-recursive");
    const auto session = work / "show.cuegrid";
    REQUIRE (cli ("new " + quote (session.string())).exitCode == 0);
    copyCorpus (work / "media", { threeFiles[0] });
    copyCorpus (work / "media" / "drums", { "p03_colombo_snare.wav" });
    // A WAV cut short: its header promises more audio than the file holds.
    const auto cut = work / "media" / "organ-cut.wav";
    std::filesystem::copy_file (dataPath ("corpus/p05_lmms_e_organ.wav"), cut);
    std::filesystem::resize_file (cut, std::filesystem::file_size (cut) / 2);

    const auto flat = cli ("import " + quote (session.string()) + " " + quote ((work / "media").string()));
    INFO (flat.output);
    CHECK (flat.exitCode == 0);
    CHECK_THAT (flat.output, Catch::Contains ("organ-cut.wav: truncated") && Catch::Contains ("imported 2 clip(s)"));
    auto loaded = SessionManifest::load (session.string());
    REQUIRE (loaded.clips.size() == 2);
    CHECK (loaded.clips[0].id == "organ-cut");     // name order: "organ-cut" < "p01_…"
    MetadataDatabase database ((work / "show.cuegrid.db").string());
    const auto organ = database.findMedia ("organ-cut");
    REQUIRE (organ);
    CHECK (*organ->durationSec == Approx (4.4658 / 2).margin (0.01));   // what the file holds

    const auto deep = cli ("import " + quote (session.string()) + " " + quote ((work / "media").string()) + " --recursive --tab 2");
    INFO (deep.output);
    CHECK (deep.exitCode == 0);
    loaded = SessionManifest::load (session.string());
    REQUIRE (loaded.clips.size() == 5);
    CHECK (loaded.clips[2].file == "media/drums/p03_colombo_snare.wav");
}

TEST_CASE ("cuegrid relink finds moved media by content, dry run first, and says what stays missing", "[cli][prepare][relink]")
{
    TemporaryFolder work ("cli-relink");
    const auto session = work / "show.cuegrid";
    REQUIRE (cli ("new " + quote (session.string())).exitCode == 0);
    copyCorpus (work / "media", threeFiles);
    REQUIRE (cli ("import " + quote (session.string()) + " " + quote ((work / "media").string())).exitCode == 0);
    CHECK (cli ("relink " + quote (session.string()) + " " + quote (work.path.string())).exitCode == 0);   // nothing missing

    // The show's media folder is renamed and one file is lost altogether.
    std::filesystem::rename (work / "media", work / "Media 2026");
    std::filesystem::remove (work / "Media 2026" / threeFiles[2]);
    const auto before = readText (session);

    const auto dry = cli ("relink " + quote (session.string()) + " " + quote (work.path.string()) + " --recursive --dry-run");
    INFO (dry.output);
    CHECK (dry.exitCode == 3);
    CHECK_THAT (dry.output, Catch::Contains ("p01_sonicpi_heavy_kick: media/p01_sonicpi_heavy_kick.wav -> Media 2026/p01_sonicpi_heavy_kick.wav")
                                && Catch::Contains ("clip 'p08_sonicpi_haunted_hum' (media/p08_sonicpi_haunted_hum.wav): not found")
                                && Catch::Contains ("3 clip(s) with missing media, 2 found (dry run: nothing changed)"));
    CHECK (readText (session) == before);
    // The new form reports only unless told to apply (the session folder is always searched).
    const auto report = cli ("relink " + quote (session.string()) + " --apply none");
    CHECK (report.exitCode == 3);
    CHECK_THAT (report.output, Catch::Contains ("3 clip(s) with missing media, 2 found (--apply none: nothing changed)"));
    CHECK (readText (session) == before);

    const auto done = cli ("relink " + quote (session.string()) + " " + quote (work.path.string()) + " --recursive");
    INFO (done.output);
    CHECK (done.exitCode == 3);
    CHECK_THAT (done.output, Catch::Contains ("2 found, relinked and saved"));
    const auto loaded = SessionManifest::load (session.string());
    CHECK (loaded.clips[0].file == "Media 2026/p01_sonicpi_heavy_kick.wav");
    CHECK (loaded.clips[1].file == "Media 2026/p05_lmms_e_organ.wav");
    CHECK (loaded.clips[2].file == "media/p08_sonicpi_haunted_hum.wav");
    MetadataDatabase database ((work / "show.cuegrid.db").string());
    const auto audit = database.auditTrail();
    REQUIRE (audit.size() == 2);
    CHECK (audit[0].kind == "relink");
    CHECK (database.findMedia ("p05_lmms_e_organ")->file == "Media 2026/p05_lmms_e_organ.wav");
    CHECK (database.findMedia ("p05_lmms_e_organ")->contentHash);
}

TEST_CASE ("cuegrid import --copy collects the files in the session's media folder without overwriting another file", "[cli][prepare]")
{
    TemporaryFolder work ("cli-import-copy");
    const auto session = work / "show" / "show.cuegrid";
    std::filesystem::create_directories (work / "show");
    copyCorpus (work / "incoming", { threeFiles[0], threeFiles[1] });
    copyCorpus (work / "other", { "p03_colombo_snare.wav" });
    std::filesystem::rename (work / "other" / "p03_colombo_snare.wav", work / "other" / threeFiles[0]);   // same name, other content

    // Without a recorded media folder --copy has nowhere to go.
    REQUIRE (cli ("new " + quote ((work / "show" / "bare.cuegrid").string())).exitCode == 0);
    const auto nowhere = cli ("import " + quote ((work / "show" / "bare.cuegrid").string()) + " " + quote ((work / "incoming").string()) + " --copy");
    CHECK (nowhere.exitCode == 2);
    CHECK_THAT (nowhere.output, Catch::Contains ("--copy: the session has no media folder"));

    REQUIRE (cli ("new " + quote (session.string()) + " --media-folder " + quote ((work / "show" / "Media").string())).exitCode == 0);
    const auto first = cli ("import " + quote (session.string()) + " " + quote ((work / "incoming").string()) + " --copy");
    INFO (first.output);
    CHECK (first.exitCode == 0);
    const auto second = cli ("import " + quote (session.string()) + " " + quote ((work / "other" / threeFiles[0]).string()) + " "
                             + quote ((work / "incoming" / threeFiles[1]).string()) + " --copy");
    INFO (second.output);
    CHECK (second.exitCode == 0);

    const auto loaded = SessionManifest::load (session.string());
    REQUIRE (loaded.clips.size() == 4);
    CHECK (loaded.clips[0].file == "Media/" + threeFiles[0]);
    CHECK (loaded.clips[1].file == "Media/" + threeFiles[1]);
    CHECK (loaded.clips[2].file == "Media/p01_sonicpi_heavy_kick-2.wav");   // the other content, beside the first
    CHECK (loaded.clips[3].file == "Media/" + threeFiles[1]);              // the same content, used again
    CHECK (readText (work / "show" / "Media" / threeFiles[0]) == readText (dataPath ("corpus/" + threeFiles[0])));
    CHECK (readText (work / "show" / "Media" / "p01_sonicpi_heavy_kick-2.wav") == readText (dataPath ("corpus/p03_colombo_snare.wav")));
    size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator (work / "show" / "Media"))
        ++files;
    CHECK (files == 3);   // no .part left, nothing copied twice
    CHECK (std::filesystem::exists (work / "incoming" / threeFiles[0]));   // copies, not moves
}
