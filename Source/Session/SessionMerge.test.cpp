// CueGrid — GPL-3.0-or-later
// Merging an imported tab, page or clip list into a session, and applying a metadata export
// (Session/SessionMerge.h): each merge mode, id and key conflicts, matching by content.
#include "SessionExport.h"
#include "SessionMerge.h"

#include <catch2/catch.hpp>

using namespace cuegrid;

namespace
{
    ClipDefinition clip (const std::string& id, double gainDb = 0.0)
    {
        ClipDefinition c;
        c.id = id;
        c.file = "/media/" + id + ".wav";
        c.label = id;
        c.gainDb = gainDb;
        return c;
    }

    ClipHotkey key (const std::string& clipId, const std::string& chord)
    {
        return { clipId, *KeyChord::parse (chord), false };
    }

    /** Page "Show": tab "Drums" (kick at 0,0, snare at 0,1) and tab "Beds" (pad at 1,1); F1 fires kick on
        the page, F12 snare everywhere. */
    Session showSession()
    {
        Session session;
        session.clips = { clip ("kick", -3.0), clip ("snare", -6.0), clip ("pad", -10.0) };
        Tab drums { "Drums", 4, 8, { { 0, 0, "kick" }, { 0, 1, "snare" } } };
        Tab beds { "Beds", 2, 2, { { 1, 1, "pad" } } };
        session.pages = { Page { "Show", { drums, beds } } };
        session.hotkeys.pages = { { key ("kick", "F1") } };
        session.hotkeys.global = { key ("snare", "F12") };
        return session;
    }

    Session exportOf (const Session& session, ExportKind kind, int page, int tab, std::vector<std::string> ids = {})
    {
        ExportRequest request;
        request.kind = kind;
        request.sessionPath = "/shows/show.cuegrid";
        request.page = page;
        request.tab = tab;
        request.clipIds = std::move (ids);
        return exportedSubset (session, request);
    }

    std::vector<std::string> idsOf (const Session& session)
    {
        std::vector<std::string> ids;
        for (const auto& c : session.clips)
            ids.push_back (c.id);
        return ids;
    }
} // namespace

TEST_CASE ("A tab export holds the tab as page 1 with its clips and their page and global keys", "[session][export]")
{
    const auto exported = exportOf (showSession(), ExportKind::tab, 0, 0);
    REQUIRE (exported.pages.size() == 1);
    REQUIRE (exported.pages[0].tabs.size() == 1);
    CHECK (exported.pages[0].tabs[0].name == "Drums");
    CHECK (idsOf (exported) == std::vector<std::string> { "kick", "snare" });
    REQUIRE (exported.hotkeys.pages.size() == 1);
    CHECK (exported.hotkeys.pages[0] == std::vector<ClipHotkey> { key ("kick", "F1") });
    CHECK (exported.hotkeys.global == std::vector<ClipHotkey> { key ("snare", "F12") });

    const auto list = exportOf (showSession(), ExportKind::clips, 0, 0, { "pad", "kick" });
    CHECK (idsOf (list) == std::vector<std::string> { "pad", "kick" });
    CHECK (list.pages.empty());
    CHECK_THROWS_WITH (exportOf (showSession(), ExportKind::clips, 0, 0, { "pad", "nope" }), Catch::Contains ("no such clip(s): nope"));
    CHECK_THROWS_WITH (exportOf (showSession(), ExportKind::tab, 0, 5), Catch::Contains ("tab 6 of page \"Show\""));
}

