// CueGrid — GPL-3.0-or-later
// SessionEditor's grid edits: moving, copying, deleting, cut and paste, import, tabs and pages,
// with their undo, their recovery points, and the ShowController following them.
#include "SessionEditor.test.h"
#include "ShowController.h"

using namespace cuegrid;
using namespace cuegrid::test;

TEST_CASE ("SessionEditor: a clip moves to an empty cell and swaps with an occupied one, across tabs and pages")
{
    EditorFixture f;
    test::TemporaryFolder folder ("session-editor-move");
    const Cell organCell { 0, 0, 0, 0 }, emptyCell { 0, 0, 2, 4 }, speechCell { 0, 0, 0, 3 };
    const Cell stingersEmpty { 1, 0, 2, 2 }, stingersClap { 1, 0, 0, 1 };
    const auto clipCount = f.session.clips.size();

    REQUIRE (f.editor.moveCell (organCell, emptyCell).ok);
    CHECK (undoName (f.undoManager) == "Move 'Organ Pad'");
    CHECK (f.idAt (organCell).empty());
    CHECK (f.idAt (emptyCell) == "organ");

    REQUIRE (f.editor.moveCell (emptyCell, speechCell).ok);
    CHECK (undoName (f.undoManager) == "Swap 'Organ Pad' and 'Apollo 11'");
    CHECK (f.idAt (speechCell) == "organ");
    CHECK (f.idAt (emptyCell) == "speech");

    // To another page: the tab and page are named.
    REQUIRE (f.editor.moveCell (speechCell, stingersEmpty).ok);
    CHECK (undoName (f.undoManager) == "Move 'Organ Pad' to tab 'Stingers' of page 'Act 2'");
    CHECK (f.idAt (stingersEmpty) == "organ");
    CHECK (f.idAt (speechCell).empty());
    // Swap across pages.
    REQUIRE (f.editor.moveCell (emptyCell, stingersClap).ok);
    CHECK (f.idAt (stingersClap) == "speech");
    CHECK (f.idAt (emptyCell) == "clap");
    CHECK (f.session.clips.size() == clipCount);  // moving never adds or removes a clip
    const auto edited = manifestOf (f.session);
    CHECK (manifestOf (roundTrip (f.session, folder)) == edited);

    for (int i = 0; i < 4; ++i)
        REQUIRE (f.editor.undo().ok);
    CHECK (manifestOf (f.session) == f.original);
    CHECK_FALSE (f.editor.hasUnsavedChanges());
    for (int i = 0; i < 4; ++i)
        REQUIRE (f.editor.redo().ok);
    CHECK (manifestOf (f.session) == edited);

    CHECK_THAT (f.editor.moveCell (Cell { 0, 0, 2, 3 }, emptyCell).reason, Catch::Matchers::Equals ("row 3, column 4 is empty"));
    CHECK_THAT (f.editor.moveCell (stingersClap, Cell { 0, 1, 3, 0 }).reason,
                Catch::Matchers::Equals ("row 4, column 1 is outside the 3 x 5 grid of tab 'Atmos'"));
    CHECK_THAT (f.editor.moveCell (stingersClap, Cell { 2, 0, 0, 0 }).reason, Catch::Matchers::Equals ("no page 3"));
}

