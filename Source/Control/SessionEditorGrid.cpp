// CueGrid — GPL-3.0-or-later
// SessionEditor's grid edits: cells (move, copy, cut, paste, delete, import), each one undoable
// StructureAction, which the tab and page edits (SessionEditorPages.cpp) commit too. The clip
// property edits are in SessionEditor.cpp.
#include "SessionEditor.h"
#include "SessionEditorText.h"

#include "Session/Limits.h"

#include <algorithm>
#include <filesystem>
#include <unordered_set>

namespace cuegrid
{

using editortext::inQuotes;

namespace
{
    int findSlot (const Tab& tab, int row, int column)
    {
        for (size_t i = 0; i < tab.slots.size(); ++i)
            if (tab.slots[i].row == row && tab.slots[i].column == column)
                return (int) i;
        return -1;
    }

    std::unordered_set<std::string> referencedClips (const std::vector<Page>& pages)
    {
        std::unordered_set<std::string> ids;
        for (const auto& page : pages)
            for (const auto& tab : page.tabs)
                for (const auto& slot : tab.slots)
                    ids.insert (slot.clip);
        return ids;
    }

    size_t slotCount (const std::vector<Page>& pages)
    {
        size_t count = 0;
        for (const auto& page : pages)
            for (const auto& tab : page.tabs)
                count += tab.slots.size();
        return count;
    }

    std::string cellText (const SessionEditor::Cell& cell)
    {
        return "row " + std::to_string (cell.row + 1) + ", column " + std::to_string (cell.column + 1);
    }

    std::string countText (size_t count, const std::string& what, const std::string& firstName)
    {
        return count == 1 ? inQuotes (firstName) : std::to_string (count) + " " + what;
    }
} // namespace

//==============================================================================
/** A grid edit: the pages before and after, the clips it removed (indices in the list
    before) and the clips it appended (indices in the list after), and the hotkeys before and
    after (page keys follow their page; keys of removed clips go). */
class SessionEditor::StructureAction final : public juce::UndoableAction
{
public:
    using IndexedClips = std::vector<std::pair<int, ClipDefinition>>;  // ascending indices

    StructureAction (SessionEditor& owner, std::string actionName, std::vector<Page> pagesBefore, std::vector<Page> pagesAfter,
                     IndexedClips removedClips, IndexedClips addedClips, SessionHotkeys keysBefore, SessionHotkeys keysAfter,
                     uint64_t stateBefore, uint64_t stateAfter)
        : editor (owner), name (std::move (actionName)), before (std::move (pagesBefore)), after (std::move (pagesAfter)),
          removed (std::move (removedClips)), added (std::move (addedClips)), hotkeysBefore (std::move (keysBefore)),
          hotkeysAfter (std::move (keysAfter)), beforeState (stateBefore), afterState (stateAfter) {}

    bool perform() override { apply (removed, added, after, hotkeysAfter, afterState); return true; }
    bool undo() override { apply (added, removed, before, hotkeysBefore, beforeState); return true; }

    int getSizeInUnits() override { return 10 + (int) ((slotCount (before) + removed.size() + added.size()) / 16); }

private:
    /** Takes `leaving` out of the clip list (from the back, so the indices hold), puts
        `coming` in at theirs, and sets the pages and hotkeys. */
    void apply (const IndexedClips& leaving, const IndexedClips& coming, const std::vector<Page>& pages,
                const SessionHotkeys& hotkeys, uint64_t state)
    {
        auto& clips = editor.session.clips;
        for (auto it = leaving.rbegin(); it != leaving.rend(); ++it)
            clips.erase (clips.begin() + it->first);
        for (const auto& [index, clip] : coming)
            clips.insert (clips.begin() + index, clip);
        editor.session.pages = pages;
        editor.session.hotkeys = hotkeys;
        notify (state);
    }

