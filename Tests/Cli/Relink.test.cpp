// CueGrid — GPL-3.0-or-later
// Issue 13, test 1: a session whose media folder is moved and renamed as a whole, some files
// renamed too. `cuegrid relink --apply certain` relinks every clip by content hash (100 %),
// a decoy with a missing file's name and other content is offered only as a candidate (and
// never taken when it is the only one), a recovery point comes first, and the audit trail
// records each decision with its evidence.
#include "Analysis/ContentHash.h"
#include "Session/MediaLoader.h"
#include "Session/MetadataDatabase.h"
#include "Session/SessionManifest.h"
#include "Session/SessionStore.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>

using namespace cuegrid;
using namespace cuegrid::test;

namespace
{
    const std::vector<std::string> corpus { "p01_sonicpi_heavy_kick.wav", "p03_colombo_snare.wav", "p05_lmms_e_organ.wav",
                                            "p07_sonicpi_bass_thick.wav", "p08_sonicpi_haunted_hum.wav" };

    nlohmann::json clipReport (const nlohmann::json& report, const std::string& id)
    {
        for (const auto& clip : report["clips"])
            if (clip["clip"] == id)
                return clip;
        FAIL ("no report for clip " << id);
        return {};
    }
} // namespace

TEST_CASE ("cuegrid relink --apply certain relinks a moved and renamed media folder 100 % by hash and offers a decoy only as a candidate", "[cli][relink]")
{
    TemporaryFolder work ("cli-relink-moved");
    // A private CueGrid home and preferences: the recovery point goes there, no search paths.
    const auto environment = "CUEGRID_HOME=" + quote ((work / "home").string()) + " XDG_CONFIG_HOME=" + quote ((work / "config").string()) + " ";
    const auto cli = [&] (const std::string& arguments) { return run (environment + quote (cliPath()) + " " + arguments); };
    const auto session = work / "show" / "show.cuegrid";
    std::filesystem::create_directories (work / "show");
    REQUIRE (cli ("new " + quote (session.string()) + " --media-folder " + quote ((work / "show" / "media").string())).exitCode == 0);
    std::map<std::string, std::string> hashOf;   // clip id → content hash of its corpus file
    for (const auto& name : corpus)
    {
        std::filesystem::copy_file (dataPath ("corpus/" + name), work / "show" / "media" / name);
        hashOf[std::filesystem::path (name).stem().string()] = *analysis::hashFileContent (dataPath ("corpus/" + name));
    }
    const auto imported = cli ("import " + quote (session.string()) + " " + quote ((work / "show" / "media").string()));
    INFO (imported.output);
    REQUIRE (imported.exitCode == 0);   // import records every clip's content facts

    // The media folder leaves the session folder under another name; two files are renamed in it.
    const auto moved = work / "Venue Media 2026";
    std::filesystem::rename (work / "show" / "media", moved);
    std::filesystem::rename (moved / "p03_colombo_snare.wav", moved / "Snare (final).wav");
    std::filesystem::rename (moved / "p07_sonicpi_bass_thick.wav", moved / "bass.wav");
    // A decoy in the session folder, searched first: the hum's name, the hi-hat's content (no clip's).
    std::filesystem::create_directories (work / "show" / "old");
    std::filesystem::copy_file (dataPath ("corpus/p02_sonicpi_hihat_open.wav"), work / "show" / "old" / "p08_sonicpi_haunted_hum.wav");
    const auto before = readText (session);

    // Reported first: every clip missing, every one certain, nothing written.
    const auto dry = cli ("relink " + quote (session.string()) + " --search " + quote (moved.string()) + " --json -");
    INFO (dry.output);
    CHECK (dry.exitCode == 3);
    CHECK_THAT (dry.output, Catch::Contains ("5 clip(s) with missing media, 5 found (--apply none: nothing changed)"));
    CHECK (readText (session) == before);

    const auto json = work / "relink.json";
    const auto done = cli ("relink " + quote (session.string()) + " --search " + quote (moved.string()) + " --apply certain --json " + quote (json.string()));
    INFO (done.output);
    CHECK (done.exitCode == 0);
    CHECK_THAT (done.output, Catch::Contains ("p03_colombo_snare: media/p03_colombo_snare.wav -> " + std::filesystem::weakly_canonical (moved).generic_string() + "/Snare (final).wav")
                                 && Catch::Contains ("5 clip(s) with missing media, 5 found, relinked and saved"));

    // 100 %: every clip's file now holds the content it was imported with.
    const auto loaded = SessionManifest::load (session.string());
    REQUIRE (loaded.clips.size() == corpus.size());
    for (const auto& clip : loaded.clips)
    {
        INFO (clip.id << " -> " << clip.file);
        CHECK (analysis::hashFileContent (resolveMediaPath (session, clip.file)) == hashOf.at (clip.id));
    }
    const auto report = nlohmann::json::parse (readText (json));
    CHECK (report["summary"]["missing"] == 5);
    CHECK (report["summary"]["relinked"] == 5);
    CHECK (report["summary"]["stillMissing"] == 0);
    const auto hum = clipReport (report, "p08_sonicpi_haunted_hum");
    CHECK (hum["decision"] == "relinked");
    REQUIRE (hum["candidates"].size() == 2);
    CHECK (hum["candidates"][0]["evidence"] == "hash");
    CHECK (hum["candidates"][0]["certain"] == true);
    CHECK (hum["candidates"][1]["file"] == "old/p08_sonicpi_haunted_hum.wav");   // the decoy: offered, not certain
    CHECK (hum["candidates"][1]["evidence"] == "name");
    CHECK (hum["candidates"][1]["certain"] == false);
    CHECK (hum["candidates"][1]["channelsAsExpected"] == false);   // mono where the hum is stereo

    // A recovery point was taken before the manifest changed, holding the old paths.
    const auto points = SessionStore::listRecoveryPoints (SessionStore::recoveryFolderFor (session.string(), work / "home" / "Autosave"));
    REQUIRE (points.size() == 1);
    CHECK (SessionStore::loadRecoveryPoint (points[0].path).reason == "before relink");

    // The audit trail: five hash relinks by the CLI; the hum's names the decoy it passed over.
    {
        MetadataDatabase database (MetadataDatabase::pathForSession (session.string()));
        int relinks = 0;
        for (const auto& entry : database.auditTrail())
        {
            if (entry.kind != "relink")
                continue;
            ++relinks;
            const auto details = nlohmann::json::parse (entry.detailsJson);
            CHECK (details["evidence"] == "hash");
            CHECK (details["acceptedBy"] == "cli");
            CHECK (details["contentHash"] == hashOf.at (details["clip"].get<std::string>()));
            if (details["clip"] == "p08_sonicpi_haunted_hum")
                CHECK (details["alsoOffered"] == nlohmann::json::parse (R"([{"file": "old/p08_sonicpi_haunted_hum.wav", "evidence": "name"}])"));
            CHECK_FALSE (entry.time.empty());
        }
        CHECK (relinks == 5);
    }

    // The hum is lost for good; only the decoy has its name: a candidate, never relinked.
    std::filesystem::remove (resolveMediaPath (session, loaded.clips[4].file));
    REQUIRE (loaded.clips[4].id == "p08_sonicpi_haunted_hum");
    const auto alone = cli ("relink " + quote (session.string()) + " --apply certain --json " + quote (json.string()));
    INFO (alone.output);
    CHECK (alone.exitCode == 3);
    CHECK_THAT (alone.output, Catch::Contains ("p08_sonicpi_haunted_hum: " + loaded.clips[4].file + ": no certain match; 1 candidate(s) to confirm")
                                  && Catch::Contains ("1 clip(s) with missing media, 0 found, 1 with candidates to confirm"));
    CHECK (SessionManifest::load (session.string()).clips[4].file == loaded.clips[4].file);
    MetadataDatabase database (MetadataDatabase::pathForSession (session.string()));
    const auto audit = database.auditTrail();
    REQUIRE_FALSE (audit.empty());
    CHECK (audit.back().kind == "relink-unconfirmed");
    const auto details = nlohmann::json::parse (audit.back().detailsJson);
    CHECK (details["clip"] == "p08_sonicpi_haunted_hum");
    CHECK (details["decidedBy"] == "cli");
    CHECK (details["candidates"][0]["file"] == "old/p08_sonicpi_haunted_hum.wav");
    CHECK (details["candidates"][0]["evidence"] == "name");
}

