// CueGrid — GPL-3.0-or-later
#pragma once

#include "EngineMessages.h"

#include <juce_audio_devices/juce_audio_devices.h>

#include <string>

namespace cuegrid
{

/** What to open: empty strings and zeros mean "the default". */
struct DeviceRequest
{
    std::string type;        // "JACK", "ALSA", or "" for the first type that has a device
    std::string name;        // output device name, or "" for the type's default
    double sampleRate = 0;   // Hz
    int blockSize = 0;       // frames
    int outputChannels = 2;
    int inputChannels = 0;   // device inputs 1 … n enabled for Record A/B (a device with fewer opens what it has)
};

/** Opens an output device on `manager` for a CueGrid engine (inputs 1 … inputChannels, for Record A/B). Returns an
    empty string on success, otherwise what failed, naming type and device. Message/control
    thread. Without any sound card or JACK server this fails with a clear message, not a crash. */
std::string openAudioDevice (juce::AudioDeviceManager& manager, const DeviceRequest& request);

/** Record A/B's device inputs (`wanted`: 0-based device channels) in the engine's numbering
    for a device that passes only its enabled inputs `enabled`, in order (JUCE; JACK enables
    the connected ports): device input c is engine input "enabled inputs below c". An input
    that is not enabled becomes -1 (that side records silence). Any thread. */
RecordInputs recordInputsForDevice (const RecordInputs& wanted, const juce::BigInteger& enabled);

/** Device input channels to open for Record A/B: the highest 1-based channel the pairs name. */
int recordInputChannels (const RecordInputs& wanted);

/** The open device as it can be opened again after a loss: type and JUCE setup (device
    names, rate, block size, exactly which output channels). `type` is empty without a device. */
struct DeviceSnapshot
{
    std::string type;
    juce::AudioDeviceManager::AudioDeviceSetup setup;
};
DeviceSnapshot snapshotAudioDevice (juce::AudioDeviceManager& manager);

/** Reopens the device of a snapshot (same type, name, channels, rate and block size; JACK
    reconnects our output ports as at the first open). Returns "" or why not. Message/control
    thread; returns quickly when the device is not there (JACK: no server). */
std::string reopenAudioDevice (juce::AudioDeviceManager& manager, const DeviceSnapshot& snapshot);

/** Why an open device stopped without being asked to, in words: "JACK server stopped",
    "ALSA device \"hw:0\" stopped", or `error` when the device reported one. */
std::string describeDeviceLoss (const std::string& type, const std::string& name, const std::string& error);

/** "JACK: cuegrid, 48000 Hz, 128 frames" for the open device, or "no audio device". */
std::string describeAudioDevice (juce::AudioDeviceManager& manager);

} // namespace cuegrid