    void notify (uint64_t state)
    {
        Change change;
        change.name = name;
        change.gridChanged = true;
        change.clipListChanged = ! removed.empty() || ! added.empty();
        for (const auto& list : { &removed, &added })
            for (const auto& entry : *list)
                change.clips.push_back (entry.second.id);
        change.levelsChanged = change.clipListChanged;
        editor.stateChanged (state, change);
    }

    SessionEditor& editor;
    std::string name;
    std::vector<Page> before, after;
    IndexedClips removed, added;
    SessionHotkeys hotkeysBefore, hotkeysAfter;
    uint64_t beforeState, afterState;
};

namespace
{
    /** The tab, or nullptr; `Pages` is a const or mutable page list. */
    template <typename Pages>
    auto* tabIn (Pages& pages, int page, int tab)
    {
        auto* tabs = page >= 0 && page < (int) pages.size() ? &pages[(size_t) page].tabs : nullptr;
        return tabs != nullptr && tab >= 0 && tab < (int) tabs->size() ? &(*tabs)[(size_t) tab] : nullptr;
    }
}

const Tab* SessionEditor::findTab (int page, int tab) const
{
    return tabIn (session.pages, page, tab);
}

Tab* SessionEditor::findTab (std::vector<Page>& pages, int page, int tab) const
{
    return tabIn (pages, page, tab);
}

int SessionEditor::clipAt (const Cell& cell) const
{
    const auto* tab = findTab (cell.page, cell.tab);
    if (tab == nullptr)
        return -1;
    const auto* slot = tab->slotAt (cell.row, cell.column);
    return slot != nullptr ? session.findClip (slot->clip) : -1;
}

namespace
{
    /** Why `cell` is not a cell of `pages`, or "". */
    std::string checkCell (const std::vector<Page>& pages, const SessionEditor::Cell& cell)
    {
        if (cell.page < 0 || cell.page >= (int) pages.size())
            return "no page " + std::to_string (cell.page + 1);
        const auto& tabs = pages[(size_t) cell.page].tabs;
        if (cell.tab < 0 || cell.tab >= (int) tabs.size())
            return "no tab " + std::to_string (cell.tab + 1) + " on page " + std::to_string (cell.page + 1);
        const auto& tab = tabs[(size_t) cell.tab];
        if (cell.row < 0 || cell.row >= tab.rows || cell.column < 0 || cell.column >= tab.columns)
            return cellText (cell) + " is outside the " + std::to_string (tab.rows) + " x " + std::to_string (tab.columns)
                   + " grid of tab '" + tab.name + "'";
        return {};
    }
}

bool SessionEditor::addMissingTabs (std::vector<Page>& pages, int page, int tab)
{
    if (page < 0 || page >= (int) pages.size() || tab < 0 || tab >= Page::maxTabs)
        return false;
    auto& tabs = pages[(size_t) page].tabs;
    const auto added = tab >= (int) tabs.size();
    while ((int) tabs.size() <= tab)
    {
        Tab created;
        created.name = "Tab " + std::to_string (tabs.size() + 1);
        tabs.push_back (std::move (created));
    }
    return added;
}

namespace
{
    /** `hotkeys` after a grid edit: page n's keys are page pageOrigin[n]'s (empty `pageOrigin`:
        unchanged places), keys of a page that went are dropped, and so are keys naming a clip
        in `removedIds` (the manifest refuses keys of clips or pages it lacks). */
    SessionHotkeys hotkeysAfterGridEdit (const SessionHotkeys& hotkeys, size_t pageCount, const std::vector<int>& pageOrigin,
                                         const std::unordered_set<std::string>& removedIds)
    {
        auto result = hotkeys;
        const auto kept = [&removedIds] (std::vector<ClipHotkey> keys)
        {
            keys.erase (std::remove_if (keys.begin(), keys.end(), [&] (const ClipHotkey& key) { return removedIds.count (key.clip) != 0; }),
                        keys.end());
            return keys;
        };
        result.global = kept (hotkeys.global);
        result.pages.assign (pageCount, {});
        for (size_t page = 0; page < pageCount; ++page)
        {
            const auto origin = pageOrigin.empty() ? (int) page : pageOrigin[page];
            if (origin >= 0 && (size_t) origin < hotkeys.pages.size())
                result.pages[page] = kept (hotkeys.pages[(size_t) origin]);
        }
        while (! result.pages.empty() && result.pages.back().empty())
            result.pages.pop_back();   // as the manifest writes them
        return result;
    }

