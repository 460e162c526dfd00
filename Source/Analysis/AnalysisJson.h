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

/** A double as JSON: the number, or "inf" / "-inf" / "nan". */
nlohmann::ordered_json jsonNumber (double value);

} // namespace cuegrid::analysis
