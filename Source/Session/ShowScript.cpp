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
        { "RecordStart", Type::recordStart }, { "RecordStop", Type::recordStop }, { "RecallScene", Type::recallScene }
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
            case Type::recallScene:
                command.scene = document.requireString (pointer, "scene");
                command.morphMs = document.optionalNumber (pointer, "morphMs", 0.0);
                if (command.morphMs < 0.0 || command.morphMs > limits::maxRampMs)
                    document.fail (JsonDocument::child (pointer, "morphMs"), "must be from 0 to 3600000 ms (one hour)");
                break;
            case Type::stopAll:
            case Type::pauseAll:
            case Type::resumeAll:
            case Type::panic:
            case Type::stopAudition:
                break;
        }
    }

    /** A whole number from `minimum` to `maximum`, or `fallback` when absent. */
    int wholeNumber (const JsonDocument& document, const std::string& pointer, const std::string& key, int minimum,
                     int maximum, std::optional<int> fallback)
    {
        if (fallback && ! document.has (pointer, key))
            return *fallback;
        const auto value = document.requireNumber (pointer, key);
        if (value != std::floor (value) || value < minimum || value > maximum)
            document.fail (JsonDocument::child (pointer, key), "must be a whole number from " + std::to_string (minimum)
                                                                   + " to " + std::to_string (maximum));
        return (int) value;
    }

    double parseBpm (const JsonDocument& document, const std::string& pointer)
    {
        const auto bpm = document.requireNumber (pointer, "bpm");
        if (bpm < limits::minBpm || bpm > limits::maxBpm)
            document.fail (JsonDocument::child (pointer, "bpm"), "must be from 60 to 300 bpm");
        return bpm;
    }

    std::string shortNumber (double value)
    {
        std::ostringstream text;
        text << value;
        return text.str();
    }

    std::string placeOf (const JsonDocument& document, const std::string& pointer)
    {
        const auto [line, column] = document.positionOf (pointer);
        return document.getFileName() + ":" + std::to_string (line) + ":" + std::to_string (column) + ": "
               + JsonDocument::readablePath (pointer);
    }

    /** `bpm`, `timeSignature` and `tempoRamps`: the transport musical positions resolve with. */
    void parseTransport (const JsonDocument& document, ScriptTransport& transport)
    {
        if (! document.has ("", "bpm"))
        {
            for (const auto* key : { "timeSignature", "tempoRamps" })
                if (document.has ("", key))
                    document.fail (JsonDocument::child ("", key), "needs the script's bpm");
            return;
        }
        transport.bpm = parseBpm (document, "");
        if (document.has ("", "timeSignature"))
        {
            const auto& signature = document.at ("/timeSignature");
            const bool ok = signature.is_array() && signature.size() == 2 && signature[0].is_number_integer()
                            && signature[1].is_number_integer();
            const auto beats = ok ? signature[0].get<int64_t>() : 0, unit = ok ? signature[1].get<int64_t>() : 0;
            if (! ok || beats < 1 || beats > 32 || (unit != 1 && unit != 2 && unit != 4 && unit != 8 && unit != 16 && unit != 32))
                document.fail ("/timeSignature", "must be [beats, note value] with 1-32 beats of a 1, 2, 4, 8, 16 or 32 note, e.g. [4, 4] or [6, 8]");
            transport.beatsPerBar = (int) beats;
            transport.beatUnit = (int) unit;
        }
        const auto ramps = document.arraySize ("", "tempoRamps", false);
        for (size_t i = 0; i < ramps; ++i)
        {
            const auto pointer = JsonDocument::child ("/tempoRamps", i);
            document.requireObject (pointer);
            ScriptTransport::Ramp ramp;
            ramp.fromBar = wholeNumber (document, pointer, "fromBar", 1, limits::maxBars, std::nullopt);
            ramp.toBar = wholeNumber (document, pointer, "toBar", 1, limits::maxBars, std::nullopt);
            if (ramp.toBar <= ramp.fromBar)
                document.fail (JsonDocument::child (pointer, "toBar"), "must be after fromBar");
            ramp.bpm = parseBpm (document, pointer);
            ramp.where = placeOf (document, pointer);
            transport.ramps.push_back (ramp);
        }
    }

    void parseScenes (const JsonDocument& document, std::vector<ShowScene>& scenes)
    {
        const auto count = document.arraySize ("", "scenes", false);
        for (size_t i = 0; i < count; ++i)
        {
            const auto pointer = JsonDocument::child ("/scenes", i);
            document.requireObject (pointer);
            ShowScene scene;
            scene.id = document.requireString (pointer, "id");
            if (scene.id.empty() || std::any_of (scenes.begin(), scenes.end(), [&] (const ShowScene& other) { return other.id == scene.id; }))
                document.fail (JsonDocument::child (pointer, "id"), scene.id.empty() ? "must not be empty" : "scene \"" + scene.id + "\" is defined twice");
            if (document.has (pointer, "groups"))
            {
                const auto groupsPointer = JsonDocument::child (pointer, "groups");
                const auto& groups = document.requireObject (groupsPointer);
                for (const auto& [letter, value] : groups.items())
                {
                    const auto group = groupFromLetter (letter);
                    const auto groupPointer = JsonDocument::child (groupsPointer, letter);
                    if (! group)
                        document.fail (groupPointer, "unknown group \"" + letter + "\" (expected A, B, C or D)");
                    document.requireObject (groupPointer);
                    if (document.has (groupPointer, "gainDb"))
                    {
                        const auto gain = document.requireNumber (groupPointer, "gainDb");
                        if (gain < limits::minGainDb || gain > limits::maxGainDb)
                            document.fail (JsonDocument::child (groupPointer, "gainDb"), "gain must be between -144 and +24 dB");
                        scene.groupGainDb[(size_t) *group] = gain;
                    }
                    if (document.has (groupPointer, "muted"))
                        scene.groupMuted[(size_t) *group] = document.optionalBool (groupPointer, "muted", false);
                }
            }
            if (document.has (pointer, "masterGainDb"))
            {
                const auto gain = document.requireNumber (pointer, "masterGainDb");
                if (gain < limits::minGainDb || gain > limits::maxGainDb)
                    document.fail (JsonDocument::child (pointer, "masterGainDb"), "gain must be between -144 and +24 dB");
                scene.masterGainDb = gain;
            }
            if (document.has (pointer, "bpm"))
                scene.bpm = parseBpm (document, pointer);
            scenes.push_back (std::move (scene));
        }
    }

} // namespace

