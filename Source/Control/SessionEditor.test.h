// CueGrid — GPL-3.0-or-later
// The show and fixture SessionEditor's tests share: clip property edits (SessionEditor.test.cpp)
// and grid, tab and page edits (SessionEditorGrid.test.cpp).
#pragma once

#include "SessionEditor.h"

#include "Session/SessionManifest.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace cuegrid::test
{

using Cell = SessionEditor::Cell;

/** The show of the GUI tests: 11 clips on 2 pages; kick, clap, speech, bed and hum sit in
    two cells each. Page "Act 1": tab "Scene 1" (3 x 5, 11 clips), tab "Atmos" (3 x 5: bed,
    hum in row 0); page "Act 2": tab "Stingers" (3 x 5: kick, clap, speech in row 0). */
inline Session loadShow() { return SessionManifest::load (test::dataPath ("sessions/gui-v2.cuegrid").string()); }

/** The whole model as the manifest writes it: two sessions are equal when these are. */
inline std::string manifestOf (const Session& session) { return SessionManifest::toJson (session).dump (2); }

/** Saves and loads again through a real file. */
inline Session roundTrip (const Session& session, const test::TemporaryFolder& folder)
{
    const auto path = (folder / "edited.cuegrid").string();
    SessionManifest::save (session, path);
    return SessionManifest::load (path);
}

inline std::string undoName (juce::UndoManager& undo) { return undo.getUndoDescription().toStdString(); }

struct EditorFixture
{
    Session session = loadShow();
    const std::string original = manifestOf (session);
    juce::UndoManager undoManager;
    SessionEditor editor { session, undoManager };
    std::vector<SessionEditor::Change> changes;

    EditorFixture() { editor.onChange = [this] (const SessionEditor::Change& change) { changes.push_back (change); }; }
    int clip (const std::string& id) const { return session.findClip (id); }
    const ClipDefinition& definition (const std::string& id) const { return session.clips[(size_t) clip (id)]; }
    std::string idAt (const Cell& cell) const
    {
        const auto index = editor.clipAt (cell);
        return index >= 0 ? session.clips[(size_t) index].id : std::string();
    }

    /** Undoes every step: the session is the show as loaded again. */
    void undoAll()
    {
        while (undoManager.canUndo())
            REQUIRE (editor.undo().ok);
        CHECK (manifestOf (session) == original);
    }

    /** Undoes every step, then redoes them all: the session is `edited` again. */
    void undoAllThenRedoAll (const std::string& edited)
    {
        undoAll();
        while (undoManager.canRedo())
            REQUIRE (editor.redo().ok);
        CHECK (manifestOf (session) == edited);
    }

    /** The edited session saves and loads back as it is; undoing every step gives the show as
        loaded, redoing them the edited one. */
    void checkSavedThenUndoneAndRedone (const test::TemporaryFolder& folder)
    {
        const auto edited = manifestOf (session);
        CHECK (manifestOf (roundTrip (session, folder)) == edited);
        undoAllThenRedoAll (edited);
    }
};

} // namespace cuegrid::test
