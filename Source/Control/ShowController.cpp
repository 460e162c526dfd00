// CueGrid — GPL-3.0-or-later
#include "ShowController.h"

#include "Engine/DeviceSetup.h"
#include "Session/ClipPlayback.h"
#include "Session/Limits.h"
#include "Session/OutputGuard.h"
#include "Session/SessionManifest.h"
#include "Session/ShowScript.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <unordered_map>
#include <utility>

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

    nlohmann::ordered_json describeRouting (const RoutingSettings& routing)
    {
        nlohmann::ordered_json line;
        line["event"] = "routing";
        line["master"] = routing.master;
        line["audition"] = routing.audition;
        nlohmann::ordered_json groups = nlohmann::ordered_json::object();
        for (int group = 0; group < groupCount; ++group)
            if (const auto& pair = routing.groups[(size_t) group])
                groups[std::string (1, groupLetter (group))] = *pair;
        line["groups"] = groups;
        return line;
    }
}

ShowController::ShowController (juce::AudioDeviceManager& deviceManager)
    : devices (deviceManager), engine (std::make_unique<Engine>()), callback (*engine)
{
}

ShowController::~ShowController()
{
    devices.removeAudioCallback (&callback);
    // A log that never caught up is not left unexplained.
    if (eventLog != nullptr && eventLog->isFailing())
        notice ("event log " + eventLog->getPath() + ": " + std::to_string (eventLog->getDroppedLines())
                + " line(s) were not written (" + eventLog->getLastError() + ")");
}

