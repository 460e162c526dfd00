// CueGrid — GPL-3.0-or-later
// What `cuegrid render` and `cuegrid play` share about a show: the script's Audition media,
// the output guard over everything the show reads, and which engine events are logged.
#pragma once

#include "Engine/EngineMessages.h"
#include "Session/OutputGuard.h"
#include "Session/SessionModel.h"
#include "Session/ShowScript.h"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace cuegrid::cli
{

/** The show script's Audition media files (scriptMediaFiles), decoded at `sampleRate` (Hz) and
    resolved against the session file's folder. A file that fails is left out (its auditions
    are then skipped with a warning by resolveShowScript) and reported in `errors` as
    "Audition file 'x.wav' (/show/x.wav): file not found: …"; truncated files in `warnings`.
    Control thread. */
ScriptMedia loadScriptMedia (const ShowScript& script, const std::string& sessionPath, double sampleRate,
                             std::vector<std::string>& errors, std::vector<std::string>& warnings);

/** Protects the session, its media, the script and the script's Audition files as inputs
    (OutputGuard::protectInput) before outputs are claimed. */
void protectShowInputs (OutputGuard& guard, const std::string& sessionPath, const Session& session,
                        const std::string& scriptPath, const ShowScript& script);

/** --dump-events: the resolved plan (describePlan), and with `passes` > 1 where they restart. */
void printPlan (std::ostream& out, const ShowScript& script, const ResolvedPlan& plan, double sampleRate, int passes);

/** The event log line of an engine event: describeEvent, or for a meter event
    describeMeterEvent when `withMeters` (else null). Null: not logged. */
nlohmann::ordered_json eventLogLine (const EngineEvent& event, const Session& session, double sampleRate, bool withMeters);

} // namespace cuegrid::cli
