// CueGrid — GPL-3.0-or-later
#include "PeakLimiter.h"

#include <juce_audio_basics/juce_audio_basics.h>

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

void PeakLimiter::resetGains() noexcept
{
    std::fill (averageRing.begin(), averageRing.end(), unity);
    queueHead = queueSize = averageIndex = 0;
    averageSum = unity * window;
    smoothed = 1.0;
}

void PeakLimiter::reset() noexcept
{
    std::fill (delayLeft.begin(), delayLeft.end(), 0.0f);
    std::fill (delayRight.begin(), delayRight.end(), 0.0f);
    resetGains();
    delayIndex = 0;
    time = 0;
    deepestGain = 1.0;
    outputEnabled = enabled;
    outputCeilingFloat = ceilingFloat;
    outputSwitchIn = 0;
}

void PeakLimiter::setParameters (bool shouldEnable, double ceilingDb) noexcept
{
    enabled = shouldEnable;
    ceiling = std::pow (10.0, std::clamp (ceilingDb, -60.0, 0.0) / 20.0);
    ceilingFloat = (float) ceiling;
    if ((double) ceilingFloat > ceiling)
        ceilingFloat = std::nextafter (ceilingFloat, 0.0f);
    // The gains are computed from the next input sample on; the output side follows when that
    // sample comes out of the delay, so a switch is heard exactly at its sample.
    outputSwitchIn = window;
}

float PeakLimiter::takeGainReductionDb() noexcept
{
    const auto reduction = (float) (-20.0 * std::log10 (std::max (deepestGain, 1.0e-10)));
    deepestGain = 1.0;
    return std::max (0.0f, reduction);
}

void PeakLimiter::delayOnly (float* left, float* right, int numFrames) noexcept
{
    const auto delayLength = window - 1;
    for (int i = 0; i < numFrames; ++i)
    {
        std::swap (left[i], delayLeft[(size_t) delayIndex]);
        std::swap (right[i], delayRight[(size_t) delayIndex]);
        if (++delayIndex == delayLength)
            delayIndex = 0;
    }
}

void PeakLimiter::process (float* left, float* right, int numFrames, float* appliedGain) noexcept
{
    if (appliedGain != nullptr)
        std::fill_n (appliedGain, numFrames, 1.0f);

    // Fast paths, same samples as the loop below: bypassed, or enabled with nothing to limit
    // (every need in the window is 1, and so is every input of this block).
    if (outputSwitchIn == 0 && window > 1)
    {
        const bool idle = smoothed == 1.0 && averageSum == unity * window;
        bool quiet = ! enabled && ! outputEnabled;
        if (enabled && idle)
        {
            const auto l = juce::FloatVectorOperations::findMinAndMax (left, numFrames);
            const auto r = juce::FloatVectorOperations::findMinAndMax (right, numFrames);
            const auto peak = std::max ({ l.getEnd(), -l.getStart(), r.getEnd(), -r.getStart() });
            quiet = (double) peak <= ceiling;
        }
        if (quiet)
        {
            delayOnly (left, right, numFrames);
            time += numFrames;
            // The sliding minimum holds only needs of 1 now: one entry says so.
            queueHead = 0;
            queueSize = 1;
            minimumQueue[0] = { time - 1, 1.0 };
            return;
        }
    }

    const auto delayLength = window - 1;
    for (int i = 0; i < numFrames; ++i, ++time)
    {
        if (outputSwitchIn > 0 && --outputSwitchIn == 0)
        {
            outputEnabled = enabled;
            outputCeilingFloat = ceilingFloat;
            if (! enabled)
                resetGains();   // nothing left in the delay was limited: start the next enable clean
        }
        const float inLeft = left[i], inRight = right[i];

        double applied = 1.0;
        if (enabled || outputEnabled)
        {
            // The gain this frame needs, into the sliding minimum over the last W frames.
            // Switched off, the frames still in the delay keep their gains: needs of 1 follow.
            const auto peak = (double) std::max (std::abs (inLeft), std::abs (inRight));
            const auto need = enabled && peak > ceiling ? ceiling / peak : 1.0;
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
        if (outputEnabled)
        {
            if (applied != 1.0)
            {
                outLeft = (float) (outLeft * applied);
                outRight = (float) (outRight * applied);
                deepestGain = std::min (deepestGain, applied);
                if (appliedGain != nullptr)
                    appliedGain[i] = (float) applied;
            }
            outLeft = std::clamp (outLeft, -outputCeilingFloat, outputCeilingFloat);
            outRight = std::clamp (outRight, -outputCeilingFloat, outputCeilingFloat);
        }
        left[i] = outLeft;
        right[i] = outRight;
    }
}

} // namespace cuegrid
