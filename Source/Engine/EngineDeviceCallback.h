// CueGrid — GPL-3.0-or-later
#pragma once

#include "Engine.h"

#include <juce_audio_devices/juce_audio_devices.h>

#include <array>
#include <atomic>
#include <string>

namespace cuegrid
{

/** Connects an Engine to a JUCE audio device: the device's callback thread becomes the
    engine's audio thread. The device's inputs (the enabled ones, in order) go to the engine's
    record buses (Record A/B).

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
        engine.process (inputs, numInputs, outputs, numOutputs, numFrames);
    }

    void audioDeviceAboutToStart (juce::AudioIODevice* device) override
    {
        engine.setReportOverloads (true);
        // On JACK, block starts carry their JACK frame, as JACK MIDI events do (docs/clock.md, "MTC peers").
        engine.getTimecode().setOnJackCycles (device->getTypeName() == "JACK");
        // What an LTC input with automatic latency subtracts (ClockPreferences::ltcLatency).
        engine.getTimecode().setDeviceInputLatency (device->getInputLatencyInSamples());
        engine.prepare (device->getCurrentSampleRate(), device->getCurrentBufferSizeSamples());
        preparations.fetch_add (1, std::memory_order_release);
    }

    /** Called when the device stops: by us (close, remove callback) or by itself (a JACK
        server that went away calls it from its own thread). Only counted here; the control
        side decides, from whether it closed the device, if the device was lost. */
    void audioDeviceStopped() override { stops.fetch_add (1, std::memory_order_release); }

    /** Device thread (ALSA: the audio thread itself). Keeps the first message until the
        control side takes it: a copy into a fixed buffer, no allocation, no lock. */
    void audioDeviceError (const juce::String& message) override
    {
        if (errorPending.load (std::memory_order_acquire))
            return;
        const auto* text = message.toRawUTF8();  // a JUCE String's own UTF-8: no allocation
        size_t i = 0;
        for (; text[i] != 0 && i + 1 < errorText.size(); ++i)
            errorText[i] = text[i];
        errorText[i] = 0;
        errorPending.store (true, std::memory_order_release);
    }

    /** Any thread. Increments each time the engine was re-prepared by a device (re)start:
        the control side then re-sends its parameters and reloads media if the rate changed. */
    int getPreparationCount() const noexcept { return preparations.load (std::memory_order_acquire); }

    /** Any thread. Increments each time the device stopped (see audioDeviceStopped). */
    int getStopCount() const noexcept { return stops.load (std::memory_order_acquire); }

    /** Control thread. The device's error message since the last call, or "". */
    std::string takeDeviceError()
    {
        if (! errorPending.load (std::memory_order_acquire))
            return {};
        std::string text (errorText.data());
        errorPending.store (false, std::memory_order_release);
        return text;
    }

private:
    Engine& engine;
    std::atomic<int> preparations { 0 };  // written by the device-opening thread, read by control
    std::atomic<int> stops { 0 };         // written by whichever thread stops the device, read by control
    // Error mailbox: the device thread writes errorText then sets errorPending; the control
    // thread reads errorText only while errorPending is set, then clears it.
    std::array<char, 256> errorText {};
    std::atomic<bool> errorPending { false };
};

} // namespace cuegrid
