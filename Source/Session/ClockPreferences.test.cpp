// CueGrid — GPL-3.0-or-later
#include "ClockPreferences.h"

#include <catch2/catch.hpp>

using namespace cuegrid;

TEST_CASE ("Clock preferences: written and read back, defaults when absent, bad values named", "[clock][preferences]")
{
    ClockPreferences p;
    p.settings.priority = { ClockSourceKind::mtc, ClockSourceKind::ltc, ClockSourceKind::ptp, ClockSourceKind::system };
    p.settings.flywheelSeconds = 2.5;
    p.settings.holdSeconds = 4.0;
    p.settings.maxSlew = 0.002;
    p.settings.returnToBetter = false;
    p.settings.slewOffsetToZero = false;
    p.settings.qualityThreshold = 70;
    p.ltcChannel = 3;
    p.ltcLatency = 0;
    p.chaseKeepsRolling = true;
    const auto json = p.toJson();
    CHECK (json["priority"] == nlohmann::json ({ "MTC", "LTC", "PTP", "system" }));
    CHECK (json["maxSlewPercent"] == Approx (0.2));
    CHECK (json["keepOffset"] == true);
    CHECK (json["ltcLatency"] == 0);
    CHECK (ClockPreferences().toJson()["ltcLatency"] == "auto");
    std::string problems;
    const auto back = ClockPreferences::fromJson (json, problems);
    CHECK (problems.empty());
    CHECK (back == p);

    const auto defaults = ClockPreferences::fromJson (nlohmann::json::object(), problems);
    CHECK (problems.empty());
    CHECK (defaults == ClockPreferences());
    CHECK (defaults.ltcLatency == -1);
    CHECK (ClockPreferences::fromJson ({ { "ltcLatency", "auto" } }, problems).ltcLatency == -1);
    CHECK (ClockPreferences::fromJson ({ { "ltcLatency", 128 } }, problems).ltcLatency == 128);
    CHECK (problems.empty());

    const auto bad = ClockPreferences::fromJson (
        { { "priority", { "LTC", "LTC", "PTP", "system" } }, { "qualityThreshold", 101 }, { "keepOffset", "yes" }, { "holdSeconds", 3 } }, problems);
    CHECK (problems.find ("clock.priority") != std::string::npos);
    CHECK (problems.find ("clock.qualityThreshold") != std::string::npos);
    CHECK (problems.find ("clock.keepOffset") != std::string::npos);
    problems.clear();
    for (const auto& value : { nlohmann::json ("manual"), nlohmann::json (-5), nlohmann::json (12.5), nlohmann::json (48001) })
        CHECK (ClockPreferences::fromJson ({ { "ltcLatency", value } }, problems).ltcLatency == -1);
    CHECK (problems.find ("clock.ltcLatency must be \"auto\" or whole samples from 0 to 48000") != std::string::npos);
    CHECK (bad.settings.priority == ClockSettings().priority);
    CHECK (bad.settings.qualityThreshold == 50);
    CHECK (bad.settings.holdSeconds == 3.0);   // what was good is kept
}
