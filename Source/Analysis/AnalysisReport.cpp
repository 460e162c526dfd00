// CueGrid — GPL-3.0-or-later
#include "AnalysisReport.h"

#include "Detectors.h"
#include "DiagnosticSummary.h"
#include "LoudnessTarget.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace cuegrid::analysis
{

namespace
{
    const std::string doubleRule (80, '='), singleRule (80, '-');

    std::string fit (std::string text, size_t width)   // cut or pad to exactly `width`
    {
        if (text.size() > width)
            text = text.substr (0, width - 1) + "~";
        text.resize (width, ' ');
        return text;
    }

    std::string right (const std::string& text, size_t width)
    {
        return text.size() >= width ? text : std::string (width - text.size(), ' ') + text;
    }

    std::string decibels (double value, const char* pattern = "%+.1f dB")
    {
        if (std::isnan (value)) return "nan";
        if (std::isinf (value)) return value > 0 ? "inf" : "-inf";
        return formatNumber (pattern, value);
    }

    size_t columns (const std::string& line)   // UTF-8 code points; ANSI escapes take none
    {
        size_t count = 0;
        bool escape = false;
        for (unsigned char c : line)
        {
            if (c == 0x1b) escape = true;
            else if (escape) escape = c != 'm';
            else count += (c & 0xc0) != 0x80 ? 1 : 0;
        }
        return count;
    }

    /** Wraps lines longer than `width` at a space, continuing under the text's indent + 4. */
    std::string wrapLines (const std::string& text, size_t width)
    {
        std::string wrapped;
        size_t start = 0;
        while (start < text.size())
        {
            auto end = text.find ('\n', start);
            if (end == std::string::npos) end = text.size();
            auto line = text.substr (start, end - start);
            const auto indent = std::string (std::min<size_t> (line.find_first_not_of (' '), 40) + 4, ' ');
            while (columns (line) > width)
            {
                auto cut = line.rfind (' ', width);
                if (cut == std::string::npos || cut <= indent.size())
                    break;
                wrapped += line.substr (0, cut) + "\n";
                line = indent + line.substr (cut + 1);
            }
            wrapped += line + (end < text.size() ? "\n" : "");
            start = end + 1;
        }
        return wrapped;
    }

    std::string section (const std::string& title)
    {
        return "\n" + singleRule + "\n" + title + "\n" + singleRule + "\n";
    }

    std::string shortFormat (const TrackAnalysis& track)
    {
        return formatNumber ("%gk/", track.sampleRate / 1000.0) + track.bitdepth;
    }

    std::string groupsSection (const SessionAnalysisResult& result, const AnalysisConfig& config)
    {
        if (config.groups.empty())
            return {};
        std::string text = section ("TRACK GROUPS");
        for (const auto& spec : config.groups)
        {
            const auto name = spec.substr (0, spec.find (':'));
            const TrackAnalysis* first = nullptr;
            std::string members;
            for (const auto& track : result.tracks)
                if (track.ok() && track.group == name)
                {
                    first = first == nullptr ? &track : first;
                    members += "   - " + track.fileName + "\n";
                }
            text += name + " | Group level: " + (first != nullptr ? decibels (first->gainDb) : std::string ("no members")) + "\n" + members;
        }
        for (const auto& warning : result.warnings)
            text += "! " + warning + "\n";
        return text;
    }

    std::string tracksSection (const SessionAnalysisResult& result)
    {
        std::string text = section ("FADER POSITIONS (set these to restore the original balance)");
        text += fit ("TRACK", 34) + fit ("FORMAT", 15) + fit ("TYPE", 20) + right ("GAIN", 9) + right ("FADER", 10) + "\n";
        text += singleRule + "\n";
        std::string reasons;
        for (const auto& track : result.tracks)
        {
            if (! track.ok())
                continue;
            text += fit (track.fileName, 34) + fit (shortFormat (track), 15) + fit (track.classification.label, 20)
                    + right (decibels (track.gainDb), 9) + right (decibels (track.faderOffsetDb), 10) + "\n";
            if (! track.classification.reason.empty())
                reasons += "  " + track.fileName + ": " + track.classification.reason + "\n";
        }
        if (! reasons.empty())
            text += "\nWhy each class:\n" + reasons;
        return text;
    }

    std::string tailSection (const SessionAnalysisResult& result, const AnalysisConfig& config)
    {
        std::string text = section ("MOMENTARY RMS UPPER TAIL (windows above the anchor)");
        text += "Anchor Mode: " + config.rmsAnchor + " | Window: " + formatNumber ("%g ms", config.windowMs)
                + " | Percentile: P" + formatNumber ("%g", config.rmsPercentile) + "\n";
        text += "Report Limit: " + std::to_string (config.tailMaxRegions) + " regions per file | Min Exceed: "
                + formatNumber ("%.1f dB", config.tailMinExceedDb) + " | Hop: " + formatNumber ("%g ms", config.tailHopMs) + "\n\n";
        bool any = false;
        for (const auto& track : result.tracks)
        {
            if (! track.ok())
                continue;
            const auto found = track.detectors.find ("tail_exceedance");
            if (found == track.detectors.end() || found->second.severity == Severity::clean)
                continue;
            any = true;
            const auto& data = found->second.data;
            text += track.fileName + "\n  Anchor RMS: " + decibels (track.metrics.rmsAnchorDb, "%.2f dBFS")
                    + " | " + found->second.summary + formatNumber (" | total %.2f s\n", data.count ("total_duration_sec") ? data.at ("total_duration_sec") : 0.0);
            // Each region as the reference's report lists it.
            const auto& regions = found->second.details.value ("tail_regions", nlohmann::ordered_json::array());
            for (size_t i = 0; i < regions.size(); ++i)
            {
                const auto& region = regions[i];
                const auto rms = region.value ("max_rms_db", nlohmann::ordered_json (0.0));
                char line[200];
                std::snprintf (line, sizeof line, "  %zu. %s - %s | samples %lld-%lld | max +%.2f dB (RMS %.2f dBFS)\n", i + 1,
                               region.value ("start_time", "").c_str(), region.value ("end_time", "").c_str(),
                               (long long) region.value ("start_sample", 0LL), (long long) region.value ("end_sample", 0LL),
                               region.value ("max_exceed_db", 0.0), rms.is_number() ? rms.get<double>() : -std::numeric_limits<double>::infinity());
                text += line;
            }
        }
        if (! any)
            text += "No significant tail exceedances above threshold were found.\n";
        return text;
    }

    std::string overviewSection (const SessionAnalysisResult& result)
    {
        std::string text = section ("FILE OVERVIEW");
        text += fit ("TRACK", 34) + right ("SR(kHz)", 8) + right ("BIT", 14) + right ("CH", 4) + right ("DUR", 11)
                + right ("PEAK", 9) + right ("ANCHOR", 9) + "\n" + singleRule + "\n";
        std::string errors;
        for (const auto& track : result.tracks)
        {
            if (! track.ok())
            {
                errors += "  " + track.fileName + ": " + track.error + "\n";
                continue;
            }
            text += fit (track.fileName, 34) + right (formatNumber ("%.1f", track.sampleRate / 1000.0), 8) + right (track.bitdepth, 14)
                    + right (std::to_string (track.channels), 4) + right (durationText (track.durationSeconds), 11)
                    + right (decibels (track.metrics.peakDb, "%.1f"), 9) + right (decibels (track.metrics.rmsAnchorDb, "%.1f"), 9) + "\n";
        }
        if (! errors.empty())
            text += section ("FILES WITH ERRORS") + errors;
        return text;
    }
} // namespace

std::string textReport (const SessionAnalysisResult& result, const AnalysisConfig& config, const ReportOptions& options)
{
    std::string text = doubleRule + "\nCueGrid Analysis Report\n" + doubleRule + "\n";
    if (! options.generated.empty())
        text += "Generated: " + options.generated + "\n";
    if (! options.sources.empty())
        text += "Source: " + options.sources + "\n";
    text += "Classifier: " + options.classifier + " | Target RMS: " + formatNumber ("%.1f dBFS", config.targetRms)
            + " | Target Peak: " + formatNumber ("%.1f dBFS", config.targetPeak) + "\n";
    text += "Clipping Detection Threshold: " + std::to_string (config.clipConsecutive) + " consecutive samples @ ±1.0\n\n";
    text += summaryText (summarise (result), options.colour) + "\n";
    text += groupsSection (result, config);
    text += tracksSection (result);
    text += tailSection (result, config);
    text += loudnessReportSections (result);
    text += overviewSection (result);
    text += "\n" + doubleRule + "\n";
    return wrapLines (text, 100);
}

} // namespace cuegrid::analysis
