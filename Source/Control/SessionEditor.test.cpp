// CueGrid — GPL-3.0-or-later
#include "SessionEditor.h"
#include "ShowController.h"

#include "Session/Errors.h"
#include "Session/SessionManifest.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <limits>

using namespace cuegrid;
using Cell = SessionEditor::Cell;

namespace
{
    /** The show of the GUI tests: 11 clips on 2 pages; kick, clap, speech, bed and hum sit in
        two cells each. Page "Act 1": tab "Scene 1" (3 x 5, 11 clips), tab "Atmos" (3 x 5: bed,
        hum in row 0); page "Act 2": tab "Stingers" (3 x 5: kick, clap, speech in row 0). */
    Session loadShow() { return SessionManifest::load (test::dataPath ("sessions/gui-v2.cuegrid").string()); }

    /** The whole model as the manifest writes it: two sessions are equal when these are. */
    std::string manifestOf (const Session& session) { return SessionManifest::toJson (session).dump (2); }

    /** Saves and loads again through a real file. */
    Session roundTrip (const Session& session, const test::TemporaryFolder& folder)
    {
        const auto path = (folder / "edited.cuegrid").string();
        SessionManifest::save (session, path);
        return SessionManifest::load (path);
    }

    std::string undoName (juce::UndoManager& undo) { return undo.getUndoDescription().toStdString(); }

    struct Fixture
    {
        Session session = loadShow();
        const std::string original = manifestOf (session);
        juce::UndoManager undoManager;
        SessionEditor editor { session, undoManager };
        std::vector<SessionEditor::Change> changes;

        Fixture() { editor.onChange = [this] (const SessionEditor::Change& change) { changes.push_back (change); }; }
        int clip (const std::string& id) const { return session.findClip (id); }
        const ClipDefinition& definition (const std::string& id) const { return session.clips[(size_t) clip (id)]; }
        std::string idAt (const Cell& cell) const
        {
            const auto index = editor.clipAt (cell);
            return index >= 0 ? session.clips[(size_t) index].id : std::string();
        }
    };

    /** One property edit: what to do, the Edit menu's name, and how to see it in the model. */
    struct PropertyEdit
    {
        std::string what, expectedName;
        std::function<SessionEditor::Result (SessionEditor&, int)> perform;
        std::function<bool (const ClipDefinition&)> applied;
    };
} // namespace

