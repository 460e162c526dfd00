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
    how many saved versions and recovery points are kept, the media cache; OSC (server on,
    port, network, passcode, with the server's state: running, off, or "port in use"); the
    debounce, "minimum time between GOs", of keys (the session's), MIDI and OSC (this
    machine's). Save hands the edited preferences to `onSave`, which stores and applies them at
    once (the OSC server restarts on a new port) and returns "" or why not (out-of-range values
    are refused here first, naming the field); a changed key debounce goes to `onKeyDebounce`
    (an undoable session edit). Message thread. */
class PreferencesWindow final : public ToolWindow
{
public:
    explicit PreferencesWindow (FileBrowserWindow& browser);

    /** Shows the window in front with `current`; `homeInEffect` is the home sessions use now;
        `keyDebounceMs` the session's key debounce. */
    void open (const Preferences& current, const juce::String& homeInEffect, double keyDebounceMs = 0.0);

    /** The OSC server's state under the OSC settings ("OSC: on, UDP and TCP port 53100 (this
        machine only)"); `isProblem` shows it in amber (a port in use). */
    void setOscStatus (const juce::String& text, bool isProblem);

    std::function<juce::String (const Preferences&)> onSave;
    /** The session's key debounce changed (ms): "" or why not (Show mode). */
    std::function<juce::String (double)> onKeyDebounce;

    /** Its controls by name, for the UI map: "prefHome", "prefHomeBrowse", "prefAutosave",
        "prefBackups", "prefRecoveryPoints", "prefMediaCache", "prefOscEnabled", "prefOscPort",
        "prefOscNetwork", "prefOscPasscode", "prefKeyDebounce",
        "prefMidiDebounce", "prefOscDebounce", "prefSave", "prefCancel". */
    std::vector<std::pair<juce::String, juce::Component*>> getControls();
    /** "text prefOscStatus <text>" and "text prefMessage <text>" lines for the UI map. */
    juce::String getUiMapLines() const;

private:
    struct Content;
    Content* content = nullptr;
};

} // namespace cuegrid
