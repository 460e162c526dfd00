// CueGrid — GPL-3.0-or-later
// This machine's master-clock preferences (issue 12): the priority list, flywheel, hold, slew,
// return to a better source, keeping the offset, the quality threshold, the LTC input channel
// and its latency, and what chasing clips do when timecode stops. Stored as "clock" in preferences.json
// (docs/session-format.md); applied live through ClockManager::setSettings.
#pragma once

#include "Clock/ClockManager.h"

#include <nlohmann/json.hpp>

#include <string>

namespace cuegrid
{

struct ClockPreferences
{
    ClockSettings settings;         // priority, flywheelSeconds, holdSeconds, maxSlew, returnToBetter,
                                    // slewOffsetToZero (false: keep the offset), qualityThreshold
    int ltcChannel = 0;             // device input carrying LTC, from 1; 0: none
    int ltcLatency = -1;            // samples from the LTC connector to the engine's input; -1: auto (the device's report)
    bool chaseKeepsRolling = false; // chasing clips roll on when timecode stops (false: they stop after the flywheel time)

    static constexpr int maxLtcLatency = 48000;

    bool operator== (const ClockPreferences& other) const noexcept;
    bool operator!= (const ClockPreferences& other) const noexcept { return ! (*this == other); }

    /** {"priority": ["LTC","MTC","PTP","system"], "flywheelSeconds", "holdSeconds", "maxSlewPercent",
        "returnToBetter", "keepOffset", "qualityThreshold", "ltcChannel", "ltcLatency" ("auto" or
        samples, 0–48000), "chaseKeepsRolling"}. */
    nlohmann::json toJson() const;

    /** Reads what `json` has; a value missing keeps its default, one out of range or of the
        wrong type keeps its default and is named in `problems` ("; "-separated). Never throws. */
    static ClockPreferences fromJson (const nlohmann::json& json, std::string& problems);
};

} // namespace cuegrid