TEST_CASE ("SessionEditor: every clip property edit is one named undo step, undone and redone exactly, and saved as edited")
{
    LoopSettings loop;
    loop.inSec = 0.5;
    loop.outSec = 1.5;
    loop.count = 4;
    loop.crossfadeMs = 2.5;
    const std::vector<PropertyEdit> edits {
        { "label", "Rename 'Kick'", [] (auto& e, int c) { return e.setLabel (c, "Big Kick"); }, [] (auto& d) { return d.label == "Big Kick"; } },
        { "colour", "Recolour 'Kick'", [] (auto& e, int c) { return e.setColour (c, "#12ab9F"); }, [] (auto& d) { return d.colour == "#12ab9F"; } },
        { "group", "Move 'Kick' to Group C", [] (auto& e, int c) { return e.setGroup (c, 2); }, [] (auto& d) { return d.group == 2; } },
        { "gain", "Set gain of 'Kick'", [] (auto& e, int c) { return e.setGain (c, -12.5); }, [] (auto& d) { return d.gainDb == -12.5; } },
        { "level trim", "Set level trim of 'Kick'", [] (auto& e, int c) { return e.setLevelTrim (c, 3.0); }, [] (auto& d) { return d.levelTrimDb == 3.0; } },
        { "levels", "Set levels of 'Kick'", [] (auto& e, int c) { return e.setLevels (c, -1.0, -2.0); },
          [] (auto& d) { return d.gainDb == -1.0 && d.levelTrimDb == -2.0; } },
        { "fade in", "Set fade in of 'Kick'", [] (auto& e, int c) { return e.setFadeIn (c, 250.0); }, [] (auto& d) { return d.fadeInMs == 250.0; } },
        { "fade out", "Set fade out of 'Kick'", [] (auto& e, int c) { return e.setFadeOut (c, 3000.0); }, [] (auto& d) { return d.fadeOutMs == 3000.0; } },
        { "fade-in curve", "Set fade-in curve of 'Kick'", [] (auto& e, int c) { return e.setFadeInCurve (c, FadeCurve::sCurve); },
          [] (auto& d) { return d.fadeInCurve == FadeCurve::sCurve; } },
        { "fade-out curve", "Set fade-out curve of 'Kick'", [] (auto& e, int c) { return e.setFadeOutCurve (c, FadeCurve::exponential); },
          [] (auto& d) { return d.fadeOutCurve == FadeCurve::exponential; } },
        { "edge fade", "Set edge fade of 'Kick'", [] (auto& e, int c) { return e.setEdgeFade (c, 0.25); }, [] (auto& d) { return d.edgeFadeMs == 0.25; } },
        { "cue in", "Set cue in of 'Kick'", [] (auto& e, int c) { return e.setCueIn (c, 0.125); }, [] (auto& d) { return d.cueInSec == 0.125; } },
        { "cue out", "Set cue out of 'Kick'", [] (auto& e, int c) { return e.setCueOut (c, 2.0); }, [] (auto& d) { return d.cueOutSec == 2.0; } },
        { "loop", "Set loop of 'Kick'", [loop] (auto& e, int c) { return e.setLoop (c, loop); },
          [] (auto& d) { return d.loop && d.loop->inSec == 0.5 && d.loop->outSec == 1.5 && d.loop->count == 4 && d.loop->crossfadeMs == 2.5; } },
        { "retrigger", "Set retrigger of 'Kick' to pause", [] (auto& e, int c) { return e.setRetrigger (c, RetriggerMode::pause); },
          [] (auto& d) { return d.retrigger == RetriggerMode::pause; } },
        { "solo", "Solo 'Kick'", [] (auto& e, int c) { return e.setSolo (c, true); }, [] (auto& d) { return d.solo; } },
        { "pan", "Set pan of 'Kick'", [] (auto& e, int c) { return e.setPan (c, -0.75); }, [] (auto& d) { return d.pan == -0.75; } },
        { "notes", "Edit notes of 'Kick'", [] (auto& e, int c) { return e.setNotes (c, "GO on the blackout, \"loud\"\nsecond line"); },
          [] (auto& d) { return d.notes == "GO on the blackout, \"loud\"\nsecond line"; } },
    };
    test::TemporaryFolder folder ("session-editor-properties");
    for (const auto& edit : edits)
    {
        DYNAMIC_SECTION (edit.what)
        {
            Fixture f;
            const auto kick = f.clip ("kick");
            REQUIRE_FALSE (edit.applied (f.definition ("kick")));
            const auto result = edit.perform (f.editor, kick);
            INFO (result.reason);
            REQUIRE (result.ok);
            CHECK (edit.applied (f.definition ("kick")));
            CHECK (undoName (f.undoManager) == edit.expectedName);
            CHECK (f.editor.hasUnsavedChanges());
            const auto edited = manifestOf (f.session);
            CHECK (edited != f.original);
            CHECK (manifestOf (roundTrip (f.session, folder)) == edited);

            REQUIRE (f.editor.undo().ok);
            CHECK (manifestOf (f.session) == f.original);
            CHECK_FALSE (f.editor.hasUnsavedChanges());
            CHECK_FALSE (f.undoManager.canUndo());
            REQUIRE (f.editor.redo().ok);
            CHECK (manifestOf (f.session) == edited);
            CHECK (f.editor.hasUnsavedChanges());

            // Setting the same value again is no undo step.
            REQUIRE (edit.perform (f.editor, kick).ok);
            REQUIRE (f.editor.undo().ok);
            CHECK_FALSE (f.undoManager.canUndo());
        }
    }
}

