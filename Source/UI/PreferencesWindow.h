// CueGrid — GPL-3.0-or-later
#pragma once

#include "FileBrowserWindow.h"
#include "Session/AppFolders.h"

#include <functional>
#include <utility>
#include <vector>

namespace cuegrid
{

/** Preferences (Ctrl+,) in an ordinary window that never blocks the show: the CueGrid home
    (empty: the default, `<Documents>/CueGrid`; the CUEGRID_HOME environment variable wins over
    both and is shown), how often a recovery point is made while there are unsaved changes,
    how many saved versions and recovery points are kept. Save hands the edited preferences to
    `onSave`, which stores and applies them and returns "" or why not (out-of-range values are
    refused here first, naming the field). Message thread. */
class PreferencesWindow final : public ToolWindow
{
public:
    explicit PreferencesWindow (FileBrowserWindow& browser);

    /** Shows the window in front with `current`; `homeInEffect` is the home sessions use now. */
    void open (const Preferences& current, const juce::String& homeInEffect);

    std::function<juce::String (const Preferences&)> onSave;

    /** Its controls by name, for the UI map: "prefHome", "prefHomeBrowse", "prefAutosave",
        "prefBackups", "prefRecoveryPoints", "prefSave", "prefCancel". */
    std::vector<std::pair<juce::String, juce::Component*>> getControls();

private:
    struct Content;
    Content* content = nullptr;
};

} // namespace cuegrid
