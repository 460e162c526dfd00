// CueGrid — GPL-3.0-or-later
#include "ClockSource.h"

#include <cmath>
#include <ctime>

namespace cuegrid
{

const char* clockSourceKindName (ClockSourceKind kind) noexcept
{
    switch (kind)
    {
        case ClockSourceKind::ltc: return "LTC";
        case ClockSourceKind::mtc: return "MTC";
        case ClockSourceKind::ptp: return "PTP";
        case ClockSourceKind::system: return "system";
    }
    return "?";
}

int64_t SampleClock::sampleAt (int64_t monotonicNs) const noexcept
{
    const auto p = pair.read();
    return p.sample + (int64_t) std::llround ((double) (monotonicNs - p.monotonicNs) * p.sampleRate * 1.0e-9);
}

int64_t SampleClock::monotonicNowNs() noexcept
{
    timespec now {};
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * 1000000000 + now.tv_nsec;
}

} // namespace cuegrid
