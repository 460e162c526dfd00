// CueGrid — GPL-3.0-or-later
#pragma once

#include "ToolWindow.h"

#include <functional>
#include <utility>
#include <vector>

namespace cuegrid
{

/** A file chooser in an ordinary window, never modal: while it is open the show runs on,
    clips fire and STOP ALL, FADE ALL and PANIC (and their keys) stay reachable. JUCE's own
    FileChooser dialogs are modal (or a separate process), so Open, Save As, Import… and the
    folder choices use this instead. A path typed into the file name box may be absolute;
    Return or the action button accepts, Cancel or the close button hides the window. One
    request at a time: a new choose() replaces a pending one. Message thread. */
class FileBrowserWindow final : public ToolWindow, private juce::FileBrowserListener
{
public:
    enum class Mode
    {
        openFile,        // one existing file matching the patterns
        openFiles,       // several existing files (Import…)
        saveFile,        // a file name, existing or not (Save As, New)
        chooseFolder     // a folder, existing or not (the media folder)
    };

    FileBrowserWindow();
    ~FileBrowserWindow() override;

    /** Shows the window in front with `title` and `actionName` on its button, starting in or
        at `initial`, listing files matching `patterns` ("*.cuegrid", "*.wav;*.flac"; ignored
        for folders). `onChosen` gets the chosen files (absolute) and is not called on cancel. */
    void choose (Mode mode, const juce::String& title, const juce::String& actionName, const juce::File& initial,
                 const juce::String& patterns, std::function<void (const juce::Array<juce::File>&)> onChosen);

    void closeButtonPressed() override;

    /** Its controls by name, for the UI map: "browserFile" (a full path typed in), "browserOk",
        "browserCancel". */
    std::vector<std::pair<juce::String, juce::Component*>> getControls();

private:
    void accept();
    void selectionChanged() override {}
    void fileClicked (const juce::File&, const juce::MouseEvent&) override {}
    void fileDoubleClicked (const juce::File&) override { accept(); }
    void browserRootChanged (const juce::File&) override {}

    struct Content;
    Content* content = nullptr;
    Mode mode = Mode::openFile;
    std::function<void (const juce::Array<juce::File>&)> callback;
};

} // namespace cuegrid
