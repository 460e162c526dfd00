// CueGrid — GPL-3.0-or-later
#pragma once

#include "SampleDetectors.h"
#include "SessionAnalysis.h"
#include "StereoCompatibility.h"
#include "SubsonicDetector.h"

namespace cuegrid::analysis
{

/** The per-track detectors of spec 1.13 as one set of analyzers: pass analyzers() to
    scanAudioFile, then writeResults() fills track.detectors (after track.metrics is set:
    silence and tail exceedance read it). One per analysis thread. */
class TrackDetectors
{
public:
    explicit TrackDetectors (const AnalysisConfig& config);

    std::vector<TrackAnalyzer*> analyzers();
    void writeResults (TrackAnalysis& track) const;

private:
    const AnalysisConfig& config;
    ClippingDetector clipping;
    DcOffsetDetector dcOffset;
    ChannelPairDetector channelPair;
    StereoCompatibilityDetector stereoCompatibility;
    SubsonicDetector subsonic;
};

/** Session detectors: format consistency and length consistency (spec 1.13). */
void runSessionDetectors (SessionAnalysisResult& result);

/** "MM:SS.mmm", milliseconds truncated (the reference's format_duration). */
std::string durationText (double seconds);

} // namespace cuegrid::analysis
