// CueGrid — GPL-3.0-or-later
// SessionEditor's timecode edits (issue 12): a clip's timecode and chase, the show's rate.
#include "SessionEditor.test.h"

using namespace cuegrid;
using namespace cuegrid::test;

namespace
{
Timecode label (const char* text, FrameRate rate = FrameRate::fps25) { return *Timecode::parse (text, rate); }
}

TEST_CASE ("SessionEditor timecode and chase are undoable clip edits, checked against the show's rate, saved in the manifest", "[editor][timecode]")
{
    EditorFixture f;
    test::TemporaryFolder folder ("editor-timecode");
    const auto kick = f.clip ("kick");
    REQUIRE (kick >= 0);

    REQUIRE (f.editor.setTimecode (kick, label ("01:00:03:00")).ok);
    CHECK (f.definition ("kick").timecode == label ("01:00:03:00"));
    CHECK (undoName (f.undoManager) == "Set timecode of 'Kick'");
    REQUIRE (! f.changes.empty());
    CHECK (f.changes.back().clips == std::vector<std::string> { "kick" });   // the app re-posts the trigger table
    REQUIRE (f.editor.setChase (kick, true).ok);
    CHECK (f.definition ("kick").chase);

    // Another rate than the show's, and chase without a timecode, are refused and change nothing.
    const auto other = f.editor.setTimecode (kick, label ("01:00:03;00", FrameRate::fps2997drop));
    CHECK_FALSE (other.ok);
    CHECK (other.reason == "timecode 01:00:03;00 is at 29.97df fps, the show's is 25");
    const auto clap = f.clip ("clap");
    const auto chaseAlone = f.editor.setChase (clap, true);
    CHECK_FALSE (chaseAlone.ok);
    CHECK (chaseAlone.reason.find ("set a timecode first") != std::string::npos);
    CHECK_FALSE (f.definition ("clap").chase);

    // Saved and loaded back: the manifest has both.
    const auto json = SessionManifest::toJson (f.session);
    CHECK (json["clips"][(size_t) kick]["timecode"] == "01:00:03:00");
    CHECK (json["clips"][(size_t) kick]["chase"] == true);
    const auto back = roundTrip (f.session, folder);
    CHECK (back.clips[(size_t) kick].timecode == label ("01:00:03:00"));
    CHECK (back.clips[(size_t) kick].chase);

    // Removing the timecode takes chase with it, in one step.
    REQUIRE (f.editor.setTimecode (kick, std::nullopt).ok);
    CHECK_FALSE (f.definition ("kick").timecode);
    CHECK_FALSE (f.definition ("kick").chase);
    REQUIRE (f.editor.undo().ok);
    CHECK (f.definition ("kick").chase);
    CHECK (f.definition ("kick").timecode == label ("01:00:03:00"));

    // Show mode refuses with the lock's reason.
    f.editor.setLocked (true, "Show mode: editing is locked");
    const auto locked = f.editor.setTimecode (kick, label ("01:00:04:00"));
    CHECK_FALSE (locked.ok);
    CHECK (locked.reason == "Show mode: editing is locked");
    CHECK_FALSE (f.editor.setTimecodeFps (FrameRate::fps30).ok);
    f.editor.setLocked (false);

    f.undoAll();
}

TEST_CASE ("SessionEditor setTimecodeFps re-reads every clip's label at the new rate, or refuses naming the clip", "[editor][timecode]")
{
    EditorFixture f;
    test::TemporaryFolder folder ("editor-timecode");
    const auto kick = f.clip ("kick"), clap = f.clip ("clap");
    REQUIRE (f.editor.setTimecodeFps (FrameRate::fps30).ok);
    CHECK (undoName (f.undoManager) == "Set the show's timecode to 30 fps");
    REQUIRE (f.editor.setTimecode (kick, label ("01:00:03:29", FrameRate::fps30)).ok);
    REQUIRE (f.editor.setTimecode (clap, label ("00:01:00:02", FrameRate::fps30)).ok);

    // 01:00:03:29 has no frame 29 at 25 fps: refused, nothing changes.
    const auto refused = f.editor.setTimecodeFps (FrameRate::fps25);
    CHECK_FALSE (refused.ok);
    CHECK (refused.reason == "Kick: timecode 01:00:03:29 is no label at 25 fps: change it first");
    CHECK (f.session.timecode.fps == FrameRate::fps30);

    // 29.97 drop-frame keeps both labels (00:01:00;02 exists; ;00 and ;01 would not).
    f.changes.clear();
    REQUIRE (f.editor.setTimecodeFps (FrameRate::fps2997drop).ok);
    CHECK (f.session.timecode.fps == FrameRate::fps2997drop);
    CHECK (f.definition ("kick").timecode == label ("01:00:03;29", FrameRate::fps2997drop));
    CHECK (f.definition ("clap").timecode->toString() == "00:01:00;02");
    REQUIRE (f.changes.size() == 1);
    CHECK (f.changes[0].clips.size() == 2);   // both triggers move: the engine gets a new table
    const auto back = roundTrip (f.session, folder);
    CHECK (back.timecode.fps == FrameRate::fps2997drop);
    CHECK (back.clips[(size_t) clap].timecode->toString() == "00:01:00;02");

    f.checkSavedThenUndoneAndRedone (folder);
    REQUIRE (f.editor.undo().ok);
    CHECK (f.session.timecode.fps == FrameRate::fps30);
    CHECK (f.definition ("kick").timecode == label ("01:00:03:29", FrameRate::fps30));
}
