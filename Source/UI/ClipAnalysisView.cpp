// CueGrid — GPL-3.0-or-later
#include "ClipAnalysisView.h"

#include "Session/AnalysisStore.h"
#include "Session/Errors.h"
#include "Session/Limits.h"
#include "Session/MediaLoader.h"

#include <algorithm>
#include <cstdio>
#include <thread>

namespace cuegrid
{

ClipAnalysisView::ClipAnalysisView (ShowController& showController, SessionEditor& sessionEditor)
    : controller (showController), editor (sessionEditor)
{
    for (auto* button : { static_cast<juce::Button*> (&showModeButton), static_cast<juce::Button*> (&applyButton) })
    {
        button->setWantsKeyboardFocus (false);
        button->setColour (juce::ToggleButton::textColourId, juce::Colours::white);
        addAndMakeVisible (*button);
    }
    applyButton.setTooltip ("The analysis gain per clip (old -> new) in a table; apply to a selection or to all, as one undoable edit");
    showModeButton.setTooltip ("Show mode: editing is locked and background analysis pauses so nothing competes with playback");
    showModeButton.onClick = [this]
    {
        const auto showMode = showModeButton.getToggleState();
        editor.setLocked (showMode);
        if (queue)
            queue->setSuspended (showMode);
    };
    applyButton.onClick = [this] { openGainPanel(); };
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
    keys.clear();
    keyIds.clear();
    problem.clear();
    reportedDone = false;
    reportedStoreError = false;
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
    enqueueNewClips();
}

int ClipAnalysisView::keyFor (const std::string& id)
{
    const auto [found, added] = keys.emplace (id, (int) keyIds.size());
    if (added)
        keyIds.push_back (id);
    return found->second;
}

void ClipAnalysisView::enqueueNewClips()
{
    const auto& session = controller.getSession();
    std::vector<analysis::AnalysisQueue::Job> jobs;
    for (size_t clip = 0; clip < session.clips.size(); ++clip)
        if (keys.count (session.clips[clip].id) == 0 && controller.hasMedia ((int) clip))
            jobs.push_back ({ keyFor (session.clips[clip].id), resolveMediaPath (controller.getSessionPath(), session.clips[clip].file) });
    if (! jobs.empty())
        queue->enqueue (jobs);
}

const analysis::TrackAnalysis* ClipAnalysisView::resultFor (int clip) const
{
    const auto& clips = controller.getSession().clips;
    if (clip < 0 || clip >= (int) clips.size())
        return nullptr;
    const auto key = keys.find (clips[(size_t) clip].id);
    if (key == keys.end())
        return nullptr;
    const auto found = results.find (key->second);
    return found != results.end() ? &found->second : nullptr;
}

void ClipAnalysisView::clear()
{
    queue.reset();
    startedFor.clear();
    results.clear();
    keys.clear();
    keyIds.clear();
    problem.clear();
}

void ClipAnalysisView::clipsChanged()
{
    if (queue == nullptr)
        startForSession();
    else
        enqueueNewClips();
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
    applyButton.setEnabled (done && ! editor.isLocked());
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
    const auto* track = resultFor (clip);
    if (track == nullptr)
        return {};
    if (! track->ok())
        return "ERROR";
    return juce::String (track->classification.label).upToFirstOccurrenceOf (" ", false, false).toUpperCase();
}

juce::String ClipAnalysisView::getReason (int clip) const
{
    const auto* found = resultFor (clip);
    if (found == nullptr)
        return {};
    const auto& track = *found;
    if (! track.ok())
        return "Analysis: " + juce::String (track.error);
    // The class, why (the classifier's deciding measures), then the level measures behind the gain.
    const auto& m = track.metrics;
    auto text = "Analysis: " + juce::String (track.classification.label) + ", " + juce::String (track.classification.reason)
                + juce::String::formatted ("; gain %+.1f dB", track.gainIndividualDb);
    if (! m.silent)
        text << juce::String::formatted ("\nPeak %.1f dBFS, anchor %.1f dBFS (%s), crest %.1f dB, decay %.1f dB, density %.0f%%",
                                         m.peakDb, m.rmsAnchorDb, m.anchorLabel.c_str(), m.crestDb, m.decayDb, m.density * 100.0);
    return text;
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

std::map<std::string, analysis::TrackAnalysis> ClipAnalysisView::resultsByClipId() const
{
    std::map<std::string, analysis::TrackAnalysis> byClip;
    const auto& session = controller.getSession();
    for (const auto& [key, track] : results)
        if (key < (int) keyIds.size() && session.findClip (keyIds[(size_t) key]) >= 0)
            byClip[keyIds[(size_t) key]] = track;
    return byClip;
}

void ClipAnalysisView::openGainPanel()
{
    if (editor.isLocked())
        return;
    if (gainPanel == nullptr)
    {
        gainPanel = std::make_unique<AnalysisGainPanel> (controller.getSession(), editor, config, [this] { return resultsByClipId(); });
        if (onGainPanelCreated)
            onGainPanelCreated (*gainPanel);
    }
    const auto* top = getTopLevelComponent();
    gainPanel->open (top != nullptr ? top->getScreenPosition() + juce::Point<int> (60, 110) : juce::Point<int> (60, 110),
                     controller.getSessionPath());
}

void ClipAnalysisView::resized()
{
    auto area = getLocalBounds();
    applyButton.setBounds (area.removeFromRight (170));
    area.removeFromRight (6);
    showModeButton.setBounds (area.removeFromRight (110));
}

} // namespace cuegrid
