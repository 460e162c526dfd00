// CueGrid — GPL-3.0-or-later
// Imports from packages (issue 13) as editor edits: a merged tab and applied metadata are one
// undo step each, refused in Show mode.
#include "SessionEditor.h"

#include "Session/SessionExport.h"
#include "Session/SessionManifest.h"
#include "Session/SessionMerge.h"

#include <catch2/catch.hpp>

using namespace cuegrid;

namespace
{
    Session twoClipShow()
    {
        Session session;
        for (const auto* id : { "kick", "snare" })
        {
            ClipDefinition clip;
            clip.id = id;
            clip.file = std::string ("media/") + id + ".wav";
            clip.label = id;
            session.clips.push_back (clip);
        }
        session.pages.push_back ({ "Show", { Tab { "Drums", 2, 2, { { 0, 0, "kick" }, { 0, 1, "snare" } } }, Tab { "Empty", 2, 2, {} } } });
        session.hotkeys.pages = { { { "kick", *KeyChord::parse ("F1"), false } } };
        return session;
    }

    std::string manifestOf (const Session& session) { return SessionManifest::toJson (session).dump(); }
}

TEST_CASE ("SessionEditor applyMerge puts an imported tab in as one undoable step, refused in Show mode", "[editor][merge]")
{
    auto session = twoClipShow();
    const auto before = manifestOf (session);
    juce::UndoManager undo;
    SessionEditor editor (session, undo);

    ExportRequest request;
    request.kind = ExportKind::tab;
    request.sessionPath = "/show/show.cuegrid";
    const auto exported = exportedSubset (twoClipShow(), request);
    const auto merged = mergeExport (session, exported, ExportKind::tab, { MergeMode::empty, 0, 1 });
    REQUIRE (merged.refusal.empty());

    editor.setLocked (true);
    CHECK_FALSE (editor.applyMerge (merged.session, merged.addedClips, "Import tab").ok);
    CHECK (manifestOf (session) == before);
    editor.setLocked (false);

    REQUIRE (editor.applyMerge (merged.session, merged.addedClips, "Import tab").ok);
    CHECK (manifestOf (session) == manifestOf (merged.session));
    CHECK (session.clips.size() == 4);
    CHECK (session.pages[0].tabs[1].slotAt (0, 0)->clip == "kick-2");
    CHECK (undo.getUndoDescription() == "Import tab");
    REQUIRE (editor.undo().ok);
    CHECK (manifestOf (session) == before);
    REQUIRE (editor.redo().ok);
    CHECK (manifestOf (session) == manifestOf (merged.session));

    // A replace over the tab removes its clips through the same grid edit.
    const auto replaced = mergeExport (session, exported, ExportKind::tab, { MergeMode::replace, 0, 0 });
    REQUIRE (editor.applyMerge (replaced.session, replaced.addedClips, "Import tab").ok);
    CHECK (manifestOf (session) == manifestOf (replaced.session));
}

TEST_CASE ("SessionEditor applyClipProperties sets the changed clips in one undoable step", "[editor][merge][metadata]")
{
    auto session = twoClipShow();
    const auto before = manifestOf (session);
    juce::UndoManager undo;
    SessionEditor editor (session, undo);

    auto source = twoClipShow();
    source.clips[0].gainDb = -6.0;
    source.clips[0].colour = "#d04040";
    std::map<std::string, ExportedClipFacts> facts;
    const auto applied = applyMetadata (session, {}, source, facts);
    REQUIRE (applied.changed == 1);
    REQUIRE (editor.applyClipProperties (applied.session, "Apply metadata").ok);
    CHECK (session.clips[0].gainDb == -6.0);
    CHECK (session.clips[0].colour == "#d04040");
    REQUIRE (editor.undo().ok);
    CHECK (manifestOf (session) == before);
}
