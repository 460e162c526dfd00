// CueGrid — GPL-3.0-or-later
#include "ShowController.h"

#include "Engine/DeviceSetup.h"
#include "Session/SessionManifest.h"
#include "Session/ShowScript.h"

#include <algorithm>

namespace cuegrid
{

ShowController::ShowController (juce::AudioDeviceManager& deviceManager)
    : devices (deviceManager), engine (std::make_unique<Engine>()), callback (*engine)
{
}

ShowController::~ShowController()
{
    devices.removeAudioCallback (&callback);
}

std::string ShowController::openDefaultDevice()
{
    devices.removeAudioCallback (&callback);
    deviceProblem = openAudioDevice (devices, { {}, {}, loaded.session.sampleRate, 0, 2 });
    // Registered even without a device: a device chosen later in Audio Settings then
    // starts the engine too (audioDeviceAboutToStart prepares it at the device's rate).
    devices.addAudioCallback (&callback);
    update();
    return deviceProblem;
}

void ShowController::loadSession (const std::string& path)
{
    auto session = SessionManifest::load (path);  // throws before anything changes
    stopAll();
    const auto rate = isAudioRunning() ? engine->getSampleRate() : session.sampleRate;
    for (const auto& media : loaded.media)
        releasePool.retire (media.audio, engine->getCommandsPosted());
    loaded = { path, std::move (session), {} };
    loaded.media = loadClipMedia (loaded.session, path, rate);
    mediaRate = rate;
    postSessionState();
}

void ShowController::setEventLog (const std::string& path)
{
    eventLog = std::make_unique<EventLogWriter> (path);
}

bool ShowController::hasMedia (int clip) const
{
    return clip >= 0 && (size_t) clip < loaded.media.size() && loaded.media[(size_t) clip].audio != nullptr;
}

std::string ShowController::mediaError (int clip) const
{
    return clip >= 0 && (size_t) clip < loaded.media.size() ? loaded.media[(size_t) clip].error : std::string {};
}

bool ShowController::isAudioRunning() const
{
    return devices.getCurrentAudioDevice() != nullptr && devices.getCurrentAudioDevice()->isPlaying();
}

std::string ShowController::getDeviceDescription() const
{
    return describeAudioDevice (devices);
}

void ShowController::post (EngineCommand command)
{
    // Without a running device nothing drains the queue: drop rather than fill it.
    if (isAudioRunning())
        engine->post (command);
}

void ShowController::postSessionState()
{
    for (const auto& command : sessionStateCommands (loaded.session))
        post (command);
}

void ShowController::toggleClip (int clip)
{
    if (getClipState (clip).playing)
        stopClip (clip);
    else
        triggerClip (clip);
}

void ShowController::triggerClip (int clip)
{
    if (! hasMedia (clip))
        return;
    EngineCommand command;
    command.type = EngineCommand::Type::trigger;
    command.clipSlot = clip;
    command.group = loaded.session.clips[(size_t) clip].group;
    command.audio = loaded.media[(size_t) clip].audio.get();
    post (command);
}

void ShowController::stopClip (int clip)
{
    EngineCommand command;
    command.type = EngineCommand::Type::stop;
    command.clipSlot = clip;
    post (command);
}

void ShowController::stopAll()
{
    EngineCommand command;
    command.type = EngineCommand::Type::stopAll;
    post (command);
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
    for (const auto& media : loaded.media)
        releasePool.retire (media.audio, engine->getCommandsPosted());
    loaded.media = loadClipMedia (loaded.session, loaded.path, rate);
    mediaRate = rate;
}

void ShowController::update()
{
    if (const auto preparations = callback.getPreparationCount(); preparations != seenPreparations)
    {
        // The device (re)started: the engine is fresh at the device's rate.
        seenPreparations = preparations;
        reloadMediaIfRateChanged();
        postSessionState();
    }

    EngineEvent event;
    while (engine->popEvent (event))
    {
        if (event.type == EngineEvent::Type::meter)
            for (size_t i = 0; i < meterPeaks.size(); ++i)
                meterPeaks[i] = std::max (meterPeaks[i], event.peaks[i]);
        else
            logEvent (event);
    }
    voiceStatus = engine->getVoiceStatus();

    if (auto* device = devices.getCurrentAudioDevice())
    {
        const auto deviceXruns = device->getXRunCount();
        if (deviceXruns > lastDeviceXruns)
        {
            xruns += deviceXruns - lastDeviceXruns;
            if (eventLog)
                eventLog->write (describeXrun (xruns, voiceStatus.samplePosition, engine->getSampleRate()));
        }
        lastDeviceXruns = deviceXruns;
    }
    releasePool.collect (engine->getCommandsReceived());
}

void ShowController::logEvent (const EngineEvent& event)
{
    if (event.type == EngineEvent::Type::overload)
        ++xruns;
    if (! eventLog)
        return;
    if (const auto line = describeEvent (event, loaded.session, engine->getSampleRate()); ! line.is_null())
        eventLog->write (line);
}

void ShowController::setClipLevels (int clip, double gainDb, double levelTrimDb)
{
    if (clip < 0 || clip >= (int) loaded.session.clips.size())
        return;
    auto& definition = loaded.session.clips[(size_t) clip];
    definition.gainDb = gainDb;
    definition.levelTrimDb = levelTrimDb;
    EngineCommand command;
    command.type = EngineCommand::Type::setClipGain;
    command.clipSlot = clip;
    command.value = (float) definition.playbackGainDb();
    post (command);
    writeEventLog ({ { "event", "clipLevels" }, { "clip", definition.id }, { "gainDb", gainDb }, { "levelTrimDb", levelTrimDb } });
}

void ShowController::writeEventLog (const nlohmann::ordered_json& line)
{
    if (eventLog)
        eventLog->write (line);
}

ShowController::ClipState ShowController::getClipState (int clip) const
{
    ClipState state;
    int64_t newest = -1;
    for (int i = 0; i < VoiceStatus::groupVoiceSlots; ++i)
    {
        const auto& voice = voiceStatus.voices[(size_t) i];
        if (voice.clipSlot != clip || voice.stopping || voice.length <= 0)
            continue;
        state.playing = true;
        if (newest < 0 || voice.position < newest)  // the most recently started plays least far
        {
            newest = voice.position;
            state.progress = (double) voice.position / (double) voice.length;
        }
    }
    return state;
}

std::array<float, EngineEvent::meterChannels> ShowController::takeMeterPeaks()
{
    const auto peaks = meterPeaks;
    meterPeaks.fill (0.0f);
    return peaks;
}

} // namespace cuegrid
