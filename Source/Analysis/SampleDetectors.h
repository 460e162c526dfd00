// CueGrid — GPL-3.0-or-later
#pragma once

#include "AnalysisConfig.h"
#include "DetectorResult.h"
#include "TrackAnalyzer.h"

#include <vector>

namespace cuegrid::analysis
{

/** Digital clipping (spec 1.13 note 1): runs of >= clip_consecutive samples with
    |x| >= 0.9999 per channel. For multichannel files counting stops after the channel in
    which the count reaches clip_report_max_ranges, as the reference's scan does. PROBLEM. */
class ClippingDetector final : public TrackAnalyzer
{
public:
    explicit ClippingDetector (const AnalysisConfig& settings) : config (settings) {}
    void begin (const AudioFileInfo& info) override;
    void process (const double* interleaved, int64_t frames) override;
    DetectorResult result() const;

private:
    const AnalysisConfig& config;
    std::vector<int64_t> runLength, runs;   // per channel
};

/** DC offset: the largest |mean| of any channel, warned above dc_offset_warn_db (−40 dBFS,
    strict). ATTENTION. */
class DcOffsetDetector final : public TrackAnalyzer
{
public:
    explicit DcOffsetDetector (const AnalysisConfig& settings) : config (settings) {}
    void begin (const AudioFileInfo& info) override;
    void process (const double* interleaved, int64_t frames) override;
    DetectorResult result() const;

private:
    const AnalysisConfig& config;
    std::vector<double> sums;   // per channel
    int64_t count = 0;
};

/** The stereo-pair checks on a decimated copy (every max(1, N / 200000)-th frame, as the
    reference): dual-mono (max |L − R| <= 1e-5, INFO) and one-sided silence (mean-removed
    RMS of one side <= −80 dBFS while the other is above, ATTENTION). Stereo files only. */
class ChannelPairDetector final : public TrackAnalyzer
{
public:
    explicit ChannelPairDetector (const AnalysisConfig& settings) : config (settings) {}
    void begin (const AudioFileInfo& info) override;
    void process (const double* interleaved, int64_t frames) override;
    DetectorResult dualMono() const;
    DetectorResult oneSidedSilence() const;

private:
    const AnalysisConfig& config;
    bool stereo = false;
    int64_t step = 1, position = 0;
    std::vector<double> left, right;
};

} // namespace cuegrid::analysis
