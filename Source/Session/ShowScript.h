// CueGrid — GPL-3.0-or-later
#pragma once

#include "../Engine/ClipAudio.h"
#include "../Engine/ClipGainTable.h"
#include "../Engine/EngineMessages.h"
#include "SessionModel.h"

#include <string>
#include <vector>

namespace cuegrid
{

/** One timed command of a show script (session timeline design, absolute time). */
struct ScriptCommand
{
    enum class Type { trigger, stop, stopGroup, stopAll, setParam };
    enum class Target { clipGain, groupGain, groupMute, masterGain };

    Type type = Type::stopAll;
    double timeSec = 0.0;        // seconds from script start
    std::string clip;            // trigger, stop; setParam on a clip
    int group = 0;               // stopGroup; setParam on a group
    Target target = Target::masterGain;
    std::string targetText;      // as written, e.g. "group:A:gainDb"
    double value = 0.0;          // dB for gains, 0/1 for muted
    double rampMs = 0.0;         // 0 = step at exactly timeSec
    size_t index = 0;            // position in "commands"
    int line = 0, column = 0;    // where it stands in the file
};

/** A show script: `durationSec`, optional `tailSec`, and `commands` (see docs/cli.md). */
struct ShowScript
{
    std::string file;
    double durationSec = 0.0;
    double tailSec = 0.0;
    std::vector<ScriptCommand> commands;
};

/** Parses and checks a script on its own (types, fields, non-negative times, known command
    types, well-formed targets). Throws InputError with file, line, column and command index. */
ShowScript parseShowScript (const std::string& text, const std::string& fileName);
ShowScript loadShowScript (const std::string& path);

/** Checks the script against a session: every clip it names exists. Throws InputError. */
void validateShowScript (const ShowScript& script, const Session& session);

/** The commands that put an engine into the session's saved state, to run at once: group
    gains and mutes, and every clip's gain in one setClipGains command (a session may have more
    clips than the command FIFO has room). `clipGains` owns that command's table: keep it
    alive while the commands may still be pending. */
struct SessionStateCommands
{
    std::vector<EngineCommand> commands;
    ClipGainTablePtr clipGains;
};
SessionStateCommands sessionStateCommands (const Session& session);

/** A script resolved to engine commands at sample times round(timeSec × sampleRate), sorted. */
struct ResolvedPlan
{
    std::vector<EngineCommand> commands;   // session state first, then the script
    ClipGainTablePtr clipGains;            // the session state's clip gains, referenced by commands
    int64_t totalFrames = 0;               // round((durationSec + tailSec) × sampleRate)
    std::vector<std::string> warnings;     // e.g. triggers of clips whose media is missing
};

/** Resolves a validated script. `media[i]` is clip i's audio (nullptr if missing: its
    triggers are skipped with a warning). The caller keeps `media` alive while it plays. */
ResolvedPlan resolveShowScript (const ShowScript& script, const Session& session,
                                const std::vector<ClipAudioPtr>& media, double sampleRate);

/** Readable one-line description of a script command, for --dump-events. */
std::string describeScriptCommand (const ScriptCommand& command);

} // namespace cuegrid