TEST_CASE ("SessionEditor: values the manifest would refuse are refused with a reason and change nothing")
{
    Fixture f;
    const auto kick = f.clip ("kick");
    const auto organ = f.clip ("organ");  // cue 0.5 - 4.4 s
    const auto hum = f.clip ("hum");      // cue 0.25 - 9.5 s, loop 1 - 3 s
    const auto nan = std::numeric_limits<double>::quiet_NaN();
    struct Refusal { SessionEditor::Result result; std::string reason; };
    LoopSettings outsideCue;
    outsideCue.outSec = 5.0;
    LoopSettings shortCrossfade;
    shortCrossfade.crossfadeMs = 0.1;
    LoopSettings badCount;
    badCount.count = -1;
    const std::vector<Refusal> refusals {
        { f.editor.setGain (kick, 24.5), "gain must be between -144 and +24 dB" },
        { f.editor.setGain (kick, nan), "gain must be between -144 and +24 dB" },
        { f.editor.setLevelTrim (kick, -145.0), "level trim must be between -144 and +24 dB" },
        { f.editor.setPan (kick, 1.01), "pan must be from -1 (left) to +1 (right)" },
        { f.editor.setColour (kick, "red"), "colour \"red\" is not a colour like \"#d04040\"" },
        { f.editor.setGroup (kick, 4), "group must be A, B, C or D" },
        { f.editor.setFadeIn (kick, 3000.5), "fade in must be from 0 to 3000 ms" },
        { f.editor.setFadeOut (kick, -1.0), "fade out must be from 0 to 3000 ms" },
        { f.editor.setEdgeFade (kick, 0.2), "edge fade must be from 0.25 to 10 ms" },
        { f.editor.setCueIn (kick, 10800.5), "cue in must be from 0 to 10800 s (3 hours)" },
        { f.editor.setCueOut (organ, 0.5), "cue out must be after cue in (0.5 s)" },
        { f.editor.setCueIn (hum, 1.5), "loop in must not be before cue in (1.5 s)" },
        { f.editor.setCueOut (hum, 2.0), "loop out must not be after cue out (2 s)" },
        { f.editor.setLoop (organ, outsideCue), "loop out must not be after cue out (4.4 s)" },
        { f.editor.setLoop (kick, shortCrossfade), "loop crossfade must be from 0.25 to 10 ms" },
        { f.editor.setLoop (kick, badCount), "loop count must be a whole number from 0 to 1000000" },
        { f.editor.setLabel (99, "x"), "no clip 99" },
    };
    for (const auto& refusal : refusals)
    {
        CHECK_FALSE (refusal.result.ok);
        CHECK_THAT (refusal.result.reason, Catch::Matchers::EndsWith (refusal.reason));
    }
    CHECK_THAT (refusals[0].result.reason, Catch::Matchers::StartsWith ("Kick: "));
    CHECK (manifestOf (f.session) == f.original);
    CHECK_FALSE (f.undoManager.canUndo());
    CHECK_FALSE (f.editor.hasUnsavedChanges());
    CHECK (f.changes.empty());
}

TEST_CASE ("SessionEditor: a clip moves to an empty cell and swaps with an occupied one, across tabs and pages")
{
    Fixture f;
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
    Fixture f;
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
    Fixture f;
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
    Fixture g;
    g.session.clips.push_back (g.session.clips.front());
    g.session.clips.back().id = "scriptOnly";
    g.editor.sessionReplaced();
    REQUIRE (g.editor.deleteCells ({ Cell { 0, 0, 0, 0 } }).ok);
    CHECK (g.clip ("scriptOnly") >= 0);
}

TEST_CASE ("SessionEditor: cut and paste moves clips with their ids, copy and paste makes new ones, paste replaces")
{
    Fixture f;
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

    const auto edited = manifestOf (f.session);
    CHECK (manifestOf (roundTrip (f.session, folder)) == edited);
    while (f.undoManager.canUndo())
        REQUIRE (f.editor.undo().ok);
    CHECK (manifestOf (f.session) == f.original);
    while (f.undoManager.canRedo())
        REQUIRE (f.editor.redo().ok);
    CHECK (manifestOf (f.session) == edited);
}

TEST_CASE ("SessionEditor: imported files fill the empty cells from the start cell in reading order")
{
    Fixture f;
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
    Fixture f;
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

    const auto edited = manifestOf (f.session);
    CHECK (manifestOf (roundTrip (f.session, folder)) == edited);
    while (f.undoManager.canUndo())
        REQUIRE (f.editor.undo().ok);
    CHECK (manifestOf (f.session) == f.original);
    while (f.undoManager.canRedo())
        REQUIRE (f.editor.redo().ok);
    CHECK (manifestOf (f.session) == edited);
}

TEST_CASE ("SessionEditor: a tab the page does not have yet is added by the edit that uses it, and goes with its undo")
{
    Fixture f;
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
    Fixture f;
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
    while (f.undoManager.canUndo())
        REQUIRE (f.editor.undo().ok);
    CHECK (manifestOf (f.session) == f.original);
}

