// CueGrid — GPL-3.0-or-later
#include "ShowController.h"

#include "Session/TimecodeTriggers.h"

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
    recorder = std::make_unique<RecordingWriter> (std::array<RecordBus*, recordBusCount> { &engine->getRecordBus (0), &engine->getRecordBus (1) });
    recorder->startThread();
}

ShowController::~ShowController()
{
    devices.removeAudioCallback (&callback);
    // The engine outlives the trigger tables this controller owns (members go in reverse order):
    // with the audio stopped it lets go of the installed one first.
    engine->getTimecode().swapTriggers (nullptr);
    // A log that never caught up is not left unexplained.
    if (eventLog != nullptr && eventLog->isFailing())
        notice ("event log " + eventLog->getPath() + ": " + std::to_string (eventLog->getDroppedLines())
                + " line(s) were not written (" + eventLog->getLastError() + ")");
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
    // Installed at once, every clip loading: the media is read in the background, the grid's
    // order first (ShowControllerEdits.cpp). Slot i = clip i, as the CLI's.
    slots.reset (loaded.session, {});
    mediaRate = rate;
    loadAllMedia();
    postSessionState();
    setRecordingTarget();
}

void ShowController::setEventLog (const std::string& path)
{
    OutputGuard guard;  // the log may not replace the session, its database or its media
    if (! loaded.path.empty())
        guard.protectSession (loaded.path, loaded.session);
    guard.claimOutput (path, "--event-log");
    eventLog = std::make_unique<LiveEventLog> (path);
}

bool ShowController::post (EngineCommand command)
{
    // Without a running device nothing drains the queue: drop rather than fill it. The
    // session keeps fader and mute values; postSessionState() sends them on the next start.
    if (deviceState == DeviceState::lost || ! isAudioRunning())
        return false;
    if (command.sampleTime == immediately)
        command.sampleTime = commandTime;
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
        if (command.type == EngineCommand::Type::setRecordInputs)
            command.recordInputs = deviceRecordInputs();
        post (command);
    }
    // The previous table may still be in a pending command: freed off the audio thread.
    releasePool.retire (std::exchange (sessionClipGains, std::move (state.clipGains)), engine->getCommandsPosted());
    postTimecodeTriggers();
}

void ShowController::setChaseKeepsRolling (bool keepRolling)
{
    chaseKeepsRolling = keepRolling;
    postTimecodeTriggers();
}

void ShowController::postTimecodeTriggers()
{
    if (! isAudioRunning())
        return;
    // The session's clips by index, as timecodeTriggers() takes them, then moved to their slots.
    const auto& clips = loaded.session.clips;
    std::vector<ClipAudioPtr> media (clips.size());
    std::vector<int32_t> slotOfClip (clips.size(), -1);
    for (size_t i = 0; i < clips.size(); ++i)
        if (clips[i].timecode)
            if (const auto slot = slots.slotOf ((int) i); slot >= 0)
                if (const auto* entry = slots.find (slot); entry != nullptr && entry->inSession && entry->media.audio != nullptr)
                {
                    media[i] = entry->media.audio;
                    slotOfClip[i] = (int32_t) slot;
                }
    auto triggers = timecodeTriggers (loaded.session, media, engine->getSampleRate());
    for (auto& trigger : triggers)
        trigger.clipSlot = trigger.command.clipSlot = slotOfClip[(size_t) trigger.clipSlot];
    auto table = std::make_shared<const TimecodeTriggerTable> (std::move (triggers), chaseKeepsRolling, std::move (media));
    EngineCommand command;
    command.type = EngineCommand::Type::setTimecodeTriggers;
    command.timecodeTriggers = table.get();
    if (! post (command))
        return;
    releasePool.retire (std::exchange (sessionTimecodeTriggers, std::move (table)), engine->getCommandsPosted());
}

void ShowController::triggerClip (int clip, double offsetSec)
{
    const auto origin = std::exchange (nextOrigin, std::nullopt);
    if (isMediaLoading (clip))
    {
        refuseTrigger (loaded.session.clips[(size_t) clip].id, "its media is still loading");
        return;
    }
    if (! hasMedia (clip))
        return;
    if (retriggerEarlierMedia (clip))
        return;
    const auto slot = slots.slotOf (clip);
    const auto& media = *slots.find (slot)->media.audio;
    EngineCommand command;
    command.type = EngineCommand::Type::trigger;
    command.clipSlot = slot;
    command.group = loaded.session.clips[(size_t) clip].group;
    command.audio = &media;
    // The media was decoded at the engine's rate: its frames are the engine's samples.
    command.playback = clipPlayback (loaded.session, clip, media.getSampleRate(), media.getNumFrames(), offsetSec);
    if (post (command))
    {
        actionProblem.clear();  // played: an older "not played" no longer applies
        if (origin && origin->arrivalMs >= 0.0)
            pendingOrigins[slot].push_back ({ origin->source, origin->arrivalMs, engine->getCommandsPosted() - 1 });
        return;
    }
    refuseTrigger (loaded.session.clips[(size_t) clip].id,
                   isAudioRunning() ? std::string ("engine command queue full") : std::string ("no audio device"));
}