    bool sameHotkeys (const SessionHotkeys& a, const SessionHotkeys& b)
    {
        auto trimmed = [] (std::vector<std::vector<ClipHotkey>> pages)
        {
            while (! pages.empty() && pages.back().empty())
                pages.pop_back();
            return pages;
        };
        return a.global == b.global && a.debounceMs == b.debounceMs && trimmed (a.pages) == trimmed (b.pages);
    }
}

SessionEditor::Result SessionEditor::commitStructure (const std::string& name, std::vector<Page> pages,
                                                      std::vector<ClipDefinition> added, bool checkedUnlocked,
                                                      std::vector<int> pageOrigin)
{
    if (! checkedUnlocked)
        if (auto result = checkUnlocked(); ! result)
            return result;
    if (! added.empty())
        if (auto result = checkMediaUnlocked(); ! result)   // an added clip points at a file
            return result;
    if (session.clips.size() + added.size() > limits::maxClips)
        return Result::refused ("a session holds at most " + std::to_string (limits::maxClips) + " clips");
    const auto before = referencedClips (session.pages);
    const auto after = referencedClips (pages);
    StructureAction::IndexedClips removedClips, addedClips;
    for (size_t i = 0; i < session.clips.size(); ++i)
        if (before.count (session.clips[i].id) != 0 && after.count (session.clips[i].id) == 0)
            removedClips.emplace_back ((int) i, session.clips[i]);
    const auto firstAdded = session.clips.size() - removedClips.size();
    for (size_t i = 0; i < added.size(); ++i)
        addedClips.emplace_back ((int) (firstAdded + i), std::move (added[i]));
    std::unordered_set<std::string> removedIds;
    for (const auto& entry : removedClips)
        removedIds.insert (entry.second.id);
    auto hotkeys = hotkeysAfterGridEdit (session.hotkeys, pages.size(), pageOrigin, removedIds);
    if (sameHotkeys (hotkeys, session.hotkeys))
        hotkeys = session.hotkeys;   // untouched: undo gives back exactly what was there
    const auto stateBefore = currentState;
    return perform (name, std::make_unique<StructureAction> (*this, name, session.pages, std::move (pages), std::move (removedClips),
                                                             std::move (addedClips), session.hotkeys, std::move (hotkeys),
                                                             stateBefore, nextState++));
}

SessionEditor::Result SessionEditor::pagesForEdit (std::initializer_list<Cell> cells, const Cell& target, std::vector<Page>& pages) const
{
    pages = session.pages;
    addMissingTabs (pages, target.page, target.tab);
    for (const auto& cell : cells)
        if (auto problem = checkCell (pages, cell); ! problem.empty())
            return Result::refused (problem);
    return {};
}

SessionEditor::Result SessionEditor::pagesForCellPair (const Cell& from, const Cell& to, std::vector<Page>& pages, int& clip) const
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    if (auto result = pagesForEdit ({ from, to }, to, pages); ! result)
        return result;
    clip = clipAt (from);
    if (clip < 0)
        return Result::refused (cellText (from) + " is empty");
    return {};
}

SessionEditor::AddingEdit SessionEditor::tabForAdding (const Cell& at, bool something, const std::string& nothing) const
{
    AddingEdit edit;
    edit.refusal = checkUnlocked();
    if (edit.refusal)
        edit.refusal = checkMediaUnlocked();   // a paste or import adds clips, each pointing at a file
    if (edit.refusal && ! something)
        edit.refusal = Result::refused (nothing);
    if (edit.refusal)
        edit.refusal = pagesForEdit ({ at }, at, edit.pages);
    if (edit.refusal)
        edit.tab = findTab (edit.pages, at.page, at.tab);
    return edit;
}

