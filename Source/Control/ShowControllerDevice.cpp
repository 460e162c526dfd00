// CueGrid — GPL-3.0-or-later
// ShowController's audio device: opening the default one (and retrying while there is none),
// following it (a restart, a change in Audio Settings), a lost device and its reconnection,
// and the session's routing in the device's channel numbers. Message thread.
#include "ShowController.h"

#include "Engine/DeviceSetup.h"
#include "Session/ClipPlayback.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cuegrid
{

namespace
{
    double nowSeconds() { return juce::Time::getMillisecondCounterHiRes() / 1000.0; }

    /** Output channels the routing uses (the highest 1-based channel it names), at least 2. */
    int channelsFor (const RoutingSettings& routing)
    {
        int channels = 2;
        for (const auto& pair : { routing.master, routing.audition })
            channels = std::max ({ channels, pair[0], pair[1] });
        for (const auto& pair : routing.groups)
            if (pair)
                channels = std::max ({ channels, (*pair)[0], (*pair)[1] });
        return std::min (channels, (int) OutputRouting::maxChannels);
    }
}

std::string ShowController::openDefault()
{
    devices.removeAudioCallback (&callback);
    // The audio thread no longer runs the engine: the LTC input is set now, taken up when the
    // device start prepares the engine. The first inputs are enabled, so input N is engine input N-1.
    engine->getTimecode().setLtcInput (ltcInputChannel - 1, ltcInputLatency);
    // As many outputs as the session's routing names (a device with fewer opens what it has;
    // a pair it lacks falls back to the master); inputs up to Record A/B's and the LTC channel.
    auto error = openAudioDevice (devices, { deviceType, {}, loaded.session.sampleRate, 0, channelsFor (loaded.session.routing),
                                             std::max (recordInputChannels (recordInputs (loaded.session.routing)), ltcInputChannel) });  // fast while absent
    // Registered even without a device: a device chosen later in Audio Settings then
    // starts the engine too (audioDeviceAboutToStart prepares it at the device's rate).
    devices.addAudioCallback (&callback);
    return error;
}

std::string ShowController::setLtcInputChannel (int channelFrom1)
{
    channelFrom1 = std::max (0, channelFrom1);
    if (channelFrom1 == ltcInputChannel)
        return {};
    ltcInputChannel = channelFrom1;
    if (devices.getCurrentAudioDevice() == nullptr)
        return {};   // taken up when the device opens
    deviceProblem = openDefault();
    return deviceProblem;
}

std::string ShowController::setLtcInputLatency (int64_t samplesOrAuto)
{
    samplesOrAuto = samplesOrAuto < 0 ? EngineTimecode::autoLatency : samplesOrAuto;
    if (samplesOrAuto == ltcInputLatency)
        return {};
    ltcInputLatency = samplesOrAuto;
    if (devices.getCurrentAudioDevice() == nullptr || ltcInputChannel <= 0)
        return {};   // taken up when the device opens with an LTC input
    deviceProblem = openDefault();
    return deviceProblem;
}

void ShowController::logLtcInput()
{
    auto& timecode = engine->getTimecode();
    if (timecode.getLtcInputChannel() < 0)
        return;
    // What the LTC positions are moved back by, and where that number came from: JUCE's JACK
    // device reports the capture latency even for a client connected straight in (docs/clock.md).
    writeEventLog ({ { "event", "ltcInput" }, { "channel", timecode.getLtcInputChannel() + 1 },
                     { "latencySamples", timecode.getLtcInputLatency() },
                     { "latencyFrom", timecode.isLtcLatencyAuto() ? "device" : "preference" },
                     { "deviceReportsSamples", timecode.getDeviceInputLatency() },
                     // The output side is not compensated: a trigger is heard this much after its sample.
                     { "engineLatencySamples", engine->getLatency() } });
}

std::string ShowController::openDefaultDevice (const std::string& type)
{
    deviceType = type;
    deviceProblem = openDefault();
    deviceState = DeviceState::none;
    waitingForFirstDevice = ! deviceProblem.empty();
    firstDeviceAttempts = 0;
    firstDeviceError = deviceProblem;
    lastReconnectSeconds = nowSeconds();
    if (waitingForFirstDevice)
        deviceProblem += " \u2014 trying again every 2 s";
    update();
    return firstDeviceError;
}

void ShowController::tryFirstDevice()
{
    if (nowSeconds() - lastReconnectSeconds < firstDeviceIntervalSeconds)
        return;
    lastReconnectSeconds = nowSeconds();
    ++firstDeviceAttempts;
    auto error = openDefault();
    if (error.empty())
        return;  // the next update() sees it running
    if (error != firstDeviceError)
        notice ("still no audio device: " + error);  // once per different reason
    firstDeviceError = std::move (error);
    deviceProblem = firstDeviceError + " \u2014 trying again every 2 s (attempt " + std::to_string (firstDeviceAttempts) + ")";
}

bool ShowController::isAudioRunning() const
{
    auto* device = devices.getCurrentAudioDevice();
    return device != nullptr && device->isOpen() && device->isPlaying();
}

std::string ShowController::getDeviceDescription() const
{
    return describeAudioDevice (devices);
}

OutputRouting ShowController::deviceRouting() const
{
    auto* device = devices.getCurrentAudioDevice();
    return device != nullptr ? routingForDevice (loaded.session.routing, device->getActiveOutputChannels())
                             : outputRouting (loaded.session.routing);
}

OutputRouting ShowController::routingForDevice (const RoutingSettings& settings, const juce::BigInteger& enabled)
{
    auto routing = outputRouting (settings);
    auto remap = [&] (int16_t& channel)
    {
        if (channel < 0)
            return;  // a group that feeds the master
        if (! enabled[channel])
        {
            channel = std::numeric_limits<int16_t>::max();
            return;
        }
        int16_t index = 0;
        for (int below = 0; below < channel; ++below)
            index = (int16_t) (index + (enabled[below] ? 1 : 0));
        channel = index;
    };
    remap (routing.masterLeft);
    remap (routing.masterRight);
    remap (routing.auditionLeft);
    remap (routing.auditionRight);
    for (int group = 0; group < groupCount; ++group)
    {
        remap (routing.groupLeft[group]);
        remap (routing.groupRight[group]);
    }
    return routing;
}

juce::StringArray ShowController::getOutputChannelNames() const
{
    auto* device = devices.getCurrentAudioDevice();
    return device != nullptr ? device->getOutputChannelNames() : juce::StringArray();
}

juce::BigInteger ShowController::getActiveOutputChannels() const
{
    auto* device = devices.getCurrentAudioDevice();
    return device != nullptr ? device->getActiveOutputChannels() : juce::BigInteger();
}

void ShowController::followDevice()
{
    auto* device = devices.getCurrentAudioDevice();
    const auto running = device != nullptr && device->isOpen() && device->isPlaying();
    auto deviceError = callback.takeDeviceError();

    if (deviceState == DeviceState::lost)
    {
        if (running)  // reopened by the operator (Audio Settings) or by us below
        {
            deviceState = DeviceState::running;
            runningDevice = snapshotAudioDevice (devices);
            snapshotPreparations = callback.getPreparationCount();
            lastDeviceXruns = device->getXRunCount();
            const auto down = nowSeconds() - lostAtSeconds;
            actionProblem.clear();
            if (unreceivedAtLoss)
            {
                // A click posted in the last moments before the loss still sits in the queue
                // and would fire now, long after the operator made it: stop it at once.
                EngineCommand stop;
                stop.type = EngineCommand::Type::stopAll;
                stop.sampleTime = 1;  // after the stale commands at the new timeline's start
                engine->post (stop);
                unreceivedAtLoss = false;
            }
            writeEventLog ({ { "event", "deviceRestored" }, { "device", describeAudioDevice (devices) },
                             { "downSec", std::round (down * 10.0) / 10.0 }, { "attempts", reconnectAttempts },
                             { "longestAttemptMs", std::lround (longestAttemptSeconds * 1000.0) } });
            notice ("audio device back: " + describeAudioDevice (devices) + " (after "
                    + juce::String (down, 1).toStdString() + " s)");
            return;
        }
        // The operator chose otherwise in Audio Settings (no device, or another type): respect
        // it. (Our own attempts keep the type and the setup's device name.)
        if (devices.getCurrentAudioDeviceType() != juce::String (runningDevice.type)
            || devices.getAudioDeviceSetup().outputDeviceName.isEmpty())
        {
            deviceState = DeviceState::none;
            deviceProblem = "the lost device is no longer reconnected: another choice was made in Audio Settings";
            writeEventLog ({ { "event", "deviceReconnectStopped" }, { "reason", "Audio Settings" } });
            notice (deviceProblem);
            return;
        }
        if (nowSeconds() - lastReconnectSeconds < reconnectIntervalSeconds)
            return;
        lastReconnectSeconds = nowSeconds();
        ++reconnectAttempts;
        // Fast when the device is absent (JACK: connecting to a missing server fails at once).
        auto error = reopenAudioDevice (devices, runningDevice);
        longestAttemptSeconds = std::max (longestAttemptSeconds, nowSeconds() - lastReconnectSeconds);
        if (! error.empty() && error != lastReconnectError)
            notice ("reconnecting: " + error);  // once per different reason, not every second
        lastReconnectError = std::move (error);
        if (lastReconnectError.empty())
            followDevice();
        return;
    }

    if (waitingForFirstDevice)
    {
        if (! running)
        {
            tryFirstDevice();
            return;
        }
        waitingForFirstDevice = false;
        deviceProblem.clear();
        writeEventLog ({ { "event", "deviceOpened" }, { "device", describeAudioDevice (devices) }, { "attempts", firstDeviceAttempts } });
        notice ("audio device found: " + describeAudioDevice (devices));
    }

    if (running && deviceError.empty())
    {
        if (deviceState != DeviceState::running || callback.getPreparationCount() != snapshotPreparations)
        {
            // Also after the operator picked another device in Audio Settings.
            runningDevice = snapshotAudioDevice (devices);
            snapshotPreparations = callback.getPreparationCount();
        }
        if (deviceState != DeviceState::running)
            lastDeviceXruns = device->getXRunCount();
        deviceState = DeviceState::running;
        return;
    }
    if (deviceState != DeviceState::running)
        return;
    if (device == nullptr && deviceError.empty())
    {
        // Closed on purpose (Audio Settings: none): nothing to reconnect.
        deviceState = DeviceState::none;
        deviceProblem = "closed in Audio Settings";
        voiceStatus = {};
        return;
    }
    deviceWasLost (describeDeviceLoss (runningDevice.type, runningDevice.setup.outputDeviceName.toStdString(), deviceError));
}

void ShowController::deviceWasLost (const std::string& reason)
{
    deviceState = DeviceState::lost;
    lostReason = reason;
    lostAtSeconds = lastReconnectSeconds = nowSeconds();
    reconnectAttempts = 0;
    longestAttemptSeconds = 0.0;
    lastReconnectError.clear();
    unreceivedAtLoss = engine->getCommandsReceived() < engine->getCommandsPosted();

    // The callback no longer runs, so nothing plays: every voice is over. The engine itself
    // is reset by prepare() when a device starts again (before its first callback).
    const auto rate = engine->getSampleRate();
    nlohmann::ordered_json stopped = nlohmann::ordered_json::array();
    // Fading voices too (a FADE ALL takes a second) and the audition voice: each one ends here.
    for (int i = 0; i < (int) voiceStatus.voices.size(); ++i)
    {
        const auto& voice = voiceStatus.voices[(size_t) i];
        if (voice.clipSlot < 0)
            continue;
        nlohmann::ordered_json line;
        line["event"] = "voiceEnd";
        line["sample"] = voiceStatus.samplePosition;
        line["timeSec"] = rate > 0 ? (double) voiceStatus.samplePosition / rate : 0.0;
        const auto id = clipIdOfSlot (voice.clipSlot);
        line["clip"] = id.empty() ? nlohmann::ordered_json (nullptr) : nlohmann::ordered_json (id);
        line["group"] = voice.group == auditionGroup ? nlohmann::ordered_json ("Audition")
                        : voice.group >= 0 && voice.group < groupCount ? nlohmann::ordered_json (std::string (1, groupLetter (voice.group)))
                                                                       : nlohmann::ordered_json (nullptr);
        line["voice"] = i;
        line["reason"] = "deviceLost";
        line["playedFrames"] = voice.played;
        writeEventLog (line);
        stopped.push_back (line["clip"]);
    }
    nlohmann::ordered_json line;
    line["event"] = "deviceLost";
    line["sample"] = voiceStatus.samplePosition;
    line["timeSec"] = rate > 0 ? (double) voiceStatus.samplePosition / rate : 0.0;
    line["device"] = runningDevice.type + ": " + runningDevice.setup.outputDeviceName.toStdString();
    line["reason"] = reason;
    line["stoppedClips"] = stopped;
    writeEventLog (line);
    voiceStatus = {};
    meterPeaks.fill (0.0f);
    meterGainReduction = 0.0f;
    notice ("audio device lost: " + reason + " (" + std::to_string (stopped.size())
            + " clip(s) stopped); reconnecting every second");
}

std::string ShowController::getDeviceProblem() const
{
    if (deviceState != DeviceState::lost)
        return deviceProblem;
    std::string text = "Audio device lost: " + lostReason + " \u2014 reconnecting\u2026";
    if (reconnectAttempts > 0)
        text += " (attempt " + std::to_string (reconnectAttempts) + ")";
    return text;
}
} // namespace cuegrid
