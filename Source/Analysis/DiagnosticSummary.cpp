// CueGrid — GPL-3.0-or-later
// Wording, order and bucketing: SessionPrep 0.3.3 rendering.py:22-453, written down in
// ../shared/specs/analysis-sessionprep.md 1.14; checked against its diagnostic_summary_text.
#include "DiagnosticSummary.h"

#include "Detectors.h"

#include <set>

namespace cuegrid::analysis
{

namespace
{
    const DetectorResult* findDetector (const TrackAnalysis& track, const std::string& id)
    {
        const auto found = track.detectors.find (id);
        return found == track.detectors.end() ? nullptr : &found->second;
    }

    std::vector<SummaryGroup>& bucketFor (DiagnosticSummary& summary, Severity severity)
    {
        switch (severity)
        {
            case Severity::problem: return summary.problems;
            case Severity::attention: return summary.attention;
            default: return summary.information;
        }
    }

    struct DetectorGroup
    {
        const char* id;
        const char* title;
        const char* hint;       // nullptr: none
        const char* cleanLine;  // nullptr: no CLEAN line
        bool makesUnclean;
    };

    constexpr DetectorGroup detectorGroups[] = {
        { "clipping", "Digital clipping", "request reprint / check limiting", "No digital clipping detected", true },
        { "dc_offset", "DC offset", "consider DC removal", "No DC offset issues detected", true },
        { "stereo_compat", "Stereo compatibility", nullptr, nullptr, false },
        { "dual_mono", "Dual-mono (identical L/R)", nullptr, nullptr, false },
        { "silence", "Silent files", "confirm intentional", "No silent files detected", true },
        { "one_sided_silence", "One-sided silence", "check stereo export / channel routing", "No one-sided silent stereo files detected", true },
        { "subsonic", "Subsonic content", "consider HPF ~30 Hz", "No significant subsonic content detected", true },
        { "tail_exceedance", "Tail regions exceeded anchor", "check for section-based riding", nullptr, true },
    };

    /** Which findings reach the summary: stereo only with a whole-file warning, tail only
        for tracks gained by RMS (the reference's is_relevant). */
    bool isListed (const TrackAnalysis& track, const std::string& id, const DetectorResult& result)
    {
        if (result.severity == Severity::clean)
            return false;
        if (id == "stereo_compat")
        {
            const auto warning = result.data.find ("whole_file_warning");
            return warning != result.data.end() && warning->second > 0;
        }
        if (id == "tail_exceedance")
            return track.method.find ("RMS") != std::string::npos;
        return true;
    }

