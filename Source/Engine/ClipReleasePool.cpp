// CueGrid — GPL-3.0-or-later
#include "ClipReleasePool.h"

#include <algorithm>

namespace cuegrid
{

void ClipReleasePool::retire (ClipAudioPtr audio, uint64_t fence)
{
    if (audio != nullptr)  // control thread only: may allocate
        retired.push_back ({ audio, &audio->audioThreadReferences, fence });
}

void ClipReleasePool::retire (ClipGainTablePtr table, uint64_t fence)
{
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
