// CueGrid — GPL-3.0-or-later
#include "OfflineRenderer.h"

#include <vector>

namespace cuegrid
{

void renderOffline (Engine& engine, CommandFeeder& feeder, int64_t totalFrames, int blockSize,
                    const RenderBlockSink& blockSink, const EngineEventSink& eventSink)
{
    std::vector<float> left ((size_t) blockSize), right ((size_t) blockSize);
    float* outputs[] = { left.data(), right.data() };
    const auto lookahead = (int64_t) engine.getSampleRate();  // as the realtime feeder
    EngineEvent event;

    for (int64_t done = 0; done < totalFrames;)
    {
        const auto frames = (int) std::min<int64_t> (blockSize, totalFrames - done);
        feeder.feedUntil (engine, engine.getSamplePosition() + frames + lookahead);
        engine.process (outputs, 2, frames);
        while (engine.popEvent (event))
            if (eventSink)
                eventSink (event);
        if (blockSink)
            blockSink (left.data(), right.data(), frames);
        done += frames;
    }
}

} // namespace cuegrid
