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
    Data: subsonic_ratio_db (dB, max over channels). */
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

private:
    void finishFrame();

    struct Transform;
    std::unique_ptr<Transform> transform;
    int channels = 0;
    size_t frameLength = 8, filled = 0, fftLength = 8, bandTop = 0;
    std::vector<double> frame;     // channels × frameLength, channel-major
    std::vector<double> window;    // periodic Hann
    std::vector<double> bandEnergy, totalEnergy;   // per channel, over valid frames
};

} // namespace cuegrid::analysis
