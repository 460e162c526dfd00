// CueGrid — GPL-3.0-or-later
#pragma once

#include "../Engine/ClipAudio.h"
#include "../Engine/ClipGainTable.h"
#include "../Engine/EngineMessages.h"
#include "ScriptTransport.h"
#include "SessionModel.h"

#include <array>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cuegrid
{

/** One timed command of a show script (session timeline design, absolute time). */
struct ScriptCommand
{
    enum class Type { trigger, stop, pause, resume, togglePause, stopGroup, fadeGroup, stopAll, fadeAll,
                      pauseAll, resumeAll, panic, audition, stopAudition, setParam, recordStart, recordStop, recallScene };
    enum class Target { clipGain, clipPan, groupGain, groupMute, masterGain, auditionGain };

    Type type = Type::stopAll;
    double timeSec = 0.0;        // seconds from script start (of `musical` when that is set)
    std::optional<MusicalTime> musical;  // `bar`/`step`/`res` without `timeSec`: resolved to a sample by the transport
    std::string clip;            // trigger, stop, pause, resume, togglePause, audition of a clip; setParam on a clip
    std::string file;            // audition of a media file: relative to the session file's folder, or absolute
    int group = 0;               // stopGroup, fadeGroup; setParam on a group
    double offsetSec = 0.0;      // trigger: seconds into the clip's cue region
    std::optional<double> fadeMs;  // ms. stop: unset = the clip's fadeOut; fadeGroup: required; fadeAll: 1000 unless given
    FadeCurve curve = FadeCurve::linear;  // fadeGroup, fadeAll
    Target target = Target::masterGain;
    std::string targetText;      // as written, e.g. "group:A:gainDb"
    double value = 0.0;          // dB for gains, 0/1 for muted, −1 … +1 for pan
    double rampMs = 0.0;         // 0 = step at exactly timeSec
    int recordBuses = 3;         // recordStart, recordStop: bit 0 = Record A, bit 1 = Record B ("A", "B", "both")
    std::string scene;           // recallScene: the scene's id
    double morphMs = 0.0;        // recallScene: 0 = every value steps at once
    size_t index = 0;            // position in "commands"
    int line = 0, column = 0;    // where it stands in the file
};

/** A scene: values a RecallScene sets (unset: left as they are). */
struct ShowScene
{
    std::string id;
    std::array<std::optional<double>, 4> groupGainDb;
    std::array<std::optional<bool>, 4> groupMuted;
    std::optional<double> masterGainDb;
    std::optional<double> bpm;   // the transport's tempo from a recall at bar/step on
};

/** A show script: `durationSec` (or computed), `tailSec`, `loop`, `prerollSec`, the transport
    (`bpm`, `timeSignature`, `tempoRamps`), `scenes` and `commands` (see docs/cli.md). */
struct ShowScript
{
    std::string file;
    double durationSec = 0.0;     // when durationGiven; else computed by resolveShowScript
    bool durationGiven = true;
    double tailSec = 0.0;
    bool loop = false;            // play restarts at durationSec with a clean state
    double prerollSec = 0.0;      // silence before script time 0 (render and play)
    ScriptTransport transport;
    std::vector<ShowScene> scenes;
    std::vector<ScriptCommand> commands;
    std::vector<std::string> warnings;   // "file:line:column: commands[i]: …" (timeSec and bar both given, invalid step, overlapping ramps)
};

/** Parses and checks a script on its own (types, fields and their ranges, non-negative
    times, known command types, well-formed targets, musical positions and scenes). Throws
    InputError with file, line, column and command index; what is only doubtful goes into
    `warnings`. */
ShowScript parseShowScript (const std::string& text, const std::string& fileName);
ShowScript loadShowScript (const std::string& path);

/** A command type's name as scripts write it ("Trigger", "SetParam", ...); "?" for none. */
const char* scriptCommandTypeName (ScriptCommand::Type type) noexcept;

/** Checks the script against a session: every clip it names exists. Throws InputError. */
void validateShowScript (const ShowScript& script, const Session& session);

/** The commands that put an engine into the session's saved state, to run at once: each
    group's gain, mute and choke limit, the master gain, the limiter, the output routing, and
    every clip's gain and pan in one setClipGains command (a session may have more clips than
    the command FIFO has room). `clipGains` owns that command's table: keep it alive while the
    commands may still be pending. */
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
    std::vector<ClipAudioPtr> fileMedia;   // audio of the Audition files the commands refer to: keep the plan alive while it plays
    int64_t totalFrames = 0;               // round((durationSec + tailSec) × sampleRate): one pass and its tail
    int64_t passFrames = 0;                // round(durationSec × sampleRate): a loop restarts here
    int64_t prerollFrames = 0;             // round(prerollSec × sampleRate), ahead of script time 0
    std::vector<int64_t> commandSamples;   // sample of each script command, by its index
    std::vector<std::string> warnings;     // e.g. triggers of clips whose media is missing
    std::vector<std::string> placedWarnings;  // "file:line:column: commands[i]: …" (overlapping SetParam ramps)
    int recordCommands = 0;                // RecordStart / RecordStop commands among `commands`
};

/** Removes the RecordStart / RecordStop commands from a plan that has no inputs to record
    (offline render) and returns how many there were. */
int removeRecordCommands (ResolvedPlan& plan);

/** The media files the script's Audition commands name (`file`, exactly as written), each
    once, in order of first use. The caller decodes them at the plan's rate, resolved against
    the session file's folder, e.g.
        for (const auto& file : scriptMediaFiles (script))
            fileMedia[file] = loadMedia (resolveMediaPath (sessionPath, file), rate).audio;
    and passes them to resolveShowScript. */
std::vector<std::string> scriptMediaFiles (const ShowScript& script);

/** Audition media by `file` as written in the script; nullptr for a file that failed. */
using ScriptMedia = std::map<std::string, ClipAudioPtr>;

/** Resolves a validated script. `media[i]` is clip i's audio (nullptr if missing: its
    triggers and auditions are skipped with a warning); `fileMedia` the Audition files' audio
    (a file not in it, or nullptr, is skipped with a warning). Triggers and auditions of a clip
    carry clipPlayback (session, clip, sampleRate, frames of its media, offsetSec); an
    audition of a file plays it whole (a default VoicePlayback). The caller keeps `media`
    alive while the plan plays; the plan keeps the file media it uses. */
ResolvedPlan resolveShowScript (const ShowScript& script, const Session& session,
                                const std::vector<ClipAudioPtr>& media, double sampleRate,
                                const ScriptMedia& fileMedia = {});

/** Readable one-line description of a script command, for --dump-events. */
std::string describeScriptCommand (const ScriptCommand& command);

/** The --dump-events plan: one line per script command, in time order,
    "plan SAMPLE (SECONDS s) COMMAND [bar B step S/R]" (the label when the script has a bpm). */
std::vector<std::string> describePlan (const ShowScript& script, const ResolvedPlan& plan, double sampleRate);

} // namespace cuegrid
