// CueGrid — GPL-3.0-or-later
#pragma once

#include "SessionAnalysis.h"

#include <optional>
#include <string>
#include <vector>

namespace cuegrid::analysis
{

/** One finding group of the summary, e.g. "DC offset -> consider DC removal" and its items. */
struct SummaryGroup
{
    std::string title;
    std::optional<std::string> hint;
    std::vector<std::string> items;   // "<file>: <finding>"
    bool standalone = false;          // a CLEAN line ("No DC offset issues detected")
};

/** The session health summary of SessionPrep's rendering.py (spec 1.14): findings grouped
    by detector in the reference's order, each group in the bucket of its severity. */
struct DiagnosticSummary
{
    std::vector<SummaryGroup> problems, attention, information, clean;
    int cleanCount = 0;   // OK tracks no format, length, clipping, DC, silence, one-sided, subsonic or relevant tail item names
    int totalOk = 0;
};

DiagnosticSummary summarise (const SessionAnalysisResult& result);

/** The summary as the reference prints it: "🧾 Session Health Summary: C/T file(s) CLEAN",
    then 🔴 PROBLEMS (n), 🟡 ATTENTION (n), 🔵 INFORMATION (n), 🟢 CLEAN. With `colour`, the
    bucket headings get ANSI colours for a terminal. */
std::string summaryText (const DiagnosticSummary& summary, bool colour = false);

} // namespace cuegrid::analysis
