// CueGrid — GPL-3.0-or-later
#pragma once

#include "Control/AnalysisGain.h"
#include "UI/ToolWindow.h"

#include <functional>
#include <map>

namespace cuegrid
{

/** "Apply analysis gain": a non-modal table of the proposed changes (old → new gain and trim per
    analysed clip, its class and Clip Group) before anything is applied. The operator links Clip
    Groups (gain-linked: the group's lowest gain for all its clips, spec 1.10), keeps the balance
    or not, then applies to the selected rows (a linked group comes along whole) or to every row:
    one undoable SessionEditor step (Control/AnalysisGain). Disabled in Show mode. Message thread. */
class AnalysisGainPanel final : public ToolWindow, private juce::Timer
{
public:
    using Results = std::function<std::map<std::string, analysis::TrackAnalysis>()>;

    /** `results`: the analysis results by clip id, read whenever the table is planned again. */
    AnalysisGainPanel (const Session& session, SessionEditor& editor, analysis::AnalysisConfig config, Results results);
    ~AnalysisGainPanel() override;

    /** Plans again and shows the panel in front. The Link toggles come from the session's
        database (`sessionPath`.db, loadGainLinkedGroups) and are stored there when changed. */
    void open (juce::Point<int> topLeft, const std::string& sessionPath);

    /** Controls for the UI map: "analysisGainTable", "analysisGainApplySelected", "analysisGainApplyAll",
        "analysisGainKeepBalance", "analysisGainLinkA" … "analysisGainLinkD", "analysisGainClose". */
    std::vector<std::pair<juce::String, juce::Component*>> getControls();
    /** UI map lines: "text analysisGainStatus <status>" and per visible row
        "analysisGainRow <row> <x> <y> <clip id> <old gain> <new gain> <linked 0|1>" (dB, %.2f). */
    juce::String getUiMapLines() const;

    const std::vector<AnalysisGainChange>& getRows() const noexcept { return rows; }

private:
    void timerCallback() override;
    void plan();
    void apply (bool selectedOnly);
    void linksChanged();

    struct Content;
    Content* content = nullptr;
    const Session& session;
    SessionEditor& editor;
    const analysis::AnalysisConfig config;
    Results results;
    std::string sessionPath;                // whose database keeps the Link toggles
    std::vector<AnalysisGainChange> rows;
    uint64_t plannedAt = ~uint64_t (0);   // the editor's change count the rows were planned at
    size_t plannedResults = 0;
};

} // namespace cuegrid
