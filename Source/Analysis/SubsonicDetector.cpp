// CueGrid — GPL-3.0-or-later
// Rule: SessionPrep 0.3.3 subsonic.py / audio.py:384, ../shared/specs/analysis-sessionprep.md 1.13 note 3.
#include "SubsonicDetector.h"

#include "FftWisdom.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>

namespace cuegrid::analysis
{

namespace
{
    /** Σ x² in four partial sums (vectorisable; differs from one running sum by ~1e-16). */
    double sumOfSquares (const double* samples, size_t count) noexcept
    {
        double lanes[4] = {};
        size_t i = 0;
        for (; i + 4 <= count; i += 4)
            for (size_t lane = 0; lane < 4; ++lane)
                lanes[lane] += samples[i + lane] * samples[i + lane];
        for (; i < count; ++i)
            lanes[0] += samples[i] * samples[i];
        return (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
    }
} // namespace

/** This detector's aligned FFT buffers and the process's one FFTW real-to-complex plan of
    their length: the measured plan from the shipped wisdom (FftWisdom.h) where it fits this
    CPU, else FFTW_ESTIMATE's (2.4 ms to plan 32768 points here). Planning is done once per
    length per process, under a lock because FFTW's planner is not thread-safe; the plans are
    never destroyed. Analysis threads run a plan at once on their own buffers through the
    new-array execute, which is thread-safe (fftw_alloc gives every buffer the plan's alignment). */
struct SubsonicDetector::Transform
{
    explicit Transform (size_t length) : length (length)
    {
        input = fftw_alloc_real (length);
        output = fftw_alloc_complex (length / 2 + 1);
        plan = sharedPlan (length);
    }

    ~Transform()
    {
        fftw_free (input);
        fftw_free (output);
    }

    void execute() noexcept { fftw_execute_dft_r2c (plan, input, output); }

    /** The process's plans, one per length: made under `lock` (FFTW's planner is not
        thread-safe), executed by any thread with its own arrays, destroyed at exit (after
        every analysis thread has been joined) so no plan is left unreachable. */
    struct PlanCache
    {
        std::mutex lock;
        std::map<size_t, fftw_plan> plans;   // guarded by lock

        ~PlanCache()
        {
            for (auto& entry : plans)
                if (entry.second != nullptr)
                    fftw_destroy_plan (entry.second);
        }
    };

    static fftw_plan sharedPlan (size_t length)
    {
        static PlanCache cache;
        const std::lock_guard<std::mutex> guard (cache.lock);
        auto& plan = cache.plans[length];
        if (plan == nullptr)
        {
            static const bool imported = fftw_import_wisdom_from_string (subsonicFftWisdom) != 0;
            auto* in = fftw_alloc_real (length);
            auto* out = fftw_alloc_complex (length / 2 + 1);
            if (imported)
                plan = fftw_plan_dft_r2c_1d ((int) length, in, out, FFTW_MEASURE | FFTW_WISDOM_ONLY);
            if (plan == nullptr)
                plan = fftw_plan_dft_r2c_1d ((int) length, in, out, FFTW_ESTIMATE);
            fftw_free (in);
            fftw_free (out);
        }
        return plan;
    }

    /** The periodic Hann window of `length` points, computed once per length per process. */
    static const std::vector<double>& hannWindow (size_t length)
    {
        static std::mutex lock;
        static std::map<size_t, std::vector<double>> windows;   // guarded by lock; entries never move
        const std::lock_guard<std::mutex> guard (lock);
        auto& window = windows[length];
        if (window.empty())
        {
            window.resize (length);
            for (size_t i = 0; i < length; ++i)
                window[i] = 0.5 - 0.5 * std::cos (2.0 * M_PI * (double) i / (double) length);
        }
        return window;
    }

