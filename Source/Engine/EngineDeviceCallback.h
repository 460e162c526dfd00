// CueGrid — GPL-3.0-or-later
#pragma once

#include "Engine.h"

#include <juce_audio_devices/juce_audio_devices.h>

#include <atomic>

namespace cuegrid
{

/** Connects an Engine to a JUCE audio device: the device's callback thread becomes the
    engine's audio thread. Inputs are ignored for now (Record A/B and LTC come later).

    audioDeviceAboutToStart runs on the thread that opens the device, before any callback,
    and prepares the engine for the device's rate and block size.
*/
class EngineDeviceCallback final : public juce::AudioIODeviceCallback
{
public:
    explicit EngineDeviceCallback (Engine& engineToDrive) : engine (engineToDrive) {}

    void audioDeviceIOCallbackWithContext (const float* const* inputs, int numInputs,
                                           float* const* outputs, int numOutputs, int numFrames,
                                           const juce::AudioIODeviceCallbackContext&) override
    {
        engine.process (outputs, numOutputs, numFrames);
    }

    void audioDeviceAboutToStart (juce::AudioIODevice* device) override
    {
        engine.setReportOverloads (true);
        engine.prepare (device->getCurrentSampleRate(), device->getCurrentBufferSizeSamples());
        preparations.fetch_add (1, std::memory_order_release);
    }

    void audioDeviceStopped() override {}

    /** Any thread. Increments each time the engine was re-prepared by a device (re)start:
        the control side then re-sends its parameters and reloads media if the rate changed. */
    int getPreparationCount() const noexcept { return preparations.load (std::memory_order_acquire); }

private:
    Engine& engine;
    std::atomic<int> preparations { 0 };  // written by the device-opening thread, read by control
};

} // namespace cuegrid
