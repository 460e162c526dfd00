// CueGrid — GPL-3.0-or-later
#include "ClockJson.h"

#include "Timecode.h"
#include "TimecodeDay.h"

#include <cmath>

namespace cuegrid
{

namespace
{
FrameRate rateOf (double fps, bool dropFrame) noexcept
{
    if (fps < 24.5) return FrameRate::fps24;
    if (fps < 27.0) return FrameRate::fps25;
    if (fps < 29.99) return dropFrame ? FrameRate::fps2997drop : FrameRate::fps2997;
    return FrameRate::fps30;
}

/** `value` to `step` (a power of ten), as the nearest double to the decimal (0.6, not 0.6000000000000001). */
double rounded (double value, double step)
{
    const auto scale = std::round (1.0 / step);
    return std::round (value * scale) / scale;
}
} // namespace

std::string formatClockPosition (double frames, double fps, bool dropFrame)
{
    if (! std::isfinite (frames) || fps <= 0.0)
        return "--:--:--:--";
    const auto rate = rateOf (fps, dropFrame);
    auto whole = (int64_t) std::floor (frames);
    const auto day = framesPerDay (rate);
    whole = ((whole % day) + day) % day;
    return Timecode::fromFrameNumber (whole, rate).toString();
}

std::string clockSourceName (const ClockManager& manager, int slot)
{
    if (slot == ClockManager::systemSource)
        return "system";
    const auto health = manager.getHealth (slot);
    return health.inUse ? std::string (health.name) : "slot " + std::to_string (slot);
}

nlohmann::ordered_json clockEventJson (const ClockEvent& event, const ClockManager& manager)
{
    using T = ClockEvent::Type;
    static constexpr const char* names[] = { "clockFailover", "clockTakeover", "clockLockLost", "clockSourceLost",
                                             "clockLockRegained", "clockDiscontinuity", "clockPeerDisagreement",
                                             "clockPeerAgreement", "clockRelocate" };
    const auto master = manager.getMaster();
    nlohmann::ordered_json line;
    line["event"] = names[(int) event.type];
    line["sample"] = event.sample;
    if (event.type == T::failover || event.type == T::takeover)
    {
        line["from"] = clockSourceName (manager, event.other);
        line["to"] = clockSourceName (manager, event.source);
        line["cause"] = clockEventCauseName (event.cause);
    }
    else
    {
        line["source"] = clockSourceName (manager, event.source);
        if (event.type == T::peerDisagreement || event.type == T::peerAgreement)
            line["other"] = clockSourceName (manager, event.other);
        if (event.cause != ClockEvent::Cause::none)
            line["cause"] = clockEventCauseName (event.cause);
    }
    if (event.type == T::discontinuity || event.type == T::peerDisagreement || event.type == T::relocate)
        line["deltaMs"] = rounded (event.deltaSeconds * 1000.0, 0.001);
    line["master"] = formatClockPosition (event.masterSeconds * master.fps, master.fps, master.dropFrame);
    line["masterSeconds"] = rounded (event.masterSeconds, 1.0e-6);
    line["stability"] = event.stability;
    return line;
}

std::string describeClockEvent (const ClockEvent& event, const ClockManager& manager)
{
    using T = ClockEvent::Type;
    const auto source = clockSourceName (manager, event.source);
    switch (event.type)
    {
        case T::failover:
            return "Clock: failover " + clockSourceName (manager, event.other) + " \u2192 " + source + " ("
                 + clockEventCauseName (event.cause) + ")";
        case T::takeover: return "Clock: " + source + " takes back over from " + clockSourceName (manager, event.other);
        case T::lockLost: return "Clock: " + source + " dropped out (flywheel)";
        case T::sourceLost: return "Clock: " + source + " lost";
        case T::lockRegained: return "Clock: " + source + " locked";
        case T::discontinuity: return "Clock: " + source + " jumped";
        case T::peerDisagreement: return "Clock: " + source + " and " + clockSourceName (manager, event.other) + " disagree";
        case T::peerAgreement: return "Clock: " + source + " and " + clockSourceName (manager, event.other) + " agree again";
        case T::relocate: return "Clock: relocated to " + source;
    }
    return "Clock";
}

double sourceOffsetFromMaster (const SourceHealth& h, const MasterTime& master) noexcept
{
    return h.fps > 0.0 ? dayDifference (h.positionFrames / h.fps, master.seconds, master.daySeconds) : 0.0;
}

nlohmann::ordered_json sourceHealthJson (int slot, const SourceHealth& h, const MasterTime& master)
{
    nlohmann::ordered_json line;
    line["event"] = "clockSource";
    line["sample"] = h.sample;
    line["slot"] = slot;
    line["name"] = h.name;
    line["kind"] = clockSourceKindName (h.kind);
    line["state"] = sourceStateName (h.state);
    line["locked"] = h.locked;
    line["healthy"] = h.healthy;
    line["active"] = h.active;
    line["available"] = h.available;
    line["fps"] = rounded (h.fps, 0.001);
    line["dropFrame"] = h.dropFrame;
    line["speed"] = rounded (h.speed, 1.0e-6);   // the flywheel's: −1 when the source runs backwards
    const bool hasLine = h.state != SourceState::none && h.fps > 0.0;
    line["position"] = hasLine ? formatClockPosition (h.positionFrames, h.fps, h.dropFrame) : "--:--:--:--";
    if (hasLine && master.everLocked)
        line["deltaMs"] = rounded (sourceOffsetFromMaster (h, master) * 1000.0, 0.001);
    line["lastMessageAgeMs"] = h.lastMessageAgeSeconds < 0.0 ? -1.0 : rounded (h.lastMessageAgeSeconds * 1000.0, 0.1);
    line["driftUs"] = rounded (h.driftUs, 0.01);
    line["driftWarning"] = h.driftWarning;
    line["jitterUs"] = rounded (h.jitterUs, 0.01);
    line["stability"] = h.stability;
    line["dropouts"] = h.dropouts;
    line["discontinuities"] = h.discontinuities;
    line["outliers"] = h.outliers;
    line["differentTime"] = h.differentTime;
    return line;
}

nlohmann::ordered_json masterJson (const MasterTime& master, const ClockManager& manager)
{
    nlohmann::ordered_json line;
    line["event"] = "clockMaster";
    line["sample"] = master.sample;
    line["position"] = formatClockPosition (master.frames, master.fps, master.dropFrame);
    line["seconds"] = rounded (master.seconds, 1.0e-6);
    line["fps"] = rounded (master.fps, 0.001);
    line["dropFrame"] = master.dropFrame;
    line["state"] = masterStateName (master.state);
    line["source"] = clockSourceName (manager, master.activeSource);
    line["kind"] = clockSourceKindName (master.activeKind);
    line["speed"] = rounded (master.speed, 1.0e-6);
    line["offsetMs"] = rounded (master.offsetSeconds * 1000.0, 0.001);
    line["failovers"] = master.failovers;
    line["takeovers"] = master.takeovers;
    return line;
}

} // namespace cuegrid
