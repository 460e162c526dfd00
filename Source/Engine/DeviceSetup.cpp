// CueGrid — GPL-3.0-or-later
#include "DeviceSetup.h"

namespace cuegrid
{

std::string openAudioDevice (juce::AudioDeviceManager& manager, const DeviceRequest& request)
{
    manager.closeAudioDevice();
    if (manager.getAvailableDeviceTypes().isEmpty())
        return "no audio device types available";

    juce::StringArray typesToTry;
    if (! request.type.empty())
    {
        bool known = false;
        for (auto* type : manager.getAvailableDeviceTypes())
            known = known || type->getTypeName() == juce::String (request.type);
        if (! known)
            return "unknown device type \"" + request.type + "\" (try: cuegrid devices)";
        typesToTry.add (request.type);
    }
    else
    {
        // JACK first: when a JACK server runs it owns the sound card.
        for (auto name : { "JACK", "ALSA" })
            typesToTry.add (name);
    }

    std::string lastError = "no output device found";
    for (const auto& typeName : typesToTry)
    {
        manager.setCurrentAudioDeviceType (typeName, true);
        auto* type = manager.getCurrentDeviceTypeObject();
        if (type == nullptr || type->getTypeName() != typeName)
            continue;
        type->scanForDevices();
        const auto names = type->getDeviceNames (false);
        if (names.isEmpty())
        {
            lastError = typeName.toStdString() + ": no output devices (is the server running / is there a sound card?)";
            continue;
        }
        juce::String deviceName = request.name.empty() ? names[type->getDefaultDeviceIndex (false)] : juce::String (request.name);
        if (! names.contains (deviceName))
        {
            lastError = typeName.toStdString() + ": no device named \"" + request.name + "\" (have: "
                        + names.joinIntoString (", ").toStdString() + ")";
            continue;
        }

        juce::AudioDeviceManager::AudioDeviceSetup setup;
        setup.outputDeviceName = deviceName;
        // Inputs only when asked for and the same device has them (JACK: input ports; ALSA: the
        // card's capture side): a device without inputs still opens for output.
        // Else the type's default input device (JACK: the capture ports the input ports connect to).
        const auto inputNames = type->getDeviceNames (true);
        const bool withInputs = request.inputChannels > 0 && ! inputNames.isEmpty();
        const auto inputName = inputNames.contains (deviceName) ? deviceName : inputNames[std::max (0, type->getDefaultDeviceIndex (true))];
        setup.inputDeviceName = withInputs ? inputName : juce::String();
        setup.sampleRate = request.sampleRate;
        setup.bufferSize = request.blockSize;
        setup.useDefaultInputChannels = false;
        setup.useDefaultOutputChannels = false;
        setup.inputChannels.clear();
        if (withInputs)
            setup.inputChannels.setRange (0, request.inputChannels, true);
        setup.outputChannels.setRange (0, request.outputChannels, true);
        auto error = manager.setAudioDeviceSetup (setup, true);
        if (withInputs && (error.isNotEmpty() || manager.getCurrentAudioDevice() == nullptr))
        {
            // Inputs that will not open (a capture side in use) never cost the show its outputs.
            setup.inputDeviceName = {};
            setup.inputChannels.clear();
            error = manager.setAudioDeviceSetup (setup, true);
        }
        if (error.isEmpty() && manager.getCurrentAudioDevice() != nullptr)
            return {};
        lastError = typeName.toStdString() + " \"" + deviceName.toStdString() + "\": "
                    + (error.isEmpty() ? std::string ("could not open") : error.toStdString());
    }
    return lastError;
}

RecordInputs recordInputsForDevice (const RecordInputs& wanted, const juce::BigInteger& enabled)
{
    auto engineChannel = [&] (int channel) -> int16_t
    {
        if (channel < 0 || ! enabled[channel])
            return -1;
        return (int16_t) enabled.getBitRange (0, channel).countNumberOfSetBits();
    };
    RecordInputs result;
    for (int bus = 0; bus < 2; ++bus)
    {
        result.left[bus] = engineChannel (wanted.left[bus]);
        result.right[bus] = engineChannel (wanted.right[bus]);
    }
    return result;
}

int recordInputChannels (const RecordInputs& wanted)
{
    int channels = 0;
    for (int bus = 0; bus < 2; ++bus)
        channels = std::max ({ channels, wanted.left[bus] + 1, wanted.right[bus] + 1 });
    return channels;
}

DeviceSnapshot snapshotAudioDevice (juce::AudioDeviceManager& manager)
{
    DeviceSnapshot snapshot;
    if (auto* device = manager.getCurrentAudioDevice())
    {
        snapshot.type = device->getTypeName().toStdString();
        snapshot.setup = manager.getAudioDeviceSetup();
    }
    return snapshot;
}

std::string reopenAudioDevice (juce::AudioDeviceManager& manager, const DeviceSnapshot& snapshot)
{
    if (snapshot.type.empty())
        return "no device to reopen";
    manager.closeAudioDevice();
    manager.setCurrentAudioDeviceType (snapshot.type, true);
    auto* type = manager.getCurrentDeviceTypeObject();
    if (type == nullptr || type->getTypeName() != juce::String (snapshot.type))
        return "device type " + snapshot.type + " is not available";
    type->scanForDevices();
    const auto names = type->getDeviceNames (false);
    // Off the audio thread: reopening runs on the message thread (ShowController's 30 Hz
    // update), with no device callback running; building these strings may allocate.
    if (! names.contains (snapshot.setup.outputDeviceName))
        return snapshot.type + ": \"" + snapshot.setup.outputDeviceName.toStdString() + "\" is not there yet"
               + (snapshot.type == "JACK" ? std::string (" (no JACK server)") : std::string());
    const auto error = manager.setAudioDeviceSetup (snapshot.setup, true);
    if (error.isEmpty() && manager.getCurrentAudioDevice() != nullptr && manager.getCurrentAudioDevice()->isPlaying())
        return {};
    return snapshot.type + " \"" + snapshot.setup.outputDeviceName.toStdString() + "\": "
           + (error.isEmpty() ? std::string ("could not start") : error.toStdString());
}

std::string describeDeviceLoss (const std::string& type, const std::string& name, const std::string& error)
{
    if (! error.empty())
        return error;
    if (type == "JACK")
        return "JACK server stopped";
    return type + " device \"" + name + "\" stopped";
}

std::string describeAudioDevice (juce::AudioDeviceManager& manager)
{
    auto* device = manager.getCurrentAudioDevice();
    if (device == nullptr)
        return "no audio device";
    return (device->getTypeName() + ": " + device->getName() + ", " + juce::String ((int) device->getCurrentSampleRate())
            + " Hz, " + juce::String (device->getCurrentBufferSizeSamples()) + " frames").toStdString();
}

} // namespace cuegrid
