// CueGrid — GPL-3.0-or-later
#include "ClipReleasePool.h"

#include <algorithm>

namespace cuegrid
{

void ClipReleasePool::retire (ClipAudioPtr audio, uint64_t fence)
{
    // Off the audio thread: the pool belongs to the control thread (ShowController, the
    // render/play loops), which alone may allocate here; the engine never calls retire().
    if (audio != nullptr)
        retired.push_back ({ audio, &audio->audioThreadReferences, fence });
}

void ClipReleasePool::retire (ClipGainTablePtr table, uint64_t fence)
{
    // Off the audio thread, as above: ShowController::postSessionState retires the old table.
    if (table != nullptr)
        retired.push_back ({ table, &table->audioThreadReferences, fence });
}

void ClipReleasePool::retire (TimecodeTriggerTablePtr table, uint64_t fence)
{
    // Off the audio thread, as above: ShowController::postTimecodeTriggers retires the old table
    // (and with it, once freed, the media only it kept alive).
    if (table != nullptr)
        retired.push_back ({ table, &table->audioThreadReferences, fence });
}

int ClipReleasePool::collect (uint64_t commandsReceived)
{
    const auto before = retired.size();
    retired.erase (std::remove_if (retired.begin(), retired.end(),
                                   [commandsReceived] (const Retired& entry)
                                   {
                                       return commandsReceived >= entry.fence
                                              && entry.audioThreadReferences->load (std::memory_order_acquire) == 0;
                                   }),
                   retired.end());
    return (int) (before - retired.size());
}

} // namespace cuegrid
