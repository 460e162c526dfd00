// CueGrid — GPL-3.0-or-later
#include "MediaFolderPanel.h"

#include "Session/Errors.h"
#include "Session/VerifiedCopy.h"

#include <cstdio>

namespace cuegrid
{

namespace
{
    juce::String text (const std::string& utf8) { return juce::String::fromUTF8 (utf8.c_str()); }
}

struct MediaFolderPanel::Content final : ToolPanel
{
    explicit Content (double& progress) : progressBar (progress)
    {
        for (auto* component : std::initializer_list<juce::Component*> { &folderLabel, &folder, &browse, &modeLabel, &mode, &check,
                                                                          &planText, &progressBar, &status, &run, &cancel, &collect })
            addAndMakeVisible (component);
        folder.setFont (juce::Font (15.0f));
        mode.addItem ("Move: copy, verify, repoint the clips, then delete the originals", 1);
        mode.addItem ("Copy: copy, verify, repoint the clips; the originals stay", 2);
        mode.addItem ("Keep: only record the folder; no file moves", 3);
        mode.setSelectedId (1, juce::dontSendNotification);
        planText.setMultiLine (true);
        planText.setReadOnly (true);
        planText.setScrollbarsShown (true);
        status.setJustificationType (juce::Justification::topLeft);
        run.setEnabled (false);
        setSize (760, 420);
    }

    MediaFolderMode chosenMode() const
    {
        return mode.getSelectedId() == 1 ? MediaFolderMode::move : mode.getSelectedId() == 2 ? MediaFolderMode::copy : MediaFolderMode::keep;
    }

    void resized() override
    {
        auto area = getLocalBounds().reduced (12);
        auto row = area.removeFromTop (30);
        folderLabel.setBounds (row.removeFromLeft (110));
        browse.setBounds (row.removeFromRight (90));
        row.removeFromRight (8);
        folder.setBounds (row);
        area.removeFromTop (8);
        row = area.removeFromTop (30);
        modeLabel.setBounds (row.removeFromLeft (110));
        check.setBounds (row.removeFromRight (90));
        row.removeFromRight (8);
        mode.setBounds (row);
        area.removeFromTop (8);
        auto buttons = area.removeFromBottom (32);
        collect.setBounds (buttons.removeFromLeft (400));
        cancel.setBounds (buttons.removeFromRight (110));
        buttons.removeFromRight (8);
        run.setBounds (buttons.removeFromRight (110));
        area.removeFromBottom (6);
        status.setBounds (area.removeFromBottom (40));
        progressBar.setBounds (area.removeFromBottom (22));
        area.removeFromBottom (6);
        planText.setBounds (area);
    }

