// CueGrid — GPL-3.0-or-later
#pragma once

#include "TrackAnalyzer.h"
#include "TruePeak.h"

#include <array>
#include <string>
#include <vector>

namespace cuegrid::analysis
{

/** A track's loudness per EBU R 128 / ITU-R BS.1770-4, measured by libebur128.
    Non-finite values mean "nothing to measure": -inf LUFS for silence or a file shorter than
    one 400 ms gating block, -inf dBTP / dBFS for digital silence. */
struct TrackLoudness
{
    double integratedLufs = 0;   // gated integrated loudness (absolute gate −70 LUFS, relative −10 LU), LUFS
    double rangeLu = 0;          // loudness range (EBU Tech 3342), LU; 0 under 3 s or for silence
    double truePeakDbtp = 0;     // 4× oversampled peak, maximum over channels, dBTP
    double samplePeakDbfs = 0;   // maximum |sample| over channels, dBFS
    std::string notMeasured;     // why there is no loudness ("" = measured), e.g. more channels than libebur128 takes
};

/** `cuegrid analyze --target_lufs L [--true_peak_ceiling C]`: one loudness gain per clip. */
struct LoudnessTargetSettings
{
    double targetLufs = -23.0;           // integrated loudness every clip should land at, LUFS
    double truePeakCeilingDbtp = -1.0;   // the gain never lifts a clip's true peak above this, dBTP
};

/** One clip's loudness gain in target mode (planned by LoudnessTarget.h's planLoudnessTarget). */
struct LoudnessGain
{
    std::string method;            // "LUFS → -23", "True Peak Limited" or "None"
    std::string note;              // why "None": silent, shorter than 400 ms, below the −70 LUFS gate
    double gainDb = 0;             // to apply, dB (after gain-linked group levelling)
    double gainIndividualDb = 0;   // this clip's own gain, before group levelling, dB
    double resultLufs = 0;         // integrated loudness after the gain, LUFS (-inf for "None")
    double resultTruePeakDbtp = 0; // true peak after the gain, dBTP
    bool limitedByCeiling = false; // the gain stopped short of the target to keep the true peak ≤ the ceiling
    double shortfallLu = 0;        // target − result when limited (by the ceiling or the group), LU; else 0
};

/** Feeds each block, as it comes, to a libebur128 state (mode M: K-weighting and channel
    weights), cut only at 100 ms boundaries: there the last 100 ms block's energy is read back.
    Integrated loudness gates the 400 ms blocks (four 100 ms blocks, 75 % overlap) as
    ebur128_loudness_global does (a test holds it to libebur128 mode I); the loudness range
    comes from the 3 s short-term loudness every 100 ms (EBU Tech 3342 since 2016: at least
    10 Hz, as ffmpeg's ebur128 filter; libebur128 1.2.6's own LRA steps 1 s). Channel
    weights are libebur128's defaults, which are BS.1770's for WAV order (L R C LFE Ls Rs:
    L, R, C weight 1, LFE unused, surrounds 1.41; 4 channels are L R Ls Rs); a mono file is
    one channel of weight 1 (a full-scale 1 kHz sine reads −3.01 LUFS), never
    EBUR128_DUAL_MONO; channels past the sixth are not weighted. True and sample peak come
    from TruePeakMeter (libebur128's interpolator, computed only where it can raise the peak).
    One per analysis thread;
    begin() allocates the state; process() appends to gatingBlocks and shortTerm. */
class TrackLoudnessAnalyzer final : public TrackAnalyzer
{
public:
    TrackLoudnessAnalyzer() = default;
    ~TrackLoudnessAnalyzer() override;
    TrackLoudnessAnalyzer (const TrackLoudnessAnalyzer&) = delete;
    TrackLoudnessAnalyzer& operator= (const TrackLoudnessAnalyzer&) = delete;

    /** Throws std::bad_alloc if libebur128 cannot allocate its state. A file with more than
        ebur128MaxChannels channels is not measured (result().notMeasured says so). */
    void begin (const AudioFileInfo& info) override;
    void process (const double* interleaved, int64_t frames) override;
    void end() override;

    const TrackLoudness& loudness() const noexcept { return result; }

private:
    void release() noexcept;

    void endBlock();
    double rangeFromShortTerm();
    double integratedFromGatingBlocks() const;

    void* state = nullptr;   // ebur128_state*, opaque to keep <ebur128.h> out of this header
    int channels = 0;
    int64_t blockFrames = 1, untilBlockEnd = 1;   // libebur128's 100 ms, (rate + 5) / 10 frames
    std::array<double, 30> recentBlocks {};       // energies of the last 30 100 ms blocks (a 3 s window)
    int64_t blocks = 0;
    std::vector<double> shortTerm;                // 3 s energies every 100 ms (80 bytes a second)
    std::vector<double> gatingBlocks;             // 400 ms energies every 100 ms (80 bytes a second)
    TruePeakMeter truePeak;                       // libebur128's true peak, computed where it can matter
    TrackLoudness result;
};

} // namespace cuegrid::analysis