TEST_CASE ("Tab merge empty: into an empty tab it takes the tab's name, size, cells and keys, a full tab refuses", "[session][merge]")
{
    const auto target = showSession();
    const auto exported = exportOf (showSession(), ExportKind::tab, 0, 0);

    const auto refused = mergeExport (target, exported, ExportKind::tab, { MergeMode::empty, 0, 0 });
    CHECK_THAT (refused.refusal, Catch::Contains ("tab 'Drums' of page 'Show' is not empty (2 cells)"));
    CHECK (idsOf (refused.session) == idsOf (target));

    const auto merged = mergeExport (target, exported, ExportKind::tab, { MergeMode::empty, 0, 4 });
    REQUIRE (merged.refusal.empty());
    const auto& page = merged.session.pages[0];
    REQUIRE (page.tabs.size() == 5);                       // tabs 3 and 4 added empty, as the editor does
    CHECK (page.tabs[2].name == "Tab 3");
    CHECK (page.tabs[4].name == "Drums");
    CHECK (page.tabs[4].slots.size() == 2);
    // Ids taken: fresh ones, in the cells too.
    CHECK (merged.addedClips == std::vector<std::string> { "kick-2", "snare-2" });
    CHECK (page.tabs[4].slotAt (0, 0)->clip == "kick-2");
    CHECK (merged.session.clips[(size_t) merged.session.findClip ("kick-2")].gainDb == -3.0);
    // F1 is kick's on this page already, F12 snare's everywhere: the target's bindings are kept.
    REQUIRE (merged.droppedKeys.size() == 2);
    CHECK_THAT (merged.droppedKeys[0], Catch::Contains ("F1 for 'kick-2' not kept: it already fires 'kick' on page 'Show'"));
    CHECK_THAT (merged.droppedKeys[1], Catch::Contains ("F12 for 'snare-2' not kept: it already fires 'snare' on every page"));
    CHECK (merged.session.hotkeys.pages[0] == std::vector<ClipHotkey> { key ("kick", "F1") });
}

TEST_CASE ("Tab merge replace: the tab's clips leave the session first, so a re-import keeps their ids", "[session][merge]")
{
    auto source = showSession();
    source.clips[0].gainDb = -1.0;                         // the exported kick differs
    const auto exported = exportOf (source, ExportKind::tab, 0, 0);
    const auto merged = mergeExport (showSession(), exported, ExportKind::tab, { MergeMode::replace, 0, 0 });
    REQUIRE (merged.refusal.empty());
    CHECK (merged.removedClips == std::vector<std::string> { "kick", "snare" });
    CHECK (merged.renamed.empty());
    CHECK (idsOf (merged.session) == std::vector<std::string> { "pad", "kick", "snare" });
    CHECK (merged.session.clips[(size_t) merged.session.findClip ("kick")].gainDb == -1.0);
    CHECK (merged.droppedKeys.empty());                    // the removed clips' keys went with them
    CHECK (merged.session.hotkeys.pages[0] == std::vector<ClipHotkey> { key ("kick", "F1") });
    CHECK (merged.session.hotkeys.global == std::vector<ClipHotkey> { key ("snare", "F12") });
}

TEST_CASE ("Tab merge append: the clips go into the free cells in reading order, too few cells refuse", "[session][merge]")
{
    const auto exported = exportOf (showSession(), ExportKind::tab, 0, 0);
    const auto merged = mergeExport (showSession(), exported, ExportKind::tab, { MergeMode::append, 0, 1 });
    REQUIRE (merged.refusal.empty());
    const auto& beds = merged.session.pages[0].tabs[1];
    CHECK (beds.name == "Beds");                            // append keeps the target's name and size
    CHECK (beds.rows == 2);
    CHECK (beds.slotAt (0, 0)->clip == "kick-2");
    CHECK (beds.slotAt (0, 1)->clip == "snare-2");

    auto full = showSession();
    full.pages[0].tabs[1].slots = { { 0, 0, "pad" }, { 0, 1, "pad" }, { 1, 1, "pad" } };
    const auto refused = mergeExport (full, exported, ExportKind::tab, { MergeMode::append, 0, 1 });
    CHECK_THAT (refused.refusal, Catch::Contains ("has 1 cell free for 2 clip(s)"));
}