TEST_CASE ("SessionEditor: Ctrl+drag copy makes a new clip with a unique id, and only into an empty cell")
{
    EditorFixture f;
    const Cell kickCell { 0, 0, 1, 0 }, empty1 { 0, 0, 2, 1 }, empty2 { 1, 0, 1, 1 };
    const auto clipCount = f.session.clips.size();
    REQUIRE (f.editor.copyCell (kickCell, empty1).ok);
    CHECK (undoName (f.undoManager) == "Copy 'Kick'");
    REQUIRE (f.editor.copyCell (kickCell, empty2).ok);
    CHECK (f.idAt (empty1) == "kick-2");
    CHECK (f.idAt (empty2) == "kick-3");
    REQUIRE (f.session.clips.size() == clipCount + 2);
    // The copy plays like the original and is independent of it.
    auto copy = f.definition ("kick-2");
    copy.id = "kick";
    CHECK (SessionManifest::toJson ([&] { Session s; s.clips = { copy }; return s; }()) ==
           SessionManifest::toJson ([&] { Session s; s.clips = { f.definition ("kick") }; return s; }()));
    REQUIRE (f.editor.setLabel (f.clip ("kick-2"), "Kick 2").ok);
    CHECK (f.definition ("kick").label == "Kick");
    // A copied copy takes the next free number.
    REQUIRE (f.editor.copyCell (empty1, Cell { 0, 0, 2, 2 }).ok);
    CHECK (f.idAt (Cell { 0, 0, 2, 2 }) == "kick-2-2");

    const auto occupied = f.editor.copyCell (kickCell, Cell { 0, 0, 0, 0 });
    CHECK_FALSE (occupied.ok);
    CHECK (occupied.reason == "row 1, column 1 holds 'Organ Pad': copy to an empty cell");

    for (int i = 0; i < 4; ++i)
        REQUIRE (f.editor.undo().ok);
    CHECK (manifestOf (f.session) == f.original);
}

TEST_CASE ("SessionEditor: delete removes the cell, and the clip only with its last cell")
{
    EditorFixture f;
    test::TemporaryFolder folder ("session-editor-delete");
    const Cell sceneKick { 0, 0, 1, 0 }, stingersKick { 1, 0, 0, 0 }, sceneOrgan { 0, 0, 0, 0 };
    const auto kickIndex = f.clip ("kick");
    const auto clipCount = f.session.clips.size();

    REQUIRE (f.editor.deleteCells ({ sceneKick }).ok);
    CHECK (undoName (f.undoManager) == "Delete 'Kick'");
    CHECK (f.idAt (sceneKick).empty());
    CHECK (f.clip ("kick") == kickIndex);  // still on Stingers
    CHECK_FALSE (f.changes.back().clipListChanged);

    REQUIRE (f.editor.deleteCells ({ stingersKick, sceneOrgan, Cell { 0, 0, 2, 4 } }).ok);  // the last one is empty
    CHECK (undoName (f.undoManager) == "Delete 2 clips");
    CHECK (f.clip ("kick") < 0);
    CHECK (f.clip ("organ") < 0);
    CHECK (f.session.clips.size() == clipCount - 2);
    CHECK (f.changes.back().clipListChanged);
    CHECK (manifestOf (roundTrip (f.session, folder)) == manifestOf (f.session));

    REQUIRE (f.editor.undo().ok);
    CHECK (f.clip ("kick") == kickIndex);  // back at its engine slot
    REQUIRE (f.editor.undo().ok);
    CHECK (manifestOf (f.session) == f.original);
    CHECK (f.editor.deleteCells ({ Cell { 0, 0, 2, 4 } }).reason == "nothing to delete: the cells are empty");

    // A clip that never had a cell (a show script's) is not touched by grid edits.
    EditorFixture g;
    g.session.clips.push_back (g.session.clips.front());
    g.session.clips.back().id = "scriptOnly";
    g.editor.sessionReplaced();
    REQUIRE (g.editor.deleteCells ({ Cell { 0, 0, 0, 0 } }).ok);
    CHECK (g.clip ("scriptOnly") >= 0);
}

