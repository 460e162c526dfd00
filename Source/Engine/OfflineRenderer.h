// CueGrid — GPL-3.0-or-later
#pragma once

#include "CommandFeeder.h"
#include "Engine.h"

#include <functional>

namespace cuegrid
{

/** Receives each rendered block: left and right, numFrames samples each. */
using RenderBlockSink = std::function<void (const float* left, const float* right, int numFrames)>;

/** Receives each event the engine reports while rendering. */
using EngineEventSink = std::function<void (const EngineEvent&)>;

/** Renders `totalFrames` of the engine's stereo master, block by block, with the very same
    Engine::process() the device callback runs: the feeder posts commands between blocks
    exactly as the realtime feeder thread does. The engine must be prepared with
    maximumBlockSize >= blockSize. Runs on the calling thread, faster than realtime.
    Exceptions thrown by the sinks propagate. */
void renderOffline (Engine& engine, CommandFeeder& feeder, int64_t totalFrames, int blockSize,
                    const RenderBlockSink& blockSink, const EngineEventSink& eventSink);

} // namespace cuegrid
