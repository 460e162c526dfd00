// CueGrid — GPL-3.0-or-later
#include "Flywheel.h"

#include "TimecodeDay.h"

#include <algorithm>
#include <cmath>

namespace cuegrid
{

namespace
{
constexpr double twoPi = 6.283185307179586;
constexpr double minPlausibleSpeed = 0.5, maxPlausibleSpeed = 2.0;   // ±10 % varispeed fits well inside
}

void Flywheel::prepare (double sampleRate, double bandwidthHz) noexcept
{
    rate = sampleRate;
    bandwidth = bandwidthHz;
    reset();
}

void Flywheel::reset() noexcept
{
    lineValid = reacquiring = hasFirst = hasCandidate = hasSuspect = settling = false;
    meanSquareError = 0.0;
    errorCount = 0;
    speed = 1.0;
    residual = 0.0;
    discontinuities = outliers = 0;
}

double Flywheel::unwrap (int64_t sample, double seconds, double daySeconds) const noexcept
{
    if (lineValid)
        return nearestDayTo (seconds, positionAt (sample), daySeconds);
    if (hasFirst)
        return nearestDayTo (seconds, firstSeconds, daySeconds);
    return seconds;
}

void Flywheel::resync (int64_t sample, double seconds) noexcept
{
    reacquiring = true;   // the old line still predicts until the new one is found
    hasCandidate = hasSuspect = false;
    hasFirst = true;
    firstSample = sample;
    firstSeconds = seconds;
}

bool Flywheel::startLineFrom (int64_t sample, double seconds, int64_t fromSample, double fromSeconds) noexcept
{
    const auto elapsed = (double) (sample - fromSample) / rate;
    if (elapsed <= 0.0)
        return false;
    const auto pairSpeed = (seconds - fromSeconds) / elapsed;
    if (std::abs (pairSpeed) < minPlausibleSpeed || std::abs (pairSpeed) > maxPlausibleSpeed)
        return false;
    lineValid = true;
    reacquiring = hasFirst = hasCandidate = hasSuspect = false;
    anchorSample = acceptedSample = sample;
    anchorSeconds = seconds;
    speed = pairSpeed;
    residual = 0.0;
    settling = true;
    fitOriginSample = fromSample;
    fitOriginSeconds = fromSeconds;
    fitCount = fitT = fitX = fitTT = fitTX = 0.0;
    addToFit (fromSample, fromSeconds);
    addToFit (sample, seconds);
    return true;
}

void Flywheel::addToFit (int64_t sample, double seconds) noexcept
{
    const auto t = (double) (sample - fitOriginSample) / rate, x = seconds - fitOriginSeconds;
    fitCount += 1.0;
    fitT += t;
    fitX += x;
    fitTT += t * t;
    fitTX += t * x;
}

void Flywheel::refit (int64_t sample) noexcept
{
    // Least squares over every observation since the lock: x = a + speed · t.
    const auto denominator = fitCount * fitTT - fitT * fitT;
    if (denominator <= 0.0)
        return;
    speed = (fitCount * fitTX - fitT * fitX) / denominator;
    const auto a = (fitX - speed * fitT) / fitCount;
    anchorSample = sample;
    anchorSeconds = fitOriginSeconds + a + speed * (double) (sample - fitOriginSample) / rate;
}

Flywheel::Result Flywheel::observe (int64_t sample, double seconds, double toleranceSeconds) noexcept
{
    if (! lineValid || reacquiring)
    {
        if (hasFirst && startLineFrom (sample, seconds, firstSample, firstSeconds))
            return Result::locked;
        if (! hasFirst || sample > firstSample)
        {
            hasFirst = true;
            firstSample = sample;
            firstSeconds = seconds;
        }
        return Result::acquiring;
    }

    if (sample <= acceptedSample)
        return Result::held;

    // Back after a gap: relock from the last accepted point's continuation is unsafe (a DLL step
    // over a long T is unstable), so lock afresh from this observation and the next.
    if ((double) (sample - acceptedSample) / rate > maxGapSeconds)
    {
        if (std::abs (seconds - positionAt (sample)) > toleranceSeconds)
            ++discontinuities;   // it came back somewhere else
        reacquiring = true;
        hasCandidate = hasSuspect = false;
        hasFirst = true;
        firstSample = sample;
        firstSeconds = seconds;
        return Result::acquiring;
    }

    const auto predicted = positionAt (sample);
    const auto error = seconds - predicted;
    if (std::abs (error) > toleranceSeconds)
    {
        if (hasCandidate && startLineFrom (sample, seconds, candidateSample, candidateSeconds))
        {
            ++discontinuities;
            return Result::jumped;
        }
        hasCandidate = true;
        candidateSample = sample;
        candidateSeconds = seconds;
        return Result::held;
    }

    if (hasCandidate)
    {
        ++outliers;   // the line goes on: the held observation was a glitch
        hasCandidate = false;
    }

    // Within the tolerance but far beyond the source's own jitter: held back too, until the
    // next observation says whether the line really moved (then both count) or not (dropped).
    // An LTC decoder's last frame before the signal is cut comes late by up to 16 samples (the
    // fall to silence is not a bit transition): without this it bends the line the flywheel
    // then extrapolates for a whole second (measured: 192 µs off after 1 s; with it, 0).
    if (! settling && std::abs (error) > gate (toleranceSeconds))
    {
        if (hasSuspect)
        {
            const auto elapsed = (double) (sample - suspectSample) / rate;
            const auto pairSpeed = elapsed > 0.0 ? (seconds - suspectSeconds) / elapsed : 0.0;
            if (std::abs (pairSpeed) >= minPlausibleSpeed && std::abs (pairSpeed) <= maxPlausibleSpeed)
            {
                hasSuspect = false;
                correct (suspectSample, suspectSeconds);
                correct (sample, seconds);
                return Result::tracked;
            }
        }
        hasSuspect = true;
        suspectSample = sample;
        suspectSeconds = seconds;
        return Result::held;
    }
    if (hasSuspect)
    {
        ++outliers;
        hasSuspect = false;
    }
    correct (sample, seconds);
    return Result::tracked;
}

double Flywheel::gate (double toleranceSeconds) const noexcept
{
    if (errorCount < 8)
        return toleranceSeconds;
    return std::clamp (8.0 * std::sqrt (meanSquareError), minGateSeconds, toleranceSeconds);
}

void Flywheel::correct (int64_t sample, double seconds) noexcept
{
    const auto predicted = positionAt (sample);
    const auto error = seconds - predicted;
    residual = error;
    if (settling)
    {
        addToFit (sample, seconds);
        acceptedSample = sample;
        refit (sample);
        settling = (double) (sample - fitOriginSample) / rate < settleSeconds;
        return;
    }

    meanSquareError = errorCount > 0 ? meanSquareError + (error * error - meanSquareError) / 16.0 : error * error;
    ++errorCount;
    const auto period = (double) (sample - acceptedSample) / rate;
    const auto omega = twoPi * bandwidth * period;
    const auto b = std::sqrt (2.0) * omega, c = omega * omega;
    anchorSample = acceptedSample = sample;
    anchorSeconds = predicted + b * error;
    speed += c * error / period;
}

} // namespace cuegrid
