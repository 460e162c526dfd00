// CueGrid — GPL-3.0-or-later
// CueGrid's own onset/decay measures for the transient/sustained decision; the rule is in
// Classifier.cpp and docs/analysis.md explains both.
#include "OnsetEnvelope.h"

#include <algorithm>
#include <cmath>

namespace cuegrid::analysis
{

namespace
{
    constexpr int riseFrames = 6;            // 30 ms: an onset rises >= riseDb within this
    constexpr double riseDb = 9.0;
    constexpr double strongWithinDb = 20.0;  // onsets that matter: within 20 dB of the loudest frame
    constexpr int peakSearchFrames = 8;      // 40 ms after the onset to find its peak
    constexpr int decayFrames = 50;          // judge the decay over up to 250 ms
    constexpr int minimumDecayFrames = 8;    // … and at least 40 ms
    constexpr double floorDb = -120.0;

    double median (std::vector<double> values)
    {
        if (values.empty())
            return 0;
        std::sort (values.begin(), values.end());
        const auto n = values.size();
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
    }
} // namespace

void OnsetEnvelopeAnalyzer::begin (const AudioFileInfo& info)
{
    channels = info.channels;
    hopLength = std::max (1, (int) std::lround (info.sampleRate * hopMs / 1000.0));
    filled = 0;
    blockPower = 0;
    blockPowers.clear();
    blockPowers.reserve (AudioFileInfo::reserveHint (info.frames / hopLength + 2));
    result = {};
}

void OnsetEnvelopeAnalyzer::process (const double* interleaved, int64_t frames)
{
    for (int64_t frame = 0; frame < frames; ++frame)
    {
        for (int c = 0; c < channels; ++c)
            blockPower += interleaved[frame * channels + c] * interleaved[frame * channels + c];
        if (++filled == hopLength)
        {
            blockPowers.push_back ((float) (blockPower / (hopLength * channels)));
            blockPower = 0;
            filled = 0;
        }
    }
}

void OnsetEnvelopeAnalyzer::end()
{
    if (filled > 0)
        blockPowers.push_back ((float) (blockPower / (filled * channels)));

    // 10 ms RMS every 5 ms, in dB; the file is taken to start from silence, so a one-shot
    // trimmed right at its attack still has an onset.
    const auto frames = (int) blockPowers.size();
    std::vector<double> level ((size_t) frames);
    for (int k = 0; k < frames; ++k)
    {
        const auto next = k + 1 < frames ? blockPowers[(size_t) k + 1] : blockPowers[(size_t) k];
        level[(size_t) k] = std::max (floorDb, 10.0 * std::log10 (std::max (1e-30, 0.5 * ((double) blockPowers[(size_t) k] + next))));
    }
    if (frames == 0)
        return;
    const auto loudest = *std::max_element (level.begin(), level.end());
    auto levelAt = [&] (int k) { return k < 0 ? floorDb : level[(size_t) k]; };

    struct Onset { int start, peak; };
    std::vector<Onset> onsets;
    for (int k = 0; k < frames;)
    {
        int lowest = k - 1;
        for (int j = k - riseFrames; j < k; ++j)
            if (levelAt (j) < levelAt (lowest)) lowest = j;
        if (level[(size_t) k] - levelAt (lowest) >= riseDb && level[(size_t) k] >= loudest - strongWithinDb - riseDb)
        {
            int peak = k;
            for (int j = k; j < std::min (frames, k + peakSearchFrames); ++j)
                if (level[(size_t) j] > level[(size_t) peak]) peak = j;
            if (level[(size_t) peak] >= loudest - strongWithinDb)
                onsets.push_back ({ std::max (0, lowest), peak });
            k = peak + 2;
            continue;
        }
        ++k;
    }

    std::vector<double> attacks, decays, monotonic;
    for (size_t i = 0; i < onsets.size(); ++i)
    {
        const auto [start, peak] = onsets[i];
        attacks.push_back ((peak - start) * hopMs);
        const auto end = std::min ({ frames, peak + decayFrames, i + 1 < onsets.size() ? onsets[i + 1].start : frames });
        if (end - peak < minimumDecayFrames)
            continue;
        // The fall from the peak to the mean of the segment's last 20 ms, as a rate.
        double tail = 0;
        const auto tailStart = std::max (peak + 1, end - 4);
        for (int j = tailStart; j < end; ++j)
            tail += level[(size_t) j];
        tail /= (end - tailStart);
        const auto seconds = (((end + tailStart) / 2.0) - peak) * hopMs / 1000.0;
        const auto rate = (level[(size_t) peak] - tail) / seconds;
        int steady = 0;
        for (int j = peak; j + 1 < end; ++j)
            steady += level[(size_t) j + 1] <= level[(size_t) j] + 1.0 ? 1 : 0;
        const auto share = (double) steady / (end - peak - 1);
        decays.push_back (rate);
        monotonic.push_back (share);
        ++result.measured;
        result.percussive += (peak - start) * hopMs <= 50.0 && rate >= 20.0 && share >= 0.6 ? 1 : 0;
    }
    result.onsets = (int) onsets.size();
    result.medianAttackMs = median (attacks);
    result.medianDecayDbPerSecond = median (decays);
    result.medianMonotonic = median (monotonic);
}

} // namespace cuegrid::analysis
