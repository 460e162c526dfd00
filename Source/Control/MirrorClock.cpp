// CueGrid — GPL-3.0-or-later
#include "MirrorClock.h"

#include <algorithm>
#include <array>
#include <chrono>

namespace cuegrid
{

std::optional<mirrorclock::Timeline> mirrorclock::timelineOf (const EngineClockMark* marks, int count) noexcept
{
    if (count <= 0 || marks[0].sampleRate <= 0.0)
        return std::nullopt;
    Timeline timeline;
    timeline.sampleRate = marks[0].sampleRate;
    const auto nanosPerSample = 1.0e9 / timeline.sampleRate;
    timeline.epochNanos = (double) marks[0].wallNanos - (double) marks[0].blockStart * nanosPerSample;
    for (int i = 1; i < std::min (count, epochMarks); ++i)
    {
        const auto& older = marks[i];
        const auto& newer = marks[i - 1];
        if (older.callback + 1 != newer.callback || older.blockStart + older.frames != newer.blockStart)
            break;   // a gap or another timeline
        timeline.epochNanos = std::min (timeline.epochNanos, (double) older.wallNanos - (double) older.blockStart * nanosPerSample);
    }
    return timeline;
}

std::optional<mirrorclock::Timeline> mirrorclock::timelineNow (const Engine& engine, int64_t& nanos) noexcept
{
    std::array<EngineClockMark, epochMarks> marks;
    const auto count = engine.getClockMarks (marks.data(), (int) marks.size());
    nanos = nowNanos();
    if (count == 0 || nanos - marks[0].wallNanos > 200'000'000)
        return std::nullopt;
    return timelineOf (marks.data(), count);
}

int64_t mirrorclock::nowNanos() noexcept
{
    return std::chrono::duration_cast<std::chrono::nanoseconds> (std::chrono::steady_clock::now().time_since_epoch()).count();
}

} // namespace cuegrid
