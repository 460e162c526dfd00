// CueGrid — GPL-3.0-or-later
#include "MainMenu.h"

namespace cuegrid
{

MainMenu::MainMenu (Actions menuActions) : actions (std::move (menuActions)) {}

juce::PopupMenu MainMenu::getMenuForIndex (int index, const juce::String&)
{
    const auto locked = actions.isLocked && actions.isLocked();
    auto item = [] (const juce::String& text, const juce::String& key, const std::function<void()>& action, bool enabled = true)
    {
        juce::PopupMenu::Item entry (text);
        entry.shortcutKeyDescription = key;
        entry.isEnabled = enabled && action != nullptr;
        entry.action = action;
        return entry;
    };
    juce::PopupMenu menu;
    if (index == 0)
    {
        menu.addItem (item ("New Session...", "Ctrl+N", actions.newSession));
        menu.addItem (item ("Open...", "Ctrl+O", actions.open));
        juce::PopupMenu recent;
        const auto paths = actions.recentSessions ? actions.recentSessions() : juce::StringArray();
        for (const auto& path : paths)
            recent.addItem (item (path, {}, [open = actions.openRecent, path] { if (open) open (path); }));
        if (paths.isEmpty())
            recent.addItem (item ("(none yet)", {}, nullptr, false));
        menu.addSubMenu ("Open Recent", recent);
        menu.addSeparator();
        menu.addItem (item ("Save", "Ctrl+S", actions.save));
        menu.addItem (item ("Save As...", "Ctrl+Shift+S", actions.saveAs));
        menu.addSeparator();
        menu.addItem (item ("Import Audio...", "Ctrl+I", actions.import, ! locked));
        menu.addItem (item ("Media Folder...", {}, actions.mediaFolder, ! locked));
        // Exporting is not an edit: also in Show mode. The panel opens; nothing is asked modally.
        juce::PopupMenu exports;
        const char* const exportNames[] = { "Session Package...", "Metadata...", "This Tab...", "This Page...", "Clip List..." };
        for (int kind = 0; kind < 5; ++kind)
            exports.addItem (item (exportNames[kind], {},
                                   actions.exportAs ? std::function<void()> ([exportAs = actions.exportAs, kind] { exportAs (kind); }) : nullptr));
        menu.addSubMenu ("Export", exports);
        menu.addItem (item ("Import Package...", {}, actions.importPackage, ! locked));
        // After the items the GUI tests walk to with the keyboard (Media Folder, Export, Import Package).
        menu.addItem (item ("Relink Missing Media...", {}, actions.relinkMedia));
        menu.addSeparator();
        menu.addItem (item ("Preferences...", "Ctrl+,", actions.preferences));
        menu.addSeparator();
        menu.addItem (item ("Quit", "Ctrl+Q", actions.quit));
    }
    else if (index == 1)
    {
        menu.addItem (item ("Undo", "Ctrl+Z", actions.undo, ! locked));
        menu.addItem (item ("Redo", "Ctrl+Shift+Z", actions.redo, ! locked));
    }
    else
    {
        auto dual = item ("Dual-page view", "Ctrl+D", actions.toggleDualView);   // not an edit: also in Show mode
        dual.isTicked = actions.isDualView && actions.isDualView();
        menu.addItem (dual);
        menu.addItem (item ("Keymap...", "Ctrl+K", actions.keymap));   // not an edit: also in Show mode
        menu.addItem (item ("MIDI Mappings...", "Ctrl+Shift+M", actions.midiMappings));   // viewing is not an edit
        menu.addItem (item ("Clock...", "Ctrl+Shift+T", actions.clock));   // the timecode sources' health
    }
    return menu;
}

} // namespace cuegrid
