// CueGrid — GPL-3.0-or-later
#pragma once

#include "Analysis/SessionAnalysis.h"
#include "Control/SessionEditor.h"
#include "Session/SessionModel.h"

#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace cuegrid
{

/** One clip's row of "Apply analysis gain": what it has and what the analysis proposes (dB). */
struct AnalysisGainChange
{
    std::string clipId, label;
    int group = 0;                     // Clip Group 0–3 (A–D)
    bool linked = false;               // its Clip Group is gain-linked: it gets the group's lowest gain
    std::string classification;        // "Transient", "Sustained", "Silent", ...
    double oldGainDb = 0, newGainDb = 0;
    double oldTrimDb = 0, newTrimDb = 0;

    bool changes() const noexcept { return oldGainDb != newGainDb || oldTrimDb != newTrimDb; }
};

struct AnalysisGainOptions
{
    /** Clip Groups A–D whose analysed clips share one gain: the lowest of their own gains, as
        SessionPrep's gain-linked groups (spec 1.10), so the group keeps its internal balance. */
    std::array<bool, 4> linkedGroups {};
    /** Also set each clip's level trim to its fader offset (spec 1.11), so the mix keeps its
        original balance; otherwise the trims stay as they are. */
    bool keepBalance = true;
};

/** The proposed gains of every clip of `session` that has an analysis result (by clip id; error
    results are left out), in session clip order. The session is planned as a whole (fader
    offsets and their headroom shift need every clip), gain-linked Clip Groups levelled, and the
    values clamped to the manifest's range (limits::minGainDb … maxGainDb). Pure: any thread. */
std::vector<AnalysisGainChange> planAnalysisGain (const Session& session,
                                                  const std::map<std::string, analysis::TrackAnalysis>& resultsByClipId,
                                                  const analysis::AnalysisConfig& config, const AnalysisGainOptions& options);

/** The rows to apply for the clips `selected` (ids): those, plus every other clip of a linked
    group one of them is in, because a linked group only moves together. */
std::vector<AnalysisGainChange> changesForSelection (const std::vector<AnalysisGainChange>& plan, const std::set<std::string>& selected);

/** The Clip Groups the operator linked for this session: the session database's
    `gainLinkedGroups` setting ("AC" = A and C linked). None when the session has no database or
    it cannot be read. A setting of the session, not the show: not undoable, never needed to play. */
std::array<bool, 4> loadGainLinkedGroups (const std::string& sessionPath) noexcept;
/** Stores them in `<session>.db` (created if needed). Throws OutputError. */
void saveGainLinkedGroups (const std::string& sessionPath, const std::array<bool, 4>& linked);

/** Sets the rows' gains and trims as one undoable step "Apply analysis gain" (rows whose clip is
    gone are skipped). Refused, changing nothing, in Show mode (the editor is locked) or with
    nothing to change. Message thread. */
SessionEditor::Result applyAnalysisGain (SessionEditor& editor, const Session& session, const std::vector<AnalysisGainChange>& rows);

} // namespace cuegrid
