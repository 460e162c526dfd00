// CueGrid — GPL-3.0-or-later
#pragma once

#include "AnalysisConfig.h"
#include "SessionAnalysis.h"

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace cuegrid::analysis
{

/** What writeProcessedCopies did, file by file. */
struct ProcessedCopiesResult
{
    std::vector<std::filesystem::path> written;
    std::vector<std::string> errors;   // "<file>: <why>"; the other files are still written
};

/** Writes a copy of every analysed file into `folder` with its planned gain applied
    (out = in · 10^(gain_db/20), group-levelled gain, no dither, no limiter), in the same
    container and sample format, plus sessionprep.json (SessionPrep's schema 1.0, spec 2.1).
    Never writes over a source file: an output that would be one is an error for that file.
    Each file is written to a temporary and renamed, so a failure leaves no partial file.
    Throws OutputError when the folder cannot be created or sessionprep.json cannot be written.
    `jobs` copies at a time (<= 0: one per hardware thread, as analyseFiles); the lists come
    out in track order. Analysis threads only (file I/O). */
ProcessedCopiesResult writeProcessedCopies (const SessionAnalysisResult& result, const AnalysisConfig& config,
                                            const std::filesystem::path& folder, const std::string& sourceDirectory, int jobs = 0);

/** The copies alone, each OK track's file scaled by gainDbOf (track) dB, with the same checks
    and format as writeProcessedCopies but no sessionprep.json (loudness target mode uses the
    loudness gain). Throws OutputError when the folder cannot be created. gainDbOf is called
    on the calling thread; `jobs` as writeProcessedCopies. Analysis threads only. */
ProcessedCopiesResult writeGainedCopies (const SessionAnalysisResult& result, const std::filesystem::path& folder,
                                         const std::function<double (const TrackAnalysis&)>& gainDbOf, int jobs = 0);

/** SessionPrep's sessionprep.json (schema 1.0): session warnings and config, then the OK
    tracks in Pro Tools order with their diagnostics and processing. Non-finite numbers are
    written as the strings "inf"/"-inf"/"nan" (the reference writes the non-standard Infinity). */
nlohmann::ordered_json sessionPrepJson (const SessionAnalysisResult& result, const AnalysisConfig& config,
                                        const std::string& sourceDirectory, const std::string& timestamp);

} // namespace cuegrid::analysis
