// CueGrid — GPL-3.0-or-later
// SessionEditor's tab and page edits: rename, move and resize a tab; add, rename, delete and
// move a page (its hotkeys follow it). Each is one undoable StructureAction (SessionEditorGrid.cpp,
// which also has the cell edits).
#include "SessionEditor.h"
#include "SessionEditorText.h"

#include "Session/Limits.h"

#include <algorithm>

namespace cuegrid
{

using editortext::inQuotes;

namespace
{
    /** Moves item `from` of `items` to index `to`. */
    template <typename Item>
    void moveItem (std::vector<Item>& items, int from, int to)
    {
        auto moved = std::move (items[(size_t) from]);
        items.erase (items.begin() + from);
        items.insert (items.begin() + to, std::move (moved));
    }
}

Tab* SessionEditor::tabForChange (int page, int tab, std::vector<Page>& pages, Result& refusal) const
{
    refusal = checkUnlocked();
    if (! refusal)
        return nullptr;
    pages = session.pages;
    addMissingTabs (pages, page, tab);
    auto* found = findTab (pages, page, tab);
    if (found == nullptr)
        refusal = Result::refused ("no tab " + std::to_string (tab + 1) + " on page " + std::to_string (page + 1));
    return found;
}

SessionEditor::Result SessionEditor::renameTab (int page, int tab, const std::string& name)
{
    std::vector<Page> pages;
    Result refusal;
    auto* found = tabForChange (page, tab, pages, refusal);
    if (found == nullptr)
        return refusal;
    if (name.empty())
        return Result::refused ("a tab needs a name");
    if (found->name == name)
        return {};
    const auto action = "Rename tab " + inQuotes (found->name) + " to " + inQuotes (name);
    found->name = name;
    return commitStructure (action, std::move (pages), {}, true);
}

SessionEditor::Result SessionEditor::moveTab (int page, int from, int to)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    if (findTab (page, from) == nullptr || findTab (page, to) == nullptr)
        return Result::refused ("no such tab on page " + std::to_string (page + 1));
    if (from == to)
        return {};
    auto pages = session.pages;
    auto& tabs = pages[(size_t) page].tabs;
    const auto name = "Move tab " + inQuotes (tabs[(size_t) from].name);
    moveItem (tabs, from, to);
    return commitStructure (name, std::move (pages), {}, true);
}

SessionEditor::Result SessionEditor::resizeTab (int page, int tab, int rows, int columns)
{
    std::vector<Page> pages;
    Result refusal;
    auto* found = tabForChange (page, tab, pages, refusal);
    if (found == nullptr)
        return refusal;
    if (rows < 1 || rows > Tab::maxRows || columns < 1 || columns > Tab::maxColumns)
        return Result::refused ("a grid has 1 to " + std::to_string (Tab::maxRows) + " rows and 1 to "
                                + std::to_string (Tab::maxColumns) + " columns");
    if (found->rows == rows && found->columns == columns)
        return {};
    // Clips outside the new size, in reading order, go to its free cells in reading order.
    std::vector<size_t> outside;
    for (size_t i = 0; i < found->slots.size(); ++i)
        if (found->slots[i].row >= rows || found->slots[i].column >= columns)
            outside.push_back (i);
    std::sort (outside.begin(), outside.end(), [&] (size_t a, size_t b)
               {
                   const auto& x = found->slots[a];
                   const auto& y = found->slots[b];
                   return std::make_pair (x.row, x.column) < std::make_pair (y.row, y.column);
               });
    std::vector<std::pair<int, int>> freeCells;
    for (int row = 0; row < rows; ++row)
        for (int column = 0; column < columns; ++column)
            if (found->slotAt (row, column) == nullptr)
                freeCells.emplace_back (row, column);
    const auto name = "Resize tab " + inQuotes (found->name) + " to " + std::to_string (rows) + " x " + std::to_string (columns);
    if (outside.size() > freeCells.size())
        return Result::refused ("tab " + inQuotes (found->name) + " holds " + std::to_string (found->slots.size()) + " clips; a "
                                + std::to_string (rows) + " x " + std::to_string (columns) + " grid has "
                                + std::to_string (rows * columns) + " cells");
    for (size_t i = 0; i < outside.size(); ++i)
    {
        found->slots[outside[i]].row = freeCells[i].first;
        found->slots[outside[i]].column = freeCells[i].second;
    }
    found->rows = rows;
    found->columns = columns;
    if (! outside.empty() && onBeforeRiskyEdit)
        onBeforeRiskyEdit (name);
    return commitStructure (name, std::move (pages), {}, true);
}

