// CueGrid — GPL-3.0-or-later
// The rig the real-time safety tests share: an audio thread running process() with the
// allocation and lock detectors armed, and a recording writer draining Record A and B to disk.
// Each test says only its load: block count, channels, pacing, and the commands it posts.
#pragma once

#include "AudioThreadGuard.h"
#include "Engine/Engine.h"
#include "Session/RecordingWriter.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace cuegrid::test
{

/** The audio thread: `blocks` calls of engine.process(), each fed fresh noise on `inputs` device
    inputs (none: the outputs-only process()), with `pause` between blocks so that the control
    thread's commands interleave (faster than a device). Resets the detectors, then counts only
    what process() does: the buffers are made before they are armed. Join before reading them. */
class NoiseFedAudioThread
{
public:
    NoiseFedAudioThread (Engine& engine, int inputs, int outputs, int blockSize, int blocks, std::chrono::microseconds pause)
        : totalBlocks (blocks)
    {
        resetAudioThreadGuard();
        thread = std::thread ([&engine, inputs, outputs, blockSize, pause, this]
        {
            std::vector<float> in ((size_t) (inputs * blockSize)), out ((size_t) (outputs * blockSize));
            std::vector<const float*> inputPointers ((size_t) inputs);
            std::vector<float*> outputPointers ((size_t) outputs);
            for (int c = 0; c < inputs; ++c)
                inputPointers[(size_t) c] = in.data() + c * blockSize;
            for (int c = 0; c < outputs; ++c)
                outputPointers[(size_t) c] = out.data() + c * blockSize;
            uint32_t noise = 1;
            armAudioThreadGuard (true);
            for (int block = 0; block < totalBlocks; ++block)
            {
                for (auto& sample : in)
                {
                    noise = noise * 1664525u + 1013904223u;
                    sample = (float) (noise >> 8) / 16777216.0f - 0.5f;
                }
                engine.process (inputs > 0 ? inputPointers.data() : nullptr, inputs, outputPointers.data(), outputs, blockSize);
                done.store (block + 1, std::memory_order_release);
                std::this_thread::sleep_for (pause);
            }
            armAudioThreadGuard (false);
        });
    }

    ~NoiseFedAudioThread() { join(); }

    int blocksDone() const noexcept { return done.load (std::memory_order_acquire); }
    bool running() const noexcept { return blocksDone() < totalBlocks; }

    void join()
    {
        if (thread.joinable())
            thread.join();
    }

private:
    const int totalBlocks;
    std::atomic<int> done { 0 };   // written by the audio thread, read by the test's thread
    std::thread thread;
};

/** A RecordingWriter on the engine's Record A and B, writing `<stem>` takes into `folder`, its
    thread running. stop() ends it and closes the takes. */
struct RecordingRig
{
    RecordingRig (Engine& engine, const std::filesystem::path& folder, const std::string& stem, double sampleRate)
        : writer ({ &engine.getRecordBus (0), &engine.getRecordBus (1) })
    {
        RecordingTarget target;
        target.folder = folder.string();
        target.stem = stem;
        target.sampleRate = sampleRate;
        writer.setTarget (target);
        writer.startThread();
    }

    void stop()
    {
        writer.stopThread();
        writer.closeAll();
    }

    RecordingWriter writer;
};

} // namespace cuegrid::test
