// CueGrid — GPL-3.0-or-later
// A parsed show script against a session: validation, the session's state commands, and the
// plan of engine commands at their samples (resolveShowScript), described for --dump-events.
#include "ShowScript.h"

#include "ClipPlayback.h"
#include "Errors.h"
#include "Limits.h"
#include "../Engine/Engine.h"
#include "../Engine/GainRamp.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

namespace cuegrid
{

namespace
{
    using Type = ScriptCommand::Type;

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
    /** Frames a trigger plays when nothing stops it: its cue region from the start frame, each
        counted loop pass (a loop until stopped counts once). */
    int64_t playedFrames (const VoicePlayback& playback, int64_t mediaFrames)
    {
        const auto cueOut = playback.cueOut < 0 ? mediaFrames : std::min (playback.cueOut, mediaFrames);
        auto frames = std::max<int64_t> (0, cueOut - playback.startFrame);
        if (playback.loopOut > playback.loopIn && playback.loopCount > 1)
            frames += (int64_t) (playback.loopCount - 1) * (playback.loopOut - playback.loopIn);
        return frames;
    }
} // namespace

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
    if (script.durationGiven)
    {
        plan.totalFrames = std::llround ((script.durationSec + script.tailSec) * sampleRate);
        plan.passFrames = std::llround (script.durationSec * sampleRate);
    }
    plan.prerollFrames = std::llround (script.prerollSec * sampleRate);
    plan.commandSamples.assign (script.commands.size(), 0);
    int64_t lastEnd = 0;   // computed durationSec: where the last command, ramp, fade or clip ends

    // Overlapping SetParam ramps on one target: the later takes over from the value reached.
    struct RampEnd { int64_t end; size_t index; };
    std::map<std::string, RampEnd> rampEnds;
    auto noteRamp = [&] (const ScriptCommand& command, const std::string& target, int64_t start, int64_t length)
    {
        auto found = rampEnds.find (target);
        if (found != rampEnds.end() && start < found->second.end && found->second.index != command.index)
            plan.placedWarnings.push_back (script.file + ":" + std::to_string (command.line) + ":" + std::to_string (command.column)
                                           + ": commands[" + std::to_string (command.index) + "]: " + target + " at sample "
                                           + std::to_string (start) + " starts while the ramp of commands["
                                           + std::to_string (found->second.index) + "] runs (to sample "
                                           + std::to_string (found->second.end) + "); it takes over from the value reached");
        if (length > 0 && (found == rampEnds.end() || start + length > found->second.end))
            rampEnds[target] = { start + length, command.index };
        else if (found != rampEnds.end() && start >= found->second.end)
            rampEnds.erase (found);
    };

