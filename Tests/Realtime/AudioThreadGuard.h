// CueGrid — GPL-3.0-or-later
#pragma once

namespace cuegrid::test
{
/** Arms (or disarms) counting of allocations and lock calls made by the calling thread. */
void armAudioThreadGuard (bool shouldArm);
long audioThreadAllocations();
long audioThreadLocks();
void resetAudioThreadGuard();
} // namespace cuegrid::test
