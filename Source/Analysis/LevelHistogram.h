// CueGrid — GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <algorithm>
#include <vector>

namespace cuegrid::analysis
{

/** Counts of positive power values (mean squares) in logarithmic bins, so a percentile of
    millions of hop-1 window powers needs ~2 MB instead of the values themselves.
    Bins are the top 12 mantissa bits of the IEEE double: each spans a factor of 1 + 2^-12
    (0.00106 dB in power), so a value read back is within ±0.00053 dB of the original.
    Range 2^-100 … 2^8 (−301 … +24 dB); smaller values, zero and negatives (prefix-sum noise
    after digital silence) share the lowest bin. Not thread-safe; one per analysis. */
class LevelHistogram
{
public:
    LevelHistogram();

    void add (double power) noexcept
    {
        const auto bin = binOf (power);
        ++counts[bin];
        markUsed (bin, bin);
    }

    /** add() for each of `count` values. Hop-1 window powers change slowly, so runs that fall
        in one bin are counted first and added once. */
    void addAll (const double* powers, size_t count) noexcept
    {
        if (count == 0)
            return;
        auto bin = binOf (powers[0]);
        auto lowest = bin, highest = bin;
        uint32_t run = 1;
        for (size_t i = 1; i < count; ++i)
        {
            const auto next = binOf (powers[i]);
            if (next == bin)
            {
                ++run;
                continue;
            }
            counts[bin] += run;
            bin = next;
            run = 1;
            lowest = std::min (lowest, bin);
            highest = std::max (highest, bin);
        }
        counts[bin] += run;
        markUsed (lowest, highest);
    }

    /** Forgets every value added (a new track): zeroes only the bins used since the last clear. */
    void clear() noexcept
    {
        if (lowestUsed <= highestUsed)
            std::fill (counts.begin() + (long) lowestUsed, counts.begin() + (long) highestUsed + 1, 0u);
        lowestUsed = counts.size();
        highestUsed = 0;
    }

    /** The histograms are 1.8 MB each: an analysis borrows one and gives it back cleared, so a
        folder of short files does not allocate and zero 1.8 MB per file. Any thread. */
    struct GiveBack { void operator() (LevelHistogram* histogram) const noexcept; };
    using Lease = std::unique_ptr<LevelHistogram, GiveBack>;
    static Lease borrow();

    /** Number of added values whose bin is at or above `power`'s bin. */
    uint64_t countAtOrAbove (double power) const noexcept;

    /** numpy.percentile (method "linear") of the values at or above `threshold`, computed
        on bin centres; `exactMaximum` (the largest value added) stands in for the top rank.
        `percent` in 0…100. Returns 0 when nothing is at or above the threshold. */
    double percentile (double percent, double threshold, double exactMaximum) const;

private:
    static constexpr int mantissaBits = 12;
    static constexpr int lowestExponent = -100, highestExponent = 8;

    size_t binOf (double power) const noexcept
    {
        if (! (power > 0))
            return 0;
        // For positive doubles the bit pattern grows with the value, so its top bits are a log scale.
        uint64_t bits;
        std::memcpy (&bits, &power, sizeof bits);
        const auto key = bits >> (52 - mantissaBits);
        if (key <= lowestKey)
            return 0;
        return std::min ((size_t) (key - lowestKey), counts.size() - 1);
    }
    double centreOf (size_t bin) const noexcept;

    void markUsed (size_t lowest, size_t highest) noexcept
    {
        lowestUsed = std::min (lowestUsed, lowest);
        highestUsed = std::max (highestUsed, highest);
    }

    uint64_t lowestKey = 0;
    std::vector<uint32_t> counts;
    size_t lowestUsed = 0, highestUsed = 0;   // bins that may be non-zero; none when lowestUsed > highestUsed
};

} // namespace cuegrid::analysis
