// CueGrid — GPL-3.0-or-later
// Issue 13 test 4: round trips through `cuegrid export` and `cuegrid import-package` on the corpus
// media. A session package imported into a fresh folder renders bit-identical to the original;
// a damaged package is refused naming the file; tab and page exports import with each merge
// option (ids and keys in conflict); a clip list keeps its order; metadata applies by content.
#include "Support/TestSupport.h"

#include "Session/MetadataDatabase.h"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>

using namespace cuegrid::test;
namespace fs = std::filesystem;

namespace
{
    const std::vector<std::string> insideFiles { "p01_sonicpi_heavy_kick.wav", "p03_colombo_snare.wav" };

    nlohmann::json readJson (const fs::path& file) { return nlohmann::json::parse (readText (file)); }

    std::string bytesOf (const fs::path& file)
    {
        std::ifstream in (file, std::ios::binary);
        return { std::istreambuf_iterator<char> (in), std::istreambuf_iterator<char>() };
    }

    CommandResult cli (const std::string& arguments) { return run (quote (cliPath()) + " " + arguments); }

    /** The v2 show (every playback feature, 8 corpus clips) as a version 4 session in `folder`:
        two media files inside it (media/), the others referred to where they are; F1 fires the
        kick on page 1, F12 the snare everywhere; a second page "Beds" holds the hum. Its script
        is the v2 show's without the audition of a file. */
    fs::path makeShow (const fs::path& folder)
    {
        fs::create_directories (folder / "media");
        auto session = readJson (dataPath ("sessions/show-v2.cuegrid"));
        session["version"] = 4;
        for (auto& clip : session["clips"])
        {
            const auto name = fs::path (clip["file"].get<std::string>()).filename().string();
            if (std::find (insideFiles.begin(), insideFiles.end(), name) != insideFiles.end())
            {
                fs::copy_file (dataPath ("corpus/" + name), folder / "media" / name);
                clip["file"] = "media/" + name;
            }
            else
                clip["file"] = dataPath ("corpus/" + name).string();
        }
        session["pages"].push_back ({ { "name", "Beds" }, { "tabs", { { { "name", "Hum" }, { "rows", 1 }, { "columns", 2 },
                                                                        { "slots", { { { "row", 0 }, { "column", 1 }, { "clip", "hum" } } } } } } } });
        session["hotkeys"] = { { "pages", { { { { "clip", "kick" }, { "key", "F1" } } } } },
                               { "global", { { { "clip", "snare" }, { "key", "F12" } } } } };
        writeText (folder / "show.cuegrid", session.dump (1));
        auto script = readJson (dataPath ("sessions/show-v2-script.json"));
        auto& commands = script["commands"];
        commands.erase (std::remove_if (commands.begin(), commands.end(), [] (const auto& c) { return c.contains ("file"); }), commands.end());
        writeText (folder / "script.json", script.dump (1));
        return folder / "show.cuegrid";
    }

    /** The one export made in `out` (a fresh folder per export). */
    fs::path onlyExportIn (const fs::path& out)
    {
        std::vector<fs::path> found;
        for (const auto& entry : fs::directory_iterator (out))
            found.push_back (entry.path());
        REQUIRE (found.size() == 1);
        return found[0];
    }

    fs::path exportOf (const fs::path& session, const std::string& arguments, const fs::path& out)
    {
        const auto result = cli ("export " + quote (session.string()) + " " + arguments + " --out " + quote (out.string()));
        INFO (result.output);
        REQUIRE (result.exitCode == 0);
        return onlyExportIn (out);
    }

    std::map<std::string, nlohmann::json> clipsById (const nlohmann::json& session)
    {
        std::map<std::string, nlohmann::json> clips;
        for (const auto& clip : session["clips"])
            clips[clip["id"].get<std::string>()] = clip;
        return clips;
    }

