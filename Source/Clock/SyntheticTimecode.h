// CueGrid — GPL-3.0-or-later
// Test support (unit and real-time tests only): a timecode source whose true position is known
// at every audio sample, emitting LTC-like (one observation a frame) or MTC-like (four a frame)
// observations with timing jitter. Deterministic: its clock is the audio sample time the test
// advances, its jitter a seeded generator.
#pragma once

#include "ClockSource.h"

#include <cmath>
#include <cstdint>

namespace cuegrid::test
{

struct SyntheticTimecode
{
    double sampleRate = 48000.0;
    double fps = 25.0;                // real frames per second the observations claim
    bool dropFrame = false;
    double observationsPerFrame = 1.0;   // LTC: 1; MTC quarter frames: 4
    double jitterSamples = 0.0;       // each observation's timing error, uniform in ±jitterSamples
    uint32_t seed = 1;

    /** The truth: timecode seconds `anchorSeconds` at sample `anchorSample`, then `speed`. */
    int64_t anchorSample = 0;
    double anchorSeconds = 3600.0;
    double speed = 1.0;

    double truthAt (double sample) const noexcept { return anchorSeconds + speed * (sample - (double) anchorSample) / sampleRate; }

    /** Changes speed (or jumps, with `newSeconds`) at `sample`, continuing the line otherwise. */
    void setSpeed (int64_t sample, double newSpeed) noexcept
    {
        anchorSeconds = truthAt ((double) sample);
        anchorSample = sample;
        speed = newSpeed;
    }
    void jumpTo (int64_t sample, double newSeconds) noexcept
    {
        anchorSample = sample;
        anchorSeconds = newSeconds;
    }

    /** Calls publish (ClockObservation) for every observation whose true time falls in samples
        [from, to): the position each one carries is the truth at its sample plus the jitter (a
        stamp that is early or late by up to jitterSamples). */
    template <typename Publish>
    int emit (int64_t from, int64_t to, Publish&& publish) noexcept
    {
        const auto step = 1.0 / (fps * observationsPerFrame);   // timecode seconds between observations
        const auto p0 = truthAt ((double) from), p1 = truthAt ((double) to);
        if (p0 == p1)
            return 0;
        const auto lo = std::min (p0, p1), hi = std::max (p0, p1);
        int count = 0;
        // Each crossing's sample comes from the truth's line alone, so a crossing on a block
        // boundary lands in exactly one block.
        for (auto k = std::floor (lo / step) - 1.0; k * step < hi + step; k += 1.0)
        {
            const auto crossing = (double) anchorSample + (k * step - anchorSeconds) / speed * sampleRate;
            const auto sample = (int64_t) std::floor (crossing + 1.0e-6);
            if (sample < from || sample >= to)
                continue;
            ClockObservation observation;
            observation.sample = sample;
            observation.frames = truthAt ((double) sample + nextJitter()) * fps;
            observation.fps = fps;
            observation.dropFrame = dropFrame;
            publish (observation);
            ++count;
        }
        return count;
    }

    double nextJitter() noexcept
    {
        seed = seed * 1664525u + 1013904223u;
        return jitterSamples * (2.0 * (double) (seed >> 8) / 16777216.0 - 1.0);
    }
};

} // namespace cuegrid::test
