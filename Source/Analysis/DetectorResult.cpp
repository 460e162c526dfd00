// CueGrid — GPL-3.0-or-later
#include "DetectorResult.h"

#include <cmath>
#include <cstdio>

namespace cuegrid::analysis
{

const char* severityName (Severity severity)
{
    switch (severity)
    {
        case Severity::clean: return "clean";
        case Severity::information: return "info";
        case Severity::attention: return "attention";
        case Severity::problem: return "problem";
    }
    return "clean";
}

nlohmann::ordered_json jsonNumber (double value)
{
    if (std::isnan (value)) return "nan";
    if (std::isinf (value)) return value > 0 ? "inf" : "-inf";
    return value;
}

std::string formatNumber (const char* pattern, double value)
{
    char buffer[96];
    std::snprintf (buffer, sizeof buffer, pattern, value);
    return buffer;
}

} // namespace cuegrid::analysis
