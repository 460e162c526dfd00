// CueGrid — GPL-3.0-or-later
#include "ShowScript.h"

#include "ClipPlayback.h"
#include "Errors.h"
#include "JsonDocument.h"
#include "Limits.h"
#include "../Engine/Engine.h"
#include "../Engine/GainRamp.h"

#include <algorithm>
#include <cmath>
#include <set>
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
                                              + "\" (expected group:<A-D>:gainDb, group:<A-D>:muted, clip:<id>:gainDb, "
                                                "clip:<id>:pan, master:gainDb or audition:gainDb)");
        };
        if (parts.size() == 2 && parts[0] == "master" && parts[1] == "gainDb")
            command.target = ScriptCommand::Target::masterGain;
        else if (parts.size() == 2 && parts[0] == "audition" && parts[1] == "gainDb")
            command.target = ScriptCommand::Target::auditionGain;
        else if (parts.size() == 3 && parts[0] == "group")
        {
            const auto group = groupFromLetter (parts[1]);
            if (! group) bad();
            command.group = *group;
            if (parts[2] == "gainDb") command.target = ScriptCommand::Target::groupGain;
            else if (parts[2] == "muted") command.target = ScriptCommand::Target::groupMute;
            else bad();
        }
        else if (parts.size() >= 3 && parts[0] == "clip" && (parts.back() == "gainDb" || parts.back() == "pan"))
        {
            // Clip ids may themselves contain ':'.
            command.target = parts.back() == "pan" ? ScriptCommand::Target::clipPan : ScriptCommand::Target::clipGain;
            const auto prefix = std::string ("clip:").size(), suffix = parts.back().size() + 1;
            command.clip = command.targetText.substr (prefix, command.targetText.size() - prefix - suffix);
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
        if (command.target == ScriptCommand::Target::groupMute)
        {
            if (command.value != 0.0 && command.value != 1.0)
                document.fail (valuePointer, "muted takes 0 or 1 (or false / true)");
        }
        else if (command.target == ScriptCommand::Target::clipPan)
        {
            if (command.value < -1.0 || command.value > 1.0)
                document.fail (valuePointer, "pan must be from -1 (left) to +1 (right)");
        }
        else if (command.value < limits::minGainDb || command.value > limits::maxGainDb)
            document.fail (valuePointer, "gain must be between -144 and +24 dB");

        command.rampMs = document.optionalNumber (pointer, "rampMs", 0.0);
        if (command.rampMs < 0.0 || command.rampMs > limits::maxRampMs)
            document.fail (JsonDocument::child (pointer, "rampMs"), "must be from 0 to 3600000 ms (one hour)");
    }

    int parseGroup (const JsonDocument& document, const std::string& pointer)
    {
        const auto letter = document.requireString (pointer, "group");
        const auto group = groupFromLetter (letter);
        if (! group)
            document.fail (JsonDocument::child (pointer, "group"), "unknown group \"" + letter + "\" (expected A, B, C or D)");
        return *group;
    }

    /** `fadeMs`, 0 – limits::maxFadeMs, or nullopt when absent. */
    std::optional<double> parseFadeMs (const JsonDocument& document, const std::string& pointer, bool required)
    {
        if (! required && ! document.has (pointer, "fadeMs"))
            return std::nullopt;
        const auto fadeMs = document.requireNumber (pointer, "fadeMs");
        if (fadeMs < 0.0 || fadeMs > limits::maxFadeMs)
            document.fail (JsonDocument::child (pointer, "fadeMs"), "must be from 0 to 3000 ms");
        return fadeMs;
    }

    FadeCurve parseCurve (const JsonDocument& document, const std::string& pointer)
    {
        if (! document.has (pointer, "curve"))
            return FadeCurve::linear;
        const auto name = document.requireString (pointer, "curve");
        const auto curve = fadeCurveFromName (name);
        if (! curve)
            document.fail (JsonDocument::child (pointer, "curve"),
                           "unknown curve \"" + name + "\" (expected " + fadeCurveChoices + ")");
        return *curve;
    }

    using Type = ScriptCommand::Type;

    struct TypeName
    {
        const char* name;
        Type type;
    };

    // In the order docs/cli.md lists them; the unknown-type error names them all.
    constexpr TypeName typeNames[] {
        { "Trigger", Type::trigger },     { "Stop", Type::stop },           { "Pause", Type::pause },
        { "Resume", Type::resume },       { "TogglePause", Type::togglePause }, { "StopGroup", Type::stopGroup },
        { "FadeGroup", Type::fadeGroup }, { "StopAll", Type::stopAll },     { "FadeAll", Type::fadeAll },
        { "PauseAll", Type::pauseAll },   { "ResumeAll", Type::resumeAll }, { "Panic", Type::panic },
        { "Audition", Type::audition },   { "StopAudition", Type::stopAudition }, { "SetParam", Type::setParam },
        { "RecordStart", Type::recordStart }, { "RecordStop", Type::recordStop }
    };

    const char* typeName (Type type)
    {
        for (const auto& entry : typeNames)
            if (entry.type == type)
                return entry.name;
        return "?";
    }

    std::string typeChoices()
    {
        std::string text;
        const auto count = std::size (typeNames);
        for (size_t i = 0; i < count; ++i)
            text += std::string (i == 0 ? "" : i + 1 == count ? " or " : ", ") + typeNames[i].name;
        return text;
    }

    void parseFields (const JsonDocument& document, const std::string& pointer, ScriptCommand& command)
    {
        switch (command.type)
        {
            case Type::trigger:
                command.clip = document.requireString (pointer, "clip");
                command.offsetSec = document.optionalNumber (pointer, "offsetSec", 0.0);
                if (command.offsetSec < 0.0 || command.offsetSec > limits::maxMediaSeconds)
                    document.fail (JsonDocument::child (pointer, "offsetSec"), "must be from 0 to 10800 s (3 hours)");
                break;
            case Type::stop:
                command.clip = document.requireString (pointer, "clip");
                command.fadeMs = parseFadeMs (document, pointer, false);
                break;
            case Type::pause:
            case Type::resume:
            case Type::togglePause:
                command.clip = document.requireString (pointer, "clip");
                break;
            case Type::stopGroup:
                command.group = parseGroup (document, pointer);
                break;
            case Type::fadeGroup:
                command.group = parseGroup (document, pointer);
                command.fadeMs = parseFadeMs (document, pointer, true);
                command.curve = parseCurve (document, pointer);
                break;
            case Type::fadeAll:
                command.fadeMs = parseFadeMs (document, pointer, false).value_or (1000.0);
                command.curve = parseCurve (document, pointer);
                break;
            case Type::audition:
            {
                const bool hasClip = document.has (pointer, "clip"), hasFile = document.has (pointer, "file");
                if (hasClip == hasFile)
                    document.fail (hasFile ? JsonDocument::child (pointer, "file") : pointer,
                                   hasFile ? "give either clip or file, not both" : "Audition needs a clip or a file");
                if (hasClip)
                    command.clip = document.requireString (pointer, "clip");
                else
                {
                    command.file = document.requireString (pointer, "file");
                    if (command.file.empty())
                        document.fail (JsonDocument::child (pointer, "file"), "must not be empty");
                }
                break;
            }
            case Type::setParam:
                parseTarget (document, pointer, command);
                break;
            case Type::recordStart:
            case Type::recordStop:
            {
                // "bus": "A", "B" or "both" (the default).
                const auto bus = document.has (pointer, "bus") ? document.requireString (pointer, "bus") : std::string ("both");
                if (bus == "A") command.recordBuses = recordBusA;
                else if (bus == "B") command.recordBuses = recordBusB;
                else if (bus == "both") command.recordBuses = recordBusBoth;
                else
                    document.fail (JsonDocument::child (pointer, "bus"), "unknown record bus \"" + bus + "\" (expected A, B or both)");
                break;
            }
            case Type::stopAll:
            case Type::pauseAll:
            case Type::resumeAll:
            case Type::panic:
            case Type::stopAudition:
                break;
        }
    }

    bool namesClip (const ScriptCommand& command)
    {
        switch (command.type)
        {
            case Type::trigger: case Type::stop: case Type::pause: case Type::resume: case Type::togglePause:
                return true;
            case Type::audition:
                return ! command.clip.empty();
            case Type::setParam:
                return command.target == ScriptCommand::Target::clipGain || command.target == ScriptCommand::Target::clipPan;
            default:
                return false;
        }
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
        const auto* found = std::find_if (std::begin (typeNames), std::end (typeNames),
                                          [&] (const TypeName& entry) { return type == entry.name; });
        if (found == std::end (typeNames))
            document.fail (JsonDocument::child (pointer, "type"),
                           "unknown command type \"" + type + "\" (expected " + typeChoices() + ")");
        command.type = found->type;
        parseFields (document, pointer, command);
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
        if (namesClip (command) && clipIndex.count (command.clip) == 0)
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
        const auto& settings = session.groups[(size_t) group];
        EngineCommand gain;
        gain.type = EngineCommand::Type::setGroupGain;
        gain.group = group;
        gain.value = (float) settings.gainDb;
        state.commands.push_back (gain);
        EngineCommand mute;
        mute.type = EngineCommand::Type::setGroupMute;
        mute.group = group;
        mute.value = settings.muted ? 1.0f : 0.0f;
        state.commands.push_back (mute);
        EngineCommand choke;
        choke.type = EngineCommand::Type::setChokeLimit;
        choke.group = group;
        choke.value = (float) settings.chokeLimit;
        state.commands.push_back (choke);
    }
    EngineCommand masterGain;
    masterGain.type = EngineCommand::Type::setMasterGain;
    masterGain.value = (float) session.master.gainDb;
    state.commands.push_back (masterGain);
    EngineCommand limiter;
    limiter.type = EngineCommand::Type::setLimiter;
    limiter.enabled = session.master.limiterEnabled;
    limiter.value = (float) session.master.limiterCeilingDb;
    state.commands.push_back (limiter);
    EngineCommand routing;
    routing.type = EngineCommand::Type::setRouting;
    routing.routing = outputRouting (session.routing);
    state.commands.push_back (routing);

    // The same value a setClipGain command of this dB (sent as float) gives.
    std::vector<double> gains (session.clips.size()), pans (session.clips.size());
    for (size_t slot = 0; slot < session.clips.size(); ++slot)
    {
        gains[slot] = decibelsToGain ((float) session.clips[slot].playbackGainDb());
        pans[slot] = session.clips[slot].pan;
    }
    state.clipGains = std::make_shared<const ClipGainTable> (std::move (gains), std::move (pans));
    EngineCommand clipGains;
    clipGains.type = EngineCommand::Type::setClipGains;
    clipGains.clipGains = state.clipGains.get();
    state.commands.push_back (clipGains);
    // Last: the tables above keep their places for older readers of this list.
    EngineCommand inputs;
    inputs.type = EngineCommand::Type::setRecordInputs;
    inputs.recordInputs = recordInputs (session.routing);
    state.commands.push_back (inputs);
    return state;
}