TEST_CASE ("SessionEditor: unsaved changes follow undo and redo back to the saved state, and the change count grows")
{
    Fixture f;
    const auto kick = f.clip ("kick");
    CHECK_FALSE (f.editor.hasUnsavedChanges());
    const auto count0 = f.editor.getChangeCount();
    REQUIRE (f.editor.setGain (kick, -10.0).ok);
    REQUIRE (f.editor.setPan (kick, 0.5).ok);
    CHECK (f.editor.hasUnsavedChanges());
    CHECK (f.editor.getChangeCount() == count0 + 2);

    f.editor.markSaved();  // saved with gain -10, pan 0.5
    CHECK_FALSE (f.editor.hasUnsavedChanges());
    REQUIRE (f.editor.undo().ok);
    CHECK (f.editor.hasUnsavedChanges());
    REQUIRE (f.editor.redo().ok);
    CHECK_FALSE (f.editor.hasUnsavedChanges());  // back at the saved state
    REQUIRE (f.editor.undo().ok);
    REQUIRE (f.editor.undo().ok);
    CHECK (f.editor.hasUnsavedChanges());        // the original differs from what was saved
    CHECK (f.editor.getChangeCount() == count0 + 6);

    // A new edit after an undo drops the redo branch: the saved state cannot come back.
    REQUIRE (f.editor.setLabel (kick, "Other").ok);
    CHECK_FALSE (f.undoManager.canRedo());
    CHECK (f.editor.hasUnsavedChanges());
    REQUIRE (f.editor.undo().ok);
    CHECK (f.editor.hasUnsavedChanges());
    CHECK (f.editor.redo().ok);
    CHECK (f.editor.redo().reason == "nothing to redo");

    f.editor.sessionReplaced();
    CHECK_FALSE (f.editor.hasUnsavedChanges());
    CHECK_FALSE (f.undoManager.canUndo());
    CHECK (f.editor.undo().reason == "nothing to undo");

    // A session restored from a recovery point differs from its file: no undo reaches the file.
    f.editor.markUnsaved();
    CHECK (f.editor.hasUnsavedChanges());
    REQUIRE (f.editor.setLabel (kick, "Recovered").ok);
    REQUIRE (f.editor.undo().ok);
    CHECK (f.editor.hasUnsavedChanges());
    f.editor.markSaved();
    CHECK_FALSE (f.editor.hasUnsavedChanges());
}

TEST_CASE ("SessionEditor: a gesture is one undo step, and a dragged field coalesces into one action")
{
    Fixture f;
    const auto kick = f.clip ("kick");
    const auto snare = f.clip ("snare");
    {
        auto gesture = f.editor.beginGesture ("Drag fade in of 'Kick'");
        for (double ms : { 10.0, 20.0, 30.0, 40.0 })
            REQUIRE (f.editor.setFadeIn (kick, ms).ok);
        CHECK (f.undoManager.getNumActionsInCurrentTransaction() == 1);
    }
    CHECK (undoName (f.undoManager) == "Drag fade in of 'Kick'");
    CHECK (f.definition ("kick").fadeInMs == 40.0);
    {
        auto gesture = f.editor.beginGesture ("Apply analysis gain");
        REQUIRE (f.editor.setLevels (kick, -20.0, 1.0).ok);
        REQUIRE (f.editor.setLevels (snare, -21.0, 2.0).ok);
    }
    CHECK (undoName (f.undoManager) == "Apply analysis gain");
    REQUIRE (f.editor.undo().ok);
    CHECK (f.definition ("kick").gainDb == -6.0);
    CHECK (f.definition ("snare").gainDb == -6.0);
    CHECK (f.definition ("kick").fadeInMs == 40.0);
    REQUIRE (f.editor.undo().ok);
    CHECK (manifestOf (f.session) == f.original);
    CHECK_FALSE (f.editor.hasUnsavedChanges());
    CHECK_FALSE (f.undoManager.canUndo());
}

