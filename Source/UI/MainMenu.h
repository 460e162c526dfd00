// CueGrid — GPL-3.0-or-later
#pragma once

#include <juce_gui_basics/juce_gui_basics.h>

#include <functional>

namespace cuegrid
{

/** The menu bar: File (New, Open, Open Recent, Save, Save As, Import, Media Folder,
    Preferences, Quit), Edit (Undo, Redo) and View (Dual-page view, ticked while shown). Each item calls its action; the keys shown are
    handled by the app's key handler (FileCommands and MainComponent), so they work without
    opening a menu. Items that edit are greyed out while `isLocked()` (Show mode). Pop-up
    menus are asynchronous: the show runs on while one is open. Message thread. */
class MainMenu final : public juce::MenuBarModel
{
public:
    struct Actions
    {
        std::function<void()> newSession, open, save, saveAs, import, mediaFolder, preferences, quit, undo, redo;
        std::function<void (const juce::String& path)> openRecent;
        std::function<juce::StringArray()> recentSessions;   // most recent first
        std::function<bool()> isLocked;
        std::function<void()> toggleDualView;
        std::function<bool()> isDualView;
        std::function<void()> keymap;                        // View > Keymap… (Ctrl+K)
        std::function<void()> midiMappings;                  // View > MIDI Mappings… (Ctrl+Shift+M)
        std::function<void()> clock;                         // View > Clock… (Ctrl+Shift+T)
        std::function<void (int kind)> exportAs;             // File > Export ▸ 0 package, 1 metadata, 2 tab, 3 page, 4 clip list
        std::function<void()> importPackage;                 // File > Import Package…
        std::function<void()> relinkMedia;                   // File > Relink Missing Media… (also in Show mode: the panel refuses edits)
    };

    explicit MainMenu (Actions actions);

    juce::StringArray getMenuBarNames() override { return { "File", "Edit", "View" }; }
    juce::PopupMenu getMenuForIndex (int index, const juce::String& name) override;
    void menuItemSelected (int, int) override {}

private:
    Actions actions;
};

} // namespace cuegrid
