// CueGrid — GPL-3.0-or-later
#pragma once

#include "CommandFeeder.h"
#include "Engine.h"

#include <functional>
#include <vector>

namespace cuegrid
{

/** Receives each rendered block: `channels[c]` holds numFrames samples of output channel c. */
using RenderBlockSink = std::function<void (const float* const* channels, int numChannels, int numFrames)>;

/** Receives each event the engine reports while rendering. */
using EngineEventSink = std::function<void (const EngineEvent&)>;

/** Renders `totalFrames` of the engine's `numChannels` outputs (routing applied), block by
    block, with the very same Engine::process() the device callback runs: the feeder posts
    commands between blocks exactly as the realtime feeder thread does. The engine's latency
    (the limiter's look-ahead) is compensated: the first getLatency() output samples are
    dropped and as many more rendered, so an event at engine time t is at output frame t.
    Streamed clips' data is waited for (Engine::setWaitForMedia): no underruns, and the same
    samples as if the media were resident. The engine must be prepared with maximumBlockSize >= blockSize. Runs on the calling
    thread, faster than realtime. Exceptions thrown by the sinks propagate.
    `inputs` (optional): the engine's input channels (inputs[c] is engine input c from engine
    time 0, silence past its end), fed block by block as a device would: `render --ltc` feeds
    its LTC file so (EngineTimecode). */
void renderOffline (Engine& engine, CommandFeeder& feeder, int64_t totalFrames, int blockSize, int numChannels,
                    const RenderBlockSink& blockSink, const EngineEventSink& eventSink,
                    const std::vector<std::vector<float>>* inputs = nullptr);

} // namespace cuegrid