TEST_CASE ("cuegrid relink flags a file replaced by other content of another channel count", "[cli][relink]")
{
    TemporaryFolder work ("cli-relink-replaced");
    const auto environment = "CUEGRID_HOME=" + quote ((work / "home").string()) + " XDG_CONFIG_HOME=" + quote ((work / "config").string()) + " ";
    const auto cli = [&] (const std::string& arguments) { return run (environment + quote (cliPath()) + " " + arguments); };
    const auto session = work / "show.cuegrid";
    REQUIRE (cli ("new " + quote (session.string())).exitCode == 0);
    std::filesystem::create_directories (work / "media");
    std::filesystem::copy_file (dataPath ("corpus/p01_sonicpi_heavy_kick.wav"), work / "media" / "kick.wav");
    REQUIRE (cli ("import " + quote (session.string()) + " " + quote ((work / "media").string())).exitCode == 0);
    // Replaced under the same name by a stereo file.
    std::filesystem::copy_file (dataPath ("corpus/p03_colombo_snare.wav"), work / "media" / "kick.wav", std::filesystem::copy_options::overwrite_existing);
    for (int pass = 0; pass < 2; ++pass)   // flagged every time, not taken as the new normal
    {
        const auto result = cli ("relink " + quote (session.string()) + " --json -");
        INFO (result.output);
        CHECK (result.exitCode == 0);   // nothing is missing
        CHECK_THAT (result.output, Catch::Contains ("clip 'kick' (media/kick.wav): the file holds other content than recorded (content hash")
                                       && Catch::Contains ("1 ch → 2 ch") && Catch::Contains ("\"formatChanged\": true"));
    }
    // info shows it too.
    const auto info = cli ("info " + quote (session.string()));
    INFO (info.output);
    CHECK_THAT (info.output, Catch::Contains ("REPLACED"));

    // Kept on purpose: accepted, audited, and no longer flagged. A clip with nothing to accept is refused.
    CHECK (cli ("relink " + quote (session.string()) + " --accept-replaced nosuchclip").exitCode == 2);
    const auto accepted = cli ("relink " + quote (session.string()) + " --accept-replaced kick");
    INFO (accepted.output);
    CHECK (accepted.exitCode == 0);
    CHECK_THAT (accepted.output, Catch::Contains ("kick: the replaced file is now the clip's media (content hash"));
    CHECK_THAT (cli ("info " + quote (session.string())).output, ! Catch::Contains ("REPLACED"));
    CHECK_THAT (cli ("relink " + quote (session.string())).output, ! Catch::Contains ("other content than recorded"));
    MetadataDatabase database ((work / "show.cuegrid.db").string());
    const auto audit = database.auditTrail();
    REQUIRE_FALSE (audit.empty());
    CHECK (audit.back().kind == "accept-replaced");
    CHECK (nlohmann::json::parse (audit.back().detailsJson)["acceptedBy"] == "cli");
    CHECK (database.findMedia ("kick")->channels == 2);
}
