// CueGrid — GPL-3.0-or-later
// Timecode wraps at midnight (23:59:59:FF → 00:00:00:00). The clock keeps continuous lines
// (seconds that go on past a day) and wraps only what it shows; these helpers do the modular
// day arithmetic. docs/clock.md, "Midnight".
#pragma once

#include <cmath>

namespace cuegrid
{

/** Timecode seconds in one day at `fps` real frames a second: framesPerDay / fps, i.e. 86 400 at
    24, 25 and 30, 86 399.9136 at 29.97 drop-frame (2 589 408 frames), 86 486.4 at 29.97
    non-drop (2 592 000 frames, 30 labels a second). Any thread, no allocation. */
inline double timecodeDaySeconds (double fps, bool dropFrame) noexcept
{
    if (fps <= 0.0)
        return 86400.0;
    const auto labelsPerSecond = fps > 29.0 && fps < 31.0 ? 30.0 : std::round (fps);
    const auto frames = dropFrame ? 2589408.0 : labelsPerSecond * 86400.0;
    return frames / fps;
}

/** `seconds` moved by whole days to within half a day of `reference` (both in seconds; `day` from
    timecodeDaySeconds; day ≤ 0 leaves it unchanged). */
inline double nearestDayTo (double seconds, double reference, double day) noexcept
{
    return day > 0.0 ? seconds + day * std::round ((reference - seconds) / day) : seconds;
}

/** `seconds` wrapped into [0, day): the time of day a continuous line shows. */
inline double wrapToDay (double seconds, double day) noexcept
{
    if (day <= 0.0)
        return seconds;
    auto wrapped = seconds - day * std::floor (seconds / day);
    return wrapped >= day ? 0.0 : wrapped;   // a rounding edge just below a whole day
}

/** a − b the short way round the day: in [−day/2, day/2]. */
inline double dayDifference (double a, double b, double day) noexcept
{
    return a - nearestDayTo (b, a, day);
}

} // namespace cuegrid