SessionEditor::Result SessionEditor::moveCell (const Cell& from, const Cell& to)
{
    std::vector<Page> pages;
    int moving = -1;
    if (auto result = pagesForCellPair (from, to, pages, moving); ! result)
        return result;
    if (from == to)
        return {};
    auto& source = *findTab (pages, from.page, from.tab);
    auto& target = *findTab (pages, to.page, to.tab);
    const auto sourceSlot = findSlot (source, from.row, from.column);
    const auto targetSlot = findSlot (target, to.row, to.column);
    std::string name;
    if (targetSlot >= 0)
    {
        const auto other = session.findClip (target.slots[(size_t) targetSlot].clip);
        name = "Swap " + inQuotes (clipName (moving)) + " and " + inQuotes (other >= 0 ? clipName (other) : target.slots[(size_t) targetSlot].clip);
        std::swap (source.slots[(size_t) sourceSlot].clip, target.slots[(size_t) targetSlot].clip);
    }
    else
    {
        name = "Move " + inQuotes (clipName (moving));
        if (from.page != to.page || from.tab != to.tab)
            name += " to tab '" + target.name + "'" + (from.page != to.page ? " of page '" + pages[(size_t) to.page].name + "'" : std::string());
        auto slot = source.slots[(size_t) sourceSlot];
        source.slots.erase (source.slots.begin() + sourceSlot);
        slot.row = to.row;
        slot.column = to.column;
        target.slots.push_back (std::move (slot));
    }
    return commitStructure (name, std::move (pages), {}, true);
}

SessionEditor::Result SessionEditor::copyCell (const Cell& from, const Cell& to)
{
    std::vector<Page> pages;
    int source = -1;
    if (auto result = pagesForCellPair (from, to, pages, source); ! result)
        return result;
    if (const auto occupant = clipAt (to); occupant >= 0)
        return Result::refused (cellText (to) + " holds " + inQuotes (clipName (occupant)) + ": copy to an empty cell");
    auto copy = session.clips[(size_t) source];
    copy.id = uniqueClipId (copy.id);  // Ctrl+drag: a second, independent clip
    findTab (pages, to.page, to.tab)->slots.push_back ({ to.row, to.column, copy.id });
    return commitStructure ("Copy " + inQuotes (clipName (source)), std::move (pages), { std::move (copy) }, true);
}

SessionEditor::Result SessionEditor::copyCells (const std::vector<Cell>& cells)
{
    // Positions are kept relative to each other: cells of two tabs could land on one cell.
    for (const auto& cell : cells)
        if (cell.page != cells.front().page || cell.tab != cells.front().tab)
            return Result::refused ("copy cells of one tab at a time");
    Clipboard copied;
    int top = Tab::maxRows, left = Tab::maxColumns;
    for (const auto& cell : cells)
        if (clipAt (cell) >= 0)
        {
            top = std::min (top, cell.row);
            left = std::min (left, cell.column);
        }
    for (const auto& cell : cells)
        if (const auto clip = clipAt (cell); clip >= 0)
            copied.entries.push_back ({ cell.row - top, cell.column - left, session.clips[(size_t) clip] });
    if (copied.empty())
        return Result::refused ("nothing to copy: the cells are empty");
    clipboard = std::move (copied);
    return {};
}

SessionEditor::Result SessionEditor::cutCells (const std::vector<Cell>& cells)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    const auto previous = clipboard;
    if (auto result = copyCells (cells); ! result)
        return result;
    auto result = removeCells (cells, "Cut");
    if (! result)
        clipboard = previous;
    return result;
}

SessionEditor::Result SessionEditor::deleteCells (const std::vector<Cell>& cells)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    return removeCells (cells, "Delete");
}

