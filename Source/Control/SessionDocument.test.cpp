// CueGrid — GPL-3.0-or-later
#include "SessionDocument.h"
#include "ShowController.h"
#include "Session/Errors.h"
#include "Session/MetadataDatabase.h"
#include "Session/NewSession.h"
#include "Session/SessionManifest.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

using namespace cuegrid;
namespace fs = std::filesystem;

namespace
{
    /** A controller without an audio device (commands are dropped; loading is what is tested)
        and a document whose preferences and CueGrid home are inside `folder`. */
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

    /** The session at `path` with one clip of corpus media in cell (0, 0) of tab 1. */
    void addKick (const std::string& path)
    {
        auto session = SessionManifest::load (path);
        ClipDefinition kick;
        kick.id = "kick";
        kick.file = test::dataPath ("corpus/p01_sonicpi_heavy_kick.wav").string();
        kick.label = "Kick";
        session.clips.push_back (kick);
        session.pages[0].tabs[0].slots.push_back ({ 0, 0, "kick" });
        SessionManifest::save (session, path);
    }
} // namespace

TEST_CASE ("SessionDocument: New makes the media folder, the database recording it and an empty 8-tab session, and opens it", "[sessiondocument]")
{
    test::TemporaryFolder folder ("session-document-new");
    Fixture fixture (folder);
    const auto path = (folder / "Friday.cuegrid").string();
    const auto media = (folder / "Friday Media").string();
    fixture.document->create (path, media);

    CHECK (fixture.document->getPath() == path);
    CHECK (fs::is_directory (media));
    CHECK (fixture.document->getMediaFolder() == media);
    const auto& session = fixture.controller.getSession();
    CHECK (session.name == "Friday");
    REQUIRE (session.pages.size() == 1);
    CHECK (session.pages[0].tabs.size() == 8);
    CHECK (session.master.limiterEnabled);
    CHECK (SessionManifest::load (path).pages[0].tabs[7].name == "Tab 8");
    // Open and in the recent sessions; its run marker written.
    REQUIRE_FALSE (fixture.document->getPreferences().recentSessions.empty());
    CHECK (fixture.document->getPreferences().recentSessions.front() == path);
    CHECK (Preferences::load (folder / "preferences.json").preferences.recentSessions.front() == path);
    CHECK (fs::is_regular_file (fixture.document->getStore()->getRecoveryFolder() / "running.json"));

    // Never over an existing file: refused, the open session stays.
    const auto before = test::readText (path);
    CHECK_THROWS_AS (fixture.document->create (path, ""), OutputError);
    CHECK (test::readText (path) == before);
    CHECK (fixture.document->getPath() == path);
    CHECK_THROWS_AS (fixture.document->create ((folder / "no-extension").string(), ""), InputError);
    // An unusable media folder (a file in the way) stops before any session file exists.
    test::writeText (folder / "a-file", "x");
    CHECK_THROWS_AS (fixture.document->create ((folder / "other.cuegrid").string(), (folder / "a-file").string()), OutputError);
    CHECK_FALSE (fs::exists (folder / "other.cuegrid"));
    CHECK_FALSE (fs::exists (folder / "other.cuegrid.db"));
}

TEST_CASE ("SessionDocument: opening another session closes the first one cleanly, a failed open changes nothing", "[sessiondocument]")
{
    test::TemporaryFolder folder ("session-document-open");
    Fixture fixture (folder);
    const auto first = (folder / "first.cuegrid").string(), second = (folder / "second.cuegrid").string();
    createSessionFiles (first, "");
    createSessionFiles (second, "");
    addKick (second);

    fixture.document->open (first, SessionDocument::Recovery::ask);
    const auto firstMarker = fixture.document->getStore()->getRecoveryFolder() / "running.json";
    REQUIRE (fs::is_regular_file (firstMarker));

    test::writeText (folder / "broken.cuegrid", "{ \"format\": \"cuegrid.session\", ");
    CHECK_THROWS_AS (fixture.document->open ((folder / "broken.cuegrid").string(), SessionDocument::Recovery::ask), InputError);
    CHECK (fixture.document->getPath() == first);
    CHECK (fs::is_regular_file (firstMarker));

    const auto opened = fixture.document->open (second, SessionDocument::Recovery::ask);
    CHECK_FALSE (opened.toAsk);
    CHECK (opened.problem.empty());
    CHECK (fixture.document->getPath() == second);
    CHECK (fixture.controller.getSession().clips.size() == 1);
    CHECK_FALSE (fs::exists (firstMarker));
    const auto recent = fixture.document->getPreferences().recentSessions;
    REQUIRE (recent.size() == 2);
    CHECK (recent[0] == second);
    CHECK (recent[1] == first);
}

