// CueGrid — GPL-3.0-or-later
#pragma once

#include "DetectorResult.h"
#include "TrackAnalyzer.h"

#include <memory>
#include <vector>

namespace cuegrid::analysis
{

/** Subsonic energy (spec 1.13 note 3, the reference's subsonic.py): per channel, a
    non-overlapping STFT of 500 ms periodic-Hann frames zero-padded to the next power of
    two (FFTW, double); ratio = Σ|Z|² over bins 1…⌊30 Hz·nfft/sr⌋ / Σ|Z|² over bins 1…nfft/2,
    over the frames whose RMS is >= 1e-7. INFO when the loudest channel's ratio is >= −20 dB.
    Data: subsonic_ratio_db (dB, max over channels), and as the reference writes them
    subsonic_warn, per_channel and (when warning) windowed_regions: per channel, runs of frames
    whose own ratio is >= −26 dB (sample_start, sample_end inclusive, max_ratio_db, channel),
    worst first. */
class SubsonicDetector final : public TrackAnalyzer
{
public:
    SubsonicDetector();
    ~SubsonicDetector() override;

    void begin (const AudioFileInfo& info) override;
    void process (const double* interleaved, int64_t frames) override;
    void end() override;
    DetectorResult result() const;

    static constexpr double cutoffHz = 30.0, warnRatioDb = -20.0, frameMs = 500.0;
    static constexpr double regionRelaxDb = 6.0;    // a frame joins a region at warnRatioDb − 6 dB
    static constexpr double absoluteGateDb = -40.0; // a frame's subsonic level (rms + ratio) below this: no ratio
    static constexpr double activeGateDb = 20.0;    // region fallback: frames within 20 dB of the loudest
    static constexpr size_t maxRegions = 20;

private:
    void finishFrame();
    nlohmann::ordered_json windowedRegions() const;

    struct FrameLevel { double ratioDb, rmsDb; };   // per channel and frame, in file order

    struct Transform;
    std::unique_ptr<Transform> transform;
    int channels = 0;
    size_t frameLength = 8, filled = 0, fftLength = 8, bandTop = 0;
    std::vector<double> frame;     // channels × frameLength, channel-major
    std::vector<double> window;    // periodic Hann
    std::vector<double> bandEnergy, totalEnergy;   // per channel, over valid frames
    std::vector<std::vector<FrameLevel>> frameLevels;   // per channel
    int64_t frames = 0;
};

} // namespace cuegrid::analysis
