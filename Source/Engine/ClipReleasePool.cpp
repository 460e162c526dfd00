// CueGrid — GPL-3.0-or-later
#include "ClipReleasePool.h"

#include <algorithm>

namespace cuegrid
{

void ClipReleasePool::retire (ClipAudioPtr audio, uint64_t fence)
{
    if (audio != nullptr)
        retired.push_back ({ std::move (audio), fence });  // control thread only: may allocate
}

int ClipReleasePool::collect (uint64_t commandsReceived)
{
    const auto before = retired.size();
    retired.erase (std::remove_if (retired.begin(), retired.end(),
                                   [commandsReceived] (const Retired& entry)
                                   {
                                       return commandsReceived >= entry.fence
                                              && entry.audio->audioThreadReferences.load (std::memory_order_acquire) == 0;
                                   }),
                   retired.end());
    return (int) (before - retired.size());
}

} // namespace cuegrid
