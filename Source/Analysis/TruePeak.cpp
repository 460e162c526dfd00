// CueGrid — GPL-3.0-or-later
#include "TruePeak.h"

#include <algorithm>
#include <cmath>

namespace cuegrid::analysis
{

void TruePeakMeter::reset (int channelCount, double sampleRate)
{
    channels = std::max (1, channelCount);
    factor = sampleRate < 96000 ? 4 : sampleRate < 192000 ? 2 : 1;
    peak = sampleMax = 0;
    bound = 0;
    coefficients.clear();
    planar.clear();
    chunkMax.clear();
    tails.clear();
    if (factor == 1)
    {
        taps = 1;
        return;
    }
    // libebur128 interp_create (49, factor): tap j of the sinc belongs to phase j % factor at
    // delay j / factor; |c| ≤ 1e-6 is dropped. Phase 0 is the sample itself (its other taps
    // fall on the sinc's zeros), so only phases 1 … factor − 1 are computed.
    constexpr int sincTaps = 49;
    taps = (sincTaps + factor - 1) / factor;
    coefficients.assign ((size_t) ((factor - 1) * taps), 0.0f);
    std::vector<double> sums ((size_t) factor, 0.0);
    for (int j = 0; j < sincTaps; ++j)
    {
        const double m = (double) j - (sincTaps - 1) / 2.0;
        double c = std::abs (m) > 1e-6 ? std::sin (m * M_PI / factor) / (m * M_PI / factor) : 1.0;
        c *= 0.5 * (1 - std::cos (2 * M_PI * j / (sincTaps - 1)));
        if (std::abs (c) <= 1e-6 || j % factor == 0)
            continue;
        coefficients[(size_t) ((j % factor - 1) * taps + j / factor)] = (float) c;
        sums[(size_t) (j % factor)] += std::abs ((double) (float) c);
    }
    for (auto sum : sums)
        bound = std::max (bound, sum);
    bound *= 1.0001;   // covers float rounding in the filter sums
    tails.assign ((size_t) (taps - 1) * (size_t) channels, 0.0f);
}

void TruePeakMeter::process (const double* interleaved, int64_t frames)
{
    if (frames <= 0 || channels == 0)
        return;
    const auto history = (size_t) (taps - 1);
    const auto chunks = (size_t) ((frames + chunk - 1) / chunk);
    const auto stride = history + chunks * (size_t) chunk;   // one channel's run: history, block, zero padding
    if (planar.size() < stride * (size_t) channels)
        planar.resize (stride * (size_t) channels);
    chunkMax.assign (chunks * (size_t) channels, 0.0f);

    for (int c = 0; c < channels; ++c)
    {
        auto* run = planar.data() + (size_t) c * stride;
        // The history: this channel's last taps − 1 samples, kept in `tails` between blocks.
        std::copy_n (tails.data() + (size_t) c * history, history, run);
        for (int64_t i = 0; i < frames; ++i)
            run[history + (size_t) i] = (float) interleaved[i * channels + c];
        std::fill (run + history + frames, run + stride, 0.0f);
        std::copy_n (run + frames, history, tails.data() + (size_t) c * history);
    }

    // The sample peak from the floats: exact for 16- and 24-bit PCM and float files, within
    // 6e-8 (5e-7 dB) for 32-bit PCM and double.
    for (int c = 0; c < channels; ++c)
    {
        const auto* run = planar.data() + (size_t) c * stride;   // run[history + i] is frame i
        auto* maxima = chunkMax.data() + (size_t) c * chunks;
        float blockMax = 0;
        for (size_t k = 0; k < chunks; ++k)
        {
            const auto* x = run + history + k * chunk;
            float lanes[4] = { 0, 0, 0, 0 };   // independent maxima, so the loop vectorises
            for (int i = 0; i < chunk; i += 4)
                for (int j = 0; j < 4; ++j)
                {
                    const auto magnitude = std::fabs (x[i + j]);
                    lanes[j] = magnitude > lanes[j] ? magnitude : lanes[j];
                }
            maxima[k] = std::max (std::max (lanes[0], lanes[1]), std::max (lanes[2], lanes[3]));
            blockMax = std::max (blockMax, maxima[k]);
        }
        sampleMax = std::max (sampleMax, (double) blockMax);
    }
    peak = std::max (peak, sampleMax);
    if (factor == 1)
        return;

    float outputs[chunk];
    for (int c = 0; c < channels; ++c)
    {
        const auto* run = planar.data() + (size_t) c * stride;
        const auto* maxima = chunkMax.data() + (size_t) c * chunks;
        float historyMax = 0;
        for (size_t i = 0; i < history; ++i)
            historyMax = std::max (historyMax, std::abs (run[i]));
        for (size_t k = 0; k < chunks; ++k)
        {
            // Chunk k's outputs read the chunk and the taps − 1 (< chunk) frames before it.
            const auto windowMax = (double) std::max (maxima[k], k > 0 ? maxima[k - 1] : historyMax);
            if (windowMax * bound <= peak)
                continue;
            const auto* x0 = run + history + k * chunk;
            const auto count = (int) std::min<int64_t> (chunk, frames - (int64_t) (k * chunk));
            for (int f = 0; f < factor - 1; ++f)
            {
                const auto* coefficient = coefficients.data() + (size_t) (f * taps);
                std::fill_n (outputs, chunk, 0.0f);
                for (int t = 0; t < taps; ++t)
                {
                    const auto weight = coefficient[t];
                    const auto* x = x0 - t;
                    for (int i = 0; i < chunk; ++i)
                        outputs[i] += weight * x[i];
                }
                float largest = 0;
                for (int i = 0; i < count; ++i)
                    largest = std::max (largest, std::abs (outputs[i]));
                peak = std::max (peak, (double) largest);
            }
        }
    }
}

} // namespace cuegrid::analysis
