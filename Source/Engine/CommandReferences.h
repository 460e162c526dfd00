// CueGrid — GPL-3.0-or-later
#pragma once

#include "ClipAudio.h"
#include "ClipGainTable.h"
#include "EngineMessages.h"

namespace cuegrid
{

// Audio thread (Engine.cpp, EngineCommands.cpp): the reference counts a command's data keeps
// while it waits in the scheduler, so ClipReleasePool frees nothing a command still points to.
/** A scheduled command keeps what it points to alive for the audio thread. */
inline void retainReferences (const EngineCommand& command) noexcept
{
    if (command.audio != nullptr)
        command.audio->audioThreadReferences.fetch_add (1, std::memory_order_relaxed);
    if (command.clipGains != nullptr)
        command.clipGains->audioThreadReferences.fetch_add (1, std::memory_order_relaxed);
}

inline void releaseReferences (const EngineCommand& command) noexcept
{
    if (command.audio != nullptr)
        command.audio->audioThreadReferences.fetch_sub (1, std::memory_order_release);
    if (command.clipGains != nullptr)
        command.clipGains->audioThreadReferences.fetch_sub (1, std::memory_order_release);
}

} // namespace cuegrid
