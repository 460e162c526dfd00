// CueGrid — GPL-3.0-or-later
#include "CommandFeeder.h"

namespace cuegrid
{

CommandFeeder::CommandFeeder (std::vector<EngineCommand> planToFeed, int64_t timelineOffset)
    : plan (std::move (planToFeed))
{
    for (auto& command : plan)
        if (command.sampleTime != immediately)
            command.sampleTime += timelineOffset;
}

bool CommandFeeder::feedUntil (Engine& engine, int64_t horizon)
{
    if (feedStart == EngineCommand::noFeed)
        feedStart = engine.getCommandsPosted();
    while (next < plan.size() && plan[next].sampleTime < horizon)
    {
        plan[next].feedStart = feedStart;
        if (! engine.post (plan[next]))
            return false;
        ++next;
    }
    return isFinished();
}

} // namespace cuegrid
