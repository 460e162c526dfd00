// CueGrid — GPL-3.0-or-later
// What each command does to the voices: Engine::execute and the voice operations it uses
// (start, retrigger, choke, solo, stop and fade, cut, pause, resume, Panic). Audio thread.
#include "Engine.h"

#include "ClipGainTable.h"
#include "CommandReferences.h"

#include <algorithm>

namespace cuegrid
{

void Engine::execute (const EngineCommand& command, int64_t time) noexcept
{
    using T = EngineCommand::Type;
    const auto validGroup = command.group >= 0 && command.group < groupCount;
    const auto validSlot = command.clipSlot >= 0 && command.clipSlot < maxClipSlots;
    auto isClipVoice = [&] (const Voice& voice) { return voice.group != auditionGroup && voice.clipSlot == command.clipSlot; };

    switch (command.type)
    {
        case T::trigger:
        case T::audition:
            startVoice (command, time);
            break;

        case T::stop:
            forEachVoice (false, [&] (Voice& voice)
            {
                if (isClipVoice (voice))
                    fadeOut (voice, time, command.fadeSamples >= 0 ? command.fadeSamples : voice.playback.fadeOut,
                             voice.playback.fadeOutCurve, VoiceEndReason::stopped);
            });
            break;

        case T::stopGroup:
        case T::fadeGroup:
            forEachVoice (false, [&] (Voice& voice)
            {
                if (voice.group != command.group)
                    return;
                if (command.type == T::fadeGroup)
                    fadeOut (voice, time, command.fadeSamples, command.curve, VoiceEndReason::stopped);
                else
                    fadeOut (voice, time, voice.playback.fadeOut, voice.playback.fadeOutCurve, VoiceEndReason::stopped);
            });
            break;

        case T::stopAll:
        case T::stopAudition:
            for (auto& voice : auditionVoices)
                if (voice.isActive())
                    fadeOut (voice, time, voice.playback.fadeOut, voice.playback.fadeOutCurve, VoiceEndReason::stopped);
            if (command.type == T::stopAll)
                forEachVoice (false, [&] (Voice& voice)
                              { fadeOut (voice, time, voice.playback.fadeOut, voice.playback.fadeOutCurve, VoiceEndReason::stopped); });
            break;

        case T::fadeAll:
            forEachVoice (true, [&] (Voice& voice) { fadeOut (voice, time, command.fadeSamples, command.curve, VoiceEndReason::stopped); });
            break;

        case T::pause:
        case T::resume:
        case T::togglePause:
        {
            bool anyPaused = false;
            forEachVoice (false, [&] (Voice& voice) { anyPaused = anyPaused || (isClipVoice (voice) && voice.isPausedOrPausing()); });
            const bool resume = command.type == T::resume || (command.type == T::togglePause && anyPaused);
            forEachVoice (false, [&] (Voice& voice)
            {
                if (isClipVoice (voice))
                    resume ? resumeVoice (voice, time) : pauseVoice (voice, time);
            });
            break;
        }

        case T::pauseAll:
            forEachVoice (false, [&] (Voice& voice) { pauseVoice (voice, time); });
            break;

        case T::resumeAll:
            forEachVoice (false, [&] (Voice& voice) { resumeVoice (voice, time); });
            break;

        case T::panic:
            panic (command, time);
            break;

        case T::setClipGain:
            if (validSlot)
                clipGains[(size_t) command.clipSlot].rampTo (decibelsToGain (command.value), time, command.rampSamples);
            break;

        case T::setClipPan:
            if (validSlot)
                clipPans[(size_t) command.clipSlot].rampTo (std::clamp ((double) command.value, -1.0, 1.0), time, command.rampSamples);
            break;

        case T::setClipGains:
            // Bounded by maxClipSlots; once per session load, never per block.
            if (command.clipGains != nullptr)
                for (int slot = 0; slot < std::min (command.clipGains->size(), maxClipSlots); ++slot)
                {
                    clipGains[(size_t) slot].rampTo (command.clipGains->gain (slot), time, 0);
                    clipPans[(size_t) slot].rampTo (command.clipGains->pan (slot), time, 0);
                }
            break;

        case T::setGroupGain:
            if (validGroup)
                groupGains[(size_t) command.group].rampTo (decibelsToGain (command.value), time, command.rampSamples);
            break;

        case T::setGroupMute:
            if (validGroup)
                groupMutes[(size_t) command.group].rampTo (command.value != 0.0f ? 0.0 : 1.0, time, fadeLength);
            break;

        case T::setMasterGain:
            masterGain.rampTo (decibelsToGain (command.value), time, command.rampSamples);
            break;

        case T::setAuditionGain:
            auditionGain.rampTo (decibelsToGain (command.value), time, command.rampSamples);
            break;

        case T::setRouting:
            routing = command.routing;   // which groups feed the master: now, before the delay
            if (pendingRoutings == (int) pendingRoutingTimes.size())
            {
                outputRouting = pendingRoutingValues[0];   // more changes within one latency than slots: the oldest applies now
                for (int i = 1; i < pendingRoutings; ++i)
                {
                    pendingRoutingTimes[(size_t) i - 1] = pendingRoutingTimes[(size_t) i];
                    pendingRoutingValues[(size_t) i - 1] = pendingRoutingValues[(size_t) i];
                }
                --pendingRoutings;
            }
            pendingRoutingTimes[(size_t) pendingRoutings] = time + limiter.getLatency();
            pendingRoutingValues[(size_t) pendingRoutings] = command.routing;
            ++pendingRoutings;
            break;

        case T::setChokeLimit:
            if (validGroup)
                chokeLimits[(size_t) command.group] = std::clamp ((int) command.value, 0, maxChokeLimit);
            break;

        case T::setLimiter:
            limiter.setParameters (command.enabled, command.value);
            break;

        case T::recordStart:
        case T::recordStop:
            recordCommand (command, time);
            break;

        case T::setRecordInputs:
            captureInputs (time);
            recordInputs = command.recordInputs;
            break;

        case T::setTimecodeTriggers:
            break;   // swapped in by receiveCommands, never scheduled
    }
}

void Engine::fadeOut (Voice& voice, int64_t time, int length, FadeCurve curve, VoiceEndReason reason) noexcept
{
    if (voice.isHeld())
    {
        voice.endReason = reason;
        voice.cutTime = time;   // silent already: it ends here
        finishVoice (voice, time);
        return;
    }
    if (voice.isStopping())
        return;   // already fading to its end
    voice.stopTime = time;
    voice.stopLength = length > 0 ? length : fadeLength;
    voice.stopCurve = length > 0 ? curve : FadeCurve::linear;
    voice.endReason = reason;
    emitVoiceEvent (EngineEvent::Type::voiceFading, voice, time, voice.stopLength);
}

void Engine::cut (Voice& voice, int64_t time, VoiceEndReason reason) noexcept
{
    if (voice.isHeld())
    {
        voice.endReason = reason;
        voice.cutTime = time;
        finishVoice (voice, time);
        return;
    }
    if (voice.cutTime >= 0)
        return;
    voice.cutTime = time;
    voice.endReason = reason;
}

void Engine::pauseVoice (Voice& voice, int64_t time) noexcept
{
    if (voice.isStopping())
        return;
    if (voice.pause == Voice::PauseState::playing)
    {
        voice.pause = Voice::PauseState::pausing;
        voice.pauseTime = time;
        emitVoiceEvent (EngineEvent::Type::voicePaused, voice, time);
    }
    else if (voice.resumePending)
    {
        voice.resumePending = false;
        emitVoiceEvent (EngineEvent::Type::voicePaused, voice, time);
    }
}

void Engine::resumeVoice (Voice& voice, int64_t time) noexcept
{
    if (voice.isStopping())
        return;
    if (voice.pause == Voice::PauseState::paused)
    {
        voice.pause = Voice::PauseState::playing;
        voice.resumeTime = time;
        emitVoiceEvent (EngineEvent::Type::voiceResumed, voice, time);
    }
    else if (voice.pause == Voice::PauseState::pausing && ! voice.resumePending)
    {
        voice.resumePending = true;   // the 1 ms pause fade finishes, then it fades back in
        emitVoiceEvent (EngineEvent::Type::voiceResumed, voice, time);
    }
}

void Engine::panic (const EngineCommand& command, int64_t time) noexcept
{
    forEachVoice (true, [&] (Voice& voice) { cut (voice, time, VoiceEndReason::panic); });

    // Every command still queued was posted before this Panic or belongs to a feed (a show
    // script) that started before it: drop them all; live commands posted after it stay.
    panicFence = command.sequence + 1;
    const auto dropped = scheduler.removeIf (
        [&] (const EngineCommand& queued)
        {
            return queued.sequence < command.sequence
                   || (queued.feedStart != EngineCommand::noFeed && queued.feedStart < panicFence);
        },
        [] (const EngineCommand& queued) { releaseReferences (queued); });

    EngineEvent event;
    event.type = EngineEvent::Type::panic;
    event.sampleTime = time;
    event.length = dropped;
    emit (event);
}

bool Engine::handleRetrigger (const EngineCommand& command, int64_t time) noexcept
{
    bool anyPlaying = false;
    forEachVoice (false, [&] (Voice& voice)
                  { anyPlaying = anyPlaying || (voice.clipSlot == command.clipSlot && ! voice.isStopping()); });
    if (! anyPlaying)
        return false;

    switch (command.playback.retrigger)
    {
        case RetriggerMode::restart:
            forEachVoice (false, [&] (Voice& voice)
            {
                if (voice.clipSlot == command.clipSlot && ! voice.isStopping())
                    cut (voice, time, VoiceEndReason::retriggered);
            });
            return false;
        case RetriggerMode::stop:
            forEachVoice (false, [&] (Voice& voice)
            {
                if (voice.clipSlot == command.clipSlot)
                    fadeOut (voice, time, voice.playback.fadeOut, voice.playback.fadeOutCurve, VoiceEndReason::stopped);
            });
            return true;
        case RetriggerMode::pause:
        {
            bool anyPaused = false;
            forEachVoice (false, [&] (Voice& voice)
                          { anyPaused = anyPaused || (voice.clipSlot == command.clipSlot && voice.isPausedOrPausing()); });
            forEachVoice (false, [&] (Voice& voice)
            {
                if (voice.clipSlot == command.clipSlot)
                    anyPaused ? resumeVoice (voice, time) : pauseVoice (voice, time);
            });
            return true;
        }
        case RetriggerMode::layer:
            return false;
    }
    return false;
}

void Engine::startVoice (const EngineCommand& command, int64_t time) noexcept
{
    const bool isAudition = command.type == EngineCommand::Type::audition;
    const bool valid = command.audio != nullptr && command.audio->getNumFrames() > 0
                       && command.audio->getSampleRate() == sampleRate
                       && (isAudition || (command.group >= 0 && command.group < groupCount))
                       && (isAudition ? command.clipSlot < maxClipSlots : (command.clipSlot >= 0 && command.clipSlot < maxClipSlots));
    if (! valid)
    {
        EngineEvent event;
        event.type = EngineEvent::Type::triggerRejected;
        event.clipSlot = command.clipSlot;
        event.group = command.group;
        event.sampleTime = time;
        emit (event);
        return;
    }

    Voice* voice = nullptr;
    if (isAudition)
    {
        // One audition voice: the previous preview is cut, in the second slot.
        for (auto& other : auditionVoices)
            if (other.isActive())
                cut (other, time, VoiceEndReason::retriggered);
        for (int i = 0; i < auditionVoiceSlots && voice == nullptr; ++i)
            if (! auditionVoices[(size_t) i].isActive())
                voice = &auditionVoices[(size_t) i];
        if (voice == nullptr)
        {
            voice = &auditionVoices[0];
            voice->endReason = VoiceEndReason::cut;
            finishVoice (*voice, time);
        }
    }
    else
    {
        if (handleRetrigger (command, time))
            return;

        const auto group = command.group;
        if (command.playback.solo)
            forEachVoice (false, [&] (Voice& other)
            {
                if (other.group == group)
                    fadeOut (other, time, command.playback.soloCrossfade, command.playback.soloCurve, VoiceEndReason::stopped);
            });

        // Choke mode: the group's oldest playing voices give way, FIFO.
        if (const auto limit = chokeLimits[(size_t) group]; limit > 0)
        {
            for (;;)
            {
                int playing = 0;
                Voice* oldest = nullptr;
                forEachVoice (false, [&] (Voice& other)
                {
                    if (other.group != group || other.isStopping())
                        return;
                    ++playing;
                    if (oldest == nullptr || other.startOrder < oldest->startOrder)
                        oldest = &other;
                });
                if (playing < limit || oldest == nullptr)
                    break;
                cut (*oldest, time, VoiceEndReason::choked);
            }
        }
        voice = allocateGroupVoice (time);
    }

    *voice = {};
    voice->start (*command.audio, command.playback, fadeLength);
    if (const auto* chunks = command.audio->getChunks(); chunks != nullptr && command.playback.startFrame != command.playback.cueIn)
        playheads.clearStart (chunks->getMediaId(), command.playback.startFrame);   // its voice's playhead takes over
    voice->clipSlot = command.clipSlot;
    voice->group = isAudition ? auditionGroup : command.group;
    voice->startTime = time;
    voice->startOrder = nextStartOrder++;
    command.audio->audioThreadReferences.fetch_add (1, std::memory_order_relaxed);

    emitVoiceEvent (EngineEvent::Type::voiceStarted, *voice, time, voice->playback.cueOut - voice->playback.cueIn,
                    command.sequence);
}

Voice* Engine::allocateGroupVoice (int64_t time) noexcept
{
    int playing = 0;
    Voice* oldest = nullptr;
    for (auto& voice : groupVoices)
    {
        if (voice.isActive() && ! voice.isStopping())
        {
            ++playing;
            if (oldest == nullptr || voice.startOrder < oldest->startOrder)
                oldest = &voice;
        }
    }
    if (playing >= maxPlayingGroupVoices && oldest != nullptr)
        cut (*oldest, time, VoiceEndReason::stolen);

    for (auto& voice : groupVoices)
        if (! voice.isActive())
            return &voice;

    // Every slot holds a voice or a fade-out tail: end the tail closest to silence.
    Voice* shortest = nullptr;
    for (auto& voice : groupVoices)
        if (voice.isStopping() && (shortest == nullptr
                                   || voice.framesUntilSilent (time, fadeLength) < shortest->framesUntilSilent (time, fadeLength)))
            shortest = &voice;
    if (shortest == nullptr)
        shortest = &groupVoices[0];
    shortest->endReason = VoiceEndReason::cut;
    shortest->cutTime = time;
    finishVoice (*shortest, time);
    return shortest;
}

void Engine::finishVoice (Voice& voice, int64_t time) noexcept
{
    reportUnderrun (voice);
    EngineEvent event;
    event.type = EngineEvent::Type::voiceEnded;
    event.voice = (int16_t) voiceIndex (voice);
    event.clipSlot = voice.clipSlot;
    event.group = voice.group;
    event.sampleTime = time;
    event.length = voice.played;
    event.reason = voice.isStopping() || voice.endReason == VoiceEndReason::cut ? voice.endReason
                                                                                 : VoiceEndReason::finished;
    emit (event);
    voice.audio->audioThreadReferences.fetch_sub (1, std::memory_order_release);
    voice = {};
}

} // namespace cuegrid
