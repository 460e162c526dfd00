// CueGrid — GPL-3.0-or-later
#pragma once

#include "ClipAudio.h"
#include "ClipGainTable.h"
#include "TimecodeTriggerTable.h"

#include <cstdint>
#include <vector>

namespace cuegrid
{

/** Frees clip audio (and clip gain tables) that the control side no longer needs, but only once the audio thread
    can no longer touch it: every command posted before the retirement has been received
    (the fence) and no scheduled trigger or voice still refers to it.

    Control thread only. This is how "sample buffers are freed off the audio thread".
*/
class ClipReleasePool
{
public:
    /** Keeps `audio` alive until collect() finds it unused. `fence` = Engine::getCommandsPosted(). */
    void retire (ClipAudioPtr audio, uint64_t fence);
    void retire (ClipGainTablePtr table, uint64_t fence);
    void retire (TimecodeTriggerTablePtr table, uint64_t fence);

    /** Frees what is safe to free; `commandsReceived` = Engine::getCommandsReceived().
        Returns how many buffers were released. */
    int collect (uint64_t commandsReceived);

    size_t size() const noexcept { return retired.size(); }

private:
    struct Retired
    {
        std::shared_ptr<const void> owner;            // the ClipAudio, ClipGainTable or TimecodeTriggerTable
        const std::atomic<int>* audioThreadReferences; // its count of audio-thread references
        uint64_t fence;
    };
    std::vector<Retired> retired;
};

} // namespace cuegrid
