// CueGrid — GPL-3.0-or-later
// MainComponent's right-click menus: a clip's (pause, stop, audition, rename, group, colour, retrigger,
// solo, Learn MIDI, cut/copy/paste), a tab's (rename, grid size, move, pages) and an empty cell's (paste).
// Each edit goes through SessionEditor; a menu never fires a clip.
#include "MainComponent.h"

#include "Session/ClipPlayback.h"

#include <iterator>

namespace cuegrid
{

namespace
{
    /** Colours offered in the clip menu ("#rrggbb", as the manifest stores them). */
    struct PaletteColour { const char* name; const char* colour; };
    constexpr PaletteColour clipPalette[] {
        { "Red", "#d04040" }, { "Orange", "#d08030" }, { "Yellow", "#d0a030" }, { "Green", "#2f9e6e" },
        { "Blue", "#3a78c9" }, { "Indigo", "#5a6fd0" }, { "Purple", "#8e5cc2" }, { "Grey", "#7a838c" },
    };


    juce::String fadeText (double ms)
    {
        return ms >= 1000.0 ? juce::String (ms / 1000.0, 1) + " s" : juce::String (juce::roundToInt (ms)) + " ms";
    }
}

void MainComponent::showClipMenu (int clip, ClipButton& clipButton)
{
    const auto& session = controller.getSession();
    if (clip < 0 || clip >= (int) session.clips.size())
        return;
    const auto& definition = session.clips[(size_t) clip];
    const auto state = controller.getClipState (clip);
    const auto live = state.playing || state.fading;
    const auto fadeMs = definition.fadeOutMs.value_or (session.fadeDefaults.outMs);

    enum { pause = 1, stopWithFade, stopNow, audition, stopAudition };
    juce::PopupMenu menu;
    menu.addSectionHeader (juce::String (definition.label.empty() ? definition.id : definition.label)
                           + "  (group " + juce::String::charToString ((juce::juce_wchar) groupLetter (definition.group)) + ")");
    menu.addItem (pause, state.paused ? "Resume" : "Pause", state.playing);
    menu.addItem (stopWithFade, fadeMs > 0 ? "Stop with fade (" + fadeText (fadeMs) + ")" : juce::String ("Stop (no fade set: 1 ms)"),
                  state.playing);
    menu.addItem (stopNow, "Stop now", live);
    menu.addSeparator();
    if (state.auditioning)
        menu.addItem (stopAudition, "Stop audition");
    else
        menu.addItem (audition, "Audition (PFL)", controller.hasMedia (clip));

    // Editing (undoable; greyed out in Show mode). Delete stays the last item.
    juce::Component* target = &clipButton;
    const auto editable = ! editor.isLocked();
    enum { inspect = 50, learnMidi, groupBase = 100, colourBase = 200, retriggerBase = 300, solo = 400, cut, copy, paste, remove, rename };
    menu.addSeparator();
    menu.addItem (rename, "Rename...", editable);
    menu.addItem (inspect, "Inspect");   // also in Show mode: the panel is read-only there
    juce::PopupMenu groupMenu, colourMenu, retriggerMenu;
    for (int group = 0; group < groupCount; ++group)
        groupMenu.addItem (groupBase + group, juce::String ("Group ") + groupLetter (group), editable, definition.group == group);
    for (size_t i = 0; i < std::size (clipPalette); ++i)
        colourMenu.addColouredItem (colourBase + (int) i, clipPalette[i].name, juce::Colour::fromString (juce::String ("ff") + (clipPalette[i].colour + 1)),
                                    editable, definition.colour == clipPalette[i].colour);
    for (auto mode : { RetriggerMode::restart, RetriggerMode::stop, RetriggerMode::pause, RetriggerMode::layer })
        retriggerMenu.addItem (retriggerBase + (int) mode, retriggerModeName (mode), editable, definition.retrigger == mode);
    menu.addSubMenu ("Group", groupMenu, editable);
    menu.addSubMenu ("Colour", colourMenu, editable);
    menu.addSubMenu ("Retrigger", retriggerMenu, editable);
    menu.addItem (solo, "Solo (crossfade its group)", editable, definition.solo);
    menu.addItem (learnMidi, "Learn MIDI", editable);   // a note fires it, a CC sets its level
    menu.addSeparator();
    menu.addItem (cut, "Cut", editable);
    menu.addItem (copy, "Copy", target != nullptr);
    menu.addItem (paste, "Paste here", editable && ! editor.getClipboard().empty());
    menu.addItem (remove, "Delete", editable);
    enum { relink = 60 };   // below groupBase: handled by the switch, not as an edit
    if (clipButton.getMediaWarning().isNotEmpty() || ! controller.hasMedia (clip))   // its file is missing or replaced
    {
        menu.addSeparator();
        menu.addItem (relink, "Relink Missing Media...", openRelinkPanel != nullptr);
    }
    const auto cell = clipButton.getCell();
    controller.writeEventLog ({ { "event", "clipMenu" }, { "clip", definition.id } });
    menu.showMenuAsync (juce::PopupMenu::Options().withTargetComponent (target).withMinimumWidth (220).withStandardItemHeight (28),
                        [safe = juce::Component::SafePointer<MainComponent> (this), clip, cell, id = definition.id,
                         shownButton = juce::Component::SafePointer<juce::Component> (target)] (int result)
                        {
                            if (safe == nullptr)
                                return;
                            auto& show = safe->controller;
                            if (result >= groupBase)
                            {
                                // The clip's index may have moved while the menu was open: find it by id.
                                auto& edit = safe->editor;
                                const auto index = show.getSession().findClip (id);
                                SessionEditor::Result done;
                                if (result >= groupBase && result < groupBase + groupCount)
                                    done = edit.setGroup (index, result - groupBase);
                                else if (result >= colourBase && result < colourBase + (int) std::size (clipPalette))
                                    done = edit.setColour (index, clipPalette[(size_t) (result - colourBase)].colour);
                                else if (result >= retriggerBase && result < retriggerBase + 4)
                                    done = edit.setRetrigger (index, (RetriggerMode) (result - retriggerBase));
                                else if (result == solo)
                                    done = index >= 0 ? edit.setSolo (index, ! show.getSession().clips[(size_t) index].solo)
                                                      : SessionEditor::Result::refused ("the clip is gone");
                                else if (result == cut)
                                    done = edit.cutCells ({ cell });
                                else if (result == copy)
                                    done = edit.copyCells ({ cell });
                                else if (result == paste)
                                    done = edit.paste (cell);
                                else if (result == remove)
                                    done = edit.deleteCells ({ cell });
                                else if (result == rename && index >= 0)
                                {
                                    if (auto* button = shownButton.getComponent())
                                            safe->startRename (safe->getLocalArea (button, button->getLocalBounds().removeFromBottom (36)),
                                                               juce::String::fromUTF8 (show.getSession().clips[(size_t) index].label.c_str()),
                                                               [safe, id] (const juce::String& label)
                                                               {
                                                                   if (safe == nullptr)
                                                                       return;
                                                                   const auto renamed = safe->controller.getSession().findClip (id);
                                                                   safe->showEditResult (safe->editor.setLabel (renamed, label.toStdString()));
                                                               });
                                }
                                safe->showEditResult (done);
                                return;
                            }
                            switch (result)
                            {
                                case pause: show.togglePauseClip (clip); break;
                                case stopWithFade: show.stopClip (clip, true); break;
                                case stopNow: show.stopClipNow (clip); break;
                                case audition: show.auditionClip (clip); break;
                                case stopAudition: show.stopAudition(); break;
                                case inspect:
                                    safe->selectClip (show.getSession().findClip (id));
                                    safe->setInspectorVisible (true);
                                    break;
                                case learnMidi: safe->midiLearn.learnClip (id); break;
                                case relink: if (safe->openRelinkPanel) safe->openRelinkPanel(); break;
                                default: break;  // dismissed: nothing happens
                            }
                        });
    keys.attachToModal();  // the menu takes the keys while it is open: Escape still stops all
}

void MainComponent::showTabMenu (int viewIndex, int tab)
{
    const auto& session = controller.getSession();
    auto& view = *views[(size_t) viewIndex];
    const auto currentPage = view.getPage();
    if (currentPage >= (int) session.pages.size())
        return;
    const auto& page = session.pages[(size_t) currentPage];
    const auto* shownTab = tab < (int) page.tabs.size() ? &page.tabs[(size_t) tab] : nullptr;
    const auto editable = ! editor.isLocked();
    const auto tabEditable = editable && tab < Page::maxTabs;  // a tab the page lacks is added by its first edit

    enum { renameTab = 1, moveTabLeft, moveTabRight, addPage, renamePage, movePageUp, movePageDown, deletePage, sizeBase = 100 };
    static constexpr std::pair<int, int> sizes[] { { 2, 4 }, { 3, 5 }, { 4, 6 }, { 4, 8 }, { 6, 8 }, { 8, 8 }, { 8, 12 }, { 16, 16 } };
    juce::PopupMenu menu, sizeMenu;
    menu.addSectionHeader ("Tab " + juce::String (tab + 1) + (shownTab != nullptr ? ": " + juce::String (shownTab->name) : juce::String (" (empty)")));
    menu.addItem (renameTab, "Rename tab...", tabEditable);
    for (size_t i = 0; i < std::size (sizes); ++i)
    {
        const auto [rows, columns] = sizes[i];
        const auto current = shownTab != nullptr && shownTab->rows == rows && shownTab->columns == columns;
        sizeMenu.addItem (sizeBase + (int) i, juce::String (rows) + juce::String::fromUTF8 (" \xc3\x97 ") + juce::String (columns)
                                                  + (rows * columns < (shownTab != nullptr ? (int) shownTab->slots.size() : 0) ? " (too small)" : ""),
                          tabEditable, current);
    }
    menu.addSubMenu ("Grid size", sizeMenu, tabEditable);
    menu.addItem (moveTabLeft, "Move tab left", tabEditable && tab > 0);
    menu.addItem (moveTabRight, "Move tab right", tabEditable && tab + 1 < (int) page.tabs.size());
    menu.addSectionHeader ("Page: " + juce::String (page.name));
    menu.addItem (addPage, "Add page", editable);
    menu.addItem (renamePage, "Rename page...", editable);
    menu.addItem (movePageUp, "Move page up", editable && currentPage > 0);
    menu.addItem (movePageDown, "Move page down", editable && currentPage + 1 < (int) session.pages.size());
    menu.addItem (deletePage, "Delete page", editable && session.pages.size() > 1);  // stays the last item

    auto* tabButton = view.getTabs().getTabButton (tab);
    menu.showMenuAsync (juce::PopupMenu::Options().withTargetComponent (tabButton).withMinimumWidth (220).withStandardItemHeight (28),
                        [safe = juce::Component::SafePointer<MainComponent> (this), tab, pageIndex = currentPage, viewIndex] (int result)
                        {
                            if (safe == nullptr || result == 0)
                                return;
                            auto& edit = safe->editor;
                            auto& shownView = *safe->views[(size_t) viewIndex];
                            const auto& pages = safe->controller.getSession().pages;
                            SessionEditor::Result done;
                            if (result >= sizeBase && result < sizeBase + (int) std::size (sizes))
                                done = edit.resizeTab (pageIndex, tab, sizes[result - sizeBase].first, sizes[result - sizeBase].second);
                            else if (result == moveTabLeft || result == moveTabRight)
                            {
                                const auto to = result == moveTabLeft ? tab - 1 : tab + 1;
                                done = edit.moveTab (pageIndex, tab, to);
                                if (done.ok && shownView.getTab() == tab)
                                    shownView.showTab (to);
                            }
                            else if (result == addPage)
                            {
                                done = edit.addPage ({}, pageIndex + 1);
                                if (done.ok)
                                    shownView.showPage (pageIndex + 1);
                            }
                            else if (result == movePageUp || result == movePageDown)
                            {
                                const auto to = result == movePageUp ? pageIndex - 1 : pageIndex + 1;
                                done = edit.movePage (pageIndex, to);
                                if (done.ok)
                                    shownView.showPage (to);
                            }
                            else if (result == deletePage)
                                done = edit.deletePage (pageIndex);
                            else if (result == renameTab && pageIndex < (int) pages.size())
                            {
                                const auto& pageTabs = pages[(size_t) pageIndex].tabs;
                                if (auto* button = shownView.getTabs().getTabButton (tab))
                                    safe->startRename (safe->getLocalArea (button, button->getLocalBounds()),
                                                       tab < (int) pageTabs.size() ? juce::String (pageTabs[(size_t) tab].name)
                                                                                   : "Tab " + juce::String (tab + 1),
                                                       [safe, pageIndex, tab] (const juce::String& name)
                                                       {
                                                           if (safe != nullptr)
                                                               safe->showEditResult (safe->editor.renameTab (pageIndex, tab, name.toStdString()));
                                                       });
                            }
                            else if (result == renamePage && pageIndex < (int) pages.size())
                                safe->startRename (safe->getLocalArea (&shownView.getPageSelector(), shownView.getPageSelector().getLocalBounds()),
                                                   juce::String (pages[(size_t) pageIndex].name),
                                                   [safe, pageIndex] (const juce::String& name)
                                                   {
                                                       if (safe != nullptr)
                                                           safe->showEditResult (safe->editor.renamePage (pageIndex, name.toStdString()));
                                                   });
                            safe->showEditResult (done);
                        });
    keys.attachToModal();
}

void MainComponent::showEmptyCellMenu (const SessionEditor::Cell& cell, ClipButton& target)
{
    juce::PopupMenu menu;
    const auto& clipboard = editor.getClipboard();
    menu.addItem (1, clipboard.entries.size() > 1 ? "Paste " + juce::String ((int) clipboard.entries.size()) + " clips here" : juce::String ("Paste here"),
                  ! editor.isLocked() && ! clipboard.empty());
    menu.showMenuAsync (juce::PopupMenu::Options().withTargetComponent (&target).withMinimumWidth (180).withStandardItemHeight (28),
                        [safe = juce::Component::SafePointer<MainComponent> (this), cell] (int result)
                        {
                            if (safe != nullptr && result == 1)
                                safe->showEditResult (safe->editor.paste (cell));
                        });
    keys.attachToModal();
}

} // namespace cuegrid
