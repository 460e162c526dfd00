// CueGrid — GPL-3.0-or-later
#include "Control/MidiMapper.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cuegrid
{

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
    learnQueue.push_back ({ target, gate, std::nullopt });
}

void MidiMapper::armLearnClip (const std::string& clipId, bool gate)
{
    MidiTarget fire, level;
    fire.type = MidiTarget::Type::clipFire;
    level.type = MidiTarget::Type::clipLevel;
    fire.clip = level.clip = clipId;
    learnQueue.clear();
    learnQueue.push_back ({ fire, gate, level });
}

void MidiMapper::armLearnSequence (std::vector<MidiTarget> targets)
{
    learnQueue.clear();
    for (auto& t : targets)
        learnQueue.push_back ({ std::move (t), false, std::nullopt });
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
        const auto armed = learnQueue.front();
        const auto& target = status == 0xb0 && armed.ccTarget ? *armed.ccTarget : armed.target;
        const auto gate = armed.gate;
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
