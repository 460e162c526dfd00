// CueGrid — GPL-3.0-or-later
// Media facts in the session database follow the files on disk: measured once, not read again
// while size and time stand, re-measured after a touch, reported as changed when the content
// differs, as missing when the file is gone.
#include "Session/MediaFacts.h"

#include "Analysis/ContentHash.h"
#include "Session/SessionModel.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>

using namespace cuegrid;
using namespace cuegrid::test;

namespace
{
    using State = MediaFactsCheck::State;

    std::vector<State> states (const std::vector<MediaFactsCheck>& checks)
    {
        std::vector<State> result;
        for (const auto& check : checks)
            result.push_back (check.state);
        return result;
    }

    void setModifiedTime (const std::filesystem::path& file, long seconds)
    {
        const struct timespec times[2] { { seconds, 0 }, { seconds, 0 } };
        REQUIRE (::utimensat (AT_FDCWD, file.c_str(), times, 0) == 0);
    }
} // namespace

TEST_CASE ("Media facts are measured once, kept while the file stands, and changes are reported", "[session][database][media]")
{
    TemporaryFolder work ("media-facts");
    std::filesystem::create_directories (work / "media");
    const auto kick = work / "media" / "kick.wav";
    std::filesystem::copy_file (dataPath ("corpus/p01_sonicpi_heavy_kick.wav"), kick);
    const auto session = (work / "show.cuegrid").string();

    Session show;
    for (const auto& [id, file] : std::vector<std::pair<std::string, std::string>> {
             { "kick", "media/kick.wav" }, { "kick-again", "media/kick.wav" }, { "gone", "media/gone.wav" } })
    {
        ClipDefinition clip;
        clip.id = id;
        clip.file = file;
        show.clips.push_back (clip);
    }
    MetadataDatabase database ((work / "show.cuegrid.db").string());

    auto checks = refreshMediaFacts (database, show, session);
    CHECK (states (checks) == std::vector<State> { State::measured, State::measured, State::missing });
    CHECK_THAT (checks[2].detail, Catch::Contains ("file not found") && Catch::Contains ("gone.wav"));
    const auto facts = *database.findMedia ("kick");
    CHECK (facts.contentHash == analysis::hashFileContent (kick));
    CHECK (facts.sizeBytes == (int64_t) std::filesystem::file_size (kick));
    CHECK (facts.format == "WAV 16-bit");
    CHECK (facts.sampleRate == 44100.0);
    CHECK (facts.channels == 1);
    CHECK (*facts.durationSec == Approx (11913.0 / 44100.0));
    CHECK (database.findMedia ("kick-again")->contentHash == facts.contentHash);
    CHECK_FALSE (database.findMedia ("gone")->contentHash);

    auto tagged = facts;
    tagged.tags = { "drums" };
    database.putMedia ({ tagged });
    CHECK (states (refreshMediaFacts (database, show, session)) == std::vector<State> { State::unchanged, State::unchanged, State::missing });

    setModifiedTime (kick, 1700000000);   // touched: same content
    CHECK (states (refreshMediaFacts (database, show, session)) == std::vector<State> { State::remeasured, State::remeasured, State::missing });
    CHECK (database.findMedia ("kick")->modifiedNs == int64_t (1700000000) * 1000000000);

    std::filesystem::copy_file (dataPath ("corpus/p03_colombo_snare.wav"), kick, std::filesystem::copy_options::overwrite_existing);
    checks = refreshMediaFacts (database, show, session);
    CHECK (states (checks) == std::vector<State> { State::changed, State::changed, State::missing });
    // Another content (the snare: stereo 44.1 kHz) under the kick's name: flagged with what
    // differs, the facts the clip expects kept; flagged again at every refresh, not re-read.
    const auto snareHash = *analysis::hashFileContent (kick);
    CHECK (checks[0].detail == "content hash " + *facts.contentHash + " → " + snareHash + "; 1 ch → 2 ch");
    CHECK (checks[0].formatChanged);
    const auto changed = *database.findMedia ("kick");
    CHECK (changed.channels == 1);
    CHECK (changed.contentHash == facts.contentHash);
    REQUIRE (changed.replacedJson);
    CHECK (nlohmann::json::parse (*changed.replacedJson)["channels"] == 2);
    CHECK (changed.tags == std::vector<std::string> { "drums" });   // the editor's tags stay
    checks = refreshMediaFacts (database, show, session);
    CHECK (states (checks) == std::vector<State> { State::changed, State::changed, State::missing });
    CHECK (checks[1].formatChanged);

    // The operator keeps the new file: its facts become the clip's, the decision is audited.
    CHECK (acceptReplacedMedia (database, "kick", "user"));
    CHECK_FALSE (acceptReplacedMedia (database, "kick", "user"));   // nothing left to accept
    const auto accepted = *database.findMedia ("kick");
    CHECK (accepted.channels == 2);
    CHECK (accepted.contentHash == snareHash);
    CHECK (accepted.bitDepth == 16);
    CHECK_FALSE (accepted.replacedJson);
    const auto audit = database.auditTrail();
    REQUIRE (audit.size() == 1);
    CHECK (audit[0].kind == "accept-replaced");
    CHECK (nlohmann::json::parse (audit[0].detailsJson)["acceptedBy"] == "user");
    CHECK (nlohmann::json::parse (audit[0].detailsJson)["to"] == snareHash);
    checks = refreshMediaFacts (database, show, session);
    CHECK (states (checks) == std::vector<State> { State::unchanged, State::changed, State::missing });   // kick-again still flagged
    CHECK (database.checkIntegrity() == "ok");
}

