// CueGrid — GPL-3.0-or-later
#include "PeakLimiter.h"

#include <algorithm>
#include <cmath>

namespace cuegrid
{

void PeakLimiter::prepare (double sampleRate)
{
    window = std::max (2, (int) std::lround (0.0015 * sampleRate) + 1);
    releaseCoefficient = 1.0 - std::exp (-1.0 / (0.080 * sampleRate));
    delayLeft.assign ((size_t) window - 1, 0.0f);
    delayRight.assign ((size_t) window - 1, 0.0f);
    minimumQueue.assign ((size_t) window, Need {});
    averageRing.assign ((size_t) window, unity);
    reset();
}

void PeakLimiter::reset() noexcept
{
    std::fill (delayLeft.begin(), delayLeft.end(), 0.0f);
    std::fill (delayRight.begin(), delayRight.end(), 0.0f);
    std::fill (averageRing.begin(), averageRing.end(), unity);
    delayIndex = queueHead = queueSize = averageIndex = 0;
    averageSum = unity * window;
    smoothed = 1.0;
    time = 0;
    deepestGain = 1.0;
}

void PeakLimiter::setParameters (bool shouldEnable, double ceilingDb) noexcept
{
    enabled = shouldEnable;
    ceiling = std::pow (10.0, std::clamp (ceilingDb, -60.0, 0.0) / 20.0);
    ceilingFloat = (float) ceiling;
    if ((double) ceilingFloat > ceiling)
        ceilingFloat = std::nextafter (ceilingFloat, 0.0f);
}

float PeakLimiter::takeGainReductionDb() noexcept
{
    const auto reduction = (float) (-20.0 * std::log10 (std::max (deepestGain, 1.0e-10)));
    deepestGain = 1.0;
    return std::max (0.0f, reduction);
}

void PeakLimiter::process (float* left, float* right, int numFrames, float* appliedGain) noexcept
{
    const auto delayLength = window - 1;
    for (int i = 0; i < numFrames; ++i, ++time)
    {
        const float inLeft = left[i], inRight = right[i];

        double applied = 1.0;
        if (enabled)
        {
            // The gain this frame needs, into the sliding minimum over the last W frames.
            const auto peak = (double) std::max (std::abs (inLeft), std::abs (inRight));
            const auto need = peak > ceiling ? ceiling / peak : 1.0;
            // Expire first, so the ring of W entries never holds more than W.
            auto slot = [this] (int index) { return index >= window ? index - window : index; };
            while (queueSize > 0 && minimumQueue[(size_t) queueHead].time <= time - window)
            {
                queueHead = slot (queueHead + 1);
                --queueSize;
            }
            while (queueSize > 0 && minimumQueue[(size_t) slot (queueHead + queueSize - 1)].gain >= need)
                --queueSize;
            minimumQueue[(size_t) slot (queueHead + queueSize)] = { time, need };
            ++queueSize;
            const auto minimum = minimumQueue[(size_t) queueHead].gain;

            // Release towards 1, never above the minimum; fixed point so the sum is exact.
            smoothed = std::min (minimum, smoothed + (1.0 - smoothed) * releaseCoefficient);
            if (1.0 - smoothed < 1.0 / (double) (unity * 2))
                smoothed = std::min (1.0, minimum);
            const auto fixed = std::min ((int64_t) std::floor (smoothed * (double) unity), unity);
            averageSum += fixed - averageRing[(size_t) averageIndex];
            averageRing[(size_t) averageIndex] = fixed;
            if (++averageIndex == window)
                averageIndex = 0;
            applied = averageSum == unity * window ? 1.0 : (double) averageSum / (double) (unity * window);
        }

        // Delay by W−1 samples (also when bypassed: the latency never changes).
        float outLeft = inLeft, outRight = inRight;
        if (delayLength > 0)
        {
            outLeft = delayLeft[(size_t) delayIndex];
            outRight = delayRight[(size_t) delayIndex];
            delayLeft[(size_t) delayIndex] = inLeft;
            delayRight[(size_t) delayIndex] = inRight;
            if (++delayIndex == delayLength)
                delayIndex = 0;
        }
        if (applied != 1.0)
        {
            outLeft = std::clamp ((float) (outLeft * applied), -ceilingFloat, ceilingFloat);
            outRight = std::clamp ((float) (outRight * applied), -ceilingFloat, ceilingFloat);
            deepestGain = std::min (deepestGain, applied);
        }
        else if (enabled)
        {
            outLeft = std::clamp (outLeft, -ceilingFloat, ceilingFloat);
            outRight = std::clamp (outRight, -ceilingFloat, ceilingFloat);
        }
        left[i] = outLeft;
        right[i] = outRight;
        if (appliedGain != nullptr)
            appliedGain[i] = (float) applied;
    }
}

} // namespace cuegrid
