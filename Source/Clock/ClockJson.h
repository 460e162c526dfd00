// CueGrid — GPL-3.0-or-later
// The clock manager's events and health as NDJSON lines: the event log's clock lines and
// `cuegrid timecode monitor`'s output share these (docs/clock.md, "Clock events and health").
#pragma once

#include "ClockManager.h"

#include <nlohmann/json.hpp>

#include <string>

namespace cuegrid
{

/** "HH:MM:SS:FF" (";" before FF at drop-frame) of `frames` at `fps`; "--:--:--:--" before any. */
std::string formatClockPosition (double frames, double fps, bool dropFrame);

/** A source's name by slot ("system" for the built-in clock, "slot N" when it is gone). Any thread. */
std::string clockSourceName (const ClockManager& manager, int slot);

/** One event, as {"event":"clockFailover"|"clockTakeover"|..., "cause", "from", "to", "source",
    "sample", "master" (timecode), "masterSeconds", "deltaMs", "stability"}. Message thread. */
nlohmann::ordered_json clockEventJson (const ClockEvent& event, const ClockManager& manager);

/** One line of the status bar for an event ("Clock: failover LTC in 1 → desk (lost)"). */
std::string describeClockEvent (const ClockEvent& event, const ClockManager& manager);

/** A source's position minus the master's, in seconds, the short way round midnight (a source
    at 00:00:00:01 is 2 frames ahead of a master at 23:59:59:24, not a day behind). Any thread. */
double sourceOffsetFromMaster (const SourceHealth& health, const MasterTime& master) noexcept;

/** One source's health at the master's block ({"event":"clockSource", "slot", "name", "kind",
    "state", "locked", "healthy", "active", "available", "fps", "dropFrame", "position",
    "deltaMs" (source − master), "lastMessageAgeMs", "driftUs", "driftWarning", "jitterUs",
    "stability", "dropouts", "discontinuities", "outliers", "differentTime"}). */
nlohmann::ordered_json sourceHealthJson (int slot, const SourceHealth& health, const MasterTime& master);

/** The master ({"event":"clockMaster", "sample", "position", "seconds", "fps", "dropFrame",
    "state", "source", "kind", "speed", "offsetMs", "failovers", "takeovers"}). */
nlohmann::ordered_json masterJson (const MasterTime& master, const ClockManager& manager);

} // namespace cuegrid