    /** A clip's properties without its id and file, the defaults a saved manifest writes filled in. */
    nlohmann::json properties (nlohmann::json clip)
    {
        if (! clip.contains ("label"))
            clip["label"] = clip["id"];
        if (! clip.contains ("colour"))
            clip["colour"] = "#808080";
        if (! clip.contains ("levelTrimDb"))
            clip["levelTrimDb"] = 0.0;
        clip.erase ("id");
        clip.erase ("file");
        return clip;
    }

    /** A new session (cuegrid new: 1 page of 8 empty 4 x 8 tabs) with a media folder. */
    fs::path newSession (const fs::path& folder)
    {
        fs::create_directories (folder);
        const auto session = folder / "target.cuegrid";
        const auto made = cli ("new " + quote (session.string()) + " --media-folder " + quote ((folder / "Audio").string()));
        INFO (made.output);
        REQUIRE (made.exitCode == 0);
        return session;
    }

    std::vector<std::string> tabCells (const nlohmann::json& session, size_t page, size_t tab)
    {
        std::vector<std::pair<std::pair<int, int>, std::string>> cells;
        for (const auto& slot : session["pages"][page]["tabs"][tab]["slots"])
            cells.push_back ({ { slot["row"].get<int>(), slot["column"].get<int>() }, slot["clip"].get<std::string>() });
        std::sort (cells.begin(), cells.end());
        std::vector<std::string> ids;
        for (const auto& cell : cells)
            ids.push_back (std::to_string (cell.first.first) + "," + std::to_string (cell.first.second) + ":" + cell.second);
        return ids;
    }
} // namespace

TEST_CASE ("A session package imported into a fresh folder renders bit-identical to the original", "[cli][package][issue13]")
{
    TemporaryFolder folder ("package-round-trip");
    const auto show = makeShow (folder / "show");
    const auto original = cli ("render " + quote (show.string()) + " --script " + quote ((folder / "show/script.json").string())
                               + " --out " + quote ((folder / "original.wav").string()));
    INFO (original.output);
    REQUIRE (original.exitCode == 0);

    const auto package = exportOf (show, "--mode package", folder / "exports");
    CHECK (package.filename() == "show package");
    // Every clip's media is inside the package, by a relative path, and listed with its checksum.
    const auto packaged = readJson (package / "show.cuegrid");
    REQUIRE (packaged["clips"].size() == 8);
    for (const auto& clip : packaged["clips"])
    {
        const auto file = clip["file"].get<std::string>();
        CHECK (file.rfind ("media/", 0) == 0);
        CHECK (fs::is_regular_file (package / file));
    }
    const auto checksums = readText (package / "checksums.xxh3");
    CHECK_THAT (checksums, Catch::Contains ("XXH3 (media/p01_sonicpi_heavy_kick.wav) = "));
    CHECK_THAT (checksums, Catch::Contains ("XXH3 (show.cuegrid.db) = "));
    CHECK_THAT (checksums, Catch::Contains ("XXH3 (package.json) = "));
    CHECK_FALSE (fs::exists (package / "show.cuegrid.db-wal"));

    // The source folder goes away (another machine): the package alone must be enough.
    fs::rename (folder / "show", folder / "gone");
    const auto imported = cli ("import-package " + quote (package.string()) + " --dest " + quote ((folder / "venue/show").string()));
    INFO (imported.output);
    REQUIRE (imported.exitCode == 0);
    CHECK_THAT (imported.output, Catch::Contains ("8 of 8 clip(s) playable"));
    const auto session = folder / "venue/show/show.cuegrid";
    REQUIRE (fs::exists (session));
    const auto rendered = cli ("render " + quote (session.string()) + " --script " + quote ((folder / "gone/script.json").string())
                               + " --out " + quote ((folder / "imported.wav").string()));
    INFO (rendered.output);
    REQUIRE (rendered.exitCode == 0);
    const auto a = bytesOf (folder / "original.wav"), b = bytesOf (folder / "imported.wav");
    REQUIRE (a.size() > 1000000);
    CHECK (a == b);

    // The imported database knows the media (no remeasuring) and records the import.
    const auto info = cli ("info " + quote (session.string()));
    INFO (info.output);
    CHECK (info.exitCode == 0);

    // As one .tar (export --archive): the same package, the same render.
    const auto archived = cli ("export " + quote ((folder / "venue/show/show.cuegrid").string()) + " --archive --out "
                               + quote ((folder / "archives").string()));
    INFO (archived.output);
    REQUIRE (archived.exitCode == 0);
    REQUIRE (fs::is_regular_file (folder / "archives/show package.tar"));
    CHECK_FALSE (fs::exists (folder / "archives/show package"));
    const auto unpacked = cli ("import-package " + quote ((folder / "archives/show package.tar").string()) + " --dest "
                               + quote ((folder / "venue2").string()));
    INFO (unpacked.output);
    REQUIRE (unpacked.exitCode == 0);
    const auto fromArchive = cli ("render " + quote ((folder / "venue2/show.cuegrid").string()) + " --script "
                                  + quote ((folder / "gone/script.json").string()) + " --out " + quote ((folder / "archived.wav").string()));
    REQUIRE (fromArchive.exitCode == 0);
    CHECK (bytesOf (folder / "archived.wav") == a);

    // Importing again into the same, now occupied, folder is refused.
    const auto again = cli ("import-package " + quote (package.string()) + " --dest " + quote ((folder / "venue/show").string()));
    CHECK (again.exitCode == 2);
    CHECK_THAT (again.output, Catch::Contains ("is not an empty folder"));
}

