// CueGrid — GPL-3.0-or-later
#pragma once

#include "SessionAnalysis.h"

namespace cuegrid::analysis
{

/** Per-track detectors: silence, clipping, DC offset, dual-mono, one-sided silence
    (spec 1.13). Fills track.detectors. */
void runTrackDetectors (const AnalysisAudio& audio, TrackAnalysis& track, const AnalysisConfig& config);

/** Session detectors: format consistency and length consistency (spec 1.13). */
void runSessionDetectors (SessionAnalysisResult& result);

} // namespace cuegrid::analysis