    const auto clipIndex = session.clipIndexById();
    auto clipAudio = [&] (int slot) { return (size_t) slot < media.size() ? media[(size_t) slot].get() : nullptr; };
    std::set<const ClipAudio*> keptFiles;
    std::vector<EngineCommand> timed;
    timed.reserve (script.commands.size());
    for (const auto& command : script.commands)
    {
        EngineCommand resolved;
        resolved.sampleTime = command.musical ? script.transport.sampleAt (script.transport.beatOf (*command.musical), sampleRate)
                                              : std::llround (command.timeSec * sampleRate);
        plan.commandSamples[command.index] = resolved.sampleTime;
        lastEnd = std::max (lastEnd, resolved.sampleTime + 1);
        resolved.clipSlot = command.clip.empty() ? -1 : clipIndex.at (command.clip);
        const auto where = "commands[" + std::to_string (command.index) + "]";
        if (script.durationGiven && resolved.sampleTime >= plan.totalFrames)
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
                lastEnd = std::max (lastEnd, resolved.sampleTime + playedFrames (resolved.playback, resolved.audio->getNumFrames()));
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
            case Type::recallScene:
            {
                const auto found = std::find_if (script.scenes.begin(), script.scenes.end(),
                                                 [&] (const ShowScene& s) { return s.id == command.scene; });
                if (found == script.scenes.end())   // parseShowScript refuses it; a script built in code may not
                {
                    plan.warnings.push_back (where + ": no scene \"" + command.scene + "\"; RecallScene skipped");
                    continue;
                }
                const auto& scene = *found;
                const auto morph = (int32_t) std::llround (command.morphMs / 1000.0 * sampleRate);
                lastEnd = std::max (lastEnd, resolved.sampleTime + morph);
                auto add = [&] (EngineCommand::Type type, int group, double value, int32_t ramp, int64_t at)
                {
                    EngineCommand step = resolved;
                    step.type = type;
                    step.group = group;
                    step.value = (float) value;
                    step.rampSamples = ramp;
                    step.sampleTime = at;
                    timed.push_back (step);
                };
                for (int group = 0; group < groupCount; ++group)
                {
                    if (const auto gain = scene.groupGainDb[(size_t) group])
                    {
                        add (EngineCommand::Type::setGroupGain, group, *gain, morph, resolved.sampleTime);
                        noteRamp (command, std::string ("group:") + groupLetter (group) + ":gainDb", resolved.sampleTime, morph);
                    }
                    // Unmuted as the morph begins, muted as it ends: the morph stays audible.
                    if (const auto muted = scene.groupMuted[(size_t) group])
                        add (EngineCommand::Type::setGroupMute, group, *muted ? 1.0 : 0.0, 0,
                             resolved.sampleTime + (*muted ? morph : 0));
                }
                if (scene.masterGainDb)
                {
                    add (EngineCommand::Type::setMasterGain, 0, *scene.masterGainDb, morph, resolved.sampleTime);
                    noteRamp (command, "master:gainDb", resolved.sampleTime, morph);
                }
                continue;
            }
            case Type::setParam:
                noteRamp (command, command.targetText, resolved.sampleTime,
                          (int64_t) std::llround (command.rampMs / 1000.0 * sampleRate));
                lastEnd = std::max (lastEnd, resolved.sampleTime + (int64_t) std::llround (command.rampMs / 1000.0 * sampleRate));
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
    for (const auto& command : timed)
        if (command.fadeSamples > 0)
            lastEnd = std::max (lastEnd, command.sampleTime + command.fadeSamples);
    if (! script.durationGiven)
    {
        // durationSec = the end of the last command, ramp, fade or clip played out (in frames at this rate).
        plan.passFrames = lastEnd;
        plan.totalFrames = lastEnd + std::llround (script.tailSec * sampleRate);
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
    text << scriptCommandTypeName (command.type);
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
        case Type::recallScene:
            text << " " << command.scene;
            if (command.morphMs > 0.0)
                text << " over " << command.morphMs << " ms";
            break;
        case Type::stopAll: case Type::pauseAll: case Type::resumeAll: case Type::panic: case Type::stopAudition:
            break;
    }
    return text.str();
}

std::vector<std::string> describePlan (const ShowScript& script, const ResolvedPlan& plan, double sampleRate)
{
    std::vector<const ScriptCommand*> order;
    for (const auto& command : script.commands)
        order.push_back (&command);
    auto sampleOf = [&] (const ScriptCommand* command)
    {
        return command->index < plan.commandSamples.size() ? plan.commandSamples[command->index] : std::llround (command->timeSec * sampleRate);
    };
    std::stable_sort (order.begin(), order.end(), [&] (auto* a, auto* b) { return sampleOf (a) < sampleOf (b); });
    std::vector<std::string> lines;
    for (const auto* command : order)
    {
        const auto sample = sampleOf (command);
        std::ostringstream line;
        line << "plan " << sample << " (" << (double) sample / sampleRate << " s) " << describeScriptCommand (*command);
        if (command->musical)
            line << " [" << ScriptTransport::label (*command->musical) << "]";
        else if (script.transport.isSet())
            line << " [" << script.transport.label ((long double) command->timeSec) << "]";
        lines.push_back (line.str());
    }
    return lines;
}

} // namespace cuegrid