    std::string formatText (double sampleRate, const std::string& bitdepth)
    {
        return std::to_string ((int) sampleRate) + " Hz / " + bitdepth;
    }
} // namespace

DiagnosticSummary summarise (const SessionAnalysisResult& result)
{
    DiagnosticSummary summary;
    std::set<std::string> named;   // tracks some finding makes unclean

    SummaryGroup errors { "File errors", "check or re-export the file", {}, false };
    for (const auto& track : result.tracks)
        if (! track.ok())
            errors.items.push_back (track.fileName + ": " + track.error);
    if (! errors.items.empty())
        summary.problems.push_back (errors);

    std::vector<const TrackAnalysis*> ok;
    for (const auto& track : result.tracks)
        if (track.ok())
            ok.push_back (&track);
    summary.totalOk = (int) ok.size();
    if (ok.empty())
        return summary;
    const auto total = std::to_string (ok.size());

    // Session groups: format, then length. Each names the session's most common value.
    auto sessionGroup = [&] (const char* id, const std::string& what, const std::string& common,
                             const std::string& cleanLine, const char* hint, std::vector<SummaryGroup>& bucket)
    {
        SummaryGroup group;
        int matching = 0;
        for (const auto* track : ok)
        {
            const auto* found = findDetector (*track, id);
            if (found == nullptr || found->severity == Severity::clean)
            {
                ++matching;
                continue;
            }
            group.items.push_back (track->fileName + ": " + found->summary);
            named.insert (track->fileName);
        }
        if (group.items.empty())
        {
            summary.clean.push_back ({ cleanLine + " (" + common + ")", std::nullopt, {}, true });
            return;
        }
        group.title = what + " mismatches. Deviations from " + std::to_string (matching) + "/" + total
                      + " file(s) match the most common " + (what == "Format" ? "session format" : "length") + " (" + common + ")";
        group.hint = hint;
        bucket.push_back (group);
    };
    sessionGroup ("format_consistency", "Format", formatText (result.mostCommonSampleRate, result.mostCommonBitdepth),
                  "No inconsistent session formats", "request corrected exports", summary.problems);
    sessionGroup ("length_consistency", "Length",
                  std::to_string (result.mostCommonLength) + " samples / "
                      + durationText ((double) result.mostCommonLength / result.mostCommonSampleRate),
                  "No inconsistent file lengths", "request aligned exports", summary.information);

    // Per-detector groups, each in the bucket of the severity its detector gives.
    for (const auto& spec : detectorGroups)
    {
        SummaryGroup group { spec.title, spec.hint != nullptr ? std::optional<std::string> (spec.hint) : std::nullopt, {}, false };
        auto severity = Severity::clean;
        for (const auto* track : ok)
        {
            const auto* found = findDetector (*track, spec.id);
            if (found == nullptr || found->severity == Severity::clean)
                continue;
            if (severity == Severity::clean)
                severity = found->severity;   // the first non-clean track's severity decides the bucket
            if (! isListed (*track, spec.id, *found))
                continue;
            group.items.push_back (track->fileName + ": " + found->summary);
            if (spec.makesUnclean)
                named.insert (track->fileName);
        }
        if (! group.items.empty())
            bucketFor (summary, severity).push_back (group);
        else if (spec.cleanLine != nullptr && severity == Severity::clean)
            summary.clean.push_back ({ spec.cleanLine, std::nullopt, {}, true });
    }

    for (const auto* track : ok)
        summary.cleanCount += named.count (track->fileName) == 0 ? 1 : 0;
    return summary;
}

std::string summaryText (const DiagnosticSummary& summary, bool colour)
{
    auto heading = [colour] (const char* ansi, const std::string& text)
    {
        return colour ? std::string ("\x1b[1;") + ansi + "m" + text + "\x1b[0m" : text;
    };
    auto itemCount = [] (const std::vector<SummaryGroup>& groups)
    {
        size_t count = 0;
        for (const auto& group : groups)
            count += group.items.size();
        return std::to_string (count);
    };

    std::string text = "🧾 Session Health Summary: " + std::to_string (summary.cleanCount) + "/"
                       + std::to_string (summary.totalOk) + " file(s) CLEAN\n\n";
    const std::pair<const std::vector<SummaryGroup>*, std::string> buckets[] = {
        { &summary.problems, heading ("31", "🔴 PROBLEMS (" + itemCount (summary.problems) + ")") },
        { &summary.attention, heading ("33", "🟡 ATTENTION (" + itemCount (summary.attention) + ")") },
        { &summary.information, heading ("34", "🔵 INFORMATION (" + itemCount (summary.information) + ")") },
    };
    for (const auto& [groups, title] : buckets)
    {
        text += title + "\n";
        if (groups->empty())
            text += "   - None\n\n";
        for (const auto& group : *groups)
        {
            text += "   - " + group.title + (group.hint ? " -> " + *group.hint : std::string()) + "\n";
            for (const auto& item : group.items)
                text += "     * " + item + "\n";
            text += "\n";
        }
        text += "\n";
    }
    text += heading ("32", "🟢 CLEAN") + "\n";
    if (summary.clean.empty())
        text += "   - None\n";
    for (const auto& group : summary.clean)
        text += "   - " + group.title + "\n";
    text.pop_back();   // the reference's text ends without a newline
    return text;
}

} // namespace cuegrid::analysis
