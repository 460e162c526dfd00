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
    ATTENTION when any window is flagged; stereo files only. Data: lr_corr, mono_loss_db (dB),
    and as the reference writes them corr_warn, mono_warn and windowed_regions: runs of flagged
    windows (sample_start, sample_end inclusive, min_corr, max_mono_loss_db), worst first. */
class StereoCompatibilityDetector final : public TrackAnalyzer
{
public:
    void begin (const AudioFileInfo& info) override;
    void process (const double* interleaved, int64_t frames) override;
    void end() override;
    DetectorResult result() const;

private:
    void finishWindow();
    static bool flagged (double corr, double monoLossDb);
    nlohmann::ordered_json regions (bool activeFallback) const;

    struct Window { double corr, monoLoss; bool active; };   // one per window, in file order

    bool stereo = false;
    size_t windowLength = 8, filled = 0;
    int64_t frames = 0;
    std::vector<Window> windows;
    std::vector<double> left, right;
    double totalLL = 0, totalRR = 0, totalLR = 0;
    bool anyFlagged = false, anyActive = false;
};

} // namespace cuegrid::analysis
