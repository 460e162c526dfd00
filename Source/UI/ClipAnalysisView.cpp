// CueGrid — GPL-3.0-or-later
#include "ClipAnalysisView.h"

#include "Session/AnalysisStore.h"
#include "Session/Errors.h"
#include "Session/MediaLoader.h"

#include <cstdio>
#include <thread>

namespace cuegrid
{

namespace
{
    /** One clip's gain and level trim change, undoable as part of one transaction. */
    class SetClipLevels final : public juce::UndoableAction
    {
    public:
        struct Levels { double gainDb, levelTrimDb; };

        SetClipLevels (ShowController& showController, int clipIndex, Levels before, Levels after)
            : controller (showController), clip (clipIndex), previous (before), next (after) {}

        bool perform() override { controller.setClipLevels (clip, next.gainDb, next.levelTrimDb); return true; }
        bool undo() override { controller.setClipLevels (clip, previous.gainDb, previous.levelTrimDb); return true; }

    private:
        ShowController& controller;
        int clip;
        Levels previous, next;
    };
} // namespace

ClipAnalysisView::ClipAnalysisView (ShowController& showController, juce::UndoManager& undo)
    : controller (showController), undoManager (undo)
{
    for (auto* button : { static_cast<juce::Button*> (&showModeButton), static_cast<juce::Button*> (&keepBalanceButton),
                          static_cast<juce::Button*> (&applyButton) })
    {
        button->setWantsKeyboardFocus (false);
        button->setColour (juce::ToggleButton::textColourId, juce::Colours::white);
        addAndMakeVisible (*button);
    }
    keepBalanceButton.setToggleState (true, juce::dontSendNotification);
    keepBalanceButton.setTooltip ("Also set each clip's level trim to its fader offset, so the mix keeps its original balance");
    showModeButton.setTooltip ("Show mode: background analysis pauses so nothing competes with playback");
    showModeButton.onClick = [this] { if (queue) queue->setSuspended (showModeButton.getToggleState()); };
    applyButton.onClick = [this] { applyAnalysisGain(); };
    applyButton.setEnabled (false);
}

ClipAnalysisView::~ClipAnalysisView() = default;

void ClipAnalysisView::startForSession()
{
    if (queue != nullptr && startedFor == controller.getSessionPath())
        return;
    startedFor = controller.getSessionPath();
    queue.reset();
    results.clear();
    problem.clear();
    reportedDone = false;
    reportedStoreError = false;
    const auto& session = controller.getSession();
    const auto& sessionPath = controller.getSessionPath();
    if (sessionPath.empty())
        return;

    std::shared_ptr<AnalysisStore> store;
    try
    {
        store = std::make_shared<AnalysisStore> (sessionPath + ".db");
    }
    catch (const OutputError& error)
    {
        problem = juce::String ("analysis results will not be kept: ") + error.what();
    }
    // Leave one core to the audio and message threads.
    const auto workers = (int) std::max (1u, std::thread::hardware_concurrency() / 2);
    queue = std::make_unique<analysis::AnalysisQueue> (config, store, workers);
    queue->setSuspended (showModeButton.getToggleState());
    std::vector<analysis::AnalysisQueue::Job> jobs;
    for (size_t clip = 0; clip < session.clips.size(); ++clip)
        if (controller.hasMedia ((int) clip))
            jobs.push_back ({ (int) clip, resolveMediaPath (sessionPath, session.clips[clip].file) });
    queue->enqueue (jobs);
}

bool ClipAnalysisView::update()
{
    if (! queue)
        return false;
    auto finished = queue->takeResults();
    for (auto& result : finished)
        results[result.clip] = std::move (result.track);
    const auto progress = queue->getProgress();
    const auto done = progress.queued > 0 && progress.finished == progress.queued;
    applyButton.setEnabled (done);
    if (! progress.storeError.empty() && ! reportedStoreError)
    {
        // A full disk: results still arrive, the session database just does not keep them.
        reportedStoreError = true;
        problem = juce::String ("analysis results not kept: ") + juce::String::fromUTF8 (progress.storeError.c_str());
        std::fprintf (stderr, "CueGrid: %s\n", problem.toRawUTF8());
        controller.writeEventLog ({ { "event", "analysisNotStored" }, { "error", progress.storeError } });
    }
    if (done && ! reportedDone)
        controller.writeEventLog ({ { "event", "analysisDone" }, { "clips", progress.finished },
                                    { "analysed", progress.analysed }, { "fromCache", progress.fromCache } });
    reportedDone = done;
    return ! finished.empty();
}

juce::String ClipAnalysisView::getBadge (int clip) const
{
    const auto found = results.find (clip);
    if (found == results.end())
        return {};
    if (! found->second.ok())
        return "ERROR";
    return juce::String (found->second.classification.label).upToFirstOccurrenceOf (" ", false, false).toUpperCase();
}

juce::String ClipAnalysisView::getReason (int clip) const
{
    const auto found = results.find (clip);
    if (found == results.end())
        return {};
    const auto& track = found->second;
    if (! track.ok())
        return "Analysis: " + juce::String (track.error);
    return "Analysis: " + juce::String (track.classification.label) + ", " + juce::String (track.classification.reason)
           + juce::String::formatted ("; gain %+.1f dB", track.gainIndividualDb);
}

juce::String ClipAnalysisView::getProgressText() const
{
    if (! queue)
        return {};
    const auto progress = queue->getProgress();
    juce::String text;
    if (progress.suspended)
        text << "SHOW MODE: analysis paused (" << progress.finished << " / " << progress.queued << ")";
    else if (progress.finished < progress.queued)
        text << "Analysing " << progress.finished << " / " << progress.queued;
    else
        text << "Analysis " << progress.finished << " / " << progress.queued << " (" << progress.fromCache << " from the session database)";
    return text;
}

void ClipAnalysisView::applyAnalysisGain()
{
    // Plan the session over every analysed clip (fader offsets need them all), then map the
    // sorted tracks back to clips by file.
    analysis::SessionAnalysisResult plan;
    for (const auto& [clip, track] : results)
        if (track.ok())
            plan.tracks.push_back (track);
    analysis::planSession (plan, config);
    std::map<std::filesystem::path, const analysis::TrackAnalysis*> byFile;
    for (const auto& track : plan.tracks)
        byFile[track.path] = &track;

    const auto& session = controller.getSession();
    undoManager.beginNewTransaction ("Apply analysis gain");
    for (const auto& [clip, track] : results)
    {
        const auto planned = byFile.find (track.path);
        if (planned == byFile.end() || clip >= (int) session.clips.size())
            continue;
        const auto& definition = session.clips[(size_t) clip];
        const SetClipLevels::Levels before { definition.gainDb, definition.levelTrimDb };
        const SetClipLevels::Levels after { planned->second->gainDb, keepBalanceButton.getToggleState() ? planned->second->faderOffsetDb : 0.0 };
        undoManager.perform (new SetClipLevels (controller, clip, before, after));
    }
}

void ClipAnalysisView::resized()
{
    auto area = getLocalBounds();
    applyButton.setBounds (area.removeFromRight (170));
    area.removeFromRight (6);
    keepBalanceButton.setBounds (area.removeFromRight (120));
    showModeButton.setBounds (area.removeFromRight (110));
}

} // namespace cuegrid
