// CueGrid — GPL-3.0-or-later
#include "PageView.h"

#include <algorithm>

namespace cuegrid
{

namespace
{
    const juce::Colour tabColour (0xff2c3035), playingTabColour (0xff1f6b3a), focusColour (0xff6fd3ff);

    /** "● 2": the mark of a tab or page that holds playing clips. */
    juce::String playingMark (int count) { return juce::String::fromUTF8 ("  \xe2\x97\x8f ") + juce::String (count); }
}

int PageView::PageTabs::tabAt (juce::Point<int> position)
{
    for (int tab = 0; tab < getNumTabs(); ++tab)
        if (auto* button = getTabButton (tab); button != nullptr && button->getBounds().contains (position))
            return tab;
    return -1;
}

bool PageView::PageTabs::isInterestedInDragSource (const SourceDetails& details)
{
    return canEdit && canEdit() && ClipButton::cellFromDescription (details.description).has_value();
}

void PageView::PageTabs::itemDropped (const SourceDetails& details)
{
    const auto copy = juce::ModifierKeys::getCurrentModifiersRealtime().isCtrlDown();
    const auto tab = tabAt (details.localPosition.toInt());
    if (const auto from = ClipButton::cellFromDescription (details.description); from && tab >= 0 && onCellDropped)
        onCellDropped (tab, *from, copy);
}

void PageView::PageTabs::filesDropped (const juce::StringArray& files, int x, int y)
{
    if (const auto tab = tabAt ({ x, y }); tab >= 0 && onFilesDropped)
        onFilesDropped (tab, files);
}

PageView::PageView (ShowController& showController, SessionEditor& sessionEditor, ClipAnalysisView& analysisView)
    : controller (showController), editor (sessionEditor), analysis (analysisView)
{
    pageSelector.setWantsKeyboardFocus (false);
    pageSelector.onChange = [this] { showPage (pageSelector.getSelectedItemIndex()); };
    addAndMakeVisible (pageSelector);

    tabs.setWantsKeyboardFocus (false);
    tabs.setMinimumTabScaleFactor (0.3);   // all 8 tabs stay on screen in a half-width view, names shortened
    tabs.onChange = [this] (int index) { if (index >= 0 && index != currentTab) showTab (index); };
    tabs.onMenu = [this] (int index) { if (onTabMenu) onTabMenu (index); };
    tabs.canEdit = [this] { return ! editor.isLocked(); };
    tabs.onCellDropped = [this] (int tab, const SessionEditor::Cell& from, bool copy)
    {
        if (const auto to = firstEmptyCell (controller.getSession(), currentPage, tab))
        {
            if (onCellDropped)
                onCellDropped (from, *to, copy);
        }
        else if (onNotice)
            onNotice ("tab " + juce::String (tab + 1) + " has no empty cell");
    };
    tabs.onFilesDropped = [this] (int tab, const juce::StringArray& files)
    {
        if (const auto to = firstEmptyCell (controller.getSession(), currentPage, tab))
        {
            if (onFilesDropped)
                onFilesDropped (*to, files);
        }
        else if (onNotice)
            onNotice ("not imported: tab " + juce::String (tab + 1) + " has no empty cell");
    };
    addAndMakeVisible (tabs);
    addAndMakeVisible (grid);
    // A press on any child (a clip, a tab, the page list) gives this view the focus.
    addMouseListener (this, true);
}

PageView::~PageView()
{
    removeMouseListener (this);
}

void PageView::mouseDown (const juce::MouseEvent&)
{
    if (onPressed)
        onPressed();
}

void PageView::setFocused (bool shouldBeFocused)
{
    if (focused == shouldBeFocused)
        return;
    focused = shouldBeFocused;
    repaint();
}

void PageView::setShowsFocus (bool shouldShow)
{
    if (showsFocus == shouldShow)
        return;
    showsFocus = shouldShow;
    resized();
    repaint();
}

std::optional<SessionEditor::Cell> PageView::firstEmptyCell (const Session& session, int page, int tab)
{
    const auto& pages = session.pages;
    if (page < 0 || page >= (int) pages.size() || tab < 0 || tab >= Page::maxTabs)
        return std::nullopt;
    if (tab >= (int) pages[(size_t) page].tabs.size())
        return SessionEditor::Cell { page, tab, 0, 0 };   // the edit adds the tab, empty
    const auto& shown = pages[(size_t) page].tabs[(size_t) tab];
    for (int row = 0; row < shown.rows; ++row)
        for (int column = 0; column < shown.columns; ++column)
            if (shown.slotAt (row, column) == nullptr)
                return SessionEditor::Cell { page, tab, row, column };
    return std::nullopt;
}

void PageView::sessionRebuilt()
{
    const auto& session = controller.getSession();
    pageSelector.clear (juce::dontSendNotification);
    for (size_t i = 0; i < session.pages.size(); ++i)
        pageSelector.addItem (juce::String (session.pages[i].name), (int) i + 1);

    const auto index = session.clipIndexById();
    auto sortedUnique = [] (std::vector<int> clips)
    {
        std::sort (clips.begin(), clips.end());
        clips.erase (std::unique (clips.begin(), clips.end()), clips.end());
        return clips;
    };
    tabClips.assign (session.pages.size(), {});
    pageClips.assign (session.pages.size(), {});
    for (size_t page = 0; page < session.pages.size(); ++page)
    {
        std::vector<int> onPage;
        for (const auto& tab : session.pages[page].tabs)
        {
            std::vector<int> clips;
            for (const auto& slot : tab.slots)
                if (const auto found = index.find (slot.clip); found != index.end())
                    clips.push_back (found->second);
            onPage.insert (onPage.end(), clips.begin(), clips.end());
            tabClips[page].push_back (sortedUnique (std::move (clips)));
        }
        pageClips[page] = sortedUnique (std::move (onPage));
    }
    shownPageCounts.assign (session.pages.size(), 0);
}

void PageView::showPage (int page)
{
    const auto& pages = controller.getSession().pages;
    currentPage = juce::jlimit (0, juce::jmax (0, (int) pages.size() - 1), page);
    // The current page carries no mark in the list (its tabs show what plays).
    if (currentPage < (int) pages.size() && currentPage < (int) shownPageCounts.size())
    {
        pageSelector.changeItemText (currentPage + 1, juce::String (pages[(size_t) currentPage].name));
        shownPageCounts[(size_t) currentPage] = 0;
    }
    pageSelector.setSelectedItemIndex (currentPage, juce::dontSendNotification);

    tabs.clearTabs();
    for (int tab = 0; tab < Page::maxTabs; ++tab)
    {
        juce::String name = "Tab " + juce::String (tab + 1);
        if (currentPage < (int) pages.size() && tab < (int) pages[(size_t) currentPage].tabs.size())
            name = pages[(size_t) currentPage].tabs[(size_t) tab].name;
        tabs.addTab (name, tabColour, tab);
    }
    shownTabCounts.assign (Page::maxTabs, 0);
    showTab (0);
    updatePlayStates();
}

void PageView::showTab (int tab)
{
    currentTab = tab;
    tabs.setCurrentTabIndex (tab, false);
    rebuildGrid();
}

void PageView::rebuildGrid()
{
    buttons.clear();
    std::vector<int> onScreenLoading;   // clips shown whose media is still being read
    const auto& session = controller.getSession();
    const Tab* tab = nullptr;
    if (currentPage < (int) session.pages.size() && currentTab < (int) session.pages[(size_t) currentPage].tabs.size())
        tab = &session.pages[(size_t) currentPage].tabs[(size_t) currentTab];
    rows = tab != nullptr ? tab->rows : 4;
    columns = tab != nullptr ? tab->columns : 8;

    for (int row = 0; row < rows; ++row)
    {
        for (int column = 0; column < columns; ++column)
        {
            auto button = std::make_unique<ClipButton>();
            const SessionEditor::Cell cell { currentPage, currentTab, row, column };
            button->setCell (cell);
            button->canEdit = [this] { return ! editor.isLocked(); };
            button->onCellDropped = [this, cell] (const SessionEditor::Cell& from, bool copy)
            {
                if (onCellDropped)
                    onCellDropped (from, cell, copy);
            };
            button->onFilesDropped = [this, cell] (const juce::StringArray& files)
            {
                if (onFilesDropped)
                    onFilesDropped (cell, files);
            };
            if (const auto* slot = tab != nullptr ? tab->slotAt (row, column) : nullptr)
            {
                const auto index = session.findClip (slot->clip);
                const auto& clip = session.clips[(size_t) index];
                const auto loading = controller.isMediaLoading (index);   // a show just opened: LOADING
                const auto missing = ! loading && ! controller.hasMedia (index);
                const auto warning = controller.mediaWarning (index);  // e.g. a truncated file
                button->setClip (index, clip.label, juce::Colour::fromString ("ff" + clip.colour.substr (1)),
                                 groupLetter (clip.group), missing,
                                 missing || loading ? juce::String (controller.mediaError (index))
                                                    : juce::String (clip.file) + (warning.empty() ? juce::String() : "\n" + juce::String (warning)));
                button->setLoading (loading);
                button->setTimecode (clip.timecode ? juce::String (clip.timecode->toString()) : juce::String(), clip.chase);
                if (loading)
                    onScreenLoading.push_back (index);
                button->onFire = [this] (int clipIndex) { if (onFire) onFire (clipIndex); };
                auto* shown = button.get();
                button->onMenu = [this, shown] (int clipIndex) { if (onClipMenu) onClipMenu (clipIndex, *shown); };
            }
            else
            {
                auto* shown = button.get();
                button->onEmptyMenu = [this, cell, shown] { if (onEmptyCellMenu) onEmptyCellMenu (cell, *shown); };
            }
            grid.addAndMakeVisible (*button);
            buttons.push_back (std::move (button));
        }
    }
    // The media of the tab on screen is read before the rest of the show's.
    if (! onScreenLoading.empty())
        controller.prioritiseMedia (onScreenLoading);
    showAnalysis();
    layOutButtons();
    if (auto* parent = getParentComponent())
        parent->repaint();   // the owner's outlines over the grid (the inspected clip)
}

void PageView::showAnalysis()
{
    for (auto& button : buttons)
        if (button->getClipIndex() >= 0)
            button->setAnalysis (analysis.getBadge (button->getClipIndex()), analysis.getReason (button->getClipIndex()));
}

void PageView::updatePlayStates()
{
    for (auto& button : buttons)
        if (button->getClipIndex() >= 0)
            button->setPlayState (controller.getClipState (button->getClipIndex()));

    const auto active = controller.getActiveClips();
    auto countOn = [&] (const std::vector<int>& clips)
    {
        int count = 0;
        for (const auto clip : active)
            count += std::binary_search (clips.begin(), clips.end(), clip) ? 1 : 0;
        return count;
    };
    const auto& pages = controller.getSession().pages;
    if (currentPage < (int) tabClips.size() && currentPage < (int) pages.size())
    {
        const auto& onTabs = tabClips[(size_t) currentPage];
        for (size_t tab = 0; tab < onTabs.size() && tab < shownTabCounts.size() && (int) tab < tabs.getNumTabs(); ++tab)
        {
            const auto count = countOn (onTabs[tab]);
            if (count == shownTabCounts[tab])
                continue;
            shownTabCounts[tab] = count;
            const auto& name = pages[(size_t) currentPage].tabs[tab].name;
            tabs.setTabName ((int) tab, count > 0 ? juce::String (name) + playingMark (count) : juce::String (name));
            tabs.setTabBackgroundColour ((int) tab, count > 0 ? playingTabColour : tabColour);
        }
    }
    // Clips playing on another page: marked in the page list (the current page's tabs say it).
    for (size_t page = 0; page < pageClips.size() && page < shownPageCounts.size() && page < pages.size(); ++page)
    {
        const auto onPage = (int) page == currentPage ? 0 : countOn (pageClips[page]);
        if (onPage == shownPageCounts[page])
            continue;
        shownPageCounts[page] = onPage;
        pageSelector.changeItemText ((int) page + 1, onPage > 0 ? juce::String (pages[page].name) + playingMark (onPage)
                                                               : juce::String (pages[page].name));
    }
}

void PageView::writeUiMap (juce::String& map, const juce::String& prefix) const
{
    const auto& session = controller.getSession();
    auto centreOf = [] (const juce::Component& component)
    {
        const auto centre = component.getScreenBounds().getCentre();
        return juce::String (centre.x) + " " + juce::String (centre.y);
    };
    for (const auto& button : buttons)
        if (button->getClipIndex() >= 0 && button->getClipIndex() < (int) session.clips.size())
            map << prefix << "clip " << session.clips[(size_t) button->getClipIndex()].id << " " << centreOf (*button) << "\n";
    for (const auto& button : buttons)
        map << prefix << "cell " << button->getCell().row << " " << button->getCell().column << " " << centreOf (*button) << "\n";
    for (int tab = 0; tab < tabs.getNumTabs(); ++tab)
        if (auto* tabButton = tabs.getTabButton (tab))
            map << prefix << "tab " << tab << " " << centreOf (*tabButton) << " "
                << (tab < (int) shownTabCounts.size() ? shownTabCounts[(size_t) tab] : 0) << "\n";
    for (const auto& button : buttons)
        if (const auto mark = button->describeTimecode(); mark.isNotEmpty() && button->getClipIndex() < (int) session.clips.size())
            map << prefix << "timecode " << session.clips[(size_t) button->getClipIndex()].id << " " << mark << "\n";
    for (const auto& button : buttons)
        if (const auto state = button->describeState(); state.isNotEmpty() && button->getClipIndex() < (int) session.clips.size())
            map << prefix << "state " << session.clips[(size_t) button->getClipIndex()].id << " " << state << "\n";
}

void PageView::paint (juce::Graphics&) {}

void PageView::paintOverChildren (juce::Graphics& g)
{
    if (! showsFocus)
        return;
    g.setColour (focused ? focusColour : juce::Colours::white.withAlpha (0.12f));
    g.drawRoundedRectangle (getLocalBounds().toFloat().reduced (1.0f), 6.0f, focused ? 2.5f : 1.0f);
}

void PageView::resized()
{
    auto area = getLocalBounds().reduced (showsFocus ? 6 : 0, showsFocus ? 4 : 0);
    auto header = area.removeFromTop (34).reduced (0, 3);
    pageSelector.setBounds (header.removeFromLeft (juce::jmin (220, header.getWidth())));
    tabs.setBounds (area.removeFromTop (36));
    grid.setBounds (area.reduced (0, 6));
    layOutButtons();
}

void PageView::layOutButtons()
{
    const auto cellWidth = grid.getWidth() / juce::jmax (1, columns), cellHeight = grid.getHeight() / juce::jmax (1, rows);
    for (auto& button : buttons)
        button->setBounds (button->getCell().column * cellWidth, button->getCell().row * cellHeight, cellWidth, cellHeight);
}

} // namespace cuegrid
