// CueGrid — GPL-3.0-or-later
#include "SessionEditor.h"

#include <catch2/catch.hpp>

using namespace cuegrid;

TEST_CASE ("SessionEditor setHotkeys is one undoable step, refused in Show mode and for unknown clips", "[editor][hotkeys]")
{
    Session session;
    ClipDefinition clip;
    clip.id = "a";
    clip.file = "a.wav";
    session.clips.push_back (clip);
    session.pages.push_back ({ "One", { Tab { "T", 1, 1, { { 0, 0, "a" } } } } });
    juce::UndoManager undo;
    SessionEditor editor (session, undo);

    SessionHotkeys keys;
    keys.pages = { { { "a", *KeyChord::parse ("F1"), true } }, { { "a", *KeyChord::parse ("F2"), false } } };   // page 2 does not exist
    REQUIRE (editor.setHotkeys (keys, "Change hotkeys").ok);
    REQUIRE (session.hotkeys.pages.size() == 1);      // the key of a page the session lacks is dropped
    CHECK (session.hotkeys.pages[0][0].chord.toString() == "F1");
    CHECK (session.hotkeys.pages[0][0].gate);
    CHECK (editor.hasUnsavedChanges());
    REQUIRE (editor.undo().ok);
    CHECK (session.hotkeys.isEmpty());
    REQUIRE (editor.redo().ok);
    CHECK (session.hotkeys.pages[0][0].clip == "a");

    SessionHotkeys unknown;
    unknown.global = { { "zz", *KeyChord::parse ("G"), false } };
    const auto refused = editor.setHotkeys (unknown, "Change hotkeys");
    CHECK_FALSE (refused.ok);
    CHECK (refused.reason == "no clip \"zz\"");

    editor.setLocked (true);
    CHECK_FALSE (editor.setHotkeys ({}, "Change hotkeys").ok);
    CHECK (session.hotkeys.pages[0][0].clip == "a");
}
