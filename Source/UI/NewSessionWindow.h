// CueGrid — GPL-3.0-or-later
#pragma once

#include "FileBrowserWindow.h"

#include <functional>
#include <utility>
#include <vector>

namespace cuegrid
{

/** File > New: the new session's file and its media folder, in an ordinary window that never
    blocks the show. The media folder is suggested beside the session ("<folder>/<name> Media")
    until the editor types another; Create hands both to `onCreate`, which checks the folder
    (reachable, writable, free space; removable or network storage is a warning) and makes
    the session, returning "" or why not: the window then stays open with the reason.
    Message thread. */
class NewSessionWindow final : public ToolWindow
{
public:
    explicit NewSessionWindow (FileBrowserWindow& browser);

    /** Shows the window in front, suggesting `suggestedSession` (e.g. the CueGrid home's
        Sessions/Untitled.cuegrid). */
    void open (const juce::File& suggestedSession);

    std::function<juce::String (const juce::String& sessionPath, const juce::String& mediaFolder)> onCreate;

    /** Its controls by name, for the UI map: "newSessionFile", "newMediaFolder",
        "newSessionBrowse", "newMediaBrowse", "newCreate", "newCancel". */
    std::vector<std::pair<juce::String, juce::Component*>> getControls();

    /** The media folder suggested for a session file: "<its folder>/<its name> Media". */
    static juce::File suggestedMediaFolder (const juce::File& session);

private:
    struct Content;
    Content* content = nullptr;
};

} // namespace cuegrid
