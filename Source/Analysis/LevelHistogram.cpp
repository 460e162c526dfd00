// CueGrid — GPL-3.0-or-later
#include "LevelHistogram.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <new>

namespace cuegrid::analysis
{

namespace
{
    uint64_t bitsOf (double value) noexcept
    {
        uint64_t bits;
        std::memcpy (&bits, &value, sizeof bits);
        return bits;
    }

    double valueOf (uint64_t bits) noexcept
    {
        double value;
        std::memcpy (&value, &bits, sizeof value);
        return value;
    }

    constexpr int shift = 52 - 12;
} // namespace

LevelHistogram::LevelHistogram()
{
    static_assert (mantissaBits == 52 - shift);
    lowestKey = bitsOf (std::ldexp (1.0, lowestExponent)) >> shift;
    const auto highestKey = bitsOf (std::ldexp (1.0, highestExponent)) >> shift;
    counts.assign ((size_t) (highestKey - lowestKey + 1), 0);
    lowestUsed = counts.size();
    highestUsed = 0;
}

namespace
{
    std::mutex poolLock;
    std::vector<std::unique_ptr<LevelHistogram>> pool;   // cleared histograms, guarded by poolLock
} // namespace

void LevelHistogram::GiveBack::operator() (LevelHistogram* histogram) const noexcept
{
    std::unique_ptr<LevelHistogram> owned (histogram);
    owned->clear();
    const std::lock_guard<std::mutex> guard (poolLock);
    try
    {
        pool.push_back (std::move (owned));
    }
    catch (const std::bad_alloc&)
    {
        // Not kept: freed here.
    }
}

LevelHistogram::Lease LevelHistogram::borrow()
{
    {
        const std::lock_guard<std::mutex> guard (poolLock);
        if (! pool.empty())
        {
            auto histogram = std::move (pool.back());
            pool.pop_back();
            return Lease (histogram.release());
        }
    }
    return Lease (new LevelHistogram());
}

double LevelHistogram::centreOf (size_t bin) const noexcept
{
    const auto lower = valueOf ((lowestKey + bin) << shift);
    const auto upper = valueOf ((lowestKey + bin + 1) << shift);
    return std::sqrt (lower * upper);
}

uint64_t LevelHistogram::countAtOrAbove (double power) const noexcept
{
    uint64_t total = 0;
    const auto end = std::min (counts.size(), highestUsed + 1);   // nothing above the highest bin used
    for (auto bin = binOf (power); bin < end; ++bin)
        total += counts[bin];
    return total;
}

double LevelHistogram::percentile (double percent, double threshold, double exactMaximum) const
{
    const auto n = countAtOrAbove (threshold);
    if (n == 0)
        return 0;
    const auto rank = (double) (n - 1) * percent / 100.0;
    const auto lowerRank = (uint64_t) std::floor (rank);
    const auto t = rank - (double) lowerRank;

    auto valueAtRank = [&] (uint64_t wanted)
    {
        if (wanted >= n - 1)
            return exactMaximum;
        uint64_t seen = 0;
        for (auto bin = binOf (threshold); bin < std::min (counts.size(), highestUsed + 1); ++bin)
        {
            seen += counts[bin];
            if (seen > wanted)
                return centreOf (bin);
        }
        return exactMaximum;
    };
    const auto a = valueAtRank (lowerRank), b = valueAtRank (lowerRank + 1);
    return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1.0 - t);
}

} // namespace cuegrid::analysis
