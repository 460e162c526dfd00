// CueGrid — GPL-3.0-or-later
#include "OfflineRenderer.h"

#include <algorithm>
#include <vector>

namespace cuegrid
{

void renderOffline (Engine& engine, CommandFeeder& feeder, int64_t totalFrames, int blockSize, int numChannels,
                    const RenderBlockSink& blockSink, const EngineEventSink& eventSink,
                    const std::vector<std::vector<float>>* inputs)
{
    // Off the audio thread: offline render runs on the calling (CLI or test) thread, and these
    // buffers are allocated once, before the block loop; Engine::process itself allocates nothing.
    numChannels = std::max (1, numChannels);
    std::vector<std::vector<float>> buffers ((size_t) numChannels, std::vector<float> ((size_t) blockSize));
    std::vector<float*> outputs, delivered ((size_t) numChannels);
    for (auto& buffer : buffers)
        outputs.push_back (buffer.data());
    const auto numInputs = inputs != nullptr ? (int) inputs->size() : 0;
    std::vector<std::vector<float>> inputBuffers ((size_t) numInputs, std::vector<float> ((size_t) blockSize));
    std::vector<const float*> inputPointers;
    for (auto& buffer : inputBuffers)
        inputPointers.push_back (buffer.data());
    const auto lookahead = (int64_t) engine.getSampleRate();  // as the realtime feeder
    const auto latency = (int64_t) engine.getLatency();
    const auto framesToProcess = totalFrames + latency;
    EngineEvent event;
    // Offline render may wait for a streamed clip's data (this is not the audio thread), so
    // its output never depends on how fast the disk is: the same samples as a resident clip.
    engine.setWaitForMedia (true);

    for (int64_t done = 0; done < framesToProcess;)
    {
        const auto frames = (int) std::min<int64_t> (blockSize, framesToProcess - done);
        feeder.feedUntil (engine, engine.getSamplePosition() + frames + lookahead);
        for (int c = 0; c < numInputs; ++c)
        {
            // Engine time `done` onwards; silence past the input's end.
            const auto& input = (*inputs)[(size_t) c];
            auto& buffer = inputBuffers[(size_t) c];
            const auto available = (int) std::clamp<int64_t> ((int64_t) input.size() - done, 0, frames);
            std::copy_n (input.data() + (available > 0 ? done : 0), available, buffer.data());
            std::fill (buffer.begin() + available, buffer.begin() + frames, 0.0f);
        }
        engine.process (numInputs > 0 ? inputPointers.data() : nullptr, numInputs, outputs.data(), numChannels, frames);
        while (engine.popEvent (event))
            if (eventSink)
                eventSink (event);

        // The first `latency` samples precede the timeline's sample 0: drop them.
        const auto skip = (int) std::clamp<int64_t> (latency - done, 0, frames);
        if (blockSink && frames > skip)
        {
            for (int c = 0; c < numChannels; ++c)
                delivered[(size_t) c] = outputs[(size_t) c] + skip;
            blockSink (delivered.data(), numChannels, frames - skip);
        }
        done += frames;
    }
}

} // namespace cuegrid
