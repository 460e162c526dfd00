// CueGrid — GPL-3.0-or-later
// The relink panel's decisions as one undoable editor edit (issue 13).
#include "Control/SessionEditor.h"

#include <catch2/catch.hpp>

using namespace cuegrid;

TEST_CASE ("SessionEditor relinkMedia repoints clips in one undoable step", "[editor][relink]")
{
    Session session;
    for (const auto& id : { "kick", "snare", "bed" })
    {
        ClipDefinition clip;
        clip.id = id;
        clip.file = std::string ("media/") + id + ".wav";
        session.clips.push_back (clip);
    }
    juce::UndoManager undo;
    SessionEditor editor (session, undo);
    std::vector<SessionEditor::Change> changes;
    editor.onChange = [&] (const SessionEditor::Change& change) { changes.push_back (change); };

    REQUIRE (editor.relinkMedia ({ { "kick", "found/kick-renamed.wav" }, { "bed", "/elsewhere/bed.wav" } }, "Relink 2 clip(s)").ok);
    CHECK (session.clips[0].file == "found/kick-renamed.wav");
    CHECK (session.clips[1].file == "media/snare.wav");
    CHECK (session.clips[2].file == "/elsewhere/bed.wav");
    REQUIRE (changes.size() == 1);
    CHECK (changes[0].clipListChanged);   // the controller reads the clips' media again
    CHECK (changes[0].clips == std::vector<std::string> { "kick", "bed" });
    CHECK (editor.hasUnsavedChanges());

    REQUIRE (editor.undo().ok);
    CHECK (session.clips[0].file == "media/kick.wav");
    CHECK (session.clips[2].file == "media/bed.wav");
    CHECK (! editor.hasUnsavedChanges());
    REQUIRE (editor.redo().ok);
    CHECK (session.clips[0].file == "found/kick-renamed.wav");

    CHECK (! editor.relinkMedia ({ { "nobody", "x.wav" } }, "Relink").ok);
    CHECK (! editor.relinkMedia ({ { "kick", "" } }, "Relink").ok);
    editor.setLocked (true);
    CHECK (! editor.relinkMedia ({ { "snare", "found/snare.wav" } }, "Relink").ok);
    CHECK (session.clips[1].file == "media/snare.wav");
}