    juce::Label folderLabel { {}, "Media folder" }, modeLabel { {}, "Mode" }, status;
    juce::TextEditor folder, planText;
    juce::ComboBox mode;
    juce::TextButton browse { "Browse..." }, check { "Check" }, run { "Run" }, cancel { "Close" };
    juce::ProgressBar progressBar;
    juce::ToggleButton collect { "Copy imported files into the media folder" };
};

MediaFolderPanel::MediaFolderPanel (SessionDocument& sessionDocument, MainComponent& mainComponent, FileBrowserWindow& fileBrowser)
    : ToolWindow ("Media folder", new Content (progress), { 600, 360 }),
      document (sessionDocument), main (mainComponent), browser (fileBrowser)
{
    content = dynamic_cast<Content*> (getContentComponent());
    content->browse.onClick = [this]
    {
        browser.choose (FileBrowserWindow::Mode::chooseFolder, "New media folder of this session", "Use this folder",
                        juce::File (content->folder.getText()), {},
                        [safe = juce::Component::SafePointer<MediaFolderPanel> (this)] (const juce::Array<juce::File>& files)
                        {
                            if (safe != nullptr)
                            {
                                safe->content->folder.setText (files[0].getFullPathName(), false);
                                safe->plan();
                            }
                        });
    };
    content->check.onClick = [this] { plan(); };
    content->folder.onReturnKey = [this] { plan(); };
    content->mode.onChange = [this] { plan(); };
    content->run.onClick = [this] { runPlan(); };
    content->collect.onClick = [this]
    {
        if (job != nullptr && job->isBusy())
        {
            content->collect.setToggleState (! content->collect.getToggleState(), juce::dontSendNotification);
            setStatus ("Not changed: a media folder change is running", true);
            return;
        }
        try
        {
            setCollectOnImport (document.getPath(), content->collect.getToggleState());
        }
        catch (const std::exception& error)
        {
            setStatus ("Not changed: " + text (error.what()), true);
        }
    };
    content->cancel.onClick = [this]
    {
        if (job != nullptr && job->isBusy())
            job->cancel();
        else
            setVisible (false);
    };
}

MediaFolderPanel::~MediaFolderPanel()
{
    stopTimer();
    job.reset();   // cancels and joins; copies made before a switch are removed
}

void MediaFolderPanel::open()
{
    if (job == nullptr || ! job->isBusy())
    {
        const auto current = document.getMediaFolder();
        content->folder.setText (text (current), false);
        content->planText.setText ("Current media folder: " + (current.empty() ? juce::String ("(none recorded)") : text (current))
                                   + "\nChoose the new folder and a mode, then Check.");
        content->run.setEnabled (false);
        setStatus ({}, false);
        progress = 0.0;
    }
    content->collect.setToggleState (! collectOnImportFolder (document.getPath()).empty(), juce::dontSendNotification);
    showInFront ({ 180, 90 });
}

void MediaFolderPanel::setStatus (const juce::String& line, bool problem)
{
    content->status.setText (line, juce::dontSendNotification);
    content->status.setColour (juce::Label::textColourId, problem ? juce::Colour (0xffffb74d) : juce::Colours::white);
}

void MediaFolderPanel::plan()
{
    if (job != nullptr && job->isBusy())
        return;
    const auto folder = content->folder.getText().trim();
    if (folder.isEmpty() || document.getPath().empty())
        return;
    lastPlan.reset();
    content->run.setEnabled (false);
    content->planText.setText ("Checking...");
    // The plan stats every clip's file: off the message thread, on a copy of the session.
    planning = std::async (std::launch::async, [session = main.getEditor().getSession(), path = document.getPath(),
                                                target = juce::File::getCurrentWorkingDirectory().getChildFile (folder).getFullPathName().toStdString(),
                                                mode = content->chosenMode()]
                           { return planMediaFolderChange (session, path, target, mode); });
    startTimerHz (10);
}

void MediaFolderPanel::showPlan (const MediaFolderPlan& made)
{
    juce::StringArray lines;
    for (const auto& line : describeMediaFolderPlan (made))
        lines.add (text (line));
    content->planText.setText (lines.joinIntoString ("\n"));
    lastPlan = made;
    content->run.setEnabled (made.canRun());
    setStatus (made.canRun() ? "Ready: Run starts it in the background; the show keeps running."
                             : "Cannot run: " + text (made.problems.front()), ! made.canRun());
}

void MediaFolderPanel::runPlan()
{
    if (! lastPlan || (job != nullptr && job->isBusy()))
        return;
    if (main.getEditor().isLocked())
    {
        setStatus ("Show mode: the media folder cannot change", true);
        return;
    }
    switchProblem.clear();
    job = std::make_unique<MediaFolderJob> (*lastPlan);
    // Until the job ends, no edit may point a clip at a file (the switch would miss it, a move
    // delete it); every other edit and all playback go on.
    main.getEditor().setMediaLocked (true, "a media folder change is running: clip media and the media folder cannot change until it is done");
    job->startCopy();
    content->run.setEnabled (false);
    content->cancel.setButtonText ("Cancel");
    setStatus ("Copying and verifying...", false);
    startTimerHz (10);
}

void MediaFolderPanel::switchPaths()
{
    bool switched = true;
    // A source changed since its copy was made (the worker re-copied up to its last check):
    // never point a clip at a stale copy. One stat per file.
    switchProblem = text (job->findChangedSource());
    const auto changes = job->pathChangesFor (main.getEditor().getSession());
    if (switchProblem.isNotEmpty())
        switched = false;
    else if (! changes.empty())
    {
        try
        {
            document.saveWithNewMediaPaths (withMediaPathChanges (main.getEditor().getSession(), changes));
            main.sessionChanged();   // the clips' new paths; undo cannot take them back to files a move deletes
            main.updateTitle();
        }
        catch (const std::exception& error)   // the session stays on its original files; the copies go
        {
            switched = false;
            switchProblem = text (error.what());
        }
    }
    job->startFinish (switched);
}

void MediaFolderPanel::timerCallback()
{
    if (planning.valid())
    {
        if (planning.wait_for (std::chrono::seconds (0)) != std::future_status::ready)
            return;
        showPlan (planning.get());
    }
    if (job == nullptr)
    {
        stopTimer();
        return;
    }
    using State = MediaFolderJob::State;
    const auto state = job->getState();
    progress = job->getProgress();
    if (state == State::copying)
    {
        char line[96];
        std::snprintf (line, sizeof line, "Copying and verifying: %d of %d file(s)", job->getFilesDone(), (int) job->getPlan().files.size());
        setStatus (line, false);
        return;
    }
    if (state == State::readyToSwitch)
    {
        switchPaths();
        return;
    }
    if (state == State::finishing || state == State::idle)
        return;

    stopTimer();
    main.getEditor().setMediaLocked (false);
    content->cancel.setButtonText ("Close");
    const auto& made = job->getPlan();
    if (state == State::done)
    {
        char line[200];
        const auto seconds = job->getCopySeconds();
        std::snprintf (line, sizeof line, "Done: %d clip(s) repointed, %.1f MB copied and verified in %.1f s",
                       (int) job->getPathChanges().size(), (double) made.totalBytes / 1e6, seconds);
        auto summary = juce::String (line);
        for (const auto& warning : job->getWarnings())
            summary << "; " << text (warning);
        setStatus (summary, ! job->getWarnings().empty());
        main.setProblem ("Media folder: " + text (made.newFolder.string()) + " (" + mediaFolderModeName (made.mode) + ")");
    }
    else
        setStatus ((switchProblem.isNotEmpty() ? "Not switched: " + switchProblem
                    : state == State::cancelled ? juce::String ("Cancelled") : "Failed: " + text (job->getError()))
                       + ". The session is as it was; the copies made were removed.", true);
    lastPlan.reset();
}

std::vector<std::pair<juce::String, juce::Component*>> MediaFolderPanel::getControls()
{
    return { { "mediaFolderPath", &content->folder }, { "mediaFolderBrowse", &content->browse }, { "mediaFolderMode", &content->mode },
             { "mediaFolderPlan", &content->check }, { "mediaFolderRun", &content->run }, { "mediaFolderCancel", &content->cancel },
             { "mediaFolderCollect", &content->collect } };
}

} // namespace cuegrid

namespace cuegrid
{

juce::String MediaFolderPanel::getUiMapLines() const
{
    static const char* const names[] = { "idle", "copying", "readyToSwitch", "finishing", "done", "failed", "cancelled" };
    const auto state = job == nullptr ? juce::String ("none") : juce::String (names[(int) job->getState()]);
    return "text mediaFolderStatus " + content->status.getText().upToFirstOccurrenceOf ("\n", false, false) + "\nvalue mediaFolderState "
           + state + "\nvalue mediaFolderRunnable " + (content->run.isEnabled() ? "yes" : "no") + "\n";
}

} // namespace cuegrid
