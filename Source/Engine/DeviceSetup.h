// CueGrid — GPL-3.0-or-later
#pragma once

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
};

/** Opens an output device on `manager` for a CueGrid engine (0 inputs for now). Returns an
    empty string on success, otherwise what failed, naming type and device. Message/control
    thread. Without any sound card or JACK server this fails with a clear message, not a crash. */
std::string openAudioDevice (juce::AudioDeviceManager& manager, const DeviceRequest& request);

/** "JACK: cuegrid, 48000 Hz, 128 frames" for the open device, or "no audio device". */
std::string describeAudioDevice (juce::AudioDeviceManager& manager);

} // namespace cuegrid