SessionEditor::Result SessionEditor::removeCells (const std::vector<Cell>& cells, const std::string& verb)
{
    auto pages = session.pages;
    size_t deleted = 0;
    std::string firstName;
    for (const auto& cell : cells)
    {
        auto* tab = findTab (pages, cell.page, cell.tab);
        const auto slot = tab != nullptr ? findSlot (*tab, cell.row, cell.column) : -1;
        if (slot < 0)
            continue;
        if (deleted++ == 0)
            if (const auto clip = session.findClip (tab->slots[(size_t) slot].clip); clip >= 0)
                firstName = clipName (clip);
        tab->slots.erase (tab->slots.begin() + slot);
    }
    if (deleted == 0)
        return Result::refused ("nothing to " + juce::String (verb).toLowerCase().toStdString() + ": the cells are empty");
    return commitStructure (verb + " " + countText (deleted, "clips", firstName), std::move (pages), {}, true);
}

SessionEditor::Result SessionEditor::paste (const Cell& at)
{
    auto edit = tabForAdding (at, ! clipboard.empty(), "nothing to paste");
    if (edit.tab == nullptr)
        return edit.refusal;
    auto& tab = *edit.tab;
    std::vector<ClipDefinition> added;
    auto taken = clipIds();
    bool replacing = false;
    for (const auto& entry : clipboard.entries)
    {
        const auto row = at.row + entry.rowOffset, column = at.column + entry.columnOffset;
        if (row >= tab.rows || column >= tab.columns)
            return Result::refused ("the clipboard's clips do not fit from " + cellText (at) + " in the "
                                    + std::to_string (tab.rows) + " x " + std::to_string (tab.columns) + " grid of tab '" + tab.name + "'");
        auto clip = entry.clip;
        // Cut + paste moves the clip (its id is free again); a copy gets a new id.
        clip.id = freshId (clip.id, taken);
        if (const auto slot = findSlot (tab, row, column); slot >= 0)
        {
            tab.slots.erase (tab.slots.begin() + slot);
            replacing = true;
        }
        tab.slots.push_back ({ row, column, clip.id });
        added.push_back (std::move (clip));
    }
    const auto& first = clipboard.entries.front().clip;
    const auto name = "Paste " + countText (added.size(), "clips", first.label.empty() ? first.id : first.label);
    if (replacing && onBeforeRiskyEdit)
        onBeforeRiskyEdit (name);  // it replaces clips
    return commitStructure (name, std::move (edit.pages), std::move (added), true);
}

SessionEditor::Result SessionEditor::importFiles (const std::vector<ImportedFile>& files, const Cell& start)
{
    auto edit = tabForAdding (start, ! files.empty(), "no files to import");
    if (edit.tab == nullptr)
        return edit.refusal;
    auto& tab = *edit.tab;
    std::vector<std::pair<int, int>> freeCells;
    for (int row = start.row; row < tab.rows; ++row)
        for (int column = (row == start.row ? start.column : 0); column < tab.columns; ++column)
            if (findSlot (tab, row, column) < 0)
                freeCells.emplace_back (row, column);
    if (freeCells.size() < files.size())
        return Result::refused (std::to_string (files.size()) + " files, but tab '" + tab.name + "' has "
                                + std::to_string (freeCells.size()) + " empty cells from " + cellText (start));
    std::vector<ClipDefinition> added;
    auto taken = clipIds();
    for (size_t i = 0; i < files.size(); ++i)
    {
        const auto& file = files[i];
        ClipDefinition clip;
        clip.file = file.file;
        const auto stem = std::filesystem::path (file.file).stem().string();
        clip.label = file.label.empty() ? stem : file.label;
        clip.group = file.group;
        clip.gainDb = file.gainDb;
        clip.id = freshId (stem, taken);
        if (auto problem = validateClip (clip); ! problem.empty())
            return Result::refused (file.file + ": " + problem);
        tab.slots.push_back ({ freeCells[i].first, freeCells[i].second, clip.id });
        added.push_back (std::move (clip));
    }
    const auto name = "Import " + countText (files.size(), "files", std::filesystem::path (files.front().file).filename().string());
    return commitStructure (name, std::move (edit.pages), std::move (added), true);
}

} // namespace cuegrid