TEST_CASE ("Media facts record the bit depth, name and last good path, and a file put back clears the flag", "[session][database][media]")
{
    TemporaryFolder work ("media-facts-v2");
    std::filesystem::create_directories (work / "media");
    const auto file = work / "media" / "organ.wav";
    std::filesystem::copy_file (dataPath ("corpus/p05_lmms_e_organ.wav"), file);
    const auto session = (work / "show.cuegrid").string();
    Session show;
    ClipDefinition clip;
    clip.id = "organ";
    clip.file = "media/organ.wav";
    show.clips.push_back (clip);
    MetadataDatabase database ((work / "show.cuegrid.db").string());
    CHECK (states (refreshMediaFacts (database, show, session)) == std::vector<State> { State::measured });
    const auto facts = *database.findMedia ("organ");
    CHECK (facts.name == "organ.wav");
    CHECK (facts.lastGoodPath == std::filesystem::weakly_canonical (file).generic_string());
    CHECK (facts.bitDepth == 24);

    // Replaced, then the original put back (a new mtime): the flag goes, the content is the one recorded.
    std::filesystem::copy_file (dataPath ("corpus/p01_sonicpi_heavy_kick.wav"), file, std::filesystem::copy_options::overwrite_existing);
    CHECK (states (refreshMediaFacts (database, show, session)) == std::vector<State> { State::changed });
    std::filesystem::copy_file (dataPath ("corpus/p05_lmms_e_organ.wav"), file, std::filesystem::copy_options::overwrite_existing);
    setModifiedTime (file, 1700000100);
    CHECK (states (refreshMediaFacts (database, show, session)) == std::vector<State> { State::remeasured });
    CHECK_FALSE (database.findMedia ("organ")->replacedJson);
    CHECK (database.findMedia ("organ")->contentHash == facts.contentHash);
}

TEST_CASE ("Keep this file: a file replaced after the session opened is measured and kept, a touch and a missing file keep nothing", "[session][database][media]")
{
    // The relink panel's "Keep this file" and `cuegrid relink --accept-replaced` share
    // keepReplacedMedia: here as the panel calls it (acceptedBy "user"), with the replacement
    // made after the open's facts were recorded (seen only at runtime, never measured yet).
    TemporaryFolder work ("media-facts-keep");
    std::filesystem::create_directories (work / "media");
    const auto organ = work / "media" / "organ.wav", kick = work / "media" / "kick.wav";
    std::filesystem::copy_file (dataPath ("corpus/p05_lmms_e_organ.wav"), organ);
    std::filesystem::copy_file (dataPath ("corpus/p01_sonicpi_heavy_kick.wav"), kick);
    const auto session = (work / "show.cuegrid").string();
    Session show;
    for (const auto* id : { "organ", "kick" })
    {
        ClipDefinition clip;
        clip.id = id;
        clip.file = std::string ("media/") + id + ".wav";
        show.clips.push_back (clip);
    }
    MetadataDatabase database ((work / "show.cuegrid.db").string());
    CHECK (states (refreshMediaFacts (database, show, session)) == std::vector<State> { State::measured, State::measured });
    const auto organHash = *database.findMedia ("organ")->contentHash;

    // A touch: the same content, nothing to keep, nothing audited.
    setModifiedTime (organ, 1700000200);
    auto kept = keepReplacedMedia (database, show, session, "organ", "user");
    CHECK_FALSE (kept.kept);
    CHECK_THAT (kept.detail, Catch::Contains ("recorded content"));
    CHECK (database.auditTrail().empty());
    CHECK (database.findMedia ("organ")->contentHash == organHash);

    // Other content under the organ's name (the hi-hat: 44.1 kHz mono), not measured yet.
    std::filesystem::copy_file (dataPath ("corpus/p02_sonicpi_hihat_open.wav"), organ, std::filesystem::copy_options::overwrite_existing);
    const auto hihatHash = *analysis::hashFileContent (organ);
    REQUIRE (hihatHash != organHash);
    kept = keepReplacedMedia (database, show, session, "organ", "user");
    CHECK (kept.kept);
    CHECK_THAT (kept.detail, Catch::StartsWith ("content hash " + organHash + " → " + hihatHash));
    const auto facts = *database.findMedia ("organ");
    CHECK (facts.contentHash == hihatHash);
    CHECK_FALSE (facts.replacedJson);
    CHECK (facts.channels == 1);
    CHECK (facts.sampleRate == 44100.0);
    const auto audit = database.auditTrail();
    REQUIRE (audit.size() == 1);
    CHECK (audit[0].kind == "accept-replaced");
    const auto details = nlohmann::json::parse (audit[0].detailsJson);
    CHECK (details["clip"] == "organ");
    CHECK (details["from"] == organHash);
    CHECK (details["to"] == hihatHash);
    CHECK (details["acceptedBy"] == "user");
    CHECK (states (refreshMediaFacts (database, show, session)) == std::vector<State> { State::unchanged, State::unchanged });

    // Kept once: a second keep has nothing to keep; a missing file and an unknown clip neither.
    CHECK_FALSE (keepReplacedMedia (database, show, session, "organ", "user").kept);
    std::filesystem::remove (kick);
    kept = keepReplacedMedia (database, show, session, "kick", "user");
    CHECK_FALSE (kept.kept);
    CHECK_THAT (kept.detail, Catch::Contains ("missing"));
    CHECK_FALSE (keepReplacedMedia (database, show, session, "nobody", "user").kept);
    CHECK (database.auditTrail().size() == 1);
}