TEST_CASE ("SessionEditor: cut and paste moves clips with their ids, copy and paste makes new ones, paste replaces")
{
    EditorFixture f;
    test::TemporaryFolder folder ("session-editor-paste");
    const Cell organ { 0, 0, 0, 0 }, hum { 0, 0, 0, 1 }, bass { 0, 0, 2, 0 };
    const auto clipCount = f.session.clips.size();

    // organ (0,0) and bass (2,0): a selection two rows apart. Organ has one cell, so the cut
    // takes it out of the clip list; bass too.
    REQUIRE (f.editor.cutCells ({ organ, bass }).ok);
    CHECK (undoName (f.undoManager) == "Cut 2 clips");
    CHECK (f.clip ("organ") < 0);
    CHECK (f.clip ("bass") < 0);
    REQUIRE (f.editor.getClipboard().entries.size() == 2);

    const Cell atmos { 0, 1, 0, 3 };
    REQUIRE (f.editor.paste (atmos).ok);
    CHECK (undoName (f.undoManager) == "Paste 2 clips");
    CHECK (f.idAt (atmos) == "organ");              // the same clip, moved
    CHECK (f.idAt (Cell { 0, 1, 2, 3 }) == "bass");  // keeps its place relative to organ
    CHECK (f.session.clips.size() == clipCount);
    CHECK (f.definition ("organ").fadeInCurve == FadeCurve::exponential);

    // Pasting again copies: new ids.
    REQUIRE (f.editor.paste (Cell { 0, 1, 0, 4 }).ok);
    CHECK (f.idAt (Cell { 0, 1, 0, 4 }) == "organ-2");
    CHECK (f.idAt (Cell { 0, 1, 2, 4 }) == "bass-2");

    // Onto occupied cells: they are replaced; a replaced clip with no other cell leaves.
    REQUIRE (f.editor.copyCells ({ hum }).ok);
    REQUIRE (f.editor.paste (Cell { 0, 1, 0, 4 }).ok);
    CHECK (f.idAt (Cell { 0, 1, 0, 4 }) == "hum-2");
    CHECK (f.clip ("organ-2") < 0);

    // Outside the grid: refused.
    REQUIRE (f.editor.copyCells ({ organ, Cell { 0, 0, 1, 0 }, Cell { 0, 0, 1, 4 } }).ok);  // organ's cell is empty now
    REQUIRE (f.editor.getClipboard().entries.size() == 2);                               // kick, breakbeat: 5 columns wide
    const auto outside = f.editor.paste (Cell { 0, 1, 1, 1 });
    CHECK_FALSE (outside.ok);
    CHECK (outside.reason == "the clipboard's clips do not fit from row 2, column 2 in the 3 x 5 grid of tab 'Atmos'");
    CHECK (f.editor.copyCells ({ organ }).reason == "nothing to copy: the cells are empty");
    CHECK (f.editor.copyCells ({ hum, Cell { 1, 0, 0, 1 } }).reason == "copy cells of one tab at a time");

    f.checkSavedThenUndoneAndRedone (folder);
}

TEST_CASE ("SessionEditor: imported files fill the empty cells from the start cell in reading order")
{
    EditorFixture f;
    test::TemporaryFolder folder ("session-editor-import");
    const Cell start { 0, 1, 0, 1 };  // Atmos: bed (0,0), hum (0,1)
    const std::vector<SessionEditor::ImportedFile> files {
        { "media/Door Slam.wav", "", 1, -3.0 },
        { "media/kick.flac", "", 0, 0.0 },
        { "/shows/other/kick.wav", "Other kick", 3, 0.0 },
        { "media/rain.wav", "", 2, -12.0 },
    };
    REQUIRE (f.editor.importFiles (files, start).ok);
    CHECK (undoName (f.undoManager) == "Import 4 files");
    CHECK (f.idAt (Cell { 0, 1, 0, 2 }) == "Door Slam");
    CHECK (f.idAt (Cell { 0, 1, 0, 3 }) == "kick-2");
    CHECK (f.idAt (Cell { 0, 1, 0, 4 }) == "kick-3");
    CHECK (f.idAt (Cell { 0, 1, 1, 0 }) == "rain");
    CHECK (f.definition ("Door Slam").label == "Door Slam");
    CHECK (f.definition ("Door Slam").group == 1);
    CHECK (f.definition ("Door Slam").gainDb == -3.0);
    CHECK (f.definition ("kick-3").label == "Other kick");
    CHECK (f.definition ("kick-3").file == "/shows/other/kick.wav");
    CHECK (f.changes.back().clipListChanged);
    CHECK (manifestOf (roundTrip (f.session, folder)) == manifestOf (f.session));

    // 11 of Scene 1's 15 cells are taken: 4 left from (0,0) on.
    const std::vector<SessionEditor::ImportedFile> five (5, SessionEditor::ImportedFile { "a.wav", "", 0, 0.0 });
    const auto tooMany = f.editor.importFiles (five, Cell { 0, 0, 0, 0 });
    CHECK (tooMany.reason == "5 files, but tab 'Scene 1' has 4 empty cells from row 1, column 1");
    const auto badGroup = f.editor.importFiles ({ { "b.wav", "", 7, 0.0 } }, Cell { 0, 0, 0, 0 });
    CHECK (badGroup.reason == "b.wav: group must be A, B, C or D");

    REQUIRE (f.editor.undo().ok);
    CHECK (manifestOf (f.session) == f.original);
}

