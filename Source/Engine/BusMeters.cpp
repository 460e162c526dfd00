// CueGrid — GPL-3.0-or-later
#include "BusMeters.h"
#include "Ebur128Library.h"

#include <ebur128.h>

#include <algorithm>
#include <cmath>

namespace cuegrid
{

namespace
{
    ebur128_state* state (void* opaque) noexcept { return static_cast<ebur128_state*> (opaque); }
}

BusMeters::~BusMeters()
{
    if (loudness != nullptr)
    {
        auto* st = state (loudness);
        ebur128_destroy (&st);
    }
}

void BusMeters::prepare (double sampleRate, int maximumBlockSize)
{
    if (loudness != nullptr)
    {
        auto* st = state (loudness);
        ebur128_destroy (&st);
    }
    // Off the audio thread: Engine::prepare runs before the device's callbacks start (JUCE's
    // audioDeviceAboutToStart, the CLI before its render or play), so the lock and the
    // allocation in createEbur128State never meet a block.
    // Histogram mode: fixed 1000-bin histograms instead of a list node per 100 ms block, so
    // adding frames never allocates (design-facts §6).
    loudness = createEbur128State (2, (unsigned long) std::lround (sampleRate),
                                   EBUR128_MODE_M | EBUR128_MODE_HISTOGRAM);
    interleaved.assign ((size_t) std::max (1, maximumBlockSize) * 2, 0.0f);
    binLength = std::max (1, (int) std::lround (0.010 * sampleRate));
    publishInterval = publishCountdown = std::max<int64_t> (1, std::llround (0.025 * sampleRate));
    holdLength = std::llround (1.5 * sampleRate);
    loudnessInterval = loudnessCountdown = std::max<int64_t> (1, std::llround (0.1 * sampleRate));
    blockEnergy.fill (0.0);
    blockIndex = 0;
    binFill = binIndex = 0;
    peaks.fill (0.0f);
    binSums.fill (0.0);
    for (auto& history : binHistory)
        history.fill (0.0);
    holdLeft.fill (0);
    lowestGain = 1.0f;
    snapshotReady = false;
    time = 0;
    snapshot = {};
}

void BusMeters::measurePiece (const float* const* channels, const float* limiterGain, int offset, int numFrames) noexcept
{
    for (int i = 0; i < numFrames; ++i)
        lowestGain = std::min (lowestGain, limiterGain[offset + i]);

    for (int c = 0; c < MeterSnapshot::channels; ++c)
    {
        const float* samples = channels[c] + offset;
        float peak = peaks[(size_t) c];
        double sum0 = 0.0, sum1 = 0.0;   // two sums: independent chains the CPU can overlap
        uint32_t clipped = 0;
        int i = 0;
        for (; i + 1 < numFrames; i += 2)
        {
            const auto a = samples[i], b = samples[i + 1];
            peak = std::max ({ peak, std::abs (a), std::abs (b) });
            sum0 += (double) a * a;
            sum1 += (double) b * b;
        }
        for (; i < numFrames; ++i)
        {
            peak = std::max (peak, std::abs (samples[i]));
            sum0 += (double) samples[i] * samples[i];
        }
        if (peak >= 1.0f)
            for (int k = 0; k < numFrames; ++k)
                clipped += std::abs (samples[k]) >= 1.0f ? 1u : 0u;
        peaks[(size_t) c] = peak;
        binSums[(size_t) c] += sum0 + sum1;
        snapshot.clips[(size_t) c] += clipped;
    }
}

int BusMeters::measure (const float* const* channels, const float* limiterGain, int offset, int numFrames) noexcept
{
    snapshotReady = false;
    numFrames = (int) std::min<int64_t> ({ (int64_t) numFrames, publishCountdown, loudnessCountdown });

    // RMS bins of exactly binLength samples.
    for (int done = 0; done < numFrames;)
    {
        const auto piece = std::min (numFrames - done, binLength - binFill);
        measurePiece (channels, limiterGain, offset + done, piece);
        done += piece;
        binFill += piece;
        if (binFill == binLength)
        {
            for (int c = 0; c < MeterSnapshot::channels; ++c)
            {
                binHistory[(size_t) c][(size_t) binIndex] = binSums[(size_t) c];
                binSums[(size_t) c] = 0.0;
            }
            binIndex = (binIndex + 1) % binsInWindow;
            binFill = 0;
        }
    }

    if (loudness != nullptr && numFrames * 2 <= (int) interleaved.size())
    {
        const float* left = channels[MeterSnapshot::channels - 2] + offset;
        const float* right = channels[MeterSnapshot::channels - 1] + offset;
        for (int i = 0; i < numFrames; ++i)
        {
            interleaved[(size_t) (2 * i)] = left[i];
            interleaved[(size_t) (2 * i + 1)] = right[i];
        }
        ebur128_add_frames_float (state (loudness), interleaved.data(), (size_t) numFrames);
    }

    time += numFrames;
    loudnessCountdown -= numFrames;
    if (loudnessCountdown == 0)
    {
        loudnessCountdown = loudnessInterval;
        measureLoudnessBlock();
    }
    publishCountdown -= numFrames;
    if (publishCountdown == 0)
    {
        publishCountdown = publishInterval;
        publish();
        snapshotReady = true;
    }
    return numFrames;
}

void BusMeters::measureLoudnessBlock() noexcept
{
    if (loudness == nullptr)
        return;
    double blockLoudness = -HUGE_VAL;
    if (ebur128_loudness_window (state (loudness), 100, &blockLoudness) != EBUR128_SUCCESS)
        return;
    // LUFS = −0.691 + 10·log10(mean square): back to the block's energy, to average blocks.
    blockEnergy[(size_t) blockIndex] = std::isfinite (blockLoudness) ? std::pow (10.0, (blockLoudness + 0.691) / 10.0) : 0.0;
    blockIndex = (blockIndex + 1) % loudnessBlocks;

    auto loudnessOfLast = [this] (int blocks)
    {
        double sum = 0.0;
        for (int i = 1; i <= blocks; ++i)
            sum += blockEnergy[(size_t) ((blockIndex - i + loudnessBlocks) % loudnessBlocks)];
        const auto mean = sum / blocks;
        return mean > 0.0 ? (float) std::max (-200.0, -0.691 + 10.0 * std::log10 (mean)) : -200.0f;
    };
    snapshot.lufsMomentary = loudnessOfLast (4);
    snapshot.lufsShortTerm = loudnessOfLast (loudnessBlocks);
}

void BusMeters::publish() noexcept
{
    snapshot.sampleTime = time;
    for (int c = 0; c < MeterSnapshot::channels; ++c)
    {
        const auto peak = peaks[(size_t) c];
        snapshot.peak[(size_t) c] = peak;
        auto& hold = snapshot.peakHold[(size_t) c];
        auto& left = holdLeft[(size_t) c];
        left -= publishInterval;
        if (peak >= hold || left <= 0)
        {
            hold = peak;
            left = holdLength;
        }
        double sum = 0.0;
        for (const auto bin : binHistory[(size_t) c])
            sum += bin;
        snapshot.rms[(size_t) c] = (float) std::sqrt (sum / (double) (binsInWindow * binLength));
        peaks[(size_t) c] = 0.0f;
    }
    snapshot.gainReductionDb = lowestGain < 1.0f ? (float) (-20.0 * std::log10 (std::max (lowestGain, 1.0e-10f))) : 0.0f;
    lowestGain = 1.0f;
}

} // namespace cuegrid
