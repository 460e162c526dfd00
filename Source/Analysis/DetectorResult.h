// CueGrid — GPL-3.0-or-later
#pragma once

#include <nlohmann/json.hpp>

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

    /** The rest of the reference's `data`, in its key names and shapes: flags, region lists
        (sample ranges and values), per-channel and summary objects. Non-finite numbers in it
        are already the strings "inf"/"-inf"/"nan". Written into the JSON `data` after `data`. */
    nlohmann::ordered_json details = nlohmann::ordered_json::object();
};

/** A double as JSON: the number, or "inf" / "-inf" / "nan". */
nlohmann::ordered_json jsonNumber (double value);

/** printf of one number, for summaries in the reference's wording. */
std::string formatNumber (const char* pattern, double value);

} // namespace cuegrid::analysis
