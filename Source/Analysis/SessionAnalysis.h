// CueGrid — GPL-3.0-or-later
#pragma once

#include "AnalysisConfig.h"
#include "Classifier.h"
#include "DetectorResult.h"
#include "LoudnessMetrics.h"
#include "TrackLoudness.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cuegrid::analysis
{

/** Everything the analysis found about one file. Levels in dBFS, gains in dB. */
struct TrackAnalysis
{
    std::filesystem::path path;
    std::string fileName;
    std::string error;                 // non-empty: the file could not be analysed (PROBLEMS)
    double sampleRate = 0;
    int channels = 0;
    std::string bitdepth, subtype;
    int format = 0;                    // libsndfile SF_FORMAT_* of the source
    int64_t frames = 0;
    double durationSeconds = 0;

    LoudnessMetrics metrics;
    OnsetFeatures onsets;              // CueGrid's classifier measures
    Classification classification;
    std::string method;                // "Peak → -6 dB", "RMS → -18 dB", "Peak Limited", "None"
    double gainForPeak = 0, gainForRms = 0;
    double gainIndividualDb = 0;       // this track's own gain
    double gainDb = 0;                 // after gain-linked group levelling
    std::optional<std::string> group;
    double faderOffsetDb = 0;
    double faderRebalanceShiftDb = 0;
    std::map<std::string, DetectorResult> detectors;  // by detector id
    TrackLoudness loudness;                        // EBU R 128 (TrackLoudness.h)
    std::optional<LoudnessGain> loudnessGain;      // only in loudness target mode (LoudnessTarget.h)

    bool ok() const noexcept { return error.empty(); }
};

struct SessionAnalysisResult
{
    std::vector<TrackAnalysis> tracks;     // Pro Tools sort order (lowercase, spaces removed)
    std::vector<std::string> warnings;     // group overlaps, ...
    double faderRebalanceShiftDb = 0;
    double anchorOffsetDb = 0;
    double mostCommonSampleRate = 0;
    std::string mostCommonBitdepth;
    int64_t mostCommonLength = 0;          // samples at the most common rate
    std::optional<LoudnessTargetSettings> loudnessTarget;   // set by planLoudnessTarget (--target_lufs)
};

/** The reference's file order: lower case with spaces removed. */
std::string proToolsSortKey (const std::string& fileName);

/** Measures, classifies, gains and runs the per-track detectors on one file, streaming it
    once. A file that cannot be analysed comes back with `error` set. Any non-audio thread. */
TrackAnalysis analyseTrack (const std::filesystem::path& file, const AnalysisConfig& config);

/** The session-level steps over analysed tracks (Pro Tools order, format and length
    consistency, gain-linked groups, fader offsets with the headroom rebalance and anchor).
    Idempotent: call again after tracks are added or replaced. Any thread. */
void planSession (SessionAnalysisResult& result, const AnalysisConfig& config);

/** Analyses the files: metrics, classification, gain, group levelling, fader offsets and
    the per-track and session detectors. A file that cannot be read becomes an error track;
    the rest are analysed. `jobs` files at a time (<= 0: one per hardware thread), largest
    first, on the calling thread and jobs − 1 more; the result does not depend on `jobs`. */
SessionAnalysisResult analyseFiles (const std::vector<std::filesystem::path>& files, const AnalysisConfig& config, int jobs = 0);

} // namespace cuegrid::analysis