TEST_CASE ("SessionEditor: tabs are renamed, reordered and resized, and a shrink never deletes a clip")
{
    EditorFixture f;
    test::TemporaryFolder folder ("session-editor-tabs");
    REQUIRE (f.editor.renameTab (0, 1, "Ambience").ok);
    CHECK (undoName (f.undoManager) == "Rename tab 'Atmos' to 'Ambience'");
    CHECK (f.editor.renameTab (0, 1, "").reason == "a tab needs a name");
    REQUIRE (f.editor.moveTab (0, 1, 0).ok);
    CHECK (undoName (f.undoManager) == "Move tab 'Ambience'");
    CHECK (f.session.pages[0].tabs[0].name == "Ambience");
    CHECK (f.session.pages[0].tabs[1].name == "Scene 1");

    // Grow, then shrink Scene 1 (11 clips in 3 x 5) to 3 x 4: the column-4 clips
    // (epiano (0,4), breakbeat (1,4)) move to the free cells (2,1), (2,2).
    REQUIRE (f.editor.resizeTab (0, 1, 16, 16).ok);
    CHECK (undoName (f.undoManager) == "Resize tab 'Scene 1' to 16 x 16");
    std::vector<std::string> risky;
    std::string clipsDuringCallback;
    f.editor.onBeforeRiskyEdit = [&] (const std::string& name)
    {
        risky.push_back (name);
        clipsDuringCallback = manifestOf (f.session);
    };
    const auto beforeShrink = manifestOf (f.session);
    REQUIRE (f.editor.resizeTab (0, 1, 3, 4).ok);
    CHECK (risky == std::vector<std::string> { "Resize tab 'Scene 1' to 3 x 4" });
    CHECK (clipsDuringCallback == beforeShrink);  // the recovery point is of the state before
    CHECK (f.idAt (Cell { 0, 1, 2, 1 }) == "epiano");
    CHECK (f.idAt (Cell { 0, 1, 2, 2 }) == "breakbeat");
    CHECK (f.idAt (Cell { 0, 1, 2, 0 }) == "bass");
    CHECK (f.session.pages[0].tabs[1].slots.size() == 11);

    // 11 clips cannot fit 2 x 5 = 10 cells.
    const auto refused = f.editor.resizeTab (0, 1, 2, 5);
    CHECK (refused.reason == "tab 'Scene 1' holds 11 clips; a 2 x 5 grid has 10 cells");
    CHECK (f.editor.resizeTab (0, 1, 0, 5).reason == "a grid has 1 to 16 rows and 1 to 16 columns");
    CHECK (f.editor.resizeTab (0, 1, 4, 17).reason == "a grid has 1 to 16 rows and 1 to 16 columns");
    // Exactly full.
    REQUIRE (f.editor.resizeTab (0, 0, 1, 2).ok);  // Ambience: bed, hum in row 0
    CHECK (risky.size() == 1);                       // nothing had to move
    CHECK (f.session.pages[0].tabs[0].rows == 1);

    f.checkSavedThenUndoneAndRedone (folder);
}

