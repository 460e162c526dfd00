// CueGrid — GPL-3.0-or-later
// Missing media found again by the content hash the session database recorded: a renamed,
// moved file is proposed, a same-sized file of other content is not, applying it keeps the
// clip's database rows and writes the audit trail.
#include "Session/MediaRelink.h"

#include "Session/MediaFacts.h"
#include "Session/MetadataDatabase.h"
#include "Session/SessionModel.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace cuegrid;
using namespace cuegrid::test;

TEST_CASE ("Moved media is found by its recorded content hash and relinked with an audit entry", "[session][database][relink]")
{
    TemporaryFolder work ("media-relink");
    std::filesystem::create_directories (work / "media");
    for (const auto* name : { "p01_sonicpi_heavy_kick.wav", "p03_colombo_snare.wav" })
        std::filesystem::copy_file (dataPath ("corpus/") / name, work / "media" / name);
    const auto session = (work / "show.cuegrid").string();
    Session show;
    for (const auto& [id, file] : std::vector<std::pair<std::string, std::string>> {
             { "kick", "media/p01_sonicpi_heavy_kick.wav" }, { "snare", "media/p03_colombo_snare.wav" }, { "never", "media/never.wav" } })
    {
        ClipDefinition clip;
        clip.id = id;
        clip.file = file;
        show.clips.push_back (clip);
    }
    MetadataDatabase database ((work / "show.cuegrid.db").string());
    refreshMediaFacts (database, show, session);
    database.addMarker ({ "kick", MetadataDatabase::MarkerKind::warp, "beat", 0.1 });
    CHECK (findMovedMedia (database, show, session, { work.path }).empty());   // nothing is missing but "never", unknown

    // The kick moves and is renamed; a decoy of the same size with one byte changed sits beside it.
    std::filesystem::create_directories (work / "elsewhere" / "deeper");
    std::filesystem::rename (work / "media" / "p01_sonicpi_heavy_kick.wav", work / "elsewhere" / "deeper" / "KICK final.wav");
    std::filesystem::copy_file (work / "elsewhere" / "deeper" / "KICK final.wav", work / "elsewhere" / "a decoy.wav");
    {
        std::fstream decoy (work / "elsewhere" / "a decoy.wav", std::ios::in | std::ios::out | std::ios::binary);
        decoy.seekp (1000);
        decoy.put ('\x7f');
    }
    // The snare's file changes in place: not missing, so not a relink matter.
    std::filesystem::copy_file (dataPath ("corpus/p02_sonicpi_hihat_open.wav"), work / "media" / "p03_colombo_snare.wav",
                                std::filesystem::copy_options::overwrite_existing);

    CHECK (findMovedMedia (database, show, session, { work / "elsewhere" }, false).empty());   // only deeper down
    const auto proposals = findMovedMedia (database, show, session, { work / "elsewhere" });
    REQUIRE (proposals.size() == 1);
    CHECK (proposals[0].clipId == "kick");
    CHECK (proposals[0].oldFile == "media/p01_sonicpi_heavy_kick.wav");
    CHECK (proposals[0].newFile == "elsewhere/deeper/KICK final.wav");
    const auto hash = *database.findMedia ("kick")->contentHash;
    CHECK (proposals[0].contentHash == hash);

    applyRelink (database, show, proposals);
    CHECK (show.clips[0].file == "elsewhere/deeper/KICK final.wav");
    const auto record = *database.findMedia ("kick");
    CHECK (record.file == "elsewhere/deeper/KICK final.wav");
    CHECK (record.contentHash == hash);
    CHECK (database.markers ("kick").size() == 1);
    const auto audit = database.auditTrail();
    REQUIRE (audit.size() == 1);
    CHECK (audit[0].kind == "relink");
    CHECK (nlohmann::json::parse (audit[0].detailsJson)
           == nlohmann::json { { "clip", "kick" }, { "from", "media/p01_sonicpi_heavy_kick.wav" },
                               { "to", "elsewhere/deeper/KICK final.wav" }, { "contentHash", hash }, { "evidence", "hash" },
                               { "acceptedBy", "cli" } });

    // Refreshed: the kick is the same content (remeasured: a new mtime at most), the snare changed.
    const auto checks = refreshMediaFacts (database, show, session);
    CHECK ((checks[0].state == MediaFactsCheck::State::unchanged || checks[0].state == MediaFactsCheck::State::remeasured));
    CHECK (checks[1].state == MediaFactsCheck::State::changed);
    CHECK (checks[2].state == MediaFactsCheck::State::missing);
    CHECK (database.checkIntegrity() == "ok");
}

TEST_CASE ("Session-relative paths: inside the session folder relative, outside absolute", "[session][relink]")
{
    CHECK (sessionRelativePath ("/shows/friday/show.cuegrid", "/shows/friday/media/a.wav") == "media/a.wav");
    CHECK (sessionRelativePath ("/shows/friday/show.cuegrid", "/shows/friday/./media/../media/a.wav") == "media/a.wav");
    CHECK (sessionRelativePath ("/shows/friday/show.cuegrid", "/shows/shared/a.wav") == "/shows/shared/a.wav");
}