TEST_CASE ("A damaged package is refused naming the file, and nothing is imported", "[cli][package][issue13]")
{
    TemporaryFolder folder ("package-damaged");
    const auto show = makeShow (folder / "show");
    const auto package = exportOf (show, "--mode package", folder / "exports");
    {
        std::fstream media (package / "media/p03_colombo_snare.wav", std::ios::in | std::ios::out | std::ios::binary);
        media.seekp (5000);
        media.put ('\x7f');
    }
    fs::remove (package / "media/p05_lmms_e_organ.wav");
    const auto result = cli ("import-package " + quote (package.string()) + " --dest " + quote ((folder / "venue").string()));
    INFO (result.output);
    CHECK (result.exitCode == 2);
    CHECK_THAT (result.output, Catch::Contains ("media/p03_colombo_snare.wav: checksum mismatch"));
    CHECK_THAT (result.output, Catch::Contains ("media/p05_lmms_e_organ.wav: missing from the package"));
    CHECK_FALSE (fs::exists (folder / "venue"));
    for (const auto& entry : fs::directory_iterator (folder.path))
        CHECK (entry.path().filename().string().find ("partial") == std::string::npos);

    // Missing media in the source: no package unless --allow-missing.
    fs::remove (folder / "show/media/p01_sonicpi_heavy_kick.wav");
    const auto missing = cli ("export " + quote (show.string()) + " --out " + quote ((folder / "exports2").string()));
    CHECK (missing.exitCode == 3);
    CHECK_THAT (missing.output, Catch::Contains ("'kick'"));
    CHECK_FALSE (fs::exists (folder / "exports2/show package"));
}

