// CueGrid — GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

namespace cuegrid::analysis
{

/** Settings of the bimodal gain analysis, named and defaulted as the reference tool's CLI
    (SessionPrep 0.3.3; ../shared/specs/analysis-sessionprep.md, section 1). */
struct AnalysisConfig
{
    std::string classifier = "sessionprep";   // "sessionprep" (the reference's rule) | "cuegrid"
    double targetRms = -18.0;              // dBFS, sustained material
    double targetPeak = -6.0;              // dBFS, transient material
    double crestThreshold = 12.0;          // dB
    double decayDbThreshold = 12.0;        // dB
    double decayLookaheadMs = 200.0;       // ms
    double sparseDensityThreshold = 0.25;  // fraction of windows
    double gateRelativeDb = 40.0;          // dB below the loudest window
    std::string rmsAnchor = "percentile";  // "percentile" | "max"
    double rmsPercentile = 95.0;
    double windowMs = 400.0;               // momentary RMS window
    std::string stereoMode = "avg";        // "avg" | "sum"
    double tailMinExceedDb = 3.0;
    double tailHopMs = 10.0;
    int tailMaxRegions = 20;
    std::vector<std::string> groups;       // "Name:pattern,pattern"
    std::vector<std::string> forceTransient, forceSustained;
    std::string anchor;                    // track name substring; empty = none
    double faderHeadroomDb = 8.0;
    double faderCeilingDb = 12.0;          // Pro Tools' maximum fader gain

    // Detectors
    int clipConsecutive = 3;
    int clipReportMaxRanges = 10;
    double dcOffsetWarnDb = -40.0;
    double dualMonoEpsilon = 1e-5;
    double oneSidedSilenceDb = -80.0;
};

} // namespace cuegrid::analysis