TEST_CASE ("SessionEditor: Show mode locks every edit, undo and redo with its reason")
{
    Fixture f;
    const auto kick = f.clip ("kick");
    REQUIRE (f.editor.setLabel (kick, "K").ok);
    f.editor.setLocked (true);
    CHECK (f.editor.isLocked());
    const std::string reason = "Show mode: editing is locked";
    const std::vector<SessionEditor::Result> refused {
        f.editor.setLabel (kick, "X"), f.editor.setGain (kick, -1.0), f.editor.setColour (kick, "#000000"),
        f.editor.moveCell ({ 0, 0, 1, 0 }, { 0, 0, 2, 4 }), f.editor.copyCell ({ 0, 0, 1, 0 }, { 0, 0, 2, 4 }),
        f.editor.deleteCells ({ { 0, 0, 1, 0 } }), f.editor.cutCells ({ { 0, 0, 1, 0 } }), f.editor.paste ({ 0, 0, 2, 4 }),
        f.editor.importFiles ({ { "a.wav", "", 0, 0.0 } }, { 0, 0, 2, 4 }), f.editor.renameTab (0, 0, "T"),
        f.editor.moveTab (0, 0, 1), f.editor.resizeTab (0, 0, 4, 5), f.editor.addPage ("P"), f.editor.renamePage (0, "P"),
        f.editor.deletePage (1), f.editor.movePage (0, 1), f.editor.undo(), f.editor.redo(),
    };
    for (const auto& result : refused)
    {
        CHECK_FALSE (result.ok);
        CHECK (result.reason == reason);
    }
    CHECK (f.definition ("kick").label == "K");
    CHECK (f.session.pages.size() == 2);
    CHECK_FALSE (f.editor.canUndo());
    f.editor.setLocked (false);
    CHECK (f.editor.canUndo());
    REQUIRE (f.editor.undo().ok);
    CHECK (manifestOf (f.session) == f.original);
}

TEST_CASE ("SessionEditor: changes say when the engine needs clip levels again and when clip slots moved")
{
    Fixture f;
    const auto kick = f.clip ("kick");
    REQUIRE (f.editor.setLabel (kick, "K").ok);
    REQUIRE (f.changes.size() == 1);
    CHECK (f.changes.back().name == "Rename 'Kick'");
    CHECK (f.changes.back().clips == std::vector<std::string> { "kick" });
    CHECK_FALSE (f.changes.back().levelsChanged);
    CHECK_FALSE (f.changes.back().gridChanged);
    REQUIRE (f.editor.setGain (kick, -3.0).ok);
    CHECK (f.changes.back().levelsChanged);
    REQUIRE (f.editor.setPan (kick, 0.25).ok);
    CHECK (f.changes.back().levelsChanged);
    REQUIRE (f.editor.undo().ok);  // the undo of a pan change also re-sends levels
    CHECK (f.changes.back().levelsChanged);
    REQUIRE (f.editor.setFadeOut (kick, 100.0).ok);
    CHECK_FALSE (f.changes.back().levelsChanged);  // read at each trigger: nothing to send
    REQUIRE (f.editor.moveCell ({ 0, 0, 1, 0 }, { 0, 0, 2, 4 }).ok);
    CHECK (f.changes.back().gridChanged);
    CHECK_FALSE (f.changes.back().clipListChanged);
    REQUIRE (f.editor.copyCell ({ 0, 0, 2, 4 }, { 0, 0, 2, 3 }).ok);
    CHECK (f.changes.back().clipListChanged);
    CHECK (f.changes.back().clips == std::vector<std::string> { "kick-2" });
    CHECK (f.changes.size() == 7);
}

TEST_CASE ("SessionEditor: clip notes are read from a version 2 manifest and written only when not empty")
{
    const std::string text = R"({"format": "cuegrid.session", "version": 2, "clips": [
        {"id": "a", "file": "a.wav", "notes": "Cue 14: after the line \"Goodnight\""},
        {"id": "b", "file": "b.wav"}]})";
    const auto session = SessionManifest::parse (text, "notes.cuegrid");
    CHECK (session.clips[0].notes == "Cue 14: after the line \"Goodnight\"");
    CHECK (session.clips[1].notes.empty());
    const auto json = SessionManifest::toJson (session);
    CHECK (json["clips"][0]["notes"] == "Cue 14: after the line \"Goodnight\"");
    CHECK_FALSE (json["clips"][1].contains ("notes"));
    CHECK_THROWS_AS (SessionManifest::parse (R"({"format": "cuegrid.session", "version": 2, "clips": [{"id": "a", "file": "a.wav", "notes": 3}]})",
                                             "bad.cuegrid"),
                     InputError);
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
    Fixture f;
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
