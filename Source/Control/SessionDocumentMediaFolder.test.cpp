// CueGrid — GPL-3.0-or-later
// The app's side of a media folder change (issue 13): the panel's switch through
// SessionDocument::saveWithNewMediaPaths, and the open that finishes a change a kill interrupted.
#include "SessionDocument.h"
#include "ShowController.h"
#include "Session/MediaFolderChange.h"
#include "Session/MediaLoader.h"
#include "Session/NewSession.h"
#include "Session/SessionManifest.h"
#include "Session/SessionStore.h"
#include "Support/ShowWithMedia.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using namespace cuegrid;
namespace fs = std::filesystem;

namespace
{
    /** A controller without an audio device and a document whose CueGrid home is inside `folder`. */
    struct Fixture
    {
        explicit Fixture (const test::TemporaryFolder& folder)
        {
            Preferences preferences;
            preferences.homeOverride = (folder / "home").string();
            preferences.save (folder / "preferences.json");
            ::unsetenv ("CUEGRID_HOME");  // the preference decides here; restored by the destructor
            document = std::make_unique<SessionDocument> (controller, folder / "preferences.json");
        }
        ~Fixture()
        {
            document.reset();
            if (! savedHome.empty())
                ::setenv ("CUEGRID_HOME", savedHome.c_str(), 1);
        }
        std::string savedHome = std::getenv ("CUEGRID_HOME") != nullptr ? std::getenv ("CUEGRID_HOME") : "";
        juce::AudioDeviceManager devices;
        ShowController controller { devices };
        std::unique_ptr<SessionDocument> document;
    };

    void waitWhileBusy (const MediaFolderJob& job)
    {
        for (int i = 0; i < 3000 && job.isBusy(); ++i)
            std::this_thread::sleep_for (std::chrono::milliseconds (10));
    }
} // namespace

TEST_CASE ("SessionDocument: a media folder move switches the open session's paths in place, saved after a recovery point", "[sessiondocument][mediafolder]")
{
    test::TemporaryFolder folder ("session-document-media-move");
    const auto path = test::makeShowWithMedia (folder, { { "p01_sonicpi_heavy_kick", "p01_sonicpi_heavy_kick" }, { "p03_colombo_snare", "p03_colombo_snare" } });
    Fixture fixture (folder);
    fixture.document->open (path, SessionDocument::Recovery::none);
    const auto slotsBefore = fixture.controller.getSession().clips.size();

    const auto plan = planMediaFolderChange (fixture.controller.getSession(), path, folder / "Moved", MediaFolderMode::move);
    REQUIRE (plan.canRun());
    CHECK (plan.files.size() == 2);
    MediaFolderJob job (plan);
    job.startCopy();
    waitWhileBusy (job);
    REQUIRE (job.getState() == MediaFolderJob::State::readyToSwitch);
    CHECK (fs::exists (folder / "show Media" / "p01_sonicpi_heavy_kick.wav"));   // nothing deleted before the switch

    fixture.document->saveWithNewMediaPaths (withMediaPathChanges (fixture.controller.getSession(), job.getPathChanges()));
    job.startFinish (true);
    waitWhileBusy (job);
    REQUIRE (job.getState() == MediaFolderJob::State::done);

    // The open session, the saved manifest and the database agree on the new folder.
    const auto& session = fixture.controller.getSession();
    REQUIRE (session.clips.size() == slotsBefore);
    CHECK (session.clips[0].file == "Moved/p01_sonicpi_heavy_kick.wav");
    CHECK (session.clips[1].file == "Moved/p03_colombo_snare.wav");
    CHECK (SessionManifest::load (path).clips[1].file == "Moved/p03_colombo_snare.wav");
    CHECK (fixture.document->getMediaFolder() == (folder / "Moved").string());
    CHECK (! fs::exists (folder / "show Media" / "p01_sonicpi_heavy_kick.wav"));
    for (const auto& clip : session.clips)
        CHECK (loadMedia (resolveMediaPath (path, clip.file), 48000).audio != nullptr);

    // The recovery point before the switch holds the old paths.
    const auto points = SessionStore::listRecoveryPoints (fixture.document->getStore()->getRecoveryFolder());
    REQUIRE_FALSE (points.empty());
    const auto before = SessionStore::loadRecoveryPoint (points.back().path);
    CHECK (before.reason == "before media folder change");
    CHECK (before.session.clips[0].file.find ("show Media/p01_sonicpi_heavy_kick.wav") != std::string::npos);
}

TEST_CASE ("SessionDocument: opening a session whose media folder copy was dropped before the switch removes the copies", "[sessiondocument][mediafolder]")
{
    test::TemporaryFolder folder ("session-document-media-rollback");
    const auto path = test::makeShowWithMedia (folder, { { "p01_sonicpi_heavy_kick", "p01_sonicpi_heavy_kick" }, { "p03_colombo_snare", "p03_colombo_snare" } });
    const auto session = SessionManifest::load (path);

    // A run that stopped at readyToSwitch as a killed app would: its journal stays, its copies too.
    const auto plan = planMediaFolderChange (session, path, folder / "Copies", MediaFolderMode::copy);
    {
        MediaFolderJob job (plan);
        job.startCopy();
        waitWhileBusy (job);
        REQUIRE (job.getState() == MediaFolderJob::State::readyToSwitch);
        fs::copy_file (mediaFolderJournalPath (path), folder / "journal.json");
    }   // the destructor rolls back, as the app does on quit; put the killed state back
    fs::copy_file (folder / "show Media" / "p01_sonicpi_heavy_kick.wav", folder / "Copies" / "p01_sonicpi_heavy_kick.wav");
    fs::copy_file (folder / "journal.json", mediaFolderJournalPath (path));

    Fixture fixture (folder);
    const auto opened = fixture.document->open (path, SessionDocument::Recovery::none);
    CHECK (opened.problem.find ("Media folder: an interrupted media folder change") != std::string::npos);
    CHECK (! fs::exists (mediaFolderJournalPath (path)));
    CHECK (! fs::exists (folder / "Copies" / "p01_sonicpi_heavy_kick.wav"));
    CHECK (fs::exists (folder / "show Media" / "p01_sonicpi_heavy_kick.wav"));
    CHECK (fixture.controller.getSession().clips[0].file == "show Media/p01_sonicpi_heavy_kick.wav");
}
