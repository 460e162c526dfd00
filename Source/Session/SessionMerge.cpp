// CueGrid — GPL-3.0-or-later
#include "SessionMerge.h"

#include "Limits.h"
#include "SessionManifest.h"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace cuegrid
{

namespace
{
    constexpr std::pair<MergeMode, const char*> modeNames[] = {
        { MergeMode::empty, "empty" }, { MergeMode::replace, "replace" }, { MergeMode::append, "append" } };

    std::unordered_set<std::string> clipsInCells (const std::vector<Page>& pages)
    {
        std::unordered_set<std::string> ids;
        for (const auto& page : pages)
            for (const auto& tab : page.tabs)
                for (const auto& slot : tab.slots)
                    ids.insert (slot.clip);
        return ids;
    }

    /** Adds empty 4 x 8 tabs ("Tab n") to `page` up to index `tab`, as the editor does. */
    void addMissingTabs (Page& page, int tab)
    {
        while ((int) page.tabs.size() <= tab)
        {
            Tab added;
            added.name = "Tab " + std::to_string (page.tabs.size() + 1);
            page.tabs.push_back (added);
        }
    }

    /** The free cells of a tab in reading order (row by row). */
    std::vector<std::pair<int, int>> freeCells (const Tab& tab)
    {
        std::vector<std::pair<int, int>> cells;
        for (int row = 0; row < tab.rows; ++row)
            for (int column = 0; column < tab.columns; ++column)
                if (tab.slotAt (row, column) == nullptr)
                    cells.emplace_back (row, column);
        return cells;
    }

    std::vector<GridSlot> inReadingOrder (std::vector<GridSlot> slots)
    {
        std::stable_sort (slots.begin(), slots.end(), [] (const auto& a, const auto& b)
                          { return a.row != b.row ? a.row < b.row : a.column < b.column; });
        return slots;
    }

    /** A clip as the manifest writes it (ClipDefinition has no operator==). */
    nlohmann::ordered_json clipJson (const ClipDefinition& clip)
    {
        Session one;
        one.clips = { clip };
        return SessionManifest::toJson (one)["clips"][0];
    }

    std::string cellsText (size_t n) { return std::to_string (n) + (n == 1 ? " cell" : " cells"); }

    size_t slotCount (const Page& page)
    {
        size_t n = 0;
        for (const auto& tab : page.tabs)
            n += tab.slots.size();
        return n;
    }

    /** Who fires on `chord` among `keys`, or "". */
    std::string boundTo (const std::vector<ClipHotkey>& keys, const KeyChord& chord)
    {
        for (const auto& key : keys)
            if (key.chord == chord)
                return key.clip;
        return {};
    }
} // namespace

const char* mergeModeName (MergeMode mode)
{
    for (const auto& [m, name] : modeNames)
        if (m == mode)
            return name;
    return "append";
}

std::optional<MergeMode> mergeModeFromName (const std::string& name)
{
    for (const auto& [m, text] : modeNames)
        if (name == text)
            return m;
    return std::nullopt;
}

MergeResult mergeExport (const Session& target, const Session& exported, ExportKind kind, const MergeTarget& where)
{
    MergeResult result;
    result.session = target;
    const auto refuse = [&] (std::string why)
    {
        result.session = target;
        result.refusal = std::move (why);
        return result;
    };
    if (kind != ExportKind::tab && kind != ExportKind::page && kind != ExportKind::clips)
        return refuse (std::string ("a ") + exportKindName (kind) + " export is not merged into a tab or page");
    if ((kind == ExportKind::tab || kind == ExportKind::page) && (exported.pages.empty() || exported.pages[0].tabs.empty()))
        return refuse ("the export holds no tab");
    if (exported.clips.empty())
        return refuse ("the export holds no clips");
    auto& session = result.session;
    const auto cellsBefore = clipsInCells (session.pages);

    // Where it goes; a replace first clears it.
    const bool newPage = kind == ExportKind::page
                         && (where.mode == MergeMode::append || (where.mode == MergeMode::empty && (size_t) where.page == session.pages.size()));
    int pageIndex = newPage ? (int) session.pages.size() : where.page;
    if (newPage && session.pages.size() >= limits::maxPages)
        return refuse ("a session holds at most " + std::to_string (limits::maxPages) + " pages");
    if (! newPage && (pageIndex < 0 || (size_t) pageIndex >= session.pages.size()))
        return refuse ("page " + std::to_string (pageIndex + 1) + ": the session has " + std::to_string (session.pages.size()) + " page(s)");
    if (kind != ExportKind::page && (where.tab < 0 || where.tab >= Page::maxTabs))
        return refuse ("tab " + std::to_string (where.tab + 1) + ": a page has tabs 1 to " + std::to_string (Page::maxTabs));
    if (newPage)
    {
        session.pages.push_back ({ exported.pages[0].name, {} });
        pageIndex = (int) session.pages.size() - 1;
    }
    auto& page = session.pages[(size_t) pageIndex];

    Tab* tab = nullptr;
    if (kind == ExportKind::page)
    {
        result.where = "page '" + page.name + "'";
        if (where.mode == MergeMode::empty && ! newPage && slotCount (page) > 0)
            return refuse ("page '" + page.name + "' is not empty (" + cellsText (slotCount (page)) + "); use --merge replace or append");
        page.tabs.clear();
    }
    else
    {
        addMissingTabs (page, where.tab);
        tab = &page.tabs[(size_t) where.tab];
        result.where = "page '" + page.name + "', tab '" + tab->name + "'";
        if (where.mode == MergeMode::empty && ! tab->slots.empty())
            return refuse ("tab '" + tab->name + "' of page '" + page.name + "' is not empty (" + cellsText (tab->slots.size())
                           + "); use --merge replace or append");
        if (where.mode == MergeMode::replace)
            tab->slots.clear();
    }

    // Clips a replace left in no cell leave the session (with their keys), as a grid edit does.
    std::unordered_set<std::string> removed;
    if (where.mode == MergeMode::replace)
    {
        const auto cellsAfter = clipsInCells (session.pages);
        for (const auto& id : cellsBefore)
            if (cellsAfter.count (id) == 0)
                removed.insert (id);
        for (const auto& clip : session.clips)
            if (removed.count (clip.id) != 0)
                result.removedClips.push_back (clip.id);
        session.clips.erase (std::remove_if (session.clips.begin(), session.clips.end(),
                                             [&] (const auto& clip) { return removed.count (clip.id) != 0; }),
                             session.clips.end());
        const auto dropRemoved = [&] (std::vector<ClipHotkey>& keys)
        { keys.erase (std::remove_if (keys.begin(), keys.end(), [&] (const auto& k) { return removed.count (k.clip) != 0; }), keys.end()); };
        dropRemoved (session.hotkeys.global);
        for (auto& keys : session.hotkeys.pages)
            dropRemoved (keys);
        if (kind == ExportKind::page && (size_t) pageIndex < session.hotkeys.pages.size())
            session.hotkeys.pages[(size_t) pageIndex].clear();   // the page's keys go with it
    }
    if (session.clips.size() + exported.clips.size() > limits::maxClips)
        return refuse ("a session holds at most " + std::to_string (limits::maxClips) + " clips");

    // Incoming ids: kept when free, else a fresh one.
    std::unordered_set<std::string> taken;
    for (const auto& clip : session.clips)
        taken.insert (clip.id);
    std::unordered_map<std::string, std::string> idFor;
    for (const auto& clip : exported.clips)
    {
        auto id = clip.id.empty() ? std::string ("clip") : clip.id;
        const auto base = id;
        for (int n = 2; taken.count (id) != 0; ++n)
            id = base + "-" + std::to_string (n);
        taken.insert (id);
        idFor[clip.id] = id;
        if (id != clip.id)
            result.renamed.emplace_back (clip.id, id);
    }
    const auto renamedSlots = [&] (std::vector<GridSlot> slots)
    {
        for (auto& slot : slots)
            slot.clip = idFor.count (slot.clip) != 0 ? idFor[slot.clip] : slot.clip;
        return slots;
    };

    // The cells.
    std::unordered_set<std::string> placed;
    if (kind == ExportKind::page)
    {
        for (const auto& incoming : exported.pages[0].tabs)
        {
            page.tabs.push_back (incoming);
            page.tabs.back().slots = renamedSlots (incoming.slots);
        }
        if (where.mode != MergeMode::append)
            page.name = exported.pages[0].name;
        for (const auto& t : page.tabs)
            for (const auto& slot : t.slots)
                placed.insert (slot.clip);
    }
    else if (kind == ExportKind::tab && where.mode != MergeMode::append)
    {
        const auto& incoming = exported.pages[0].tabs[0];
        tab->name = incoming.name;
        tab->rows = incoming.rows;
        tab->columns = incoming.columns;
        tab->slots = renamedSlots (incoming.slots);
        for (const auto& slot : tab->slots)
            placed.insert (slot.clip);
        result.where = "page '" + page.name + "', tab '" + tab->name + "'";
    }
    else
    {
        // Into free cells in reading order: a tab's clips in its reading order, a list's in its order.
        std::vector<std::string> order;
        if (kind == ExportKind::tab)
            for (const auto& slot : inReadingOrder (exported.pages[0].tabs[0].slots))
                order.push_back (idFor[slot.clip]);
        else
            for (const auto& clip : exported.clips)
                order.push_back (idFor[clip.id]);
        const auto cells = freeCells (*tab);
        if (order.size() > cells.size())
            return refuse ("tab '" + tab->name + "' of page '" + page.name + "' has " + cellsText (cells.size()) + " free for "
                           + std::to_string (order.size()) + " clip(s); nothing was imported");
        for (size_t i = 0; i < order.size(); ++i)
        {
            tab->slots.push_back ({ cells[i].first, cells[i].second, order[i] });
            placed.insert (order[i]);
        }
    }

    // The clips, in the export's order (those with a cell; a tab's clips always have one).
    for (const auto& clip : exported.clips)
        if (placed.count (idFor[clip.id]) != 0)
        {
            auto added = clip;
            added.id = idFor[clip.id];
            session.clips.push_back (std::move (added));
            result.addedClips.push_back (idFor[clip.id]);
        }

    // Keys: the target's bindings win.
    const auto describe = [&] (const ClipHotkey& key, const std::string& owner, const std::string& scope)
    { return key.chord.toString() + " for '" + key.clip + "' not kept: it already fires '" + owner + "' " + scope; };
    if (session.hotkeys.pages.size() <= (size_t) pageIndex && ! exported.hotkeys.pages.empty())
        session.hotkeys.pages.resize ((size_t) pageIndex + 1);
    if (! exported.hotkeys.pages.empty())
        for (auto key : exported.hotkeys.pages[0])
        {
            if (placed.count (idFor[key.clip]) == 0)
                continue;
            key.clip = idFor[key.clip];
            auto& keys = session.hotkeys.pages[(size_t) pageIndex];
            if (const auto owner = boundTo (keys, key.chord); ! owner.empty())
                result.droppedKeys.push_back (describe (key, owner, "on page '" + page.name + "'"));
            else if (const auto global = boundTo (session.hotkeys.global, key.chord); ! global.empty())
                result.droppedKeys.push_back (describe (key, global, "on every page"));
            else
                keys.push_back (key);
        }
    for (auto key : exported.hotkeys.global)
    {
        if (placed.count (idFor[key.clip]) == 0)
            continue;
        key.clip = idFor[key.clip];
        auto owner = boundTo (session.hotkeys.global, key.chord);
        auto scope = std::string ("on every page");
        for (size_t p = 0; owner.empty() && p < session.hotkeys.pages.size(); ++p)
            if (owner = boundTo (session.hotkeys.pages[p], key.chord); ! owner.empty())
                scope = "on page '" + (p < session.pages.size() ? session.pages[p].name : std::to_string (p + 1)) + "'";
        if (! owner.empty())
            result.droppedKeys.push_back (describe (key, owner, scope));
        else
            session.hotkeys.global.push_back (key);
    }
    while (! session.hotkeys.pages.empty() && session.hotkeys.pages.back().empty())
        session.hotkeys.pages.pop_back();
    return result;
}

MetadataApplyResult applyMetadata (const Session& target, const std::map<std::string, std::string>& targetHashes,
                                   const Session& exported, const std::map<std::string, ExportedClipFacts>& exportedFacts)
{
    MetadataApplyResult result;
    result.session = target;
    std::map<std::string, std::vector<const ClipDefinition*>> byHash;
    std::map<std::string, const ClipDefinition*> byId;
    for (const auto& clip : exported.clips)
    {
        byId[clip.id] = &clip;
        if (const auto facts = exportedFacts.find (clip.id); facts != exportedFacts.end() && ! facts->second.contentHash.empty())
            byHash[facts->second.contentHash].push_back (&clip);
    }
    const auto hashOf = [] (const auto& map, const std::string& id) -> std::string
    {
        const auto found = map.find (id);
        return found == map.end() ? std::string() : found->second;
    };

    for (auto& clip : result.session.clips)
    {
        const auto hash = hashOf (targetHashes, clip.id);
        const ClipDefinition* source = nullptr;
        MetadataMatch match { "", clip.id, false, "" };
        if (const auto found = byHash.find (hash); ! hash.empty() && found != byHash.end())
        {
            const auto& candidates = found->second;
            const auto sameId = std::find_if (candidates.begin(), candidates.end(), [&] (const auto* c) { return c->id == clip.id; });
            if (sameId != candidates.end())
                source = *sameId;
            else if (candidates.size() == 1)
                source = candidates.front();
            else
            {
                result.ambiguous.push_back (clip.id);
                continue;
            }
            match.byHash = true;
        }
        else if (const auto sameId = byId.find (clip.id); sameId != byId.end())
        {
            source = sameId->second;
            const auto exportedFactsFound = exportedFacts.find (clip.id);
            const auto exportedHash = exportedFactsFound == exportedFacts.end() ? std::string() : exportedFactsFound->second.contentHash;
            match.note = hash.empty() || exportedHash.empty() ? "content unknown" : "content differs";
        }
        if (source == nullptr)
        {
            result.unmatched.push_back (clip.id);
            continue;
        }
        match.exportedId = source->id;
        auto applied = *source;
        applied.id = clip.id;
        applied.file = clip.file;
        applied.timecode = clip.timecode;
        applied.chase = clip.chase;
        const auto before = clip;
        clip = applied;
        if (clipJson (before) != clipJson (clip))
            ++result.changed;
        result.applied.push_back (match);
    }
    return result;
}

} // namespace cuegrid
