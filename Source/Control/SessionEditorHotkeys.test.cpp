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

namespace
{
    /** Three pages "P1" … "P3", each holding one clip (a, b, c), page n's key F<n> firing its clip. */
    struct PagedKeys
    {
        Session session;
        juce::UndoManager undo;
        SessionEditor editor { session, undo };

        PagedKeys()
        {
            for (const auto* id : { "a", "b", "c" })
            {
                ClipDefinition clip;
                clip.id = id;
                clip.file = std::string (id) + ".wav";
                session.clips.push_back (clip);
            }
            session.pages = { { "P1", { Tab { "T", 1, 1, { { 0, 0, "a" } } } } },
                              { "P2", { Tab { "T", 1, 1, { { 0, 0, "b" } } } } },
                              { "P3", { Tab { "T", 1, 1, { { 0, 0, "c" } } } } } };
            SessionHotkeys keys;
            keys.pages = { { { "a", *KeyChord::parse ("F1"), false } },
                           { { "b", *KeyChord::parse ("F2"), true } },
                           { { "c", *KeyChord::parse ("F3"), false } } };
            keys.global = { { "c", *KeyChord::parse ("G"), false } };
            REQUIRE (editor.setHotkeys (keys, "Change hotkeys").ok);
        }

        /** "page name: key clip, …" per page, e.g. "P2:F2b P1:F1a P3:F3c". */
        std::string layout() const
        {
            std::string text;
            for (size_t p = 0; p < session.pages.size(); ++p)
            {
                text += (p == 0 ? "" : " ") + session.pages[p].name + ":";
                if (p < session.hotkeys.pages.size())
                    for (const auto& key : session.hotkeys.pages[p])
                        text += key.chord.toString() + key.clip;
            }
            return text;
        }
    };
}

TEST_CASE ("SessionEditor page keys follow their page when pages move, are added or deleted, undoably", "[editor][hotkeys]")
{
    PagedKeys show;
    REQUIRE (show.layout() == "P1:F1a P2:F2b P3:F3c");

    SECTION ("moving a page moves its keys")
    {
        REQUIRE (show.editor.movePage (0, 2).ok);
        CHECK (show.layout() == "P2:F2b P3:F3c P1:F1a");
        CHECK (show.session.hotkeys.pages[0][0].gate);   // the key keeps its gate
        REQUIRE (show.editor.undo().ok);
        CHECK (show.layout() == "P1:F1a P2:F2b P3:F3c");
        REQUIRE (show.editor.redo().ok);
        CHECK (show.layout() == "P2:F2b P3:F3c P1:F1a");
    }
    SECTION ("a page inserted before others shifts their keys")
    {
        REQUIRE (show.editor.addPage ("New", 1).ok);
        CHECK (show.layout() == "P1:F1a New: P2:F2b P3:F3c");
        REQUIRE (show.editor.addPage ("Last").ok);   // at the end: nothing to move
        CHECK (show.layout() == "P1:F1a New: P2:F2b P3:F3c Last:");
        REQUIRE (show.editor.undo().ok);
        REQUIRE (show.editor.undo().ok);
        CHECK (show.layout() == "P1:F1a P2:F2b P3:F3c");
    }
    SECTION ("a deleted page takes its keys, and its clips' keys elsewhere, and undo brings them back")
    {
        REQUIRE (show.editor.deletePage (2).ok);   // c was only on P3: its page key and its global key go
        CHECK (show.layout() == "P1:F1a P2:F2b");
        CHECK (show.session.hotkeys.pages.size() == 2);   // a manifest with keys for a third page would not load
        CHECK (show.session.hotkeys.global.empty());
        REQUIRE (show.editor.deletePage (0).ok);
        CHECK (show.layout() == "P2:F2b");
        REQUIRE (show.editor.undo().ok);
        CHECK (show.layout() == "P1:F1a P2:F2b");
        REQUIRE (show.editor.undo().ok);
        CHECK (show.layout() == "P1:F1a P2:F2b P3:F3c");
        REQUIRE (show.session.hotkeys.global.size() == 1);
        CHECK (show.session.hotkeys.global[0].clip == "c");
    }
    SECTION ("a cell edit leaves the keys alone")
    {
        REQUIRE (show.editor.moveCell ({ 0, 0, 0, 0 }, { 1, 0, 0, 0 }).ok);   // a swaps with b
        CHECK (show.layout() == "P1:F1a P2:F2b P3:F3c");
    }
}