TEST_CASE ("SessionDocument: after a crash, ask offers the recovery point, recover loads it and keeps the marker until a save", "[sessiondocument]")
{
    test::TemporaryFolder folder ("session-document-recover");
    const auto path = (folder / "show.cuegrid").string();
    createSessionFiles (path, "");
    addKick (path);
    fs::path marker;
    {
        // A run that edits, makes a recovery point and crashes (its marker stays: keepRunMarker
        // stands in for the kill, as the store's own tests show with a real one).
        Fixture crashed (folder);
        crashed.document->open (path, SessionDocument::Recovery::ask);
        crashed.controller.getEditableSession().clips[0].label = "Kick (edited)";
        crashed.document->recoveryPointNow ("autosave");
        marker = crashed.document->getStore()->getRecoveryFolder() / "running.json";
        crashed.document->getStore()->keepRunMarker();
        crashed.document->close();
    }
    REQUIRE (fs::is_regular_file (marker));

    Fixture fixture (folder);
    const auto opened = fixture.document->open (path, SessionDocument::Recovery::ask);
    REQUIRE (opened.toAsk);
    REQUIRE (opened.toAsk->point);
    CHECK_THAT (opened.problem, Catch::Matchers::Contains ("did not close cleanly"));
    CHECK (fixture.controller.getSession().clips[0].label == "Kick");  // the saved file meanwhile

    fixture.document->recover (*opened.toAsk->point);
    CHECK (fixture.controller.getSession().clips[0].label == "Kick (edited)");
    CHECK (fixture.document->isRecoveredUnsaved());
    const auto audit = MetadataDatabase (MetadataDatabase::pathForSession (path)).auditTrail();
    REQUIRE_FALSE (audit.empty());
    CHECK (audit.back().kind == "recovery");

    // Closed unsaved: the marker stays, so the next start offers the same point again.
    fixture.document->close();
    CHECK (fs::is_regular_file (marker));
    const auto again = fixture.document->open (path, SessionDocument::Recovery::latest);
    CHECK (again.recovered);
    CHECK (fixture.controller.getSession().clips[0].label == "Kick (edited)");
    fixture.document->save();
    CHECK_FALSE (fixture.document->isRecoveredUnsaved());
    fixture.document->close();
    CHECK_FALSE (fs::exists (marker));
    CHECK (SessionManifest::load (path).clips[0].label == "Kick (edited)");
    const auto clean = fixture.document->open (path, SessionDocument::Recovery::ask);
    CHECK_FALSE (clean.toAsk);
}

TEST_CASE ("SessionDocument: Save As moves the open session, a media folder change makes a recovery point first", "[sessiondocument]")
{
    test::TemporaryFolder folder ("session-document-saveas");
    Fixture fixture (folder);
    const auto path = (folder / "show.cuegrid").string();
    fixture.document->create (path, "");
    fs::create_directories (folder / "elsewhere");
    const auto copy = (folder / "elsewhere" / "show copy.cuegrid").string();
    fixture.document->saveAs (copy);
    CHECK (fixture.document->getPath() == copy);
    CHECK (fixture.controller.getSessionPath() == copy);
    CHECK (SessionManifest::load (copy).pages[0].tabs.size() == 8);
    CHECK (fixture.document->getPreferences().recentSessions.front() == copy);
    CHECK_THROWS_AS (fixture.document->saveAs ((folder / "no-extension").string()), OutputError);

    const auto points = [&] { return SessionStore::listRecoveryPoints (fixture.document->getStore()->getRecoveryFolder()).size(); };
    const auto before = points();
    fixture.document->setMediaFolder ((folder / "media").string());
    CHECK (points() == before + 1);
    CHECK (fixture.document->getMediaFolder() == (folder / "media").string());
    test::writeText (folder / "a-file", "x");
    CHECK_THROWS_AS (fixture.document->setMediaFolder ((folder / "a-file").string()), OutputError);
    CHECK (fixture.document->getMediaFolder() == (folder / "media").string());

    // Preferences: saved and applied.
    auto changed = fixture.document->getPreferences();
    changed.autosaveSeconds = 7;
    fixture.document->setPreferences (changed);
    CHECK (Preferences::load (folder / "preferences.json").preferences.autosaveSeconds == 7);
}
