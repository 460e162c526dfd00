// CueGrid — GPL-3.0-or-later
#pragma once

#include "SessionAnalysis.h"

#include <nlohmann/json.hpp>
#include <string>

namespace cuegrid::analysis
{

/** Loudness target mode (docs/analysis.md §8): each OK clip gets gain = target − integrated
    loudness, lowered where needed so its true peak stays ≤ the ceiling (method "True Peak
    Limited", with the shortfall in LU). Members of a gain-linked group (planSession's
    track.group) all get the group's lowest gain, so their balance holds. Clips with no
    integrated loudness (silent, shorter than 400 ms, below the −70 LUFS gate) get 0 dB and
    method "None". Sets result.loudnessTarget and every OK track's loudnessGain; the bimodal
    plan (gain_db, faders) is not touched. Call after planSession. Any thread. */
void planLoudnessTarget (SessionAnalysisResult& result, const LoudnessTargetSettings& settings);

/** A track's `loudness` JSON object: integrated_lufs, range_lu, true_peak_dbtp, sample_peak_dbfs
    (non-finite values as the strings "-inf"/"inf"/"nan", as jsonNumber does). */
nlohmann::ordered_json loudnessJson (const TrackLoudness& loudness);

/** A track's `loudness_target` JSON object (target mode only). */
nlohmann::ordered_json loudnessGainJson (const LoudnessGain& gain);

/** The run's `loudness_target` JSON: the settings and the names of the ceiling-limited clips. */
nlohmann::ordered_json loudnessTargetJson (const SessionAnalysisResult& result);

/** `--write` in target mode: loudness_target.json beside the copies: the run's loudness_target,
    then per OK track its filename, loudness and loudness_target. */
nlohmann::ordered_json loudnessTargetFileJson (const SessionAnalysisResult& result);

/** loudnessJson's inverse for cached results; a missing or partial object gives -inf / 0. */
TrackLoudness loudnessFromJson (const nlohmann::json& object);

/** The report's LOUDNESS section (every OK track), and in target mode the LOUDNESS TARGET
    section listing each clip's gain and the clips the ceiling held below the target. */
std::string loudnessReportSections (const SessionAnalysisResult& result);

} // namespace cuegrid::analysis