bool ShowController::retriggerEarlierMedia (int clip)
{
    const auto mode = loaded.session.clips[(size_t) clip].retrigger;
    auto clipSlots = slots.slotsOfClip (clip);
    if (mode == RetriggerMode::layer || clipSlots.size() < 2)
        return false;
    clipSlots.erase (clipSlots.begin());   // the engine's retrigger sees the clip's own slot
    bool live = false, paused = false;
    for (int i = 0; i < VoiceStatus::groupVoiceSlots; ++i)
    {
        const auto& voice = voiceStatus.voices[(size_t) i];
        if (voice.stopping || std::find (clipSlots.begin(), clipSlots.end(), voice.clipSlot) == clipSlots.end())
            continue;
        live = true;
        paused = paused || voice.paused;
    }
    if (! live)
        return false;
    switch (mode)
    {
        case RetriggerMode::restart:
            for (const auto slot : clipSlots)
            {
                EngineCommand cut;
                cut.type = EngineCommand::Type::stop;
                cut.clipSlot = slot;
                cut.fadeSamples = 0;   // the 1 ms protection fade, as the engine's restart cuts
                post (cut);
            }
            return false;              // and the new media starts
        case RetriggerMode::stop:
            stopClip (clip);
            return true;
        case RetriggerMode::pause:
            paused ? resumeClip (clip) : pauseClip (clip);
            return true;
        case RetriggerMode::layer:
            break;
    }
    return false;
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
    // Every slot of the clip: a voice still playing its media from before a relink too.
    for (const auto slot : slots.slotsOfClip (clip))
    {
        EngineCommand command;
        command.type = EngineCommand::Type::stop;
        command.clipSlot = slot;
        command.fadeSamples = withFade ? -1 : 0;  // -1: the clip's fadeOut; 0: the 1 ms protection fade
        post (command);
    }
}

bool ShowController::postClipVoice (EngineCommand::Type type, int clip)
{
    const auto clipSlots = slots.slotsOfClip (clip);
    bool posted = ! clipSlots.empty();
    for (const auto slot : clipSlots)
    {
        EngineCommand command;
        command.type = type;
        command.clipSlot = slot;
        posted = post (command) && posted;
    }
    return posted;
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

void ShowController::stopGroup (int group)
{
    EngineCommand command;
    command.type = EngineCommand::Type::stopGroup;
    command.group = group;
    post (command);
}

void ShowController::fadeGroup (int group, double fadeMs, FadeCurve curve)
{
    EngineCommand command;
    command.type = EngineCommand::Type::fadeGroup;
    command.group = group;
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
    EngineCommand inputs;   // Record A/B's input pairs: from the command's sample (a take goes on)
    inputs.type = EngineCommand::Type::setRecordInputs;
    inputs.recordInputs = deviceRecordInputs();
    post (inputs);
    writeEventLog (describeRouting (routing));
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

ShowController::ClipState ShowController::getClipState (int clip) const
{
    ClipState state;
    const auto rate = engine->getSampleRate();
    if (slots.slotOf (clip) < 0)
        return state;
    int chosen = -1;
    for (int i = 0; i < (int) voiceStatus.voices.size(); ++i)
    {
        // Its own slot's voices, and a voice still playing the media it had before a relink.
        const auto& voice = voiceStatus.voices[(size_t) i];
        if (voice.clipSlot < 0 || voice.cueOut <= voice.cueIn || slots.clipOfVoice (voice.clipSlot) != clip)
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
        if (const auto clip = slots.clipOfVoice (voiceStatus.voices[(size_t) i].clipSlot); clip >= 0)
            clips.push_back (clip);
    std::sort (clips.begin(), clips.end());
    clips.erase (std::unique (clips.begin(), clips.end()), clips.end());
    return clips;
}

int ShowController::getAuditionClip() const
{
    for (int i = VoiceStatus::groupVoiceSlots; i < (int) voiceStatus.voices.size(); ++i)
        if (const auto& voice = voiceStatus.voices[(size_t) i]; voice.clipSlot >= 0 && ! voice.stopping)
            return slots.clipOfVoice (voice.clipSlot);
    return -1;
}

int ShowController::getRetiredVoices() const
{
    int voices = 0;
    for (const auto& voice : voiceStatus.voices)
        if (voice.clipSlot >= 0 && slots.clipOfVoice (voice.clipSlot) < 0 && ! clipIdOfSlot (voice.clipSlot).empty())
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