std::string ShowController::openDefault()
{
    devices.removeAudioCallback (&callback);
    // As many outputs as the session's routing names (a device with fewer opens what it has;
    // a pair it lacks falls back to the master).
    auto error = openAudioDevice (devices, { deviceType, {}, loaded.session.sampleRate, 0, channelsFor (loaded.session.routing) });  // fast while absent
    // Registered even without a device: a device chosen later in Audio Settings then
    // starts the engine too (audioDeviceAboutToStart prepares it at the device's rate).
    devices.addAudioCallback (&callback);
    return error;
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

void ShowController::loadSession (const std::string& path)
{
    loadSession (path, SessionManifest::load (path));  // throws before anything changes
}

void ShowController::loadSession (const std::string& path, Session session)
{
    stopAll();
    const auto rate = isAudioRunning() ? engine->getSampleRate() : session.sampleRate;
    for (const auto slot : std::vector<int> (slots.retiredSlots()))
        releasePool.retire (slots.release (slot), engine->getCommandsPosted());
    for (int slot = 0; slot < slots.size(); ++slot)
        releasePool.retire (slots.find (slot)->media.audio, engine->getCommandsPosted());
    loaded = { path, std::move (session), {} };
    loaded.media = loadClipMedia (loaded.session, path, rate);
    for (const auto& warning : loaded.mediaWarnings())
        std::fprintf (stderr, "CueGrid: warning: %s\n", warning.c_str());
    slots.reset (loaded.session, std::move (loaded.media));  // slot i = clip i, as the CLI's
    loaded.media.clear();
    mediaRate = rate;
    postSessionState();
}

void ShowController::setEventLog (const std::string& path)
{
    OutputGuard guard;  // the log may not replace the session, its database or its media
    if (! loaded.path.empty())
        guard.protectSession (loaded.path, loaded.session);
    guard.claimOutput (path, "--event-log");
    eventLog = std::make_unique<LiveEventLog> (path);
}

bool ShowController::isMediaLoading (int clip) const
{
    const auto* slot = slots.find (slots.slotOf (clip));
    return slot != nullptr && slot->loadTicket != 0;
}

bool ShowController::hasMedia (int clip) const
{
    const auto* slot = slots.find (slots.slotOf (clip));
    return slot != nullptr && slot->media.audio != nullptr;
}

std::string ShowController::mediaError (int clip) const
{
    const auto* slot = slots.find (slots.slotOf (clip));
    if (slot != nullptr && slot->loadTicket != 0)
        return "media still loading: " + slot->file;
    return slot != nullptr ? slot->media.error : std::string {};
}

std::string ShowController::mediaWarning (int clip) const
{
    const auto* slot = slots.find (slots.slotOf (clip));
    return slot != nullptr ? slot->media.warning : std::string {};
}

std::string ShowController::clipIdOfSlot (int slot) const
{
    const auto* entry = slots.find (slot);
    return entry != nullptr ? entry->clipId : std::string {};
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

bool ShowController::post (EngineCommand command)
{
    // Without a running device nothing drains the queue: drop rather than fill it. The
    // session keeps fader and mute values; postSessionState() sends them on the next start.
    if (deviceState == DeviceState::lost || ! isAudioRunning())
        return false;
    return engine->post (command);
}

void ShowController::postSessionState()
{
    auto state = sessionStateCommands (loaded.session);
    // The clips' gains and pans by engine slot (after edits a slot is not the clip's index).
    std::vector<double> gains ((size_t) slots.size(), 1.0), pans ((size_t) slots.size(), 0.0);
    for (int slot = 0; slot < slots.size(); ++slot)
        if (const auto* entry = slots.find (slot); ! entry->clipId.empty())
        {
            gains[(size_t) slot] = decibelsToGain ((float) entry->gainDb);  // as a setClipGain of this dB
            pans[(size_t) slot] = entry->pan;
        }
    state.clipGains = std::make_shared<const ClipGainTable> (std::move (gains), std::move (pans));
    routedChannels = getActiveOutputChannels();
    for (auto command : state.commands)
    {
        if (command.type == EngineCommand::Type::setRouting)
            command.routing = deviceRouting();  // the session's channels as the device numbers them
        if (command.type == EngineCommand::Type::setClipGains)
            command.clipGains = state.clipGains.get();
        post (command);
    }
    // The previous table may still be in a pending command: freed off the audio thread.
    releasePool.retire (std::exchange (sessionClipGains, std::move (state.clipGains)), engine->getCommandsPosted());
}

void ShowController::triggerClip (int clip)
{
    if (isMediaLoading (clip))
    {
        refuseTrigger (loaded.session.clips[(size_t) clip].id, "its media is still loading");
        return;
    }
    if (! hasMedia (clip))
        return;
    const auto slot = slots.slotOf (clip);
    const auto& media = *slots.find (slot)->media.audio;
    EngineCommand command;
    command.type = EngineCommand::Type::trigger;
    command.clipSlot = slot;
    command.group = loaded.session.clips[(size_t) clip].group;
    command.audio = &media;
    // The media was decoded at the engine's rate: its frames are the engine's samples.
    command.playback = clipPlayback (loaded.session, clip, media.getSampleRate(), media.getNumFrames());
    if (post (command))
    {
        actionProblem.clear();  // played: an older "not played" no longer applies
        return;
    }
    refuseTrigger (loaded.session.clips[(size_t) clip].id,
                   isAudioRunning() ? std::string ("engine command queue full") : std::string ("no audio device"));
}

void ShowController::refuseTrigger (const std::string& id, const std::string& reason)
{
    actionProblem = "\"" + id + "\" not played: " + reason;
    actionProblemSeconds = nowSeconds();
    writeEventLog ({ { "event", "triggerDropped" }, { "clip", id }, { "reason", reason } });
}

void ShowController::auditionClip (int clip)
{
    if (! hasMedia (clip))
        return;
    const auto slot = slots.slotOf (clip);
    const auto& media = *slots.find (slot)->media.audio;
    EngineCommand command;
    command.type = EngineCommand::Type::audition;
    command.clipSlot = slot;
    command.group = auditionGroup;
    command.audio = &media;
    command.playback = clipPlayback (loaded.session, clip, media.getSampleRate(), media.getNumFrames());
    post (command);
}

void ShowController::stopClip (int clip, bool withFade)
{
    if (slots.slotOf (clip) < 0)
        return;
    EngineCommand command;
    command.type = EngineCommand::Type::stop;
    command.clipSlot = slots.slotOf (clip);
    command.fadeSamples = withFade ? -1 : 0;  // -1: the clip's fadeOut; 0: the 1 ms protection fade
    post (command);
}

bool ShowController::postClipVoice (EngineCommand::Type type, int clip)
{
    if (slots.slotOf (clip) < 0)
        return false;
    EngineCommand command;
    command.type = type;
    command.clipSlot = slots.slotOf (clip);
    return post (command);
}

void ShowController::pauseClip (int clip) { postClipVoice (EngineCommand::Type::pause, clip); }
void ShowController::resumeClip (int clip) { postClipVoice (EngineCommand::Type::resume, clip); }
void ShowController::togglePauseClip (int clip) { postClipVoice (EngineCommand::Type::togglePause, clip); }

void ShowController::postCommand (EngineCommand::Type type)
{
    EngineCommand command;
    command.type = type;
    post (command);
}

void ShowController::stopAll() { postCommand (EngineCommand::Type::stopAll); }
void ShowController::pauseAll() { postCommand (EngineCommand::Type::pauseAll); }
void ShowController::resumeAll() { postCommand (EngineCommand::Type::resumeAll); }
void ShowController::stopAudition() { postCommand (EngineCommand::Type::stopAudition); }

void ShowController::fadeAll (double fadeMs, FadeCurve curve)
{
    EngineCommand command;
    command.type = EngineCommand::Type::fadeAll;
    command.fadeSamples = millisecondsToSamples (std::max (0.0, fadeMs), engine->getSampleRate());
    command.curve = curve;
    post (command);
}

void ShowController::panic()
{
    EngineCommand command;
    command.type = EngineCommand::Type::panic;
    if (! post (command) && isAudioRunning() && deviceState != DeviceState::lost)
    {
        // A full queue is the one case a panic cannot pass: say so, loudly.
        actionProblem = "PANIC not sent: engine command queue full";
        actionProblemSeconds = nowSeconds();
        notice (actionProblem);
    }
}

void ShowController::setMasterGain (double decibels)
{
    decibels = std::clamp (decibels, limits::minGainDb, limits::maxGainDb);
    loaded.session.master.gainDb = decibels;
    EngineCommand command;
    command.type = EngineCommand::Type::setMasterGain;
    command.value = (float) decibels;
    command.rampSamples = (int) (0.02 * engine->getSampleRate());  // 20 ms: no zipper noise from the fader
    post (command);
}

void ShowController::setRouting (const RoutingSettings& routing)
{
    loaded.session.routing = routing;
    routedChannels = getActiveOutputChannels();
    EngineCommand command;
    command.type = EngineCommand::Type::setRouting;
    command.routing = deviceRouting();
    post (command);
    writeEventLog (describeRouting (routing));
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

void ShowController::setGroupGain (int group, double decibels)
{
    loaded.session.groups[(size_t) group].gainDb = decibels;
    EngineCommand command;
    command.type = EngineCommand::Type::setGroupGain;
    command.group = group;
    command.value = (float) decibels;
    command.rampSamples = (int) (0.02 * engine->getSampleRate());  // 20 ms: no zipper noise from the fader
    post (command);
}

void ShowController::setGroupMute (int group, bool muted)
{
    loaded.session.groups[(size_t) group].muted = muted;
    EngineCommand command;
    command.type = EngineCommand::Type::setGroupMute;
    command.group = group;
    command.value = muted ? 1.0f : 0.0f;
    post (command);
}

void ShowController::reloadMediaIfRateChanged()
{
    const auto rate = engine->getSampleRate();
    if (rate == mediaRate || loaded.path.empty())
        return;
    // The engine was prepared afresh: no voice is left, so retired slots are free now.
    for (const auto slot : std::vector<int> (slots.retiredSlots()))
        releasePool.retire (slots.release (slot), engine->getCommandsPosted());
    auto media = loadClipMedia (loaded.session, loaded.path, rate);
    for (size_t clip = 0; clip < media.size(); ++clip)
        if (auto* slot = slots.find (slots.slotOf ((int) clip)))
        {
            releasePool.retire (slot->media.audio, engine->getCommandsPosted());
            slot->media = std::move (media[clip]);
            slot->loadTicket = 0;  // a background decode at the old rate is dropped
        }
    mediaRate = rate;
}

void ShowController::update()
{
    try
    {
        if (const auto preparations = callback.getPreparationCount(); preparations != seenPreparations)
        {
            // The device (re)started: the engine is fresh at the device's rate. A lost device
            // reopened from Audio Settings is marked restored first, or post() would refuse
            // the session state (faders, mutes, clip gains) as sent to a lost device.
            if (deviceState == DeviceState::lost)
                followDevice();
            seenPreparations = preparations;
            reloadMediaIfRateChanged();
            postSessionState();
        }

        EngineEvent event;
        while (engine->popEvent (event))
        {
            if (event.type == EngineEvent::Type::meter)
            {
                for (size_t i = 0; i < meterPeaks.size(); ++i)
                    meterPeaks[i] = std::max (meterPeaks[i], event.peaks[i]);
                meterGainReduction = std::max (meterGainReduction, event.gainReductionDb);
            }
            else
                logEvent (event);
        }
        if (deviceState != DeviceState::lost)
            voiceStatus = engine->getVoiceStatus();

        // JACK enables exactly the ports that are connected: a connection made or undone
        // outside the app renumbers the engine's channels.
        if (deviceState == DeviceState::running && getActiveOutputChannels() != routedChannels)
        {
            routedChannels = getActiveOutputChannels();
            EngineCommand routing;
            routing.type = EngineCommand::Type::setRouting;
            routing.routing = deviceRouting();
            post (routing);
        }

        followDevice();

        if (auto* device = devices.getCurrentAudioDevice(); device != nullptr && deviceState == DeviceState::running)
        {
            const auto deviceXruns = device->getXRunCount();
            if (deviceXruns > lastDeviceXruns)
            {
                xruns += deviceXruns - lastDeviceXruns;
                writeEventLog (describeXrun (xruns, voiceStatus.samplePosition, engine->getSampleRate()));
            }
            lastDeviceXruns = deviceXruns;
        }
        takeLoadedMedia();
        releaseRetiredSlots();
        releasePool.collect (engine->getCommandsReceived());

        if (eventLog)
        {
            eventLog->retryIfDue();
            if (const auto report = eventLog->takeReport(); ! report.empty())
                notice (report);
        }
    }
    catch (const std::exception& error)
    {
        // Nothing may throw through the UI's timer (JUCE would terminate the app mid-show).
        notice (std::string ("unexpected error (the show goes on): ") + error.what());
    }
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

void ShowController::notice (const std::string& text)
{
    std::fprintf (stderr, "CueGrid: %s\n", text.c_str());
    std::fflush (stderr);
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

std::string ShowController::getWriteProblem() const
{
    return eventLog ? eventLog->getProblem() : std::string();
}

std::string ShowController::getActionProblem() const
{
    if (actionProblem.empty() || nowSeconds() - actionProblemSeconds > 5.0)
        return {};
    return actionProblem;
}

void ShowController::logEvent (const EngineEvent& event)
{
    if (event.type == EngineEvent::Type::overload)
        ++xruns;
    if (event.voice >= 0 && (size_t) event.voice < fadeLengths.size())
    {
        if (event.type == EngineEvent::Type::voiceFading)
            fadeLengths[(size_t) event.voice] = event.length;
        else if (event.type == EngineEvent::Type::voiceStarted)
            fadeLengths[(size_t) event.voice] = 0;
    }
    if (! eventLog)
        return;
    if (auto line = describeEvent (event, loaded.session, engine->getSampleRate()); ! line.is_null())
    {
        // The event names a slot; the clip in it (a removed clip still sounding keeps its id).
        if (line.contains ("clip"))
        {
            const auto id = clipIdOfSlot (event.clipSlot);
            line["clip"] = id.empty() ? nlohmann::ordered_json (nullptr) : nlohmann::ordered_json (id);
        }
        eventLog->write (line);  // never throws
    }
}

void ShowController::setClipLevels (int clip, double gainDb, double levelTrimDb)
{
    if (clip < 0 || clip >= (int) loaded.session.clips.size())
        return;
    auto& definition = loaded.session.clips[(size_t) clip];
    // Computed values (e.g. +105 dB of analysis gain for a -120 dBFS file) are clamped to what
    // the manifest accepts, so a saved session always loads again.
    gainDb = std::clamp (gainDb, limits::minGainDb, limits::maxGainDb);
    levelTrimDb = std::clamp (levelTrimDb, limits::minGainDb, limits::maxGainDb);
    definition.gainDb = gainDb;
    definition.levelTrimDb = levelTrimDb;
    if (auto* slot = slots.find (slots.slotOf (clip)))
    {
        slot->gainDb = definition.playbackGainDb();
        EngineCommand command;
        command.type = EngineCommand::Type::setClipGain;
        command.clipSlot = slots.slotOf (clip);
        command.value = (float) definition.playbackGainDb();
        post (command);
    }
    writeEventLog ({ { "event", "clipLevels" }, { "clip", definition.id }, { "gainDb", gainDb }, { "levelTrimDb", levelTrimDb } });
}

void ShowController::sessionEdited (const SessionEditor::Change& change)
{
    if (change.clipListChanged)
    {
        clipListEdited();
        return;
    }
    if (! change.levelsChanged)
        return;
    const auto ramp = (int32_t) std::lround (0.02 * engine->getSampleRate());
    for (const auto& id : change.clips)
    {
        const auto clip = loaded.session.findClip (id);
        if (clip < 0)
            continue;
        const auto& definition = loaded.session.clips[(size_t) clip];
        sendClipLevels (slots.slotOf (clip), definition, ramp);
        writeEventLog ({ { "event", "clipLevels" }, { "clip", definition.id }, { "gainDb", definition.gainDb },
                         { "levelTrimDb", definition.levelTrimDb }, { "pan", definition.pan } });
    }
}

void ShowController::sendClipLevels (int slot, const ClipDefinition& clip, int32_t rampSamples)
{
    auto* entry = slots.find (slot);
    if (entry == nullptr)
        return;
    entry->gainDb = clip.playbackGainDb();
    entry->pan = clip.pan;
    EngineCommand command;
    command.type = EngineCommand::Type::setClipGain;
    command.clipSlot = slot;
    command.value = (float) clip.playbackGainDb();
    command.rampSamples = rampSamples;
    post (command);
    command.type = EngineCommand::Type::setClipPan;
    command.value = (float) clip.pan;
    post (command);
}

void ShowController::clipListEdited()
{
    const auto& clips = loaded.session.clips;
    const auto changes = slots.follow (loaded.session, engine->getCommandsPosted());

    // A clip that came back (undo, paste of a cut) may bring other levels than its slot last
    // had (a copy taken before a gain change): those ramp, like any level edit.
    const auto ramp = (int32_t) std::lround (0.02 * engine->getSampleRate());
    for (const auto slot : changes.reattached)
    {
        const auto& clip = clips[(size_t) slots.clipOf (slot)];
        const auto* entry = slots.find (slot);
        if (entry->gainDb != clip.playbackGainDb() || entry->pan != clip.pan)
            sendClipLevels (slot, clip, ramp);
    }
    auto ahead = std::exchange (decodedAhead, {});  // for this edit only
    if (changes.added.empty())
        return;

    // New slots: no voice plays there, so their levels are set at once.
    for (const auto slot : changes.added)
        sendClipLevels (slot, clips[(size_t) slots.clipOf (slot)], 0);

    // Media: decoded ahead (MediaImporter), or shared with a slot that holds the same file,
    // else decoded.
    std::unordered_map<std::string, MediaLoadResult> loadedFiles (ahead.begin(), ahead.end());
    for (int slot = 0; slot < slots.size(); ++slot)
        if (const auto* entry = slots.find (slot); entry->media.audio != nullptr)
            loadedFiles.emplace (entry->file, entry->media);
    Session toDecode;
    toDecode.sampleRate = loaded.session.sampleRate;
    std::vector<int> decodedSlots;
    for (const auto slot : changes.added)
    {
        auto* entry = slots.find (slot);
        if (const auto found = loadedFiles.find (entry->file); found != loadedFiles.end())
            entry->media = found->second;
        else
        {
            toDecode.clips.push_back (clips[(size_t) slots.clipOf (slot)]);
            decodedSlots.push_back (slot);
        }
    }
    if (toDecode.clips.empty())
        return;
    const auto ticket = mediaQueue.load ({ std::move (toDecode.clips), loaded.path, getMediaRate() });
    loadingSlots[ticket] = decodedSlots;
    for (const auto slot : decodedSlots)
        slots.find (slot)->loadTicket = ticket;
}

void ShowController::takeLoadedMedia()
{
    bool any = false;
    for (auto& finished : mediaQueue.takeFinished())
    {
        const auto found = loadingSlots.find (finished.ticket);
        if (found == loadingSlots.end())
            continue;
        for (size_t i = 0; i < found->second.size() && i < finished.media.size(); ++i)
        {
            // A slot freed, reused or reloaded since holds another ticket: the result is dropped
            // (here, on the message thread; the engine never saw it).
            auto* slot = slots.find (found->second[i]);
            if (slot == nullptr || slot->loadTicket != finished.ticket)
                continue;
            slot->media = std::move (finished.media[i]);
            slot->loadTicket = 0;
            any = true;
        }
        loadingSlots.erase (found);
    }
    if (any && onMediaLoaded)
        onMediaLoaded();
}

bool ShowController::waitForMedia (double timeoutSeconds)
{
    const auto done = mediaQueue.waitUntilIdle (timeoutSeconds);
    takeLoadedMedia();
    return done;
}

void ShowController::releaseRetiredSlots()
{
    // A retired slot is free once the engine has taken every command posted before the clip
    // left (a trigger still queued would start a voice there) and a voice table published
    // after that shows no voice in it. Without a running engine nothing plays.
    const auto running = deviceState != DeviceState::lost && isAudioRunning();
    const auto received = engine->getCommandsReceived();
    for (const auto slot : std::vector<int> (slots.retiredSlots()))
    {
        auto* entry = slots.find (slot);
        if (received < entry->retiredFence)
            continue;
        if (running)
        {
            if (entry->fenceSeenAt < 0)
            {
                entry->fenceSeenAt = engine->getSamplePosition();
                continue;
            }
            if (voiceStatus.samplePosition <= entry->fenceSeenAt)
                continue;
            const auto inUse = std::any_of (voiceStatus.voices.begin(), voiceStatus.voices.end(),
                                            [slot] (const VoiceStatus::Entry& voice) { return voice.clipSlot == slot; });
            if (inUse)
                continue;
        }
        releasePool.retire (slots.release (slot), engine->getCommandsPosted());
    }
}

void ShowController::writeEventLog (const nlohmann::ordered_json& line)
{
    if (eventLog)
        eventLog->write (line);
}

ShowController::ClipState ShowController::getClipState (int clip) const
{
    ClipState state;
    const auto rate = engine->getSampleRate();
    const auto slot = slots.slotOf (clip);
    if (slot < 0)
        return state;
    int chosen = -1;
    for (int i = 0; i < (int) voiceStatus.voices.size(); ++i)
    {
        const auto& voice = voiceStatus.voices[(size_t) i];
        if (voice.clipSlot != slot || voice.cueOut <= voice.cueIn)
            continue;
        if (i >= VoiceStatus::groupVoiceSlots)
        {
            state.auditioning = state.auditioning || ! voice.stopping;
            continue;
        }
        ++state.voices;
        // A sounding voice wins over a fading one; among equals the most recently started
        // (it has played least far).
        if (chosen >= 0)
        {
            const auto& best = voiceStatus.voices[(size_t) chosen];
            if (voice.stopping && ! best.stopping)
                continue;
            if (voice.stopping == best.stopping && voice.played >= best.played)
                continue;
        }
        chosen = i;
    }
    if (chosen < 0)
        return state;

    const auto& voice = voiceStatus.voices[(size_t) chosen];
    state.playing = ! voice.stopping;
    state.fading = voice.stopping;
    state.fadingIn = voice.fadingIn && ! voice.stopping;
    state.paused = voice.paused;
    state.looping = voice.looping;
    state.loopsLeft = voice.loopsLeft;
    state.progress = juce::jlimit (0.0, 1.0, (double) (voice.position - voice.cueIn) / (double) (voice.cueOut - voice.cueIn));
    state.elapsedSec = (double) voice.played / rate;
    state.remainingSec = voice.remaining < 0 ? -1.0 : (double) voice.remaining / rate;
    if (voice.stopping)
    {
        const auto length = fadeLengths[(size_t) chosen] > 0 ? fadeLengths[(size_t) chosen] : (int64_t) engine->getProtectionFadeLength();
        state.fadeLeft = juce::jlimit (0.0, 1.0, (double) std::max<int64_t> (voice.remaining, 0) / (double) std::max<int64_t> (length, 1));
    }
    return state;
}

std::vector<int> ShowController::getActiveClips() const
{
    std::vector<int> clips;
    for (int i = 0; i < VoiceStatus::groupVoiceSlots; ++i)
        if (const auto clip = slots.clipOf (voiceStatus.voices[(size_t) i].clipSlot); clip >= 0)
            clips.push_back (clip);
    std::sort (clips.begin(), clips.end());
    clips.erase (std::unique (clips.begin(), clips.end()), clips.end());
    return clips;
}

int ShowController::getAuditionClip() const
{
    for (int i = VoiceStatus::groupVoiceSlots; i < (int) voiceStatus.voices.size(); ++i)
        if (const auto& voice = voiceStatus.voices[(size_t) i]; voice.clipSlot >= 0 && ! voice.stopping)
            return slots.clipOf (voice.clipSlot);
    return -1;
}

int ShowController::getRetiredVoices() const
{
    int voices = 0;
    for (const auto& voice : voiceStatus.voices)
        if (voice.clipSlot >= 0 && slots.clipOf (voice.clipSlot) < 0 && ! clipIdOfSlot (voice.clipSlot).empty())
            ++voices;
    return voices;
}

int ShowController::getPlayingVoices (int group) const
{
    int playing = 0;
    for (int i = 0; i < VoiceStatus::groupVoiceSlots; ++i)
        if (const auto& voice = voiceStatus.voices[(size_t) i]; voice.clipSlot >= 0 && voice.group == group && ! voice.stopping)
            ++playing;
    return playing;
}

ShowController::MeterReading ShowController::takeMeters()
{
    MeterReading reading;
    if (deviceState == DeviceState::running)
        reading.snapshot = engine->getMeters();
    reading.peaks = meterPeaks;
    reading.gainReductionDb = meterGainReduction;
    meterPeaks.fill (0.0f);
    meterGainReduction = 0.0f;
    return reading;
}

} // namespace cuegrid
