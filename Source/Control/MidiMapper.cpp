// CueGrid — GPL-3.0-or-later
#include "Control/MidiMapper.h"

#include <algorithm>
#include <cmath>
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
        { MidiTarget::Type::page, "page", false },
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

double MidiMapper::ccToDecibels (int value)
{
    if (value <= 0) return offDb;
    return std::clamp (60.0 * std::log10 (value / 100.0), offDb, maxDb);
}

int MidiMapper::decibelsToCc (double decibels)
{
    if (decibels <= offDb) return 0;
    const auto v = 100.0 * std::pow (10.0, decibels / 60.0);
    return std::clamp ((int) std::lround (v), 1, 127);
}

int MidiMapper::relativeSteps (int value)
{
    if (value <= 0 || value == 64 || value > 127) return 0;
    return value < 64 ? value : value - 128;
}

void MidiMapper::armLearn (const MidiTarget& target, bool gate)
{
    learnQueue.clear();
    learnQueue.emplace_back (target, gate);
}

void MidiMapper::armLearnSequence (std::vector<MidiTarget> targets)
{
    learnQueue.clear();
    for (auto& t : targets)
        learnQueue.emplace_back (std::move (t), false);
}

void MidiMapper::bind (MidiMapping mapping)
{
    // One control, one target: a control learned again replaces its old binding.
    mappings.erase (std::remove_if (mappings.begin(), mappings.end(), [&] (const MidiMapping& m)
                    { return m.kind == mapping.kind && m.channel == mapping.channel && (m.kind == MidiMapping::Kind::program || m.number == mapping.number); }),
                    mappings.end());
    mappings.push_back (std::move (mapping));
}

MidiMapper::Result MidiMapper::handle (const MidiBytes& message)
{
    Result result;
    if (message.size < 2 || (message.data[0] & 0x80) == 0)
        return result;
    const int status = message.data[0] & 0xf0, channel = message.data[0] & 0x0f;
    const int d1 = message.data[1] & 0x7f, d2 = message.size > 2 ? message.data[2] & 0x7f : 0;
    const bool noteOn = status == 0x90 && d2 > 0, noteOff = status == 0x80 || (status == 0x90 && d2 == 0);

    if (! learnQueue.empty())
    {
        const auto [target, gate] = learnQueue.front();
        MidiMapping m;
        m.channel = channel;
        m.target = target;
        if (target.isFader())
        {
            if (status != 0xb0) return result;   // a fader learns only a CC: wait for one
            m.kind = MidiMapping::Kind::cc;
            m.number = d1;
            m.mode = (d2 >= 1 && d2 <= 3) || d2 >= 125 ? MidiMapping::CcMode::relative : MidiMapping::CcMode::absolute;
        }
        else if (noteOn) { m.kind = MidiMapping::Kind::note; m.number = d1; m.gate = gate; }
        else if (status == 0xc0 && target.type == MidiTarget::Type::page) m.kind = MidiMapping::Kind::program;
        else return result;   // note offs and other messages do not learn
        bind (m);
        learnQueue.erase (learnQueue.begin());
        result.learned = m;
        return result;
    }

    for (const auto& m : mappings)
    {
        if (m.channel != channel) continue;
        MidiAction a;
        a.target = m.target;
        if (m.kind == MidiMapping::Kind::note && (noteOn || noteOff) && m.number == d1)
        {
            if (noteOff && ! m.gate) continue;
            a.release = noteOff;
            a.page = m.target.page;
        }
        else if (m.kind == MidiMapping::Kind::cc && status == 0xb0 && m.number == d1)
        {
            a.relative = m.mode == MidiMapping::CcMode::relative;
            a.decibels = a.relative ? relativeSteps (d2) * relativeStepDb : ccToDecibels (d2);
            if (a.relative && a.decibels == 0.0) continue;
        }
        else if (m.kind == MidiMapping::Kind::program && status == 0xc0)
            a.page = d1;
        else
            continue;
        result.actions.push_back (a);
    }
    return result;
}

std::vector<MidiBytes> MidiMapper::feedbackFor (const std::string& clipId, ClipLight state) const
{
    const int value = state == ClipLight::playing ? feedbackValues.playing
                    : state == ClipLight::paused  ? feedbackValues.paused
                    : state == ClipLight::loaded  ? feedbackValues.loaded
                    : state == ClipLight::missing ? feedbackValues.missing : feedbackValues.empty;
    std::vector<MidiBytes> out;
    for (const auto& m : mappings)
    {
        if (m.target.clip != clipId || m.target.isFader() || m.kind == MidiMapping::Kind::program) continue;
        const auto v = (std::uint8_t) std::clamp (value, 0, 127);
        out.push_back (MidiBytes::make ((std::uint8_t) ((m.kind == MidiMapping::Kind::note ? 0x90 : 0xb0) | m.channel), (std::uint8_t) m.number, v));
    }
    return out;
}

} // namespace cuegrid
