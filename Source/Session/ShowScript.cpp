// CueGrid — GPL-3.0-or-later
#include "ShowScript.h"

#include "Errors.h"
#include "JsonDocument.h"
#include "Limits.h"
#include "../Engine/Engine.h"
#include "../Engine/GainRamp.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace cuegrid
{

static_assert (limits::maxClips <= (size_t) Engine::maxClipSlots, "every clip of a session needs an engine clip slot");

namespace
{
    std::vector<std::string> split (const std::string& text, char separator)
    {
        std::vector<std::string> parts;
        std::string part;
        std::istringstream stream (text);
        while (std::getline (stream, part, separator))
            parts.push_back (part);
        if (! text.empty() && text.back() == separator)
            parts.emplace_back();
        return parts;
    }

    void parseTarget (const JsonDocument& document, const std::string& pointer, ScriptCommand& command)
    {
        const auto targetPointer = JsonDocument::child (pointer, "target");
        command.targetText = document.requireString (pointer, "target");
        const auto parts = split (command.targetText, ':');
        auto bad = [&]
        {
            document.fail (targetPointer, "unknown target \"" + command.targetText
                                              + "\" (expected group:<A-D>:gainDb, group:<A-D>:muted, clip:<id>:gainDb or master:gainDb)");
        };
        if (parts.size() == 2 && parts[0] == "master" && parts[1] == "gainDb")
            command.target = ScriptCommand::Target::masterGain;
        else if (parts.size() == 3 && parts[0] == "group")
        {
            const auto group = groupFromLetter (parts[1]);
            if (! group) bad();
            command.group = *group;
            if (parts[2] == "gainDb") command.target = ScriptCommand::Target::groupGain;
            else if (parts[2] == "muted") command.target = ScriptCommand::Target::groupMute;
            else bad();
        }
        else if (parts.size() >= 3 && parts[0] == "clip" && parts.back() == "gainDb")
        {
            // Clip ids may themselves contain ':'.
            command.target = ScriptCommand::Target::clipGain;
            command.clip = command.targetText.substr (5, command.targetText.size() - 5 - 7);
            if (command.clip.empty()) bad();
        }
        else
            bad();

        const auto valuePointer = JsonDocument::child (pointer, "value");
        if (command.target == ScriptCommand::Target::groupMute && document.has (pointer, "value")
            && document.at (valuePointer).is_boolean())
            command.value = document.at (valuePointer).get<bool>() ? 1.0 : 0.0;
        else
            command.value = document.requireNumber (pointer, "value");
        if (command.target == ScriptCommand::Target::groupMute && command.value != 0.0 && command.value != 1.0)
            document.fail (valuePointer, "muted takes 0 or 1 (or false / true)");
        if (command.target != ScriptCommand::Target::groupMute && (command.value < limits::minGainDb || command.value > limits::maxGainDb))
            document.fail (valuePointer, "gain must be between -144 and +24 dB");

        command.rampMs = document.optionalNumber (pointer, "rampMs", 0.0);
        if (command.rampMs < 0.0 || command.rampMs > limits::maxRampMs)
            document.fail (JsonDocument::child (pointer, "rampMs"), "must be from 0 to 3600000 ms (one hour)");
    }
} // namespace

ShowScript parseShowScript (const std::string& text, const std::string& fileName)
{
    const JsonDocument document (text, fileName);
    document.requireObject ("");

    ShowScript script;
    script.file = fileName;
    script.durationSec = document.requireNumber ("", "durationSec");
    if (script.durationSec <= 0.0 || script.durationSec > limits::maxShowSeconds)
        document.fail ("/durationSec", "must be greater than 0 and at most 86400 s (24 hours)");
    script.tailSec = document.optionalNumber ("", "tailSec", 0.0);
    if (script.tailSec < 0.0 || script.durationSec + script.tailSec > limits::maxShowSeconds)
        document.fail ("/tailSec", "must not be negative, and durationSec + tailSec must be at most 86400 s (24 hours)");

    const auto count = document.arraySize ("", "commands", true);
    if (count > limits::maxScriptCommands)
        document.fail ("/commands", "has " + std::to_string (count) + " commands; a script holds at most "
                                        + std::to_string (limits::maxScriptCommands));
    std::vector<std::string> pointers (count);
    for (size_t i = 0; i < count; ++i)
        pointers[i] = JsonDocument::child ("/commands", i);
    const auto positions = document.positionsOf (pointers);
    script.commands.reserve (count);
    for (size_t i = 0; i < count; ++i)
    {
        const auto& pointer = pointers[i];
        document.requireObject (pointer);
        ScriptCommand command;
        command.index = i;
        std::tie (command.line, command.column) = positions[i];
        command.timeSec = document.requireNumber (pointer, "timeSec");
        if (command.timeSec < 0.0)
            document.fail (JsonDocument::child (pointer, "timeSec"), "negative time " + std::to_string (command.timeSec) + " s");
        if (command.timeSec > limits::maxShowSeconds)
            document.fail (JsonDocument::child (pointer, "timeSec"), "time " + std::to_string (command.timeSec)
                                                                         + " s is beyond the longest show (86400 s, 24 hours)");

        const auto type = document.requireString (pointer, "type");
        if (type == "Trigger" || type == "Stop")
        {
            command.type = type == "Trigger" ? ScriptCommand::Type::trigger : ScriptCommand::Type::stop;
            command.clip = document.requireString (pointer, "clip");
        }
        else if (type == "StopGroup")
        {
            command.type = ScriptCommand::Type::stopGroup;
            const auto letter = document.requireString (pointer, "group");
            const auto group = groupFromLetter (letter);
            if (! group)
                document.fail (JsonDocument::child (pointer, "group"), "unknown group \"" + letter + "\" (expected A, B, C or D)");
            command.group = *group;
        }
        else if (type == "StopAll")
            command.type = ScriptCommand::Type::stopAll;
        else if (type == "SetParam")
        {
            command.type = ScriptCommand::Type::setParam;
            parseTarget (document, pointer, command);
        }
        else
            document.fail (JsonDocument::child (pointer, "type"),
                           "unknown command type \"" + type + "\" (expected Trigger, Stop, StopGroup, StopAll or SetParam)");
        script.commands.push_back (std::move (command));
    }
    return script;
}

ShowScript loadShowScript (const std::string& path)
{
    return parseShowScript (JsonDocument::readTextFile (path), path);
}

void validateShowScript (const ShowScript& script, const Session& session)
{
    const auto clipIndex = session.clipIndexById();
    for (const auto& command : script.commands)
    {
        const bool namesClip = command.type == ScriptCommand::Type::trigger || command.type == ScriptCommand::Type::stop
                               || (command.type == ScriptCommand::Type::setParam && command.target == ScriptCommand::Target::clipGain);
        if (namesClip && clipIndex.count (command.clip) == 0)
            throw InputError (script.file, command.line, command.column,
                              "commands[" + std::to_string (command.index) + "]: no clip with id \"" + command.clip
                                  + "\" in session \"" + session.name + "\"");
    }
}

SessionStateCommands sessionStateCommands (const Session& session)
{
    SessionStateCommands state;
    for (int group = 0; group < groupCount; ++group)
    {
        EngineCommand gain;
        gain.type = EngineCommand::Type::setGroupGain;
        gain.group = group;
        gain.value = (float) session.groups[(size_t) group].gainDb;
        state.commands.push_back (gain);
        EngineCommand mute;
        mute.type = EngineCommand::Type::setGroupMute;
        mute.group = group;
        mute.value = session.groups[(size_t) group].muted ? 1.0f : 0.0f;
        state.commands.push_back (mute);
    }
    // The same value a setClipGain command of this dB (sent as float) gives.
    std::vector<double> gains (session.clips.size());
    for (size_t slot = 0; slot < session.clips.size(); ++slot)
        gains[slot] = decibelsToGain ((float) session.clips[slot].playbackGainDb());
    state.clipGains = std::make_shared<const ClipGainTable> (std::move (gains));
    EngineCommand clipGains;
    clipGains.type = EngineCommand::Type::setClipGains;
    clipGains.clipGains = state.clipGains.get();
    state.commands.push_back (clipGains);
    return state;
}

ResolvedPlan resolveShowScript (const ShowScript& script, const Session& session,
                                const std::vector<ClipAudioPtr>& media, double sampleRate)
{
    validateShowScript (script, session);
    ResolvedPlan plan;
    auto state = sessionStateCommands (session);
    plan.commands = std::move (state.commands);
    plan.clipGains = std::move (state.clipGains);
    plan.totalFrames = std::llround ((script.durationSec + script.tailSec) * sampleRate);

    const auto clipIndex = session.clipIndexById();
    std::vector<EngineCommand> timed;
    timed.reserve (script.commands.size());
    for (const auto& command : script.commands)
    {
        EngineCommand resolved;
        resolved.sampleTime = std::llround (command.timeSec * sampleRate);
        resolved.clipSlot = command.clip.empty() ? -1 : clipIndex.at (command.clip);
        const auto where = "commands[" + std::to_string (command.index) + "]";
        if (resolved.sampleTime >= plan.totalFrames)
            plan.warnings.push_back (where + " at " + std::to_string (command.timeSec)
                                     + " s comes after durationSec + tailSec and never runs");

        switch (command.type)
        {
            case ScriptCommand::Type::trigger:
                resolved.type = EngineCommand::Type::trigger;
                resolved.group = session.clips[(size_t) resolved.clipSlot].group;
                resolved.audio = (size_t) resolved.clipSlot < media.size() ? media[(size_t) resolved.clipSlot].get() : nullptr;
                if (resolved.audio == nullptr)
                {
                    plan.warnings.push_back (where + ": clip \"" + command.clip + "\" has no media; trigger skipped");
                    continue;
                }
                break;
            case ScriptCommand::Type::stop:
                resolved.type = EngineCommand::Type::stop;
                break;
            case ScriptCommand::Type::stopGroup:
                resolved.type = EngineCommand::Type::stopGroup;
                resolved.group = command.group;
                break;
            case ScriptCommand::Type::stopAll:
                resolved.type = EngineCommand::Type::stopAll;
                break;
            case ScriptCommand::Type::setParam:
                resolved.value = (float) command.value;
                resolved.rampSamples = (int32_t) std::llround (command.rampMs / 1000.0 * sampleRate);
                resolved.group = command.group;
                switch (command.target)
                {
                    case ScriptCommand::Target::clipGain: resolved.type = EngineCommand::Type::setClipGain; break;
                    case ScriptCommand::Target::groupGain: resolved.type = EngineCommand::Type::setGroupGain; break;
                    case ScriptCommand::Target::groupMute: resolved.type = EngineCommand::Type::setGroupMute; break;
                    case ScriptCommand::Target::masterGain: resolved.type = EngineCommand::Type::setMasterGain; break;
                }
                break;
        }
        timed.push_back (resolved);
    }
    std::stable_sort (timed.begin(), timed.end(),
                      [] (const EngineCommand& a, const EngineCommand& b) { return a.sampleTime < b.sampleTime; });
    plan.commands.insert (plan.commands.end(), timed.begin(), timed.end());
    return plan;
}

std::string describeScriptCommand (const ScriptCommand& command)
{
    switch (command.type)
    {
        case ScriptCommand::Type::trigger: return "Trigger " + command.clip;
        case ScriptCommand::Type::stop: return "Stop " + command.clip;
        case ScriptCommand::Type::stopGroup: return std::string ("StopGroup ") + groupLetter (command.group);
        case ScriptCommand::Type::stopAll: return "StopAll";
        case ScriptCommand::Type::setParam:
        {
            std::ostringstream text;
            text << "SetParam " << command.targetText << " = " << command.value;
            if (command.rampMs > 0.0)
                text << " over " << command.rampMs << " ms";
            return text.str();
        }
    }
    return {};
}

} // namespace cuegrid