ShowScript parseShowScript (const std::string& text, const std::string& fileName)
{
    const JsonDocument document (text, fileName);
    document.requireObject ("");

    ShowScript script;
    script.file = fileName;
    script.durationGiven = document.has ("", "durationSec");
    if (script.durationGiven)
    {
        script.durationSec = document.requireNumber ("", "durationSec");
        if (script.durationSec <= 0.0 || script.durationSec > limits::maxShowSeconds)
            document.fail ("/durationSec", "must be greater than 0 and at most 86400 s (24 hours)");
    }
    script.tailSec = document.optionalNumber ("", "tailSec", 0.0);
    if (script.tailSec < 0.0 || script.durationSec + script.tailSec > limits::maxShowSeconds)
        document.fail ("/tailSec", "must not be negative, and durationSec + tailSec must be at most 86400 s (24 hours)");
    script.loop = document.optionalBool ("", "loop", false);
    script.prerollSec = document.optionalNumber ("", "prerollSec", 0.0);
    if (script.prerollSec < 0.0 || script.prerollSec > limits::maxPrerollSeconds)
        document.fail ("/prerollSec", "must be from 0 to 60 s");
    parseTransport (document, script.transport);
    parseScenes (document, script.scenes);

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
        const bool musical = document.has (pointer, "bar");
        if (! musical && ! document.has (pointer, "timeSec"))
            document.fail (JsonDocument::child (pointer, "timeSec"), "is missing: a command needs timeSec (seconds) or bar (with the script's bpm)");
        if (! musical || document.has (pointer, "timeSec"))
            command.timeSec = document.requireNumber (pointer, "timeSec");
        else if (! script.transport.isSet())
            document.fail (JsonDocument::child (pointer, "bar"), "needs the script's bpm (and timeSignature, default [4, 4])");
        for (const auto* key : { "step", "res" })
            if (! musical && document.has (pointer, key))
                document.fail (JsonDocument::child (pointer, key), std::string (key) + " needs a bar");
        if (musical)
        {
            MusicalTime time;
            time.bar = wholeNumber (document, pointer, "bar", 1, limits::maxBars, std::nullopt);
            time.res = wholeNumber (document, pointer, "res", 1, 192, 16);
            time.step = wholeNumber (document, pointer, "step", 1, 192 * 32, 1);
            const auto place = placeOf (document, pointer);
            if (document.has (pointer, "timeSec"))
                script.warnings.push_back (place + ": both timeSec and bar are given; timeSec " + shortNumber (command.timeSec)
                                           + " s wins (" + ScriptTransport::label (time) + " ignored)");
            else
            {
                if (! script.transport.stepFitsBar (time))
                {
                    std::ostringstream steps;
                    steps << script.transport.stepsPerBar (time.res);
                    script.warnings.push_back (place + ": step " + std::to_string (time.step) + " is beyond bar "
                                               + std::to_string (time.bar) + " at res " + std::to_string (time.res) + " ("
                                               + steps.str() + " steps per bar); it lands in a later bar");
                }
                command.musical = time;
            }
        }
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
        if (command.type == Type::recallScene)
        {
            const auto scene = std::find_if (script.scenes.begin(), script.scenes.end(),
                                             [&] (const ShowScene& s) { return s.id == command.scene; });
            if (scene == script.scenes.end())
                document.fail (JsonDocument::child (pointer, "scene"), "no scene with id \"" + command.scene + "\" in scenes");
            if (scene->bpm && command.musical)
                script.transport.addTempoStep (script.transport.beatOf (*command.musical), *scene->bpm, placeOf (document, pointer));
            else if (scene->bpm && script.transport.isSet())
                script.warnings.push_back (placeOf (document, pointer) + ": scene \"" + command.scene
                                           + "\" sets bpm, which only a recall at bar/step applies; the tempo is unchanged");
        }
        script.commands.push_back (std::move (command));
    }

    // Musical positions to seconds, once every tempo change is known.
    if (script.transport.isSet())
    {
        for (auto& warning : script.transport.finish())
            script.warnings.push_back (std::move (warning));
        for (auto& command : script.commands)
            if (command.musical)
            {
                command.timeSec = (double) script.transport.secondsAt (script.transport.beatOf (*command.musical));
                if (command.timeSec > limits::maxShowSeconds)
                    throw InputError (fileName, command.line, command.column, "commands[" + std::to_string (command.index) + "]: "
                                      + ScriptTransport::label (*command.musical) + " is beyond the longest show (86400 s, 24 hours)");
            }
    }
    if (! script.durationGiven && script.commands.empty())
        throw InputError (fileName, 1, 1, "durationSec: is missing and cannot be computed: the script has no commands");
    return script;
}

ShowScript loadShowScript (const std::string& path)
{
    return parseShowScript (JsonDocument::readTextFile (path), path);
}

const char* scriptCommandTypeName (ScriptCommand::Type type) noexcept
{
    return typeName (type);
}

} // namespace cuegrid
