// CueGrid — GPL-3.0-or-later
#pragma once

#include "AnalysisConfig.h"
#include "SessionAnalysis.h"

#include <string>

namespace cuegrid::analysis
{

struct ReportOptions
{
    std::string generated;     // local time stamp, "2026-11-21 06:09:51"
    std::string sources;       // what was analysed (paths)
    std::string classifier = "sessionprep";
    bool colour = false;       // ANSI colours (terminal only)
};

/** The plain-text report, laid out as SessionPrep's sessionprep.txt (spec 2.2) and at most
    100 columns wide: header, health summary in PROBLEMS / ATTENTION / INFORMATION / CLEAN,
    track groups, per-track gain and fader with the class and the measures that decided it,
    upper-tail regions, file overview, files with errors. */
std::string textReport (const SessionAnalysisResult& result, const AnalysisConfig& config, const ReportOptions& options);

} // namespace cuegrid::analysis
