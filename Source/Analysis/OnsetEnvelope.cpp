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
    constexpr int longFrames = 400;          // the long horizon: 2 s after the peak
    constexpr int minimumLongFrames = 120;   // judged over at least 600 ms
    constexpr double heldWithinDb = 20.0;    // held: 250-500 ms after the peak within 20 dB of it
    constexpr double settledDbPerSecond = 4.0;   // … and falling slower than this afterwards
    constexpr int pauseFrames = 30;          // a pause: >= 150 ms …
    constexpr double pauseBelowDb = 35.0;    // … at least 35 dB below the loudest frame
    constexpr int mergeFrames = 10;          // a rise starting within 50 ms of the previous peak belongs to the same hit
    constexpr double noiseLikeCrossings = 2000.0;   // zero crossings per second: energy centred above ~1 kHz

    double meanOf (const std::vector<double>& level, int from, int to)
    {
        double sum = 0;
        for (int j = from; j < to; ++j)
            sum += level[(size_t) j];
        return to > from ? sum / (to - from) : 0;
    }

    /** How well the intervals between onset peaks (up to 2 s apart) fit multiples of one grid
        unit of 100-600 ms, within ±7.5 ms: the best unit's share of fitting intervals, scaled
        so that chance (random times) reads 0 and a perfect grid 1. */
    void measurePeriodicity (const std::vector<int>& peaks, double& score, double& unitMs)
    {
        score = unitMs = 0;
        std::vector<int> intervals;
        for (size_t i = 0; i < peaks.size(); ++i)
            for (size_t j = i + 1; j < peaks.size() && peaks[j] - peaks[i] <= longFrames; ++j)
                intervals.push_back (peaks[j] - peaks[i]);
        if (peaks.size() < 6 || intervals.size() < 10)
            return;
        constexpr double tolerance = 1.5;   // frames
        for (double unit = 20.0; unit <= 120.0; unit += 0.25)
        {
            int fit = 0;
            for (auto d : intervals)
            {
                const auto beats = d / unit;
                fit += std::abs (beats - std::round (beats)) * unit <= tolerance && beats >= 0.5 ? 1 : 0;
            }
            const auto chance = std::min (1.0, (2.0 * tolerance + 1.0) / unit);
            const auto value = ((double) fit / intervals.size() - chance) / (1.0 - chance);
            if (value > score)
            {
                score = value;
                unitMs = unit * OnsetEnvelopeAnalyzer::hopMs;
            }
        }
    }

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
    blockCrossings.clear();
    blockCrossings.reserve (AudioFileInfo::reserveHint (info.frames / hopLength + 2));
    blockCrossing = 0;
    wasPositive = true;
    result = {};
}

void OnsetEnvelopeAnalyzer::process (const double* interleaved, int64_t frames)
{
    // Hop by hop with local sums: no per-sample branch on the hop boundary, and a stereo path
    // the compiler can keep in registers.
    for (int64_t frame = 0; frame < frames;)
    {
        const auto count = std::min<int64_t> (hopLength - filled, frames - frame);
        const double* x = interleaved + frame * channels;
        double power = 0;
        int crossings = 0;
        bool positive = wasPositive;
        if (channels == 2)
        {
            for (int64_t i = 0; i < count; ++i)
            {
                const auto left = x[2 * i], right = x[2 * i + 1];
                power += left * left + right * right;
                const bool now = left + right >= 0;
                crossings += now != positive ? 1 : 0;
                positive = now;
            }
        }
        else
        {
            for (int64_t i = 0; i < count; ++i)
            {
                double sum = 0;
                for (int c = 0; c < channels; ++c)
                {
                    const auto value = x[i * channels + c];
                    power += value * value;
                    sum += value;
                }
                const bool now = sum >= 0;
                crossings += now != positive ? 1 : 0;
                positive = now;
            }
        }
        blockPower += power;
        blockCrossing += crossings;
        wasPositive = positive;
        filled += (int) count;
        frame += count;
        if (filled == hopLength)
        {
            blockPowers.push_back ((float) (blockPower / (hopLength * channels)));
            blockCrossings.push_back ((uint16_t) blockCrossing);
            blockPower = 0;
            blockCrossing = 0;
            filled = 0;
        }
    }
}