SessionEditor::Result SessionEditor::addPage (const std::string& name, int index)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    if (session.pages.size() >= limits::maxPages)
        return Result::refused ("a session holds at most " + std::to_string (limits::maxPages) + " pages");
    if (index < 0)
        index = (int) session.pages.size();
    if (index > (int) session.pages.size())
        return Result::refused ("no page position " + std::to_string (index + 1));
    Page page;
    page.name = name.empty() ? "Page " + std::to_string (session.pages.size() + 1) : name;
    for (int t = 0; t < Page::maxTabs; ++t)
    {
        Tab tab;
        tab.name = "Tab " + std::to_string (t + 1);
        page.tabs.push_back (std::move (tab));
    }
    const auto action = "Add page " + inQuotes (page.name);
    auto pages = session.pages;
    pages.insert (pages.begin() + index, std::move (page));
    std::vector<int> origin;   // the pages after it keep their keys
    for (int p = 0; p < (int) pages.size(); ++p)
        origin.push_back (p < index ? p : p == index ? -1 : p - 1);
    return commitStructure (action, std::move (pages), {}, true, std::move (origin));
}

SessionEditor::Result SessionEditor::renamePage (int page, const std::string& name)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    if (page < 0 || page >= (int) session.pages.size())
        return Result::refused ("no page " + std::to_string (page + 1));
    if (name.empty())
        return Result::refused ("a page needs a name");
    if (session.pages[(size_t) page].name == name)
        return {};
    auto pages = session.pages;
    const auto action = "Rename page " + inQuotes (pages[(size_t) page].name) + " to " + inQuotes (name);
    pages[(size_t) page].name = name;
    return commitStructure (action, std::move (pages), {}, true);
}

SessionEditor::Result SessionEditor::deletePage (int page)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    if (page < 0 || page >= (int) session.pages.size())
        return Result::refused ("no page " + std::to_string (page + 1));
    if (session.pages.size() == 1)
        return Result::refused ("a session keeps at least one page");
    auto pages = session.pages;
    const auto action = "Delete page " + inQuotes (pages[(size_t) page].name);
    const auto& tabs = pages[(size_t) page].tabs;
    const auto holdsClips = std::any_of (tabs.begin(), tabs.end(), [] (const Tab& tab) { return ! tab.slots.empty(); });
    if (holdsClips && onBeforeRiskyEdit)
        onBeforeRiskyEdit (action);  // a whole page of cells goes
    pages.erase (pages.begin() + page);
    std::vector<int> origin;   // its keys go with it; the pages after it keep theirs
    for (int p = 0; p < (int) pages.size(); ++p)
        origin.push_back (p < page ? p : p + 1);
    return commitStructure (action, std::move (pages), {}, true, std::move (origin));
}

SessionEditor::Result SessionEditor::movePage (int from, int to)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    const auto count = (int) session.pages.size();
    if (from < 0 || from >= count || to < 0 || to >= count)
        return Result::refused ("no such page");
    if (from == to)
        return {};
    auto pages = session.pages;
    const auto action = "Move page " + inQuotes (pages[(size_t) from].name);
    moveItem (pages, from, to);
    std::vector<int> origin (pages.size());   // each page's keys move with it
    for (int p = 0; p < count; ++p)
        origin[(size_t) p] = p;
    moveItem (origin, from, to);
    return commitStructure (action, std::move (pages), {}, true, std::move (origin));
}

} // namespace cuegrid
