// CueGrid — GPL-3.0-or-later
#pragma once

#include <map>
#include <string>

namespace cuegrid::analysis
{

enum class Severity { clean, information, attention, problem };
const char* severityName (Severity severity);   // "clean", "info", "attention", "problem"

/** One detector's verdict on one track. */
struct DetectorResult
{
    DetectorResult() = default;
    DetectorResult (Severity level, std::string text, std::map<std::string, double> values = {})
        : severity (level), summary (std::move (text)), data (std::move (values)) {}

    Severity severity = Severity::clean;
    std::string summary;                   // the reference's wording, e.g. "DC offset -31.4 dBFS"
    std::map<std::string, double> data;   // measured values, e.g. lr_corr, mono_loss_db (dB)
};

/** printf of one number, for summaries in the reference's wording. */
std::string formatNumber (const char* pattern, double value);

} // namespace cuegrid::analysis
