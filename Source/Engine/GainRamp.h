// CueGrid — GPL-3.0-or-later
#pragma once

#include <cmath>
#include <cstdint>

namespace cuegrid
{

/** dB → linear amplitude: 10^(dB/20). -inf dB gives 0. */
inline double decibelsToGain (double decibels) noexcept
{
    return std::isinf (decibels) && decibels < 0 ? 0.0 : std::pow (10.0, decibels / 20.0);
}

/** A gain that moves linearly in amplitude from one value to another over a span of the
    engine timeline. Evaluated from absolute sample positions (never by accumulating
    increments), so the value at a given sample is the same whatever the block size.

    Audio thread only (owned by the Engine).
*/
class GainRamp
{
public:
    /** Jump to `gain` at once. */
    void reset (double gain) noexcept
    {
        startGain = endGain = gain;
        startTime = endTime = 0;
    }

    /** From sample `now` on, move from the current value to `target` over `rampSamples`
        (0 = a step exactly at `now`). */
    void rampTo (double target, int64_t now, int64_t rampSamples) noexcept
    {
        startGain = valueAt (now);
        endGain = target;
        startTime = now;
        endTime = now + (rampSamples > 0 ? rampSamples : 0);
    }

    /** The gain applied to the sample at engine time `time`. */
    float valueAt (int64_t time) const noexcept
    {
        if (time >= endTime)
            return (float) endGain;
        if (time <= startTime)
            return (float) startGain;
        const auto progress = (double) (time - startTime) / (double) (endTime - startTime);
        return (float) (startGain + (endGain - startGain) * progress);
    }

    /** True when the value is the same for every sample from `time` on. */
    bool isSteadyFrom (int64_t time) const noexcept { return time >= endTime; }

    double getTarget() const noexcept { return endGain; }

private:
    double startGain = 1.0, endGain = 1.0;
    int64_t startTime = 0, endTime = 0;
};

/** The 1 ms protection fade of every stop, steal, pause and resume (session spec: "Edge fade
    duration: 1ms (fixed)"): F = round(0.001 × rate) samples, linear; see Fade::out. */
struct ProtectionFade
{
    static int lengthForRate (double sampleRate) noexcept
    {
        return (int) std::lround (0.001 * sampleRate);
    }
};

} // namespace cuegrid
