// CueGrid — GPL-3.0-or-later
#pragma once

#include "Analysis/AnalysisQueue.h"
#include "Control/ShowController.h"
#include "UI/AnalysisGainPanel.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <map>
#include <unordered_map>
#include <memory>

namespace cuegrid
{

/** The session's background analysis as the operator sees it: progress, a Show mode
    switch that suspends it, and "Apply analysis gain", which opens the table of the proposed
    changes (AnalysisGainPanel: old → new per clip, gain-linked Clip Groups, Keep balance, apply
    to a selection or to all as one undoable edit).
    Owns the AnalysisQueue; the analysis itself runs on the queue's workers. Message thread. */
class ClipAnalysisView final : public juce::Component
{
public:
    /** Apply analysis gain goes through `editor` (one undo step); Show mode locks it. */
    ClipAnalysisView (ShowController& controller, SessionEditor& editor);
    ~ClipAnalysisView() override;

    /** Queues every clip with media; results stored in `<session>.db` beside the manifest.
        Does nothing if this session's analysis is already under way. */
    void startForSession();

    /** Stops the analysis of the previous session and forgets its results (a new session is
        being loaded; startForSession follows once its media is in). */
    void clear();

    /** Clips were added or removed (their indices moved): results stay with their clips (by
        id) and only clips new to the view are queued; nothing is read again. */
    void clipsChanged();

    /** Collects finished results; true when something changed (badges need a repaint). */
    bool update();

    /** "TRANSIENT", "SUSTAINED", "SILENT", "ERROR" or empty (not analysed yet), and why. */
    juce::String getBadge (int clip) const;
    juce::String getReason (int clip) const;

    juce::String getProgressText() const;
    juce::String getProblem() const { return problem; }

    /** Opens the "Apply analysis gain" panel (refused in Show mode: the button is disabled). */
    void openGainPanel();

    /** The finished results of the clips still in the session, by clip id (error results too). */
    std::map<std::string, analysis::TrackAnalysis> resultsByClipId() const;

    /** Called once when the panel is made, for the UI map. */
    std::function<void (AnalysisGainPanel&)> onGainPanelCreated;

    juce::Button& getApplyButton() noexcept { return applyButton; }
    juce::Button& getShowModeButton() noexcept { return showModeButton; }

    void resized() override;

private:
    ShowController& controller;
    SessionEditor& editor;
    const analysis::AnalysisConfig config = [] { analysis::AnalysisConfig c; c.classifier = "cuegrid"; return c; }();
    std::unique_ptr<analysis::AnalysisQueue> queue;
    std::map<int, analysis::TrackAnalysis> results;   // by job key (keyIds: the clip id)
    std::unordered_map<std::string, int> keys;         // clip id -> job key, stable while clip indices move
    std::vector<std::string> keyIds;                   // job key -> clip id
    int keyFor (const std::string& id);
    const analysis::TrackAnalysis* resultFor (int clip) const;
    void enqueueNewClips();
    juce::String problem;
    bool reportedDone = false, reportedStoreError = false;
    std::string startedFor;   // session path the queue works for
    juce::ToggleButton showModeButton { "Show mode" };
    juce::TextButton applyButton { "Apply analysis gain..." };
    std::unique_ptr<AnalysisGainPanel> gainPanel;
};

} // namespace cuegrid
