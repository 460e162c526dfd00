// CueGrid — GPL-3.0-or-later
// While a media folder change runs, edits that point a clip at a file are refused (issue 13).
#include "SessionEditor.test.h"

using namespace cuegrid;
using namespace cuegrid::test;

TEST_CASE ("SessionEditor media lock: relinks, imports, pastes and merges are refused with the reason, other edits work", "[editor][mediafolder]")
{
    EditorFixture fixture;
    auto& editor = fixture.editor;
    const auto kick = fixture.clip ("kick");
    const auto kickFile = fixture.definition ("kick").file;
    REQUIRE (editor.copyCells ({ { 0, 0, 0, 0 } }).ok);
    editor.setMediaLocked (true, "a media folder change is running");
    CHECK (editor.isMediaLocked());

    auto refused = [] (const SessionEditor::Result& result) { return ! result.ok && result.reason == "a media folder change is running"; };
    CHECK (refused (editor.relinkMedia ({ { "kick", "elsewhere/kick.wav" } }, "Relink")));
    CHECK (refused (editor.importFiles ({ { "media/new.wav", "New", 0, 0.0 } }, { 0, 1, 2, 0 })));
    CHECK (refused (editor.importFiles ({}, { 0, 1, 2, 0 })));   // the app's early check gets the same reason
    CHECK (refused (editor.paste ({ 0, 1, 2, 1 })));
    CHECK (refused (editor.applyMerge (fixture.session, {}, "Import tab")));
    CHECK (fixture.definition ("kick").file == kickFile);
    CHECK (manifestOf (fixture.session) == fixture.original);

    // Properties, moves and deletes go on (the show is never blocked).
    REQUIRE (editor.setLabel (kick, "Kick (late)").ok);
    REQUIRE (editor.moveCell ({ 0, 0, 0, 0 }, { 0, 0, 2, 4 }).ok);
    REQUIRE (editor.undo().ok);
    REQUIRE (editor.undo().ok);
    CHECK (fixture.definition ("kick").label != "Kick (late)");

    editor.setMediaLocked (false);
    REQUIRE (editor.relinkMedia ({ { "kick", "elsewhere/kick.wav" } }, "Relink").ok);
    REQUIRE (editor.paste ({ 0, 1, 2, 1 }).ok);
    CHECK (fixture.editor.getSession().clips.size() == fixture.session.clips.size());
}

TEST_CASE ("SessionEditor media lock: an undo or redo that would change a clip's file or add a clip is refused, nothing changed", "[editor][mediafolder]")
{
    EditorFixture fixture;
    auto& editor = fixture.editor;
    const auto kickFile = fixture.definition ("kick").file;
    const auto clipsBefore = fixture.session.clips.size();
    REQUIRE (editor.relinkMedia ({ { "kick", "elsewhere/kick.wav" } }, "Relink 1 clip(s)").ok);
    REQUIRE (editor.copyCells ({ { 0, 0, 0, 0 } }).ok);
    REQUIRE (editor.paste ({ 0, 1, 2, 1 }).ok);
    REQUIRE (fixture.session.clips.size() == clipsBefore + 1);
    REQUIRE (editor.undo().ok);   // the paste, before the lock
    REQUIRE (editor.setLabel (fixture.clip ("clap"), "Clap!").ok);   // a plain edit on top

    editor.setMediaLocked (true, "a media folder change is running");
    const auto changesBefore = fixture.changes.size();
    const auto manifestBefore = manifestOf (fixture.session);
    REQUIRE (editor.undo().ok);   // the label: no media
    CHECK (fixture.changes.size() == changesBefore + 1);
    const auto afterLabelUndo = manifestOf (fixture.session);
    const auto undoRelink = editor.undo();   // would point kick back at its old file
    CHECK (! undoRelink.ok);
    CHECK (undoRelink.reason == "a media folder change is running (undo Relink 1 clip(s))");
    CHECK (fixture.definition ("kick").file == "elsewhere/kick.wav");
    CHECK (manifestOf (fixture.session) == afterLabelUndo);
    CHECK (fixture.changes.size() == changesBefore + 1);   // the probe told nobody
    CHECK (editor.canUndo());
    CHECK (undoName (fixture.undoManager) == "Relink 1 clip(s)");
    (void) manifestBefore;

    editor.setMediaLocked (false);
    REQUIRE (editor.undo().ok);
    CHECK (fixture.definition ("kick").file == kickFile);
    editor.setMediaLocked (true, "a media folder change is running");
    CHECK (! editor.redo().ok);   // the relink again: refused
    CHECK (fixture.definition ("kick").file == kickFile);
}
