// CueGrid — GPL-3.0-or-later
// SessionEditor: clip property edits, refusals, unsaved changes, gestures, Show mode. Grid, tab
// and page edits are tested in SessionEditorGrid.test.cpp.
#include "SessionEditor.test.h"

#include "Session/Errors.h"

#include <cmath>
#include <functional>
#include <limits>

using namespace cuegrid;
using namespace cuegrid::test;

namespace
{
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
            EditorFixture f;
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
    EditorFixture f;
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

TEST_CASE ("SessionEditor: unsaved changes follow undo and redo back to the saved state, and the change count grows")
{
    EditorFixture f;
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
    EditorFixture f;
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
    EditorFixture f;
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
    EditorFixture f;
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
