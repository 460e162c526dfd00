// CueGrid — GPL-3.0-or-later
#pragma once

#include "EngineMessages.h"

#include <cmath>
#include <cstdint>

namespace cuegrid
{

/** Fade curves and fade envelopes, evaluated from sample counts (never by accumulating
    increments), so a gain at a given sample is the same whatever the block size.
    Any thread; no state. Formulas: issue 8 "Exact semantics" (see FadeCurve in EngineMessages.h). */
namespace Fade
{
    inline constexpr double pi = 3.14159265358979323846;
    inline constexpr double ln10 = 2.30258509299404568402;

    /** g(x) for 0 ≤ x ≤ 1: linear x, equalPower sin(πx/2), sCurve (1 − cos πx)/2,
        exponential 10^(−3(1−x)) (−60 dB … 0 dB, linear in dB) with g(0) = 0. */
    inline double curve (FadeCurve shape, double x) noexcept
    {
        switch (shape)
        {
            case FadeCurve::linear: return x;
            case FadeCurve::equalPower: return std::sin (0.5 * pi * x);
            case FadeCurve::sCurve: return 0.5 * (1.0 - std::cos (pi * x));
            case FadeCurve::exponential: return x > 0.0 ? std::exp (-3.0 * ln10 * (1.0 - x)) : 0.0;   // = 10^(−3(1−x)); exp is cheaper than pow
        }
        return x;
    }

    /** Gain of the k-th sample (k ≥ 0) of a fade-in of `length` samples: g(k/L); 1 after it. */
    inline double in (FadeCurve shape, int64_t k, int64_t length) noexcept
    {
        return k >= length ? 1.0 : curve (shape, (double) k / (double) length);
    }

    /** Gain of the k-th sample (k ≥ 0) of a fade-out of `length` samples: g((L−1−k)/L), so
        the last sample (k = L−1) is silent; 0 after it. */
    inline double out (FadeCurve shape, int64_t k, int64_t length) noexcept
    {
        return k >= length ? 0.0 : curve (shape, (double) (length - 1 - k) / (double) length);
    }

    /** Gain of a sample `distance` samples before the end of a region (0 = its last sample)
        under a fade-out of `length` samples that ends with the region: g(d/L), 1 before it. */
    inline double toEnd (FadeCurve shape, int64_t distance, int64_t length) noexcept
    {
        return distance >= length ? 1.0 : curve (shape, (double) distance / (double) length);
    }
} // namespace Fade

} // namespace cuegrid
