// CueGrid — GPL-3.0-or-later
#include "Session/MidiMappings.h"

#include <stdexcept>

namespace cuegrid
{

namespace
{
    struct TypeName { MidiTarget::Type type; const char* name; bool hasClip; };
    constexpr TypeName typeNames[] = {
        { MidiTarget::Type::clipFire, "fire", true },      { MidiTarget::Type::clipToggle, "toggle", true },
        { MidiTarget::Type::clipLevel, "clipLevel", true }, { MidiTarget::Type::groupLevel, "group", false },
        { MidiTarget::Type::masterLevel, "master", false }, { MidiTarget::Type::stopAll, "stopAll", false },
        { MidiTarget::Type::fadeAll, "fadeAll", false },   { MidiTarget::Type::pauseAll, "pauseAll", false },
        { MidiTarget::Type::resumeAll, "resumeAll", false }, { MidiTarget::Type::panic, "panic", false },
        { MidiTarget::Type::page, "page", false },         { MidiTarget::Type::nextPage, "nextPage", false },
        { MidiTarget::Type::previousPage, "previousPage", false }, { MidiTarget::Type::nextTab, "nextTab", false },
        { MidiTarget::Type::previousTab, "previousTab", false }, { MidiTarget::Type::showMode, "showMode", false },
        { MidiTarget::Type::showModeOn, "showModeOn", false }, { MidiTarget::Type::showModeOff, "showModeOff", false },
    };
    const char* kindName (MidiMapping::Kind k) { return k == MidiMapping::Kind::note ? "note" : k == MidiMapping::Kind::cc ? "cc" : "program"; }
}

std::optional<MidiTarget> MidiTarget::parse (const std::string& text)
{
    const auto colon = text.find (':');
    const auto head = text.substr (0, colon);
    const auto arg = colon == std::string::npos ? std::string() : text.substr (colon + 1);
    for (const auto& t : typeNames)
    {
        if (head != t.name)
            continue;
        MidiTarget target;
        target.type = t.type;
        if (t.hasClip)
        {
            if (arg.empty()) return std::nullopt;
            target.clip = arg;
        }
        else if (t.type == Type::groupLevel)
        {
            if (arg.size() != 1 || arg[0] < 'A' || arg[0] > 'D') return std::nullopt;
            target.group = arg[0] - 'A';
        }
        else if (t.type == Type::page && ! arg.empty())
        {
            if (arg.find_first_not_of ("0123456789") != std::string::npos || arg.size() > 4) return std::nullopt;
            target.page = std::stoi (arg);
        }
        else if (! arg.empty())
            return std::nullopt;
        return target;
    }
    return std::nullopt;
}

std::string MidiTarget::toString() const
{
    for (const auto& t : typeNames)
        if (t.type == type)
        {
            if (t.hasClip) return std::string (t.name) + ":" + clip;
            if (type == Type::groupLevel) return std::string ("group:") + char ('A' + group);
            if (type == Type::page && page > 0) return "page:" + std::to_string (page);
            return t.name;
        }
    return "?";
}

nlohmann::ordered_json MidiMapping::toJson() const
{
    nlohmann::ordered_json j;
    j["message"] = kindName (kind);
    j["channel"] = channel + 1;
    if (kind != Kind::program) j["number"] = number;
    if (kind == Kind::cc && mode == CcMode::relative) j["mode"] = "relative";
    if (gate) j["gate"] = true;
    j["target"] = target.toString();
    return j;
}

MidiMapping MidiMapping::fromJson (const nlohmann::json& json)
{
    if (! json.is_object()) throw std::invalid_argument ("a MIDI mapping must be an object");
    MidiMapping m;
    const auto message = json.value ("message", std::string());
    if (message == "note") m.kind = Kind::note;
    else if (message == "cc") m.kind = Kind::cc;
    else if (message == "program") m.kind = Kind::program;
    else throw std::invalid_argument ("message must be note, cc or program");
    const auto channel = json.value ("channel", 0);
    if (channel < 1 || channel > 16) throw std::invalid_argument ("channel must be 1 to 16");
    m.channel = channel - 1;
    if (m.kind != Kind::program)
    {
        m.number = json.value ("number", -1);
        if (m.number < 0 || m.number > 127) throw std::invalid_argument ("number must be 0 to 127");
    }
    const auto mode = json.value ("mode", std::string ("absolute"));
    if (mode != "absolute" && mode != "relative") throw std::invalid_argument ("mode must be absolute or relative");
    m.mode = mode == "relative" ? CcMode::relative : CcMode::absolute;
    m.gate = json.value ("gate", false);
    const auto target = MidiTarget::parse (json.value ("target", std::string()));
    if (! target) throw std::invalid_argument ("unknown target '" + json.value ("target", std::string()) + "'");
    m.target = *target;
    if (m.target.isFader() != (m.kind == Kind::cc)) throw std::invalid_argument ("faders take a CC, and only faders do");
    return m;
}

std::string MidiMapping::describe() const
{
    const auto ch = " ch " + std::to_string (channel + 1);
    switch (kind)
    {
        case Kind::note: return "note " + std::to_string (number) + ch + (gate ? " (gate)" : "");
        case Kind::cc: return "CC " + std::to_string (number) + ch + (mode == CcMode::relative ? " (relative)" : "");
        case Kind::program: return "program" + ch;
    }
    return {};
}

bool sameMidiControl (const MidiMapping& a, const MidiMapping& b) noexcept
{
    return a.kind == b.kind && a.channel == b.channel && (a.kind == MidiMapping::Kind::program || a.number == b.number);
}

std::vector<MidiConflict> findMidiConflicts (const std::vector<MidiMapping>& mappings)
{
    std::vector<MidiConflict> found;
    std::vector<bool> taken (mappings.size(), false);
    for (size_t i = 0; i < mappings.size(); ++i)
    {
        if (taken[i])
            continue;
        MidiConflict conflict;
        conflict.mappings.push_back (i);
        for (size_t j = i + 1; j < mappings.size(); ++j)
            if (! taken[j] && sameMidiControl (mappings[i], mappings[j]))
            {
                taken[j] = true;
                conflict.mappings.push_back (j);
            }
        if (conflict.mappings.size() < 2)
            continue;
        auto control = mappings[i];
        control.gate = false;
        control.mode = MidiMapping::CcMode::absolute;
        conflict.description = control.describe() + " is mapped " + std::to_string (conflict.mappings.size()) + " times:";
        for (size_t k = 0; k < conflict.mappings.size(); ++k)
            conflict.description += (k == 0 ? " " : ", ") + mappings[conflict.mappings[k]].target.toString();
        found.push_back (std::move (conflict));
    }
    return found;
}

nlohmann::ordered_json MidiFeedbackValues::toJson() const
{
    return { { "playing", playing }, { "paused", paused }, { "loaded", loaded }, { "missing", missing }, { "empty", empty } };
}

MidiFeedbackValues MidiFeedbackValues::fromJson (const nlohmann::json& json)
{
    MidiFeedbackValues v;
    auto read = [&json] (const char* key, int fallback)
    {
        const auto value = json.value (key, fallback);
        if (value < 0 || value > 127) throw std::invalid_argument (std::string ("feedback ") + key + " must be 0 to 127");
        return value;
    };
    v.playing = read ("playing", v.playing); v.paused = read ("paused", v.paused); v.loaded = read ("loaded", v.loaded);
    v.missing = read ("missing", v.missing); v.empty = read ("empty", v.empty);
    return v;
}

nlohmann::ordered_json SessionMidi::toJson() const
{
    nlohmann::ordered_json j;
    j["mappings"] = nlohmann::ordered_json::array();
    for (const auto& m : mappings)
        j["mappings"].push_back (m.toJson());
    if (! (feedback == MidiFeedbackValues()))
        j["feedback"] = feedback.toJson();
    return j;
}

SessionMidi SessionMidi::fromJson (const nlohmann::json& json)
{
    if (! json.is_object()) throw std::invalid_argument ("must be an object");
    SessionMidi midi;
    if (json.contains ("mappings"))
    {
        const auto& list = json.at ("mappings");
        if (! list.is_array()) throw std::invalid_argument ("mappings must be an array");
        for (size_t i = 0; i < list.size(); ++i)
        {
            try { midi.mappings.push_back (MidiMapping::fromJson (list[i])); }
            catch (const std::invalid_argument& e) { throw std::invalid_argument ("mappings[" + std::to_string (i) + "]: " + e.what()); }
        }
    }
    if (json.contains ("feedback"))
    {
        if (! json.at ("feedback").is_object()) throw std::invalid_argument ("feedback must be an object");
        midi.feedback = MidiFeedbackValues::fromJson (json.at ("feedback"));
    }
    return midi;
}

} // namespace cuegrid
