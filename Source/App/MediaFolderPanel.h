// CueGrid — GPL-3.0-or-later
#pragma once

#include "Control/SessionDocument.h"
#include "Session/MediaFolderChange.h"
#include "UI/FileBrowserWindow.h"
#include "UI/MainComponent.h"

#include <future>
#include <memory>

namespace cuegrid
{

/** File > Media Folder...: the non-modal panel that reassigns the open session's media folder
    (docs/media.md "Media folder"). The editor picks a folder and a mode (move, copy, keep);
    the plan (files, size, estimate, problems, warnings) is made on a background thread; Run
    copies and verifies on the job's thread with a progress bar and Cancel; the switch (a
    recovery point, then the session saved with the new paths) is the only step on the message
    thread, a save as Ctrl+S does. Refused in Show mode. "Copy imported files into the media
    folder" sets the session's collect on import (VerifiedCopy.h). Message thread. */
class MediaFolderPanel final : public ToolWindow, private juce::Timer
{
public:
    MediaFolderPanel (SessionDocument& document, MainComponent& main, FileBrowserWindow& browser);
    ~MediaFolderPanel() override;

    /** Shows the panel in front with the session's current media folder. */
    void open();

    /** Its controls by name, for the UI map: "mediaFolderPath", "mediaFolderBrowse",
        "mediaFolderMode", "mediaFolderPlan", "mediaFolderRun", "mediaFolderCancel", "mediaFolderCollect". */
    std::vector<std::pair<juce::String, juce::Component*>> getControls();
    /** UI map lines: "text mediaFolderStatus <first line>", "value mediaFolderState
        <none|idle|copying|readyToSwitch|finishing|done|failed|cancelled>", "value mediaFolderRunnable yes|no". */
    juce::String getUiMapLines() const;

private:
    void timerCallback() override;
    void plan();
    void runPlan();
    void switchPaths();
    void showPlan (const MediaFolderPlan& plan);
    void setStatus (const juce::String& text, bool problem);

    struct Content;
    Content* content = nullptr;
    SessionDocument& document;
    MainComponent& main;
    FileBrowserWindow& browser;
    std::future<MediaFolderPlan> planning;        // a plan being made on its own thread
    std::optional<MediaFolderPlan> lastPlan;      // what Run runs
    std::unique_ptr<MediaFolderJob> job;          // the running change
    double progress = 0.0;                        // the progress bar's value (message thread)
    juce::String switchProblem;                   // why the switch's save failed, for the final status
};

} // namespace cuegrid
