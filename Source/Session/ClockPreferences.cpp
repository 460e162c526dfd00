// CueGrid — GPL-3.0-or-later
#include "ClockPreferences.h"

#include <algorithm>
#include <cmath>

namespace cuegrid
{

namespace
{
void note (std::string& problems, const std::string& text)
{
    problems += (problems.empty() ? "" : "; ") + ("clock." + text);
}

void readNumber (const nlohmann::json& json, const char* key, double minimum, double maximum, double& value, std::string& problems)
{
    const auto it = json.find (key);
    if (it == json.end())
        return;
    if (! it->is_number() || ! std::isfinite (it->get<double>()) || it->get<double>() < minimum || it->get<double>() > maximum)
        return note (problems, std::string (key) + " must be a number from " + std::to_string (minimum) + " to " + std::to_string (maximum) + " (ignored)");
    value = it->get<double>();
}

void readBool (const nlohmann::json& json, const char* key, bool& value, std::string& problems)
{
    const auto it = json.find (key);
    if (it == json.end())
        return;
    if (! it->is_boolean())
        return note (problems, std::string (key) + " must be true or false (ignored)");
    value = it->get<bool>();
}
} // namespace

bool ClockPreferences::operator== (const ClockPreferences& o) const noexcept
{
    const auto& a = settings;
    const auto& b = o.settings;
    return a.priority == b.priority && a.flywheelSeconds == b.flywheelSeconds && a.holdSeconds == b.holdSeconds
        && a.maxSlew == b.maxSlew && a.returnToBetter == b.returnToBetter && a.slewOffsetToZero == b.slewOffsetToZero
        && a.qualityThreshold == b.qualityThreshold && ltcChannel == o.ltcChannel && ltcLatency == o.ltcLatency
        && chaseKeepsRolling == o.chaseKeepsRolling;
}

nlohmann::json ClockPreferences::toJson() const
{
    nlohmann::json json;
    json["priority"] = nlohmann::json::array();
    for (auto kind : settings.priority)
        json["priority"].push_back (clockSourceKindName (kind));
    json["flywheelSeconds"] = settings.flywheelSeconds;
    json["holdSeconds"] = settings.holdSeconds;
    json["maxSlewPercent"] = settings.maxSlew * 100.0;
    json["returnToBetter"] = settings.returnToBetter;
    json["keepOffset"] = ! settings.slewOffsetToZero;
    json["qualityThreshold"] = settings.qualityThreshold;
    json["ltcChannel"] = ltcChannel;
    if (ltcLatency < 0)
        json["ltcLatency"] = "auto";
    else
        json["ltcLatency"] = ltcLatency;
    json["chaseKeepsRolling"] = chaseKeepsRolling;
    return json;
}

ClockPreferences ClockPreferences::fromJson (const nlohmann::json& json, std::string& problems)
{
    ClockPreferences p;
    if (! json.is_object())
    {
        note (problems, "must be an object (ignored)");
        return p;
    }
    if (const auto it = json.find ("priority"); it != json.end())
    {
        // Every kind once, best first: LTC, MTC, PTP, system in any order.
        std::array<ClockSourceKind, 4> order {};
        size_t n = 0;
        bool ok = it->is_array() && it->size() == 4;
        for (size_t i = 0; ok && i < 4; ++i)
        {
            const auto name = (*it)[i].is_string() ? (*it)[i].get<std::string>() : std::string();
            const ClockSourceKind kinds[] = { ClockSourceKind::ltc, ClockSourceKind::mtc, ClockSourceKind::ptp, ClockSourceKind::system };
            const auto found = std::find_if (std::begin (kinds), std::end (kinds), [&] (auto k) { return name == clockSourceKindName (k); });
            ok = found != std::end (kinds) && std::find (order.begin(), order.begin() + (std::ptrdiff_t) n, *found) == order.begin() + (std::ptrdiff_t) n;
            if (ok)
                order[n++] = *found;
        }
        if (ok)
            p.settings.priority = order;
        else
            note (problems, "priority must list LTC, MTC, PTP and system once each (ignored)");
    }
    readNumber (json, "flywheelSeconds", 0.0, 60.0, p.settings.flywheelSeconds, problems);
    readNumber (json, "holdSeconds", 0.0, 600.0, p.settings.holdSeconds, problems);
    double slewPercent = p.settings.maxSlew * 100.0;
    readNumber (json, "maxSlewPercent", 0.01, 10.0, slewPercent, problems);
    p.settings.maxSlew = slewPercent / 100.0;
    readBool (json, "returnToBetter", p.settings.returnToBetter, problems);
    bool keepOffset = ! p.settings.slewOffsetToZero;
    readBool (json, "keepOffset", keepOffset, problems);
    p.settings.slewOffsetToZero = ! keepOffset;
    double quality = p.settings.qualityThreshold, channel = p.ltcChannel;
    readNumber (json, "qualityThreshold", 0.0, 100.0, quality, problems);
    readNumber (json, "ltcChannel", 0.0, 64.0, channel, problems);
    p.settings.qualityThreshold = (int) std::lround (quality);
    p.ltcChannel = (int) std::lround (channel);
    if (const auto it = json.find ("ltcLatency"); it != json.end())
    {
        // "auto": the device's reported input latency; else whole samples (at most 1 s at 48 kHz).
        const auto number = it->is_number() ? it->get<double>() : -1.0;
        if (it->is_string() && it->get<std::string>() == "auto")
            p.ltcLatency = -1;
        else if (it->is_number() && std::isfinite (number) && number >= 0.0 && number <= maxLtcLatency && number == std::floor (number))
            p.ltcLatency = (int) number;
        else
            note (problems, "ltcLatency must be \"auto\" or whole samples from 0 to " + std::to_string (maxLtcLatency) + " (ignored)");
    }
    readBool (json, "chaseKeepsRolling", p.chaseKeepsRolling, problems);
    return p;
}

} // namespace cuegrid
