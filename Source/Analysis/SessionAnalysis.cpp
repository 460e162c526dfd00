// CueGrid — GPL-3.0-or-later
// Session-level bimodal gain analysis: per-track metrics and detectors, gain, gain-linked
// groups, fader offsets, session detectors. Source: SessionPrep 0.3.3 behaviour as written
// down in ../shared/specs/analysis-sessionprep.md (sections 1.8–1.13).
#include "SessionAnalysis.h"

#include "Detectors.h"
#include "LoudnessMetrics.h"
#include "ParallelWork.h"
#include "TrackLoudness.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cuegrid::analysis
{

std::string proToolsSortKey (const std::string& fileName)
{
    std::string key;
    for (unsigned char c : fileName)
        if (c != ' ')
            key += (char) std::tolower (c);
    return key;
}

namespace
{
    std::string lowerCase (std::string text)
    {
        for (auto& c : text)
            c = (char) std::tolower ((unsigned char) c);
        return text;
    }

    /** 1.9: transient → peak target; sustained → RMS target capped by the peak target. */
    void planGain (TrackAnalysis& track, const AnalysisConfig& config)
    {
        if (track.metrics.silent)
        {
            track.classification.label = "Silent";
            track.method = "None";
            track.gainIndividualDb = track.gainDb = 0.0;
            return;
        }
        track.gainForPeak = config.targetPeak - track.metrics.peakDb;
        track.gainForRms = config.targetRms - track.metrics.rmsAnchorDb;
        if (track.classification.transient)
        {
            track.gainIndividualDb = track.gainForPeak;
            track.method = formatNumber ("Peak → %.0f dB", config.targetPeak);
        }
        else
        {
            track.gainIndividualDb = std::min (track.gainForRms, track.gainForPeak);
            track.method = track.gainIndividualDb == track.gainForRms ? formatNumber ("RMS → %.0f dB", config.targetRms) : "Peak Limited";
        }
        track.gainDb = track.gainIndividualDb;
    }

    /** 1.10: "Name:pat,pat"; first match wins; every member gets the group's minimum gain. */
    void levelGroups (SessionAnalysisResult& result, const AnalysisConfig& config)
    {
        struct Group { std::string name; std::vector<std::string> patterns; };
        std::vector<Group> groups;
        for (const auto& spec : config.groups)
        {
            Group group;
            const auto colon = spec.find (':');
            group.name = spec.substr (0, colon);
            if (colon != std::string::npos)
            {
                std::string rest = spec.substr (colon + 1), pattern;
                for (size_t start = 0; start <= rest.size();)
                {
                    const auto comma = std::min (rest.find (',', start), rest.size());
                    if (comma > start)
                        group.patterns.push_back (rest.substr (start, comma - start));
                    start = comma + 1;
                }
            }
            groups.push_back (group);
        }
        for (auto& track : result.tracks)
        {
            if (! track.ok())
                continue;
            for (const auto& group : groups)
            {
                if (! matchesAnyKeyword (track.fileName, group.patterns))
                    continue;
                if (! track.group)
                    track.group = group.name;
                else if (*track.group != group.name)
                    result.warnings.push_back ("Group overlap: " + track.fileName + " matches '" + group.name
                                               + "' but is already assigned to '" + *track.group + "'");
            }
        }
        for (const auto& group : groups)
        {
            double minimum = std::numeric_limits<double>::infinity();
            for (const auto& track : result.tracks)
                if (track.ok() && ! track.metrics.silent && track.group == group.name)
                    minimum = std::min (minimum, track.gainIndividualDb);
            if (std::isinf (minimum))
                continue;
            for (auto& track : result.tracks)
                if (track.ok() && ! track.metrics.silent && track.group == group.name)
                    track.gainDb = minimum;
        }
    }

    /** 1.11: fader = −gain, shifted down so the highest fader leaves headroom below the
        ceiling, then optionally re-anchored on one track. */
    void planFaders (SessionAnalysisResult& result, const AnalysisConfig& config)
    {
        double highest = -std::numeric_limits<double>::infinity();
        for (auto& track : result.tracks)
        {
            if (! track.ok())
                continue;
            track.faderOffsetDb = track.metrics.silent ? 0.0 : -track.gainDb;
            if (! track.metrics.silent)
                highest = std::max (highest, track.faderOffsetDb);
        }
        if (config.faderHeadroomDb > 0 && std::isfinite (highest))
        {
            const auto allowed = config.faderCeilingDb - config.faderHeadroomDb;
            if (highest > allowed)
            {
                result.faderRebalanceShiftDb = highest - allowed;
                for (auto& track : result.tracks)
                    if (track.ok() && ! track.metrics.silent)
                    {
                        track.faderOffsetDb -= result.faderRebalanceShiftDb;
                        track.faderRebalanceShiftDb = result.faderRebalanceShiftDb;
                    }
            }
        }
        if (config.anchor.empty())
            return;
        // The first non-silent track (sort order) whose name contains the anchor ends at 0 dB.
        const auto key = lowerCase (config.anchor);
        for (const auto& track : result.tracks)
            if (track.ok() && ! track.metrics.silent && lowerCase (track.fileName).find (key) != std::string::npos)
            {
                result.anchorOffsetDb = track.faderOffsetDb;
                break;
            }
        for (auto& track : result.tracks)
            if (track.ok() && ! track.metrics.silent)
                track.faderOffsetDb -= result.anchorOffsetDb;
    }
} // namespace

TrackAnalysis analyseTrack (const std::filesystem::path& file, const AnalysisConfig& config)
{
    TrackAnalysis track;
    track.path = file;
    track.fileName = file.filename().string();
    LoudnessAnalyzer loudness (config);
    OnsetEnvelopeAnalyzer onsets;
    TrackLoudnessAnalyzer r128;
    TrackDetectors detectors (config);
    auto analyzers = detectors.analyzers();
    analyzers.insert (analyzers.begin(), { &loudness, &onsets, &r128 });
    AudioFileInfo info;
    if (! scanAudioFile (file, info, analyzers, track.error))
        return track;
    track.sampleRate = info.sampleRate;
    track.channels = info.channels;
    track.bitdepth = info.bitdepth;
    track.subtype = info.subtype;
    track.format = info.format;
    track.frames = info.frames;
    track.durationSeconds = (double) info.frames / info.sampleRate;
    track.metrics = loudness.metrics();
    track.onsets = onsets.features();
    track.loudness = r128.loudness();
    track.classification = config.classifier == "cuegrid" ? classifyCueGrid (track.onsets, track.metrics, track.fileName, config)
                                                          : classifySessionPrep (track.metrics, track.fileName, config);
    planGain (track, config);
    detectors.writeResults (track);
    return track;
}

void planSession (SessionAnalysisResult& result, const AnalysisConfig& config)
{
    std::stable_sort (result.tracks.begin(), result.tracks.end(), [] (const TrackAnalysis& a, const TrackAnalysis& b)
                      { return proToolsSortKey (a.fileName) < proToolsSortKey (b.fileName); });
    result.warnings.clear();
    result.faderRebalanceShiftDb = result.anchorOffsetDb = 0;
    for (auto& track : result.tracks)
    {
        track.gainDb = track.gainIndividualDb;
        track.faderRebalanceShiftDb = 0;
        track.group.reset();
    }
    runSessionDetectors (result);
    levelGroups (result, config);
    planFaders (result, config);
}

SessionAnalysisResult analyseFiles (const std::vector<std::filesystem::path>& files, const AnalysisConfig& config, int jobs)
{
    SessionAnalysisResult result;
    result.tracks.resize (files.size());
    runInParallel (largestFirst (files), analysisJobs (jobs, files.size()),
                   [&] (size_t index) { result.tracks[index] = analyseTrack (files[index], config); });
    planSession (result, config);
    return result;
}

} // namespace cuegrid::analysis
