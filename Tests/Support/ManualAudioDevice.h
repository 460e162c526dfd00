// CueGrid — GPL-3.0-or-later
// A JUCE audio device whose callbacks the test itself runs, block by block, keeping every
// output sample: the ShowController drives its engine exactly as on a real device, and a
// test compares two runs sample by sample. Register it with addTo(), then open it by its
// type name (ShowController::openDefaultDevice (ManualAudioDevice::typeName)).
#pragma once

#include <juce_audio_devices/juce_audio_devices.h>

#include <memory>
#include <vector>

namespace cuegrid::test
{

class ManualAudioDevice final : public juce::AudioIODevice
{
public:
    static constexpr const char* typeName = "Manual";
    static constexpr int blockSize = 256;
    static constexpr double rate = 48000.0;

    ManualAudioDevice() : juce::AudioIODevice ("Manual output", typeName) {}
    ~ManualAudioDevice() override { close(); }

    /** The open device of `devices`, if it is one of these. */
    static ManualAudioDevice* current (juce::AudioDeviceManager& devices)
    {
        return dynamic_cast<ManualAudioDevice*> (devices.getCurrentAudioDevice());
    }

    /** Adds the device type to `devices` (before openDefaultDevice). */
    static void addTo (juce::AudioDeviceManager& devices);

    /** Runs one audio callback of blockSize frames; its output is appended to output[0/1]. */
    void renderBlock()
    {
        std::vector<float> left (blockSize), right (blockSize);
        float* channels[] { left.data(), right.data() };
        if (callback != nullptr)
            callback->audioDeviceIOCallbackWithContext (nullptr, 0, channels, 2, blockSize, {});
        output[0].insert (output[0].end(), left.begin(), left.end());
        output[1].insert (output[1].end(), right.begin(), right.end());
    }

    std::vector<float> output[2];

    juce::StringArray getOutputChannelNames() override { return { "out 1", "out 2" }; }
    juce::StringArray getInputChannelNames() override { return {}; }
    juce::Array<double> getAvailableSampleRates() override { return { rate }; }
    juce::Array<int> getAvailableBufferSizes() override { return { blockSize }; }
    int getDefaultBufferSize() override { return blockSize; }
    juce::String open (const juce::BigInteger&, const juce::BigInteger& outputs, double, int) override
    {
        activeOutputs = outputs;
        opened = true;
        return {};
    }
    void close() override { stop(); opened = false; }
    bool isOpen() override { return opened; }
    void start (juce::AudioIODeviceCallback* newCallback) override
    {
        if (newCallback == nullptr || playing)
            return;
        newCallback->audioDeviceAboutToStart (this);
        callback = newCallback;
        playing = true;
    }
    void stop() override
    {
        if (! playing)
            return;
        playing = false;
        std::exchange (callback, nullptr)->audioDeviceStopped();
    }
    bool isPlaying() override { return playing; }
    juce::String getLastError() override { return {}; }
    int getCurrentBufferSizeSamples() override { return blockSize; }
    double getCurrentSampleRate() override { return rate; }
    int getCurrentBitDepth() override { return 32; }
    juce::BigInteger getActiveOutputChannels() const override { return activeOutputs; }
    juce::BigInteger getActiveInputChannels() const override { return {}; }
    int getOutputLatencyInSamples() override { return 0; }
    int getInputLatencyInSamples() override { return reportedInputLatency; }
    /** What the next opened device reports as its input latency (an LTC input's "auto"). */
    static inline int reportedInputLatency = 0;

private:
    juce::AudioIODeviceCallback* callback = nullptr;
    juce::BigInteger activeOutputs;
    bool opened = false, playing = false;
};

class ManualAudioDeviceType final : public juce::AudioIODeviceType
{
public:
    ManualAudioDeviceType() : juce::AudioIODeviceType (ManualAudioDevice::typeName) {}
    void scanForDevices() override {}
    juce::StringArray getDeviceNames (bool wantInputNames) const override
    {
        return wantInputNames ? juce::StringArray() : juce::StringArray ("Manual output");
    }
    int getDefaultDeviceIndex (bool) const override { return 0; }
    int getIndexOfDevice (juce::AudioIODevice* device, bool asInput) const override
    {
        return device != nullptr && ! asInput ? 0 : -1;
    }
    bool hasSeparateInputsAndOutputs() const override { return false; }
    juce::AudioIODevice* createDevice (const juce::String& outputName, const juce::String&) override
    {
        return outputName == "Manual output" ? new ManualAudioDevice() : nullptr;
    }
};

inline void ManualAudioDevice::addTo (juce::AudioDeviceManager& devices)
{
    devices.addAudioDeviceType (std::make_unique<ManualAudioDeviceType>());
}

} // namespace cuegrid::test
