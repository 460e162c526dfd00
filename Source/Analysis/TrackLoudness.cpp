// CueGrid — GPL-3.0-or-later
#include "TrackLoudness.h"

#include "Engine/Ebur128Library.h"

#include <ebur128.h>

#include <mutex>

#include <algorithm>
#include <cmath>
#include <limits>
#include <new>

namespace cuegrid::analysis
{

namespace
{
    ebur128_state* st (void* opaque) noexcept { return static_cast<ebur128_state*> (opaque); }

    double toDb (double linear) noexcept
    {
        return linear > 0 ? 20.0 * std::log10 (linear) : -std::numeric_limits<double>::infinity();
    }
} // namespace

TrackLoudnessAnalyzer::~TrackLoudnessAnalyzer() { release(); }

void TrackLoudnessAnalyzer::release() noexcept
{
    if (state == nullptr)
        return;
    auto* s = st (state);
    ebur128_destroy (&s);
    state = nullptr;
}

void TrackLoudnessAnalyzer::begin (const AudioFileInfo& info)
{
    release();
    result = {};
    channels = info.channels;
    // Mode M: libebur128 K-weights and keeps the last 400 ms; the gating blocks are built here
    // from its 100 ms energies (mode I would sum every 400 ms block again: a third of its time).
    const auto rate = (unsigned long) std::lround (info.sampleRate);
    // One lock for every libebur128 state in the process (Engine/Ebur128Library.h). A file with
    // more channels than libebur128 takes is analysed without loudness, and says why.
    if (channels > (int) ebur128MaxChannels)
    {
        result.notMeasured = "more than " + std::to_string (ebur128MaxChannels) + " channels (libebur128's limit)";
        return;
    }
    state = createEbur128State ((unsigned) channels, rate, EBUR128_MODE_M);
    if (state == nullptr)
        throw std::bad_alloc();
    blockFrames = untilBlockEnd = (int64_t) (rate + 5) / 10;
    recentBlocks.fill (0.0);
    blocks = 0;
    shortTerm.clear();
    shortTerm.reserve (AudioFileInfo::reserveHint (info.frames / blockFrames + 1));
    gatingBlocks.clear();
    gatingBlocks.reserve (AudioFileInfo::reserveHint (info.frames / blockFrames + 1));
    truePeak.reset (channels, info.sampleRate);
}

void TrackLoudnessAnalyzer::process (const double* interleaved, int64_t frames)
{
    if (state != nullptr)
        truePeak.process (interleaved, frames);
    while (state != nullptr && frames > 0)
    {
        const auto piece = std::min (frames, untilBlockEnd);   // 100 ms boundaries: blocks stay whole
        ebur128_add_frames_double (st (state), interleaved, (size_t) piece);
        interleaved += piece * channels;
        frames -= piece;
        untilBlockEnd -= piece;
        if (untilBlockEnd == 0)
        {
            endBlock();
            untilBlockEnd = blockFrames;
        }
    }
}

void TrackLoudnessAnalyzer::endBlock()
{
    // The K-weighted, channel-weighted mean square of the last 100 ms (libebur128 returns it
    // as a loudness, −0.691 + 10·log10(energy); −inf for none).
    double loudness = 0;
    const auto energy = ebur128_loudness_window (st (state), 100, &loudness) == EBUR128_SUCCESS && std::isfinite (loudness)
                            ? std::pow (10.0, (loudness + 0.691) / 10.0) : 0.0;
    const auto size = (int64_t) recentBlocks.size();
    recentBlocks[(size_t) (blocks % size)] = energy;
    ++blocks;
    if (blocks >= 4)   // BS.1770-4: 400 ms gating blocks overlapping by 75 %
    {
        double sum = 0;
        for (int64_t b = blocks - 4; b < blocks; ++b)
            sum += recentBlocks[(size_t) (b % size)];
        gatingBlocks.push_back (sum / 4.0);
    }
    if (blocks >= size)
    {
        double sum = 0;
        for (auto e : recentBlocks)
            sum += e;
        shortTerm.push_back (sum / (double) recentBlocks.size());
    }
}

double TrackLoudnessAnalyzer::rangeFromShortTerm()
{
    // EBU Tech 3342: absolute gate −70 LUFS, relative gate 20 LU below the gated mean energy,
    // then the 95th minus the 10th percentile (libebur128's nearest-rank indices).
    const auto absoluteGate = std::pow (10.0, (-70.0 + 0.691) / 10.0);
    double sum = 0;
    size_t count = 0;
    for (auto e : shortTerm)
        if (e >= absoluteGate) { sum += e; ++count; }
    if (count == 0)
        return 0.0;
    const auto relativeGate = sum / (double) count * std::pow (10.0, -20.0 / 10.0);
    std::vector<double> gated;
    gated.reserve (count);
    for (auto e : shortTerm)
        if (e >= absoluteGate && e >= relativeGate)
            gated.push_back (e);
    if (gated.empty())
        return 0.0;
    std::sort (gated.begin(), gated.end());
    const auto low = gated[(size_t) ((double) (gated.size() - 1) * 0.10 + 0.5)];
    const auto high = gated[(size_t) ((double) (gated.size() - 1) * 0.95 + 0.5)];
    return 10.0 * std::log10 (high / low);
}

double TrackLoudnessAnalyzer::integratedFromGatingBlocks() const
{
    // BS.1770-4 (libebur128's ebur128_loudness_global): absolute gate −70 LUFS, relative gate
    // 10 LU below the mean of the blocks above it; −inf when no block passes (silence, < 400 ms).
    const auto absoluteGate = std::pow (10.0, (-70.0 + 0.691) / 10.0);
    double sum = 0;
    size_t count = 0;
    for (auto e : gatingBlocks)
        if (e >= absoluteGate) { sum += e; ++count; }
    if (count == 0)
        return -std::numeric_limits<double>::infinity();
    const auto relativeGate = sum / (double) count * std::pow (10.0, -10.0 / 10.0);
    sum = 0;
    count = 0;
    for (auto e : gatingBlocks)
        if (e >= relativeGate && e >= absoluteGate) { sum += e; ++count; }
    if (count == 0 || sum <= 0)
        return -std::numeric_limits<double>::infinity();
    return 10.0 * std::log10 (sum / (double) count) - 0.691;
}

void TrackLoudnessAnalyzer::end()
{
    if (state == nullptr)
        return;
    result.integratedLufs = integratedFromGatingBlocks();
    result.rangeLu = rangeFromShortTerm();
    result.truePeakDbtp = toDb (truePeak.truePeak());
    result.samplePeakDbfs = toDb (truePeak.samplePeak());
    release();
}

} // namespace cuegrid::analysis
