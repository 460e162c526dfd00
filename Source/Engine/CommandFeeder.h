// CueGrid — GPL-3.0-or-later
#pragma once

#include "Engine.h"

#include <vector>

namespace cuegrid
{

/** Feeds a time-ordered plan of commands into an Engine a little ahead of time, so the
    engine's queue never has to hold a whole show. Used by offline render (between blocks)
    and by realtime play (on a feeder thread), which is why both produce the same samples.

    Control thread only (the Engine's single command producer).
*/
class CommandFeeder
{
public:
    /** `plan` must be sorted by sampleTime; `timelineOffset` is added to every time. */
    CommandFeeder (std::vector<EngineCommand> plan, int64_t timelineOffset = 0);

    /** Posts every pending command with time < horizon (engine timeline) that fits in the
        engine's queue. Returns true once the whole plan has been posted. */
    bool feedUntil (Engine& engine, int64_t horizon);

    bool isFinished() const noexcept { return next >= plan.size(); }

    /** Every command of the plan is stamped with the engine's post count when feeding began,
        so that a Panic cancels the rest of this feed (EngineCommand::feedStart). */
    uint64_t getFeedStart() const noexcept { return feedStart; }

private:
    std::vector<EngineCommand> plan;
    size_t next = 0;
    uint64_t feedStart = EngineCommand::noFeed;
};

} // namespace cuegrid
