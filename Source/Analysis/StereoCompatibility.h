// CueGrid — GPL-3.0-or-later
#pragma once

#include "DetectorResult.h"
#include "TrackAnalyzer.h"

#include <vector>

namespace cuegrid::analysis
{

/** Stereo compatibility (spec 1.13 note 2): L/R correlation and mono fold-down loss over
    non-overlapping 500 ms windows (the reference CLI's window), each with its own mean
    removed; the last window zero-padded. Whole-file values sum the active windows.
    ATTENTION when any window is flagged; stereo files only. Data: lr_corr, mono_loss_db (dB). */
class StereoCompatibilityDetector final : public TrackAnalyzer
{
public:
    void begin (const AudioFileInfo& info) override;
    void process (const double* interleaved, int64_t frames) override;
    void end() override;
    DetectorResult result() const;

private:
    void finishWindow();

    bool stereo = false;
    size_t windowLength = 8, filled = 0;
    std::vector<double> left, right;
    double totalLL = 0, totalRR = 0, totalLR = 0;
    bool anyFlagged = false, anyActive = false;
};

} // namespace cuegrid::analysis