std::vector<std::string> scriptMediaFiles (const ShowScript& script)
{
    std::vector<std::string> files;
    std::set<std::string> seen;
    for (const auto& command : script.commands)
        if (command.type == Type::audition && ! command.file.empty() && seen.insert (command.file).second)
            files.push_back (command.file);
    return files;
}

ResolvedPlan resolveShowScript (const ShowScript& script, const Session& session,
                                const std::vector<ClipAudioPtr>& media, double sampleRate, const ScriptMedia& fileMedia)
{
    validateShowScript (script, session);
    ResolvedPlan plan;
    auto state = sessionStateCommands (session);
    plan.commands = std::move (state.commands);
    plan.clipGains = std::move (state.clipGains);
    plan.totalFrames = std::llround ((script.durationSec + script.tailSec) * sampleRate);

    const auto clipIndex = session.clipIndexById();
    auto clipAudio = [&] (int slot) { return (size_t) slot < media.size() ? media[(size_t) slot].get() : nullptr; };
    std::set<const ClipAudio*> keptFiles;
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
            case Type::trigger:
                resolved.type = EngineCommand::Type::trigger;
                resolved.group = session.clips[(size_t) resolved.clipSlot].group;
                resolved.audio = clipAudio (resolved.clipSlot);
                if (resolved.audio == nullptr)
                {
                    plan.warnings.push_back (where + ": clip \"" + command.clip + "\" has no media; trigger skipped");
                    continue;
                }
                resolved.playback = clipPlayback (session, resolved.clipSlot, sampleRate, resolved.audio->getNumFrames(),
                                                  command.offsetSec);
                break;
            case Type::stop:
                resolved.type = EngineCommand::Type::stop;
                resolved.fadeSamples = command.fadeMs ? millisecondsToSamples (*command.fadeMs, sampleRate) : -1;
                break;
            case Type::pause: resolved.type = EngineCommand::Type::pause; break;
            case Type::resume: resolved.type = EngineCommand::Type::resume; break;
            case Type::togglePause: resolved.type = EngineCommand::Type::togglePause; break;
            case Type::stopGroup:
                resolved.type = EngineCommand::Type::stopGroup;
                resolved.group = command.group;
                break;
            case Type::fadeGroup:
                resolved.type = EngineCommand::Type::fadeGroup;
                resolved.group = command.group;
                resolved.fadeSamples = millisecondsToSamples (command.fadeMs.value_or (0.0), sampleRate);
                resolved.curve = command.curve;
                break;
            case Type::stopAll: resolved.type = EngineCommand::Type::stopAll; break;
            case Type::fadeAll:
                resolved.type = EngineCommand::Type::fadeAll;
                resolved.fadeSamples = millisecondsToSamples (command.fadeMs.value_or (1000.0), sampleRate);
                resolved.curve = command.curve;
                break;
            case Type::pauseAll: resolved.type = EngineCommand::Type::pauseAll; break;
            case Type::resumeAll: resolved.type = EngineCommand::Type::resumeAll; break;
            case Type::panic: resolved.type = EngineCommand::Type::panic; break;
            case Type::audition:
                resolved.type = EngineCommand::Type::audition;
                resolved.group = auditionGroup;
                if (resolved.clipSlot >= 0)
                {
                    resolved.audio = clipAudio (resolved.clipSlot);
                    if (resolved.audio == nullptr)
                    {
                        plan.warnings.push_back (where + ": clip \"" + command.clip + "\" has no media; audition skipped");
                        continue;
                    }
                    resolved.playback = clipPlayback (session, resolved.clipSlot, sampleRate, resolved.audio->getNumFrames());
                }
                else
                {
                    const auto found = fileMedia.find (command.file);
                    if (found == fileMedia.end() || found->second == nullptr)
                    {
                        plan.warnings.push_back (where + ": media file \"" + command.file + "\" is not loaded; audition skipped");
                        continue;
                    }
                    resolved.audio = found->second.get();
                    if (keptFiles.insert (resolved.audio).second)
                        plan.fileMedia.push_back (found->second);
                    // A plain file plays whole: resolved.playback stays the default (cueOut -1).
                }
                break;
            case Type::stopAudition: resolved.type = EngineCommand::Type::stopAudition; break;
            case Type::recordStart:
            case Type::recordStop:
                resolved.type = command.type == Type::recordStart ? EngineCommand::Type::recordStart : EngineCommand::Type::recordStop;
                resolved.group = command.recordBuses;
                ++plan.recordCommands;
                break;
            case Type::setParam:
                resolved.value = (float) command.value;
                resolved.rampSamples = (int32_t) std::llround (command.rampMs / 1000.0 * sampleRate);
                resolved.group = command.group;
                switch (command.target)
                {
                    case ScriptCommand::Target::clipGain: resolved.type = EngineCommand::Type::setClipGain; break;
                    case ScriptCommand::Target::clipPan: resolved.type = EngineCommand::Type::setClipPan; break;
                    case ScriptCommand::Target::groupGain: resolved.type = EngineCommand::Type::setGroupGain; break;
                    case ScriptCommand::Target::groupMute: resolved.type = EngineCommand::Type::setGroupMute; break;
                    case ScriptCommand::Target::masterGain: resolved.type = EngineCommand::Type::setMasterGain; break;
                    case ScriptCommand::Target::auditionGain: resolved.type = EngineCommand::Type::setAuditionGain; break;
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

int removeRecordCommands (ResolvedPlan& plan)
{
    const auto isRecord = [] (const EngineCommand& command)
    { return command.type == EngineCommand::Type::recordStart || command.type == EngineCommand::Type::recordStop; };
    const auto removed = (int) std::count_if (plan.commands.begin(), plan.commands.end(), isRecord);
    plan.commands.erase (std::remove_if (plan.commands.begin(), plan.commands.end(), isRecord), plan.commands.end());
    plan.recordCommands = 0;
    return removed;
}

std::string describeScriptCommand (const ScriptCommand& command)
{
    std::ostringstream text;
    text << typeName (command.type);
    switch (command.type)
    {
        case Type::trigger:
            text << " " << command.clip;
            if (command.offsetSec > 0.0)
                text << " from " << command.offsetSec << " s";
            break;
        case Type::stop:
            text << " " << command.clip;
            if (command.fadeMs)
                text << " over " << *command.fadeMs << " ms";
            break;
        case Type::pause: case Type::resume: case Type::togglePause:
            text << " " << command.clip;
            break;
        case Type::stopGroup:
            text << " " << groupLetter (command.group);
            break;
        case Type::fadeGroup:
            text << " " << groupLetter (command.group) << " over " << command.fadeMs.value_or (0.0) << " ms " << fadeCurveName (command.curve);
            break;
        case Type::fadeAll:
            text << " over " << command.fadeMs.value_or (1000.0) << " ms " << fadeCurveName (command.curve);
            break;
        case Type::audition:
            text << " " << (command.clip.empty() ? "file " + command.file : command.clip);
            break;
        case Type::setParam:
            text << " " << command.targetText << " = " << command.value;
            if (command.rampMs > 0.0)
                text << " over " << command.rampMs << " ms";
            break;
        case Type::recordStart: case Type::recordStop:
            text << " " << (command.recordBuses == recordBusA ? "A" : command.recordBuses == recordBusB ? "B" : "A and B");
            break;
        case Type::stopAll: case Type::pauseAll: case Type::resumeAll: case Type::panic: case Type::stopAudition:
            break;
    }
    return text.str();
}

} // namespace cuegrid
