// CueGrid — GPL-3.0-or-later
#pragma once

#include "Engine/Engine.h"

#include <cstdint>
#include <optional>

namespace cuegrid
{

/** An engine's timeline against its machine's steady_clock, for mirroring:
    position(t) = (t − epoch) × rate, t in ns.

    The epoch comes from the last callbacks' clock marks (a mark's wallNanos minus its
    blockStart in ns). A callback that starts late (the scheduler, a busy machine) would put the
    timeline behind; callbacks are never early, so the earliest epoch of the newest 12 marks
    (32 ms at 128 frames) is taken. A lost cycle (an xrun: the device went on, the engine did
    not) moves the epoch for good; after 12 callbacks the new one is in use. Only marks
    contiguous with the newest count (a device restart begins a new timeline at 0).

    Any thread (reads the engine's lock-free marks). */
namespace mirrorclock
{
    struct Timeline
    {
        double epochNanos = 0.0;     // steady_clock ns at timeline sample 0
        double sampleRate = 48000.0;

        double positionAt (double nanos) const noexcept { return (nanos - epochNanos) * sampleRate / 1.0e9; }
        double nanosAt (double sample) const noexcept { return epochNanos + sample * 1.0e9 / sampleRate; }
    };

    constexpr int epochMarks = 12;

    /** From marks newest first (Engine::getClockMarks). nullopt without a mark. */
    std::optional<Timeline> timelineOf (const EngineClockMark* marks, int count) noexcept;

    /** The engine's timeline now; nullopt when no callback ran in the last 200 ms (no device,
        or it stopped). `nanos`: steady_clock when it was read. */
    std::optional<Timeline> timelineNow (const Engine& engine, int64_t& nanos) noexcept;

    /** steady_clock now, ns. */
    int64_t nowNanos() noexcept;
}

} // namespace cuegrid