TEST_CASE ("A tab export imports with --merge empty, replace and append, ids and keys in conflict reported", "[cli][package][issue13]")
{
    TemporaryFolder folder ("package-tab");
    const auto show = makeShow (folder / "show");
    const auto source = readJson (show);
    const auto sourceClips = clipsById (source);
    const auto tab = exportOf (show, "--mode tab --page 1 --tab 1", folder / "tab-export");
    CHECK (tab.filename() == "show tab Show - All");
    const auto target = newSession (folder / "target");

    // empty: the tab as it was, its media copied into the target's media folder.
    auto result = cli ("import-package " + quote (tab.string()) + " --into " + quote (target.string()) + " --merge empty --page 1 --tab 2");
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    auto merged = readJson (target);
    CHECK (tabCells (merged, 0, 1) == tabCells (source, 0, 0));
    CHECK (merged["pages"][0]["tabs"][1]["name"] == "All");
    auto clips = clipsById (merged);
    REQUIRE (clips.size() == 8);
    for (const auto& [id, clip] : sourceClips)
    {
        CHECK (properties (clips[id]) == properties (clip));
        const auto file = clips[id]["file"].get<std::string>();
        CHECK (file.rfind ("Audio/", 0) == 0);
        CHECK (fs::is_regular_file (folder / "target" / file));
    }
    CHECK (merged["hotkeys"]["pages"][0][0]["key"] == "F1");
    CHECK (merged["hotkeys"]["global"][0]["clip"] == "snare");
    const auto render = cli ("render " + quote (target.string()) + " --script " + quote ((folder / "show/script.json").string())
                             + " --out " + quote ((folder / "target.wav").string()));
    INFO (render.output);
    CHECK (render.exitCode == 0);

    // empty into the now full tab: refused, the session unchanged.
    const auto before = bytesOf (target);
    result = cli ("import-package " + quote (tab.string()) + " --into " + quote (target.string()) + " --merge empty --page 1 --tab 2");
    CHECK (result.exitCode == 2);
    CHECK_THAT (result.output, Catch::Contains ("tab 'All' of page 'Page 1' is not empty (8 cells)"));
    CHECK (bytesOf (target) == before);

    // replace: the tab's clips leave first, so the ids come back as they were; nothing copied twice.
    result = cli ("import-package " + quote (tab.string()) + " --into " + quote (target.string()) + " --merge replace --page 1 --tab 2");
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    CHECK_THAT (result.output, Catch::Contains ("0 media file(s) copied"));
    merged = readJson (target);
    CHECK (clipsById (merged).size() == 8);
    CHECK (tabCells (merged, 0, 1) == tabCells (source, 0, 0));

    // append into tab 1 (empty): new ids, and the incoming F1 / F12 lose to the target's.
    result = cli ("import-package " + quote (tab.string()) + " --into " + quote (target.string()) + " --merge append --page 1 --tab 1");
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    CHECK_THAT (result.output, Catch::Contains ("clip id 'kick' is taken in the session: imported as 'kick-2'"));
    CHECK_THAT (result.output, Catch::Contains ("F1 for 'kick-2' not kept: it already fires 'kick' on page 'Page 1'"));
    CHECK_THAT (result.output, Catch::Contains ("F12 for 'snare-2' not kept: it already fires 'snare' on every page"));
    merged = readJson (target);
    clips = clipsById (merged);
    CHECK (clips.size() == 16);
    CHECK (properties (clips["kick-2"]) == properties (sourceClips.at ("kick")));
    CHECK (clips["kick-2"]["file"] == clips["kick"]["file"]);    // the same media, not a second copy
    CHECK (merged["pages"][0]["tabs"][0]["slots"].size() == 8);
    CHECK (merged["hotkeys"]["pages"][0].size() == 1);

    // The target's database records each import with what it did.
    cuegrid::MetadataDatabase database ((folder / "target/target.cuegrid.db").string());
    std::vector<nlohmann::json> imports;
    for (const auto& entry : database.auditTrail())
        if (entry.kind == "packageImport")
            imports.push_back (nlohmann::json::parse (entry.detailsJson));
    REQUIRE (imports.size() == 3);
    CHECK (imports[0]["merge"] == "empty");
    CHECK (imports[2]["merge"] == "append");
    CHECK (imports[2]["renamed"]["kick"] == "kick-2");
    CHECK (imports[2]["droppedKeys"].size() == 2);
}

