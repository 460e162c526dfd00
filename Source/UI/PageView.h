// CueGrid — GPL-3.0-or-later
#pragma once

#include "ClipAnalysisView.h"
#include "ClipButton.h"
#include "Control/SessionEditor.h"
#include "Control/ShowController.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace cuegrid
{

/** One page on screen: its page selector, its 8 tabs (a tab holding playing clips shows how
    many; the page list marks other pages that play) and the shown tab's grid of ClipButtons.
    The main window shows one, or two side by side (dual-page view), one of them with focus
    (a highlighted border). Cells and tabs take dragged cells and dropped files; what that
    does, like firing and the menus, is the owner's (the callbacks below): this only shows
    the session. Message thread. */
class PageView final : public juce::Component
{
public:
    PageView (ShowController& controller, SessionEditor& editor, ClipAnalysisView& analysis);
    ~PageView() override;

    // --- What the owner does ------------------------------------------------------------------
    std::function<void (int clip)> onFire;
    std::function<void (int clip, ClipButton& button)> onClipMenu;
    std::function<void (const SessionEditor::Cell& cell, ClipButton& button)> onEmptyCellMenu;
    std::function<void (int tab)> onTabMenu;
    /** A cell dragged onto `to` (a cell, or a tab's first empty cell); `copy`: Ctrl held. */
    std::function<void (const SessionEditor::Cell& from, const SessionEditor::Cell& to, bool copy)> onCellDropped;
    /** Files from a file manager dropped from `start` on (a cell, or a tab's first empty cell). */
    std::function<void (const SessionEditor::Cell& start, const juce::StringArray& files)> onFilesDropped;
    /** A message for the status bar (e.g. a drop on a full tab). */
    std::function<void (const juce::String& text)> onNotice;
    /** A press anywhere in the view (it takes the focus). */
    std::function<void()> onPressed;

    // --- Showing the session -----------------------------------------------------------------
    /** After the session's pages or cells changed: the page list and the tabs' clip lists. */
    void sessionRebuilt();
    /** Shows `page` (clamped to the pages there are) at its first tab. */
    void showPage (int page);
    void showTab (int tab);
    /** The shown tab's buttons again (labels, colours, groups, cells). */
    void rebuildGrid();
    void showAnalysis();
    /** From the timer: each button's play state and the playing marks on tabs and pages. */
    void updatePlayStates();

    int getPage() const noexcept { return currentPage; }
    int getTab() const noexcept { return currentTab; }
    void setFocused (bool shouldBeFocused);
    bool isFocused() const noexcept { return focused; }
    /** Draws the focus border (dual-page view only). */
    void setShowsFocus (bool shouldShow);

    const std::vector<std::unique_ptr<ClipButton>>& getButtons() const noexcept { return buttons; }
    juce::TabbedButtonBar& getTabs() noexcept { return tabs; }
    juce::Component& getPageSelector() noexcept { return pageSelector; }

    /** The first empty cell of `tab` on `page` (row by row), or nullopt when it is full; a tab
        the page does not have yet: its first cell (an edit adds it). */
    static std::optional<SessionEditor::Cell> firstEmptyCell (const Session& session, int page, int tab);

    /** This view's lines of the UI map, each after `prefix` ("" or "view2 "): "clip <id> x y",
        "cell <row> <column> x y", "tab <index> x y <playing clips>", "state <id> <text>". */
    void writeUiMap (juce::String& map, const juce::String& prefix) const;

    void paint (juce::Graphics&) override;
    void paintOverChildren (juce::Graphics&) override;
    void resized() override;
    void mouseDown (const juce::MouseEvent&) override;

private:
    /** The page's tabs; a cell or files dropped on a tab go to its first empty cell. */
    struct PageTabs final : juce::TabbedButtonBar, juce::DragAndDropTarget, juce::FileDragAndDropTarget
    {
        PageTabs() : juce::TabbedButtonBar (TabsAtTop) {}
        void currentTabChanged (int index, const juce::String&) override { if (onChange) onChange (index); }
        void popupMenuClickOnTab (int index, const juce::String&) override { if (onMenu) onMenu (index); }
        /** The tab under `position` (this bar's coordinates), or -1. */
        int tabAt (juce::Point<int> position);
        bool isInterestedInDragSource (const SourceDetails&) override;
        void itemDropped (const SourceDetails&) override;
        bool isInterestedInFileDrag (const juce::StringArray&) override { return canEdit && canEdit(); }
        void filesDropped (const juce::StringArray& files, int x, int y) override;
        std::function<void (int)> onChange, onMenu;
        std::function<bool()> canEdit;
        std::function<void (int tab, const SessionEditor::Cell& from, bool copy)> onCellDropped;
        std::function<void (int tab, const juce::StringArray& files)> onFilesDropped;
    };

    void layOutButtons();

    ShowController& controller;
    SessionEditor& editor;
    ClipAnalysisView& analysis;
    juce::ComboBox pageSelector;
    PageTabs tabs;
    juce::Component grid;
    std::vector<std::unique_ptr<ClipButton>> buttons;
    int rows = 4, columns = 8;
    int currentPage = 0, currentTab = 0;
    bool focused = false, showsFocus = false;

    // Per page, per tab: the clip indices the tab holds, sorted (for the playing marks on the
    // tabs); per page: the clip indices of all its tabs (for the marks in the page list).
    std::vector<std::vector<std::vector<int>>> tabClips;
    std::vector<std::vector<int>> pageClips;
    std::vector<int> shownTabCounts, shownPageCounts;
};

} // namespace cuegrid
