// CueGrid — GPL-3.0-or-later
#include "SourceHealth.h"

#include <algorithm>
#include <cmath>

namespace cuegrid
{

const char* sourceStateName (SourceState state) noexcept
{
    switch (state)
    {
        case SourceState::none: return "none";
        case SourceState::locked: return "locked";
        case SourceState::flywheel: return "flywheel";
        case SourceState::lost: return "lost";
    }
    return "?";
}

void HealthMeter::reset() noexcept
{
    meanSquareUs = 0.0;
    residualCount = 0;
    haveWindow = false;
    incidents = 0.0;
    driftUs = 0.0;
}

void HealthMeter::addResidual (double residualSeconds, double speed) noexcept
{
    // Timecode seconds to audio µs: at 1.1× speed a timecode error is 1/1.1 of that in audio time.
    const auto us = residualSeconds * 1.0e6 / std::max (std::abs (speed), 0.1);
    const auto square = us * us;
    meanSquareUs = residualCount > 0 ? meanSquareUs + (square - meanSquareUs) / 16.0 : square;
    residualCount = std::min (residualCount + 1, 1000000);
}

void HealthMeter::addObservation (int64_t sample, double seconds) noexcept
{
    if (! haveWindow)
    {
        haveWindow = true;
        windowSample = sample;
        windowSeconds = seconds;
        return;
    }
    const auto audioSeconds = (double) (sample - windowSample) / rate;
    if (audioSeconds < 1.0)
        return;
    driftUs = (std::abs (seconds - windowSeconds) / audioSeconds - 1.0) * 1.0e6;
    windowSample = sample;
    windowSeconds = seconds;
}

void HealthMeter::advance (int numSamples) noexcept
{
    if (incidents > 1.0e-6)
        incidents *= std::exp (-(double) numSamples / (incidentFadeSeconds * rate));
    else
        incidents = 0.0;
}

double HealthMeter::getJitterUs() const noexcept
{
    return std::sqrt (meanSquareUs);
}

int HealthMeter::getStability (bool validated) const noexcept
{
    if (! validated || residualCount < 8)
        return 0;
    const auto score = 100.0 * (1.0 - getJitterUs() / 1000.0) - 20.0 * incidents;
    return (int) std::lround (std::clamp (score, 0.0, 100.0));
}

} // namespace cuegrid