TEST_CASE ("SessionEditor: a tab the page does not have yet is added by the edit that uses it, and goes with its undo")
{
    EditorFixture f;
    test::TemporaryFolder folder ("session-editor-missing-tabs");
    REQUIRE (f.session.pages[1].tabs.size() == 1);  // Act 2: Stingers only; the app shows 8 tabs
    REQUIRE (f.editor.moveCell ({ 0, 0, 0, 0 }, { 1, 3, 3, 7 }).ok);
    REQUIRE (f.session.pages[1].tabs.size() == 4);
    CHECK (f.session.pages[1].tabs[3].name == "Tab 4");
    CHECK (f.session.pages[1].tabs[3].rows == 4);
    CHECK (f.session.pages[1].tabs[3].columns == 8);
    CHECK (f.session.pages[1].tabs[2].slots.empty());
    CHECK (f.idAt ({ 1, 3, 3, 7 }) == "organ");
    CHECK (undoName (f.undoManager) == "Move 'Organ Pad' to tab 'Tab 4' of page 'Act 2'");
    CHECK (manifestOf (roundTrip (f.session, folder)) == manifestOf (f.session));
    REQUIRE (f.editor.undo().ok);
    CHECK (manifestOf (f.session) == f.original);

    REQUIRE (f.editor.renameTab (1, 7, "Encores").ok);
    CHECK (f.session.pages[1].tabs.size() == 8);
    REQUIRE (f.editor.undo().ok);
    REQUIRE (f.editor.importFiles ({ { "a.wav", "", 0, 0.0 } }, { 1, 1, 0, 0 }).ok);
    CHECK (f.session.pages[1].tabs.size() == 2);
    REQUIRE (f.editor.undo().ok);
    // Nothing to change on a tab that would only be created: no step.
    REQUIRE (f.editor.resizeTab (1, 5, 4, 8).ok);
    CHECK (f.session.pages[1].tabs.size() == 1);
    CHECK (f.editor.renameTab (1, 8, "Ninth").reason == "no tab 9 on page 2");
    CHECK (f.editor.moveCell ({ 0, 0, 0, 0 }, { 1, 4, 4, 0 }).reason == "row 5, column 1 is outside the 4 x 8 grid of tab 'Tab 5'");
    CHECK (f.session.pages[1].tabs.size() == 1);
    CHECK (manifestOf (f.session) == f.original);
    CHECK_FALSE (f.undoManager.canUndo());
}

TEST_CASE ("SessionEditor: pages are added, renamed, reordered and deleted with their cells")
{
    EditorFixture f;
    test::TemporaryFolder folder ("session-editor-pages");
    REQUIRE (f.editor.addPage ("Act 3").ok);
    CHECK (undoName (f.undoManager) == "Add page 'Act 3'");
    REQUIRE (f.session.pages.size() == 3);
    CHECK (f.session.pages[2].tabs.size() == 8);
    CHECK (f.session.pages[2].tabs[7].name == "Tab 8");
    CHECK (f.session.pages[2].tabs[0].rows == 4);
    CHECK (f.session.pages[2].tabs[0].columns == 8);
    REQUIRE (f.editor.addPage ("", 0).ok);
    CHECK (f.session.pages[0].name == "Page 4");
    REQUIRE (f.editor.renamePage (0, "Preshow").ok);
    CHECK (undoName (f.undoManager) == "Rename page 'Page 4' to 'Preshow'");
    REQUIRE (f.editor.movePage (0, 3).ok);
    CHECK (undoName (f.undoManager) == "Move page 'Preshow'");
    CHECK (f.session.pages[3].name == "Preshow");
    CHECK (f.session.pages[0].name == "Act 1");

    // Act 1 holds 8 clips nowhere else; kick, clap and speech are on Act 2 too.
    const auto clipCount = f.session.clips.size();
    REQUIRE (f.editor.deletePage (0).ok);
    CHECK (undoName (f.undoManager) == "Delete page 'Act 1'");
    CHECK (f.session.clips.size() == clipCount - 8);
    for (const auto* id : { "kick", "clap", "speech" })
        CHECK (f.clip (id) >= 0);
    CHECK (f.clip ("organ") < 0);
    CHECK (manifestOf (roundTrip (f.session, folder)) == manifestOf (f.session));

    while (f.session.pages.size() > 1)
        REQUIRE (f.editor.deletePage (0).ok);
    CHECK (f.editor.deletePage (0).reason == "a session keeps at least one page");
    f.undoAll();
}

