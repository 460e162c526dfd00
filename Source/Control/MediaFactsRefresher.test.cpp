// CueGrid — GPL-3.0-or-later
// The app records media facts off the message thread: the refresher's worker fills the
// session database and reports a replaced file as changed; destroying it mid-way stops it.
#include "Control/MediaFactsRefresher.h"

#include "Session/MetadataDatabase.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

using namespace cuegrid;
using namespace cuegrid::test;

TEST_CASE ("MediaFactsRefresher records the facts on its own thread and flags a replaced file", "[control][media][queue]")
{
    TemporaryFolder work ("media-facts-refresher");
    std::filesystem::create_directories (work / "media");
    std::filesystem::copy_file (dataPath ("corpus/p01_sonicpi_heavy_kick.wav"), work / "media" / "kick.wav");
    const auto session = (work / "show.cuegrid").string();
    Session show;
    for (const auto& [id, file] : std::vector<std::pair<std::string, std::string>> { { "kick", "media/kick.wav" }, { "gone", "media/gone.wav" } })
    {
        ClipDefinition clip;
        clip.id = id;
        clip.file = file;
        show.clips.push_back (clip);
    }
    {
        MediaFactsRefresher refresher (show, session);
        REQUIRE (refresher.waitUntilDone (60000));
        CHECK (refresher.getError().empty());
        const auto checks = refresher.getChecks();
        REQUIRE (checks.size() == 2);
        CHECK (checks[0].state == MediaFactsCheck::State::measured);
        CHECK (checks[1].state == MediaFactsCheck::State::missing);
    }
    CHECK (MetadataDatabase (MetadataDatabase::pathForSession (session)).findMedia ("kick")->channels == 1);

    std::filesystem::copy_file (dataPath ("corpus/p03_colombo_snare.wav"), work / "media" / "kick.wav", std::filesystem::copy_options::overwrite_existing);
    MediaFactsRefresher again (show, session);
    REQUIRE (again.waitUntilDone (60000));
    const auto checks = again.getChecks();
    REQUIRE (checks.size() == 2);
    CHECK (checks[0].state == MediaFactsCheck::State::changed);
    CHECK (checks[0].formatChanged);

    // Destroyed at once: it stops after the file it reads, and nothing is left running.
    for (int i = 0; i < 20; ++i)
        MediaFactsRefresher stopped (show, session);
}
