// CueGrid — GPL-3.0-or-later
#pragma once

#include "SessionAnalysis.h"

#include <nlohmann/json.hpp>

namespace cuegrid::analysis
{

/** The `cuegrid analyze --json` document: {config, session, tracks}. Each track carries the
    reference tool's keys with the same meanings and units; non-finite numbers are the
    strings "inf", "-inf", "nan" (docs/analysis.md). */
nlohmann::ordered_json toJson (const SessionAnalysisResult& result, const AnalysisConfig& config);

/** One track as in `tracks[]` of toJson(), and back: the analysis cache stores tracks in
    this form. trackFromJson throws nlohmann::json::exception on a malformed record. The
    session-level fields (group, gain after grouping, fader) are recomputed by planSession. */
nlohmann::ordered_json trackToJson (const TrackAnalysis& track);
TrackAnalysis trackFromJson (const nlohmann::json& json);

/** The settings as the `config` object of toJson(), under the reference CLI's option names. */
nlohmann::ordered_json configToJson (const AnalysisConfig& config);

/** A stable text of the settings that change a track's own result (cache key part):
    configToJson() without the session-only settings, plus the classifier. */
std::string trackSettingsKey (const AnalysisConfig& config);

} // namespace cuegrid::analysis
