// CueGrid — GPL-3.0-or-later
// The clock's state, event and cause names, as the event log and the CLI print them.
#include "MasterTimeline.h"

namespace cuegrid
{

const char* masterStateName (MasterState state) noexcept
{
    switch (state)
    {
        case MasterState::locked: return "locked";
        case MasterState::flywheel: return "flywheel";
        case MasterState::freeRun: return "free-run";
    }
    return "?";
}

const char* clockEventTypeName (ClockEvent::Type type) noexcept
{
    using T = ClockEvent::Type;
    switch (type)
    {
        case T::failover: return "failover";
        case T::takeover: return "takeover";
        case T::lockLost: return "lockLost";
        case T::sourceLost: return "sourceLost";
        case T::lockRegained: return "lockRegained";
        case T::discontinuity: return "discontinuity";
        case T::peerDisagreement: return "peerDisagreement";
        case T::peerAgreement: return "peerAgreement";
        case T::relocate: return "relocate";
    }
    return "?";
}

const char* clockEventCauseName (ClockEvent::Cause cause) noexcept
{
    using C = ClockEvent::Cause;
    switch (cause)
    {
        case C::none: return "";
        case C::lost: return "lost";
        case C::unavailable: return "unavailable";
        case C::belowQuality: return "belowQuality";
        case C::differentTime: return "differentTime";
        case C::removed: return "removed";
        case C::betterSource: return "betterSource";
        case C::operatorRequest: return "operatorRequest";
    }
    return "?";
}

} // namespace cuegrid