TEST_CASE ("ShowController follows the editor: media stays with its clip when clip slots move, and comes back on undo")
{
    juce::AudioDeviceManager devices;  // never opened: commands are dropped, the media bookkeeping is what is tested
    ShowController controller (devices);
    controller.loadSession (test::dataPath ("sessions/gui-v2.cuegrid").string());
    REQUIRE (controller.waitForMedia (30.0));  // an opened session's media loads in the background
    juce::UndoManager undoManager;
    SessionEditor editor (controller.getEditableSession(), undoManager);
    editor.onChange = [&] (const SessionEditor::Change& change) { controller.sessionEdited (change); };
    const auto& session = controller.getSession();
    const auto clipCount = (int) session.clips.size();
    for (int clip = 0; clip < clipCount; ++clip)
        REQUIRE (controller.hasMedia (clip));

    // A clip whose file is missing, at the end of the list: its error marks where its media is.
    REQUIRE (editor.importFiles ({ { "../corpus/not-there.wav", "", 0, 0.0 } }, { 1, 0, 1, 0 }).ok);
    REQUIRE ((int) session.clips.size() == clipCount + 1);
    REQUIRE (controller.waitForMedia (30.0));  // decoded in the background
    CHECK_FALSE (controller.hasMedia (clipCount));
    CHECK_THAT (controller.mediaError (clipCount), Catch::Matchers::Contains ("not-there.wav"));

    // Organ is clip 0 with one cell: deleting it moves every other clip down one slot.
    REQUIRE (session.clips[0].id == "organ");
    REQUIRE (editor.deleteCells ({ { 0, 0, 0, 0 } }).ok);
    REQUIRE ((int) session.clips.size() == clipCount);
    for (int clip = 0; clip < clipCount - 1; ++clip)
        CHECK (controller.hasMedia (clip));
    CHECK_THAT (controller.mediaError (clipCount - 1), Catch::Matchers::Contains ("not-there.wav"));

    REQUIRE (editor.undo().ok);  // organ back in its slot, with its media
    REQUIRE (session.clips[0].id == "organ");
    for (int clip = 0; clip < clipCount; ++clip)
        CHECK (controller.hasMedia (clip));
    CHECK_THAT (controller.mediaError (clipCount), Catch::Matchers::Contains ("not-there.wav"));
    REQUIRE (editor.undo().ok);
    CHECK ((int) session.clips.size() == clipCount);
    CHECK (controller.mediaError (clipCount).empty());  // no such slot any more

    // A level edit without a device changes the session only.
    REQUIRE (editor.setGain (0, -18.0).ok);
    CHECK (session.clips[0].gainDb == -18.0);
}

TEST_CASE ("SessionEditor: deleting a page that holds clips and a paste that replaces clips ask for a recovery point first")
{
    EditorFixture f;
    std::vector<std::string> risky;
    std::vector<std::string> stateDuringCallback;
    f.editor.onBeforeRiskyEdit = [&] (const std::string& name)
    {
        risky.push_back (name);
        stateDuringCallback.push_back (manifestOf (f.session));
    };

    // A paste into empty cells replaces nothing: not risky.
    REQUIRE (f.editor.copyCells ({ { 0, 0, 0, 0 } }).ok);
    REQUIRE (f.editor.paste ({ 0, 0, 2, 4 }).ok);
    CHECK (risky.empty());
    // A paste onto an occupied cell replaces its clip: a recovery point of the state before.
    const auto beforeReplace = manifestOf (f.session);
    REQUIRE (f.editor.paste ({ 0, 0, 1, 0 }).ok);
    REQUIRE (risky.size() == 1);
    CHECK (risky.back() == f.undoManager.getUndoDescription().toStdString());
    CHECK (stateDuringCallback.back() == beforeReplace);

    // An empty page goes without one; a page with clips does not.
    REQUIRE (f.editor.addPage ("Spare").ok);
    REQUIRE (f.editor.deletePage ((int) f.session.pages.size() - 1).ok);
    CHECK (risky.size() == 1);
    const auto beforeDelete = manifestOf (f.session);
    REQUIRE (f.editor.deletePage (1).ok);
    REQUIRE (risky.size() == 2);
    CHECK (risky.back() == "Delete page 'Act 2'");
    CHECK (stateDuringCallback.back() == beforeDelete);

    // Refused edits change nothing and ask for nothing.
    f.editor.setLocked (true);
    CHECK_FALSE (f.editor.deletePage (0).ok);
    CHECK_FALSE (f.editor.paste ({ 0, 0, 1, 0 }).ok);
    CHECK (risky.size() == 2);
}