TEST_CASE ("Page merge: append adds a page, replace swaps it and its keys, empty wants an empty or new page", "[session][merge]")
{
    const auto exported = exportOf (showSession(), ExportKind::page, 0, 0);
    const auto appended = mergeExport (showSession(), exported, ExportKind::page, { MergeMode::append, 0, 0 });
    REQUIRE (appended.refusal.empty());
    REQUIRE (appended.session.pages.size() == 2);
    CHECK (appended.session.pages[1].tabs.size() == 2);
    CHECK (appended.addedClips == std::vector<std::string> { "kick-2", "snare-2", "pad-2" });
    CHECK (appended.session.hotkeys.pages.size() == 2);
    CHECK (appended.session.hotkeys.pages[1] == std::vector<ClipHotkey> { key ("kick-2", "F1") });   // page keys are per page: no conflict

    const auto replaced = mergeExport (showSession(), exported, ExportKind::page, { MergeMode::replace, 0, 0 });
    REQUIRE (replaced.refusal.empty());
    CHECK (idsOf (replaced.session) == std::vector<std::string> { "kick", "snare", "pad" });
    CHECK (replaced.renamed.empty());
    CHECK (replaced.session.hotkeys.pages[0] == std::vector<ClipHotkey> { key ("kick", "F1") });

    CHECK_THAT (mergeExport (showSession(), exported, ExportKind::page, { MergeMode::empty, 0, 0 }).refusal,
                Catch::Contains ("page 'Show' is not empty (3 cells)"));
    const auto intoNew = mergeExport (showSession(), exported, ExportKind::page, { MergeMode::empty, 1, 0 });
    REQUIRE (intoNew.refusal.empty());
    CHECK (intoNew.session.pages.size() == 2);
}

TEST_CASE ("A clip list merges in selection order into the free cells", "[session][merge]")
{
    const auto exported = exportOf (showSession(), ExportKind::clips, 0, 0, { "pad", "kick" });
    const auto merged = mergeExport (showSession(), exported, ExportKind::clips, { MergeMode::append, 0, 0 });
    REQUIRE (merged.refusal.empty());
    const auto& drums = merged.session.pages[0].tabs[0];
    CHECK (drums.slotAt (0, 2)->clip == "pad-2");
    CHECK (drums.slotAt (0, 3)->clip == "kick-2");
}

TEST_CASE ("Metadata applies by content hash first, then by id, never to an ambiguous content", "[session][merge][metadata]")
{
    auto target = showSession();
    target.clips[0].id = "bd";                             // same media as the export's kick, another id
    target.clips.push_back (clip ("hat"));
    auto source = showSession();
    source.clips[0].label = "Kick!";
    source.clips[0].colour = "#d04040";
    source.clips[0].fadeOutMs = 250.0;
    source.clips[1].group = 2;
    source.clips[2].gainDb = -20.0;
    source.clips.push_back (clip ("pad-copy"));            // pad's content twice in the export
    source.clips.back().gainDb = -30.0;
    std::map<std::string, ExportedClipFacts> facts;
    facts["kick"].contentHash = "00000000000000aa";
    facts["snare"].contentHash = "00000000000000bb";
    facts["pad"].contentHash = "00000000000000cc";
    facts["pad-copy"].contentHash = "00000000000000cc";
    const std::map<std::string, std::string> targetHashes {
        { "bd", "00000000000000aa" }, { "snare", "00000000000000ff" }, { "pad", "00000000000000cc" } };

    const auto result = applyMetadata (target, targetHashes, source, facts);
    const auto& bd = result.session.clips[0];
    CHECK (bd.id == "bd");
    CHECK (bd.file == "/media/kick.wav");
    CHECK (bd.label == "Kick!");
    CHECK (bd.colour == "#d04040");
    CHECK (bd.fadeOutMs == 250.0);
    CHECK (result.session.clips[1].group == 2);             // snare: by id, other content
    CHECK (result.session.clips[2].gainDb == -20.0);        // pad: its own id wins among the two with its content
    REQUIRE (result.applied.size() == 3);
    CHECK (result.applied[0].byHash);
    CHECK (result.applied[0].exportedId == "kick");
    CHECK_FALSE (result.applied[1].byHash);
    CHECK (result.applied[1].note == "content differs");
    CHECK (result.unmatched == std::vector<std::string> { "hat" });
    CHECK (result.changed == 3);
}
