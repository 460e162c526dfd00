// CueGrid — GPL-3.0-or-later
#include "CliShow.h"

#include "Session/EventLog.h"
#include "Session/MediaLoader.h"
#include "Session/SessionMedia.h"

namespace cuegrid::cli
{

ScriptMedia loadScriptMedia (const ShowScript& script, const std::string& sessionPath, double sampleRate,
                             std::vector<std::string>& errors, std::vector<std::string>& warnings)
{
    ScriptMedia media;
    MediaMemoryBudget budget (mediaMemoryBudgetBytes());
    for (const auto& file : scriptMediaFiles (script))
    {
        const auto path = resolveMediaPath (sessionPath, file);
        auto result = loadMedia (path, sampleRate, &budget);
        if (! result.error.empty())
        {
            errors.push_back ("Audition file '" + file + "' (" + path.string() + "): " + result.error);
            continue;
        }
        if (! result.warning.empty())
            warnings.push_back ("Audition file '" + file + "' (" + path.string() + "): " + result.warning);
        media[file] = std::move (result.audio);
    }
    return media;
}

void protectShowInputs (OutputGuard& guard, const std::string& sessionPath, const Session& session,
                        const std::string& scriptPath, const ShowScript& script)
{
    guard.protectSession (sessionPath, session);
    guard.protectInput (scriptPath, "the show script");
    for (const auto& file : scriptMediaFiles (script))
        guard.protectInput (resolveMediaPath (sessionPath, file), "the Audition file '" + file + "' of the show script");
}

void printPlan (std::ostream& out, const ShowScript& script, const ResolvedPlan& plan, double sampleRate, int passes)
{
    if (plan.prerollFrames > 0)
        out << "plan preroll " << plan.prerollFrames << " samples (" << script.prerollSec << " s): script time 0 is sample "
            << plan.prerollFrames << "\n";
    for (const auto& line : describePlan (script, plan, sampleRate))
        out << line << "\n";
    out << "plan duration " << plan.passFrames << " samples (" << (double) plan.passFrames / sampleRate << " s"
        << (script.durationGiven ? "" : ", computed") << "), tail " << plan.totalFrames - plan.passFrames << " samples\n";
    if (passes != 1)
        out << "plan loop: " << (passes > 1 ? std::to_string (passes) : std::string ("endless")) << " passes, each restarted at "
            << plan.passFrames << " samples with a clean state\n";
}

nlohmann::ordered_json eventLogLine (const EngineEvent& event, const Session& session, double sampleRate, bool withMeters)
{
    if (event.type == EngineEvent::Type::meter)
        return withMeters ? describeMeterEvent (event, sampleRate) : nlohmann::ordered_json();
    return describeEvent (event, session, sampleRate);
}

} // namespace cuegrid::cli