    size_t length;
    double* input = nullptr;
    fftw_complex* output = nullptr;
    fftw_plan plan = nullptr;   // shared by every Transform of this length; read-only after planning
};

SubsonicDetector::SubsonicDetector() = default;
SubsonicDetector::~SubsonicDetector() = default;

void SubsonicDetector::begin (const AudioFileInfo& info)
{
    channels = info.channels;
    frameLength = (size_t) std::max (8, (int) (info.sampleRate * frameMs / 1000.0));
    fftLength = 1;
    while (fftLength < frameLength)
        fftLength *= 2;
    bandTop = (size_t) std::floor (cutoffHz * (double) fftLength / info.sampleRate);
    if (transform == nullptr || transform->length != fftLength)
        transform = std::make_unique<Transform> (fftLength);
    window = Transform::hannWindow (frameLength);
    frame.assign ((size_t) channels * frameLength, 0.0);
    bandEnergy.assign ((size_t) channels, 0.0);
    totalEnergy.assign ((size_t) channels, 0.0);
    frameLevels.assign ((size_t) channels, {});
    for (auto& levels : frameLevels)
        levels.reserve (AudioFileInfo::reserveHint (info.frames / (int64_t) frameLength + 1));
    filled = 0;
    frames = 0;
}

void SubsonicDetector::process (const double* interleaved, int64_t count)
{
    frames += count;
    // De-interleaved a run at a time, up to the end of the frame or of the block.
    for (int64_t i = 0; i < count;)
    {
        const auto take = std::min<int64_t> (count - i, (int64_t) (frameLength - filled));
        for (int c = 0; c < channels; ++c)
        {
            auto* out = frame.data() + (size_t) c * frameLength + filled;
            const auto* in = interleaved + i * channels + c;
            for (int64_t k = 0; k < take; ++k)
                out[k] = in[k * channels];
        }
        filled += (size_t) take;
        i += take;
        if (filled == frameLength)
            finishFrame();
    }
}

void SubsonicDetector::end()
{
    if (filled > 0)
        finishFrame();   // zero-padded to a whole frame
}

void SubsonicDetector::finishFrame()
{
    for (int c = 0; c < channels; ++c)
    {
        const auto* samples = frame.data() + (size_t) c * frameLength;
        const auto squares = sumOfSquares (samples, filled);
        // The region fallback's level counts the zero padding; the silence gate does not.
        const auto paddedRms = std::sqrt (squares / (double) frameLength);
        FrameLevel level { -std::numeric_limits<double>::infinity(), paddedRms > 1e-10 ? 20.0 * std::log10 (paddedRms) : -200.0 };
        const auto rms = std::sqrt (squares / (double) filled);
        if (rms < 1e-7)
        {
            frameLevels[(size_t) c].push_back (level);
            continue;   // the RMS of the unpadded samples decides
        }

        for (size_t i = 0; i < filled; ++i)
            transform->input[i] = samples[i] * window[i];
        std::fill (transform->input + filled, transform->input + fftLength, 0.0);   // zero padding
        transform->execute();
        const auto* bins = transform->output;
        double band = 0;
        for (size_t bin = 1; bin <= std::min (bandTop, fftLength / 2); ++bin)
            band += bins[bin][0] * bins[bin][0] + bins[bin][1] * bins[bin][1];
        // Above the band: four partial sums (the order of additions changes the total by ~1e-16).
        double above[4] = {};
        size_t bin = std::min (bandTop, fftLength / 2) + 1;
        for (; bin + 4 <= fftLength / 2 + 1; bin += 4)
            for (size_t lane = 0; lane < 4; ++lane)
                above[lane] += bins[bin + lane][0] * bins[bin + lane][0] + bins[bin + lane][1] * bins[bin + lane][1];
        for (; bin <= fftLength / 2; ++bin)
            above[0] += bins[bin][0] * bins[bin][0] + bins[bin][1] * bins[bin][1];
        const auto total = band + ((above[0] + above[1]) + (above[2] + above[3]));
        bandEnergy[(size_t) c] += band;
        totalEnergy[(size_t) c] += total;
        // The frame's own ratio; -inf when the subsonic level itself (rms + ratio) is under -40 dB.
        if (band > 0 && total > 0)
        {
            const auto ratioDb = 10.0 * std::log10 (band / total);
            if (20.0 * std::log10 (rms) + ratioDb >= absoluteGateDb)
                level.ratioDb = ratioDb;
        }
        frameLevels[(size_t) c].push_back (level);
    }
    filled = 0;
}

nlohmann::ordered_json SubsonicDetector::windowedRegions() const
{
    struct Region { int64_t start, end; double max; int channel; };
    const auto frameEnd = [this] (size_t index) { return std::min ((int64_t) ((index + 1) * frameLength), frames) - 1; };

    // Runs of frames per channel whose value passes `keep`; each region's value is their maximum.
    const auto runs = [&] (auto value, auto keep)
    {
        std::vector<Region> found;
        for (int c = 0; c < channels; ++c)
        {
            const auto& levels = frameLevels[(size_t) c];
            bool open = false;
            for (size_t index = 0; index < levels.size(); ++index)
            {
                const auto v = value (levels[index]);
                if (! keep (c, v))
                {
                    open = false;
                    continue;
                }
                if (open)
                {
                    found.back().end = frameEnd (index);
                    found.back().max = std::max (found.back().max, v);
                }
                else
                    found.push_back ({ (int64_t) (index * frameLength), frameEnd (index), v, c });
                open = true;
            }
        }
        return found;
    };
    auto regions = runs ([] (const FrameLevel& l) { return l.ratioDb; },
                         [] (int, double ratio) { return std::isfinite (ratio) && ratio >= warnRatioDb - regionRelaxDb; });
    if (regions.empty())
    {
        // Fallback: the frames within 20 dB of each channel's loudest frame (zero-padded RMS);
        // the region's value is then that level in dBFS, under the same key, as in the reference.
        std::vector<double> loudest ((size_t) channels, -200.0);
        for (int c = 0; c < channels; ++c)
            for (const auto& level : frameLevels[(size_t) c])
                loudest[(size_t) c] = std::max (loudest[(size_t) c], level.rmsDb);
        regions = runs ([] (const FrameLevel& l) { return l.rmsDb; },
                        [&] (int c, double rmsDb) { return rmsDb >= loudest[(size_t) c] - activeGateDb; });
    }
    std::stable_sort (regions.begin(), regions.end(), [] (const Region& a, const Region& b) { return a.max > b.max; });
    if (regions.size() > maxRegions)
        regions.resize (maxRegions);
    auto list = nlohmann::ordered_json::array();
    for (const auto& region : regions)
        list.push_back ({ { "sample_start", region.start }, { "sample_end", region.end }, { "max_ratio_db", jsonNumber (region.max) },
                          { "channel", channels > 1 ? nlohmann::ordered_json (region.channel) : nlohmann::ordered_json (nullptr) } });
    return list;
}

DetectorResult SubsonicDetector::result() const
{
    auto ratioDb = -std::numeric_limits<double>::infinity();
    auto perChannel = nlohmann::ordered_json::object();
    for (int c = 0; c < channels; ++c)
    {
        const auto band = bandEnergy[(size_t) c], total = totalEnergy[(size_t) c];
        const auto channelDb = band > 0 && total > 0 ? 10.0 * std::log10 (band / total) : -std::numeric_limits<double>::infinity();
        ratioDb = std::max (ratioDb, channelDb);
        perChannel[std::to_string (c)] = { { "ratio_db", jsonNumber (channelDb) }, { "warn", std::isfinite (channelDb) && channelDb >= warnRatioDb } };
    }
    const bool warn = std::isfinite (ratioDb) && ratioDb >= warnRatioDb;
    DetectorResult result { warn ? Severity::information : Severity::clean,
                            warn ? formatNumber ("subsonic energy %.1f dB (<= 30 Hz)", ratioDb) : "no significant subsonic content",
                            { { "subsonic_ratio_db", ratioDb } } };
    result.details = { { "subsonic_warn", warn }, { "per_channel", std::move (perChannel) } };
    if (warn)
        result.details["windowed_regions"] = windowedRegions();
    return result;
}

} // namespace cuegrid::analysis
