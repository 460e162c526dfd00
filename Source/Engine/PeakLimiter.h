// CueGrid — GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <vector>

namespace cuegrid
{

/** The master's safety limiter: a stereo-linked look-ahead sample-peak limiter that never
    lets a sample out above its ceiling, and passes a signal that stays below the ceiling
    through unchanged (only delayed).

    Method (after Fons Adriaensen's peak limiter in x42-dpl, simplified): each frame needs the
    gain c/peak (1 below the ceiling). The applied gain is the mean over W samples of a
    release-smoothed sliding minimum (over W samples) of those needs, and the audio is delayed
    by W−1 samples, so every one of the W averaged values is at most the need of the frame
    being output: the gain ramps down over W samples before a peak and never overshoots.
    The smoothed values are kept as fixed-point integers so the running sum never drifts and
    a gain of exactly 1 comes back after any reduction; a final clamp to the ceiling guards
    against float rounding. Release: one pole, 80 ms.

    The latency (W−1 samples, 1.5 ms) is the same whether the limiter is enabled or not, so
    switching it never shifts the output. Audio thread only after prepare().
*/
class PeakLimiter
{
public:
    /** Allocates the delay and window for `sampleRate`. Not on the audio thread. */
    void prepare (double sampleRate);

    /** Clears the delay line and all gain state. */
    void reset() noexcept;

    /** Enabled or bypassed (bypassed still delays by getLatency()); ceiling in dBFS. Takes
        effect from the next input sample, so it is heard exactly there at the output. */
    void setParameters (bool enabled, double ceilingDb) noexcept;

    /** Limits `numFrames` frames of (left, right) in place. When `appliedGain` is given, it
        receives the gain applied to each output frame (1 = none). Audio thread; wait-free. */
    void process (float* left, float* right, int numFrames, float* appliedGain = nullptr) noexcept;

    /** Samples of delay the limiter adds (enabled or not). */
    int getLatency() const noexcept { return window - 1; }

    /** Deepest gain reduction since the last call, dB (≥ 0). Audio thread. */
    float takeGainReductionDb() noexcept;

    bool isEnabled() const noexcept { return enabled; }

private:
    void delayOnly (float* left, float* right, int numFrames) noexcept;
    void resetGains() noexcept;

    static constexpr int64_t unity = int64_t (1) << 30;

    int window = 72;                 // W
    bool enabled = false;
    double ceiling = 0.891250938;    // linear
    float ceilingFloat = 0.89125f;   // largest float ≤ ceiling
    double releaseCoefficient = 0.0;

    std::vector<float> delayLeft, delayRight;  // W−1 samples each (ring)
    int delayIndex = 0;
    struct Need { int64_t time; double gain; };
    std::vector<Need> minimumQueue;            // monotonic deque (ring of W) for the sliding minimum
    int queueHead = 0, queueSize = 0;
    std::vector<int64_t> averageRing;          // the last W smoothed gains, fixed point
    int averageIndex = 0;
    int64_t averageSum = 0;
    double smoothed = 1.0;
    int64_t time = 0;
    double deepestGain = 1.0;
    bool outputEnabled = false;      // what the output side applies: `enabled` a latency later
    float outputCeilingFloat = 0.89125f;
    int outputSwitchIn = 0;          // samples until the output side takes the new parameters
};

} // namespace cuegrid