void OnsetEnvelopeAnalyzer::end()
{
    if (filled > 0)
    {
        blockPowers.push_back ((float) (blockPower / (filled * channels)));
        blockCrossings.push_back ((uint16_t) (blockCrossing * hopLength / filled));
    }

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

    // A hit can rise in stages (a cymbal's stick click, then its bloom): a rise that starts
    // within 50 ms of the previous peak is the same hit. The attack is timed to the first
    // peak, the decay measured from the highest.
    struct Onset { int start, firstPeak, peak; };
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
            if (! onsets.empty() && lowest - onsets.back().peak < mergeFrames)
            {
                if (level[(size_t) peak] > level[(size_t) onsets.back().peak])
                    onsets.back().peak = peak;
            }
            else if (level[(size_t) peak] >= loudest - strongWithinDb)
                onsets.push_back ({ std::max (0, lowest), peak, peak });
            k = peak + 2;
            continue;
        }
        ++k;
    }

    std::vector<double> attacks, decays, monotonic, ringingBrightness;
    for (size_t i = 0; i < onsets.size(); ++i)
    {
        const auto [start, firstPeak, peak] = onsets[i];
        attacks.push_back ((firstPeak - start) * hopMs);
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

        // The long horizon: a held note settles (an organ, a pad after its attack overshoot),
        // a cymbal keeps ringing down, a drum has long gone 20 dB under its peak.
        const auto longEnd = std::min ({ frames, peak + longFrames, i + 1 < onsets.size() ? onsets[i + 1].start : frames });
        bool held = false, ringing = false;
        if (longEnd - peak >= minimumLongFrames)
        {
            const auto early = meanOf (level, peak + 50, peak + 100);           // 250-500 ms
            const auto late = meanOf (level, longEnd - 20, longEnd);            // the span's last 100 ms
            const auto lateSlope = (early - late) / (((longEnd - 10) - (peak + 75)) * hopMs / 1000.0);
            int falling = 0;
            for (int j = peak + 50; j + 1 < longEnd; ++j)
                falling += level[(size_t) j + 1] <= level[(size_t) j] + 1.0 ? 1 : 0;
            const auto lateShare = (double) falling / (longEnd - peak - 51);
            std::vector<double> crossings;
            for (int j = peak + 50; j < longEnd; ++j)
                crossings.push_back (blockCrossings[(size_t) j] * 1000.0 / hopMs);
            const auto brightness = median (crossings);
            held = level[(size_t) peak] - early <= heldWithinDb && lateSlope < settledDbPerSecond;
            // Ringing down is what struck metal does: a steady fall of noise-like, bright sound.
            // A tonal note that fades (a synth lead, a pad's release) is not ringing.
            ringing = ! held && lateSlope >= settledDbPerSecond && lateShare >= 0.7 && early > floorDb + 20.0
                      && brightness >= noiseLikeCrossings;
            ringingBrightness.push_back (brightness);
        }
        result.held += held ? 1 : 0;
        result.ringing += ringing ? 1 : 0;
        const bool sharp = (firstPeak - start) * hopMs <= 50.0;
        result.percussive += sharp && ! held && ((rate >= 20.0 && share >= 0.6) || ringing) ? 1 : 0;
    }
    result.onsets = (int) onsets.size();
    result.durationSeconds = frames * hopMs / 1000.0;
    result.onsetsPerSecond = result.onsets / std::max (0.05, result.durationSeconds);
    // The metre shows within the first 400 onsets; more would only cost time on long files.
    std::vector<int> peaks;
    for (size_t i = 0; i < std::min<size_t> (onsets.size(), 400); ++i)
        peaks.push_back (onsets[i].peak);
    measurePeriodicity (peaks, result.periodicity, result.gridMs);
    if (! onsets.empty())
    {
        int quiet = 0;
        for (int k = onsets.front().peak; k <= onsets.back().start; ++k)
        {
            if (level[(size_t) k] < loudest - pauseBelowDb)
                ++quiet;
            else
            {
                result.pauses += quiet >= pauseFrames ? 1 : 0;
                quiet = 0;
            }
        }
    }
    result.medianAttackMs = median (attacks);
    result.medianDecayDbPerSecond = median (decays);
    result.medianMonotonic = median (monotonic);
    result.medianCrossingsPerSecond = median (ringingBrightness);
}

} // namespace cuegrid::analysis