TEST_CASE ("A page export imports as a new page (append), over a page (replace) and into an empty page only (empty)", "[cli][package][issue13]")
{
    TemporaryFolder folder ("package-page");
    const auto show = makeShow (folder / "show");
    const auto source = readJson (show);
    const auto page = exportOf (show, "--mode page --page 2 --no-media", folder / "page-export");
    CHECK (page.filename() == "show page Beds");
    CHECK_FALSE (fs::exists (page / "media"));
    const auto target = newSession (folder / "target");

    auto result = cli ("import-package " + quote (page.string()) + " --into " + quote (target.string()) + " --merge append");
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    auto merged = readJson (target);
    REQUIRE (merged["pages"].size() == 2);
    CHECK (merged["pages"][1]["name"] == "Beds");
    CHECK (tabCells (merged, 1, 0) == tabCells (source, 1, 0));
    // --no-media: the clip refers to the corpus file where it is.
    CHECK (clipsById (merged)["hum"]["file"] == dataPath ("corpus/p08_sonicpi_haunted_hum.wav").string());

    result = cli ("import-package " + quote (page.string()) + " --into " + quote (target.string()) + " --merge empty --page 2");
    CHECK (result.exitCode == 2);
    CHECK_THAT (result.output, Catch::Contains ("page 'Beds' is not empty (1 cell)"));

    result = cli ("import-package " + quote (page.string()) + " --into " + quote (target.string()) + " --merge empty --page 3");
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    merged = readJson (target);
    CHECK (merged["pages"].size() == 3);
    CHECK (tabCells (merged, 2, 0) == std::vector<std::string> { "0,1:hum-2" });

    result = cli ("import-package " + quote (page.string()) + " --into " + quote (target.string()) + " --merge replace --page 1");
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    merged = readJson (target);
    CHECK (merged["pages"].size() == 3);
    CHECK (merged["pages"][0]["name"] == "Beds");
    CHECK (tabCells (merged, 0, 0) == std::vector<std::string> { "0,1:hum-3" });
}

TEST_CASE ("A clip list keeps its selection order, and metadata applies to the clips with the same content", "[cli][package][issue13]")
{
    TemporaryFolder folder ("package-clips-metadata");
    const auto show = makeShow (folder / "show");
    const auto sourceClips = clipsById (readJson (show));
    const auto target = newSession (folder / "target");

    const auto list = exportOf (show, "--mode clips --clips speech,kick,organ", folder / "list-export");
    auto result = cli ("import-package " + quote (list.string()) + " --into " + quote (target.string()) + " --merge append --tab 3");
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    CHECK (tabCells (readJson (target), 0, 2) == std::vector<std::string> { "0,0:speech", "0,1:kick", "0,2:organ" });

    // The same media imported under other ids with default properties: metadata finds them by content.
    std::string files;
    for (const auto* name : { "p01_sonicpi_heavy_kick.wav", "p05_lmms_e_organ.wav", "p07_sonicpi_bass_thick.wav" })
        files += " " + quote (dataPath (std::string ("corpus/") + name).string());
    const auto other = folder / "other.cuegrid";
    REQUIRE (cli ("new " + quote (other.string())).exitCode == 0);
    const auto imported = cli ("import " + quote (other.string()) + files);
    INFO (imported.output);
    REQUIRE (imported.exitCode == 0);

    const auto metadata = exportOf (show, "--mode metadata", folder / "metadata-export");
    CHECK_FALSE (fs::exists (metadata / "media"));
    const auto before = clipsById (readJson (other));
    result = cli ("import-package " + quote (metadata.string()) + " --into " + quote (other.string()));
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    CHECK_THAT (result.output, Catch::Contains ("metadata of 3 clip(s) applied (3 changed)"));
    const auto after = clipsById (readJson (other));
    const std::map<std::string, std::string> sameContent { { "p01_sonicpi_heavy_kick", "kick" }, { "p05_lmms_e_organ", "organ" },
                                                           { "p07_sonicpi_bass_thick", "bass" } };
    for (const auto& [id, sourceId] : sameContent)
    {
        INFO (id);
        REQUIRE (after.count (id) == 1);
        CHECK (properties (after.at (id)) == properties (sourceClips.at (sourceId)));
        CHECK (after.at (id)["file"] == before.at (id)["file"]);     // media not moved
    }
}
