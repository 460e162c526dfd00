// CueGrid — GPL-3.0-or-later
#include "LoudnessTarget.h"

#include "AnalysisJson.h"
#include "DetectorResult.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace cuegrid::analysis
{

namespace
{
    constexpr double minusInfinity = -std::numeric_limits<double>::infinity();

    /** Why a clip has no integrated loudness (libebur128 gives -inf for all three). */
    std::string noLoudnessReason (const TrackAnalysis& track)
    {
        if (! std::isfinite (track.loudness.samplePeakDbfs))
            return "silent";
        if ((double) track.frames < 0.4 * track.sampleRate)
            return "shorter than one 400 ms block";
        return "no 400 ms block above the -70 LUFS gate";
    }

    std::string number (double value, const char* pattern)
    {
        if (std::isnan (value)) return "nan";
        if (std::isinf (value)) return value > 0 ? "inf" : "-inf";
        return formatNumber (pattern, value);
    }

    size_t columns (const std::string& text)   // UTF-8 code points ("→" is one column)
    {
        size_t count = 0;
        for (unsigned char c : text)
            count += (c & 0xc0) != 0x80 ? 1 : 0;
        return count;
    }

    std::string cell (std::string text, size_t width, bool alignRight = true)
    {
        const auto used = columns (text);
        if (used >= width)
            return text;
        return alignRight ? std::string (width - used, ' ') + text : text + std::string (width - used, ' ');
    }

    std::string name (const std::string& fileName, size_t width)
    {
        return columns (fileName) > width ? fileName.substr (0, width - 1) + "~" : cell (fileName, width, false);
    }

    std::string section (const std::string& title)
    {
        const std::string rule (80, '-');
        return "\n" + rule + "\n" + title + "\n" + rule + "\n";
    }
} // namespace

void planLoudnessTarget (SessionAnalysisResult& result, const LoudnessTargetSettings& settings)
{
    result.loudnessTarget = settings;
    for (auto& track : result.tracks)
    {
        track.loudnessGain.reset();
        if (! track.ok())
            continue;
        LoudnessGain gain;
        const auto& measured = track.loudness;
        if (! measured.notMeasured.empty() || ! std::isfinite (measured.integratedLufs))
        {
            gain.method = "None";
            gain.note = measured.notMeasured.empty() ? noLoudnessReason (track) : "not measured: " + measured.notMeasured;
            gain.resultLufs = minusInfinity;
            gain.resultTruePeakDbtp = measured.notMeasured.empty() ? measured.truePeakDbtp : std::numeric_limits<double>::quiet_NaN();
            track.loudnessGain = gain;
            continue;
        }
        const auto wanted = settings.targetLufs - measured.integratedLufs;
        const auto allowed = settings.truePeakCeilingDbtp - measured.truePeakDbtp;   // +inf never: a finite LUFS has a peak
        gain.limitedByCeiling = allowed < wanted;
        gain.gainIndividualDb = gain.gainDb = std::min (wanted, allowed);
        gain.method = gain.limitedByCeiling ? "True Peak Limited" : formatNumber ("LUFS → %g", settings.targetLufs);
        track.loudnessGain = gain;
    }

    // Gain-linked groups keep their balance: every member takes the group's lowest gain.
    std::map<std::string, double> groupGain;
    for (const auto& track : result.tracks)
        if (track.loudnessGain && track.group && track.loudnessGain->method != "None")
        {
            auto [entry, added] = groupGain.emplace (*track.group, track.loudnessGain->gainIndividualDb);
            if (! added)
                entry->second = std::min (entry->second, track.loudnessGain->gainIndividualDb);
        }
    for (auto& track : result.tracks)
    {
        if (! track.loudnessGain || track.loudnessGain->method == "None")
            continue;
        auto& gain = *track.loudnessGain;
        if (track.group)
            gain.gainDb = groupGain.at (*track.group);
        gain.resultLufs = track.loudness.integratedLufs + gain.gainDb;
        gain.resultTruePeakDbtp = track.loudness.truePeakDbtp + gain.gainDb;
        const auto shortfall = settings.targetLufs - gain.resultLufs;
        gain.shortfallLu = shortfall > 1e-9 ? shortfall : 0.0;
    }
}

nlohmann::ordered_json loudnessJson (const TrackLoudness& loudness)
{
    if (! loudness.notMeasured.empty())
        return { { "integrated_lufs", nullptr }, { "range_lu", nullptr }, { "true_peak_dbtp", nullptr },
                 { "sample_peak_dbfs", nullptr }, { "not_measured", loudness.notMeasured } };
    return { { "integrated_lufs", jsonNumber (loudness.integratedLufs) }, { "range_lu", jsonNumber (loudness.rangeLu) },
             { "true_peak_dbtp", jsonNumber (loudness.truePeakDbtp) }, { "sample_peak_dbfs", jsonNumber (loudness.samplePeakDbfs) } };
}

nlohmann::ordered_json loudnessGainJson (const LoudnessGain& gain)
{
    return { { "method", gain.method }, { "note", gain.note.empty() ? nlohmann::ordered_json (nullptr) : nlohmann::ordered_json (gain.note) },
             { "gain_db", jsonNumber (gain.gainDb) }, { "gain_db_individual", jsonNumber (gain.gainIndividualDb) },
             { "result_lufs", jsonNumber (gain.resultLufs) }, { "result_true_peak_dbtp", jsonNumber (gain.resultTruePeakDbtp) },
             { "limited_by_ceiling", gain.limitedByCeiling }, { "shortfall_lu", jsonNumber (gain.shortfallLu) } };
}

nlohmann::ordered_json loudnessTargetJson (const SessionAnalysisResult& result)
{
    if (! result.loudnessTarget)
        return nullptr;
    auto limited = nlohmann::ordered_json::array();
    for (const auto& track : result.tracks)
        if (track.loudnessGain && track.loudnessGain->limitedByCeiling)
            limited.push_back (track.fileName);
    return { { "target_lufs", result.loudnessTarget->targetLufs },
             { "true_peak_ceiling_dbtp", result.loudnessTarget->truePeakCeilingDbtp },
             { "limited_by_ceiling", limited } };
}

nlohmann::ordered_json loudnessTargetFileJson (const SessionAnalysisResult& result)
{
    nlohmann::ordered_json root;
    root["tool"] = "cuegrid";
    root["loudness_target"] = loudnessTargetJson (result);
    auto& tracks = root["tracks"] = nlohmann::ordered_json::array();
    for (const auto& track : result.tracks)
        if (track.ok() && track.loudnessGain)
            tracks.push_back ({ { "filename", track.fileName }, { "loudness", loudnessJson (track.loudness) },
                                { "loudness_target", loudnessGainJson (*track.loudnessGain) } });
    return root;
}

TrackLoudness loudnessFromJson (const nlohmann::json& object)
{
    auto read = [&] (const char* key, double missing)
    {
        if (! object.is_object() || ! object.contains (key)) return missing;
        const auto& value = object[key];
        if (value.is_number()) return value.get<double>();
        const auto text = value.is_string() ? value.get<std::string>() : std::string();
        if (text == "inf") return std::numeric_limits<double>::infinity();
        if (text == "-inf") return minusInfinity;
        return missing;
    };
    TrackLoudness loudness;
    loudness.integratedLufs = read ("integrated_lufs", minusInfinity);
    loudness.rangeLu = read ("range_lu", 0.0);
    loudness.truePeakDbtp = read ("true_peak_dbtp", minusInfinity);
    loudness.samplePeakDbfs = read ("sample_peak_dbfs", minusInfinity);
    if (object.is_object() && object.contains ("not_measured") && object["not_measured"].is_string())
        loudness.notMeasured = object["not_measured"].get<std::string>();
    return loudness;
}

std::string loudnessReportSections (const SessionAnalysisResult& result)
{
    std::string text = section ("LOUDNESS (EBU R 128 / ITU-R BS.1770-4: integrated, range, true peak)");
    text += name ("TRACK", 34) + cell ("INTEGRATED", 14) + cell ("RANGE", 10) + cell ("TRUE PEAK", 13) + cell ("SAMPLE PEAK", 14) + "\n";
    text += std::string (80, '-') + "\n";
    for (const auto& track : result.tracks)
    {
        if (! track.ok())
            continue;
        const auto& l = track.loudness;
        if (! l.notMeasured.empty())
        {
            text += name (track.fileName, 34) + "not measured: " + l.notMeasured + "\n";
            continue;
        }
        text += name (track.fileName, 34) + cell (number (l.integratedLufs, "%.1f") + " LUFS", 14) + cell (number (l.rangeLu, "%.1f") + " LU", 10)
                + cell (number (l.truePeakDbtp, "%.1f") + " dBTP", 13) + cell (number (l.samplePeakDbfs, "%.1f") + " dBFS", 14) + "\n";
    }
    if (! result.loudnessTarget)
        return text;

    const auto& target = *result.loudnessTarget;
    text += section (formatNumber ("LOUDNESS TARGET (%.1f LUFS integrated, ", target.targetLufs)
                     + formatNumber ("true peak <= %.1f dBTP)", target.truePeakCeilingDbtp));
    text += name ("TRACK", 34) + name ("METHOD", 20) + cell ("GAIN", 9) + cell ("RESULT", 14) + cell ("TRUE PEAK", 13) + "\n";
    text += std::string (80, '-') + "\n";
    std::string limited, none;
    int limitedCount = 0;
    for (const auto& track : result.tracks)
    {
        if (! track.loudnessGain)
            continue;
        const auto& gain = *track.loudnessGain;
        text += name (track.fileName, 34) + name (gain.method, 20) + cell (number (gain.gainDb, "%+.1f dB"), 9)
                + cell (number (gain.resultLufs, "%.1f") + " LUFS", 14) + cell (number (gain.resultTruePeakDbtp, "%.1f") + " dBTP", 13) + "\n";
        limitedCount += gain.limitedByCeiling ? 1 : 0;
        if (gain.limitedByCeiling || gain.shortfallLu > 0.05)
        {
            // A group member may be held lower than its own ceiling-limited gain by another member.
            const bool byGroup = track.group && gain.gainDb < gain.gainIndividualDb - 1e-9;
            limited += "  " + track.fileName + ": " + number (gain.shortfallLu, "%.1f") + " LU short of the target"
                       + (byGroup ? " (gain-linked group " + *track.group + ")" : std::string (" (true peak at the ceiling)")) + "\n";
        }
        if (! gain.note.empty())
            none += "  " + track.fileName + ": no gain, " + gain.note + "\n";
    }
    text += formatNumber ("\nLimited by the true-peak ceiling: %.0f clip(s)", (double) limitedCount)
            + (limited.empty() ? std::string ("\n") : "; short of the target:\n" + limited);
    if (! none.empty())
        text += "\nNot gained:\n" + none;
    return text;
}

} // namespace cuegrid::analysis
