// CueGrid — GPL-3.0-or-later
// Rule: SessionPrep 0.3.3 subsonic.py / audio.py:384, ../shared/specs/analysis-sessionprep.md 1.13 note 3.
#include "SubsonicDetector.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>

namespace cuegrid::analysis
{

/** An FFTW real-to-complex plan and its aligned buffers. FFTW's planner is not thread-safe,
    so plans are made and destroyed under one lock; executing them needs none. */
struct SubsonicDetector::Transform
{
    explicit Transform (size_t length) : length (length)
    {
        input = fftw_alloc_real (length);
        output = fftw_alloc_complex (length / 2 + 1);
        const std::lock_guard<std::mutex> lock (plannerLock());
        plan = fftw_plan_dft_r2c_1d ((int) length, input, output, FFTW_ESTIMATE);
    }

    ~Transform()
    {
        {
            const std::lock_guard<std::mutex> lock (plannerLock());
            fftw_destroy_plan (plan);
        }
        fftw_free (input);
        fftw_free (output);
    }

    static std::mutex& plannerLock()
    {
        static std::mutex lock;
        return lock;
    }

    size_t length;
    double* input = nullptr;
    fftw_complex* output = nullptr;
    fftw_plan plan = nullptr;
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
    window.resize (frameLength);
    for (size_t i = 0; i < frameLength; ++i)
        window[i] = 0.5 - 0.5 * std::cos (2.0 * M_PI * (double) i / (double) frameLength);
    frame.assign ((size_t) channels * frameLength, 0.0);
    bandEnergy.assign ((size_t) channels, 0.0);
    totalEnergy.assign ((size_t) channels, 0.0);
    filled = 0;
}

void SubsonicDetector::process (const double* interleaved, int64_t frames)
{
    for (int64_t i = 0; i < frames; ++i)
    {
        for (int c = 0; c < channels; ++c)
            frame[(size_t) c * frameLength + filled] = interleaved[i * channels + c];
        if (++filled == frameLength)
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
        double squares = 0;
        for (size_t i = 0; i < filled; ++i)
            squares += samples[i] * samples[i];
        if (std::sqrt (squares / (double) filled) < 1e-7)
            continue;   // the RMS of the unpadded samples decides

        std::fill (transform->input, transform->input + fftLength, 0.0);
        for (size_t i = 0; i < filled; ++i)
            transform->input[i] = samples[i] * window[i];
        fftw_execute (transform->plan);
        double band = 0, total = 0;
        for (size_t bin = 1; bin <= fftLength / 2; ++bin)
        {
            const auto energy = transform->output[bin][0] * transform->output[bin][0]
                              + transform->output[bin][1] * transform->output[bin][1];
            total += energy;
            if (bin <= bandTop)
                band += energy;
        }
        bandEnergy[(size_t) c] += band;
        totalEnergy[(size_t) c] += total;
    }
    filled = 0;
}

DetectorResult SubsonicDetector::result() const
{
    auto ratioDb = -std::numeric_limits<double>::infinity();
    for (int c = 0; c < channels; ++c)
        if (totalEnergy[(size_t) c] > 0)
            ratioDb = std::max (ratioDb, 10.0 * std::log10 (bandEnergy[(size_t) c] / totalEnergy[(size_t) c]));
    if (ratioDb >= warnRatioDb)
        return { Severity::information, formatNumber ("subsonic energy %.1f dB (<= 30 Hz)", ratioDb), { { "subsonic_ratio_db", ratioDb } } };
    return { Severity::clean, "no significant subsonic content", { { "subsonic_ratio_db", ratioDb } } };
}

} // namespace cuegrid::analysis
