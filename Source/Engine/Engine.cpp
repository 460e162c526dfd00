// CueGrid — GPL-3.0-or-later
#include "Engine.h"

#include "ClipGainTable.h"

#include <juce_audio_basics/juce_audio_basics.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

namespace cuegrid
{

void Engine::StereoBus::clear (int frames) noexcept
{
    juce::FloatVectorOperations::clear (left.data(), frames);
    juce::FloatVectorOperations::clear (right.data(), frames);
}

namespace
{
    /** A scheduled command keeps what it points to alive for the audio thread. */
    void retainReferences (const EngineCommand& command) noexcept
    {
        if (command.audio != nullptr)
            command.audio->audioThreadReferences.fetch_add (1, std::memory_order_relaxed);
        if (command.clipGains != nullptr)
            command.clipGains->audioThreadReferences.fetch_add (1, std::memory_order_relaxed);
    }

    void releaseReferences (const EngineCommand& command) noexcept
    {
        if (command.audio != nullptr)
            command.audio->audioThreadReferences.fetch_sub (1, std::memory_order_release);
        if (command.clipGains != nullptr)
            command.clipGains->audioThreadReferences.fetch_sub (1, std::memory_order_release);
    }
} // namespace

Engine::Engine()
{
    clipGains.resize ((size_t) maxClipSlots);
    prepare (48000.0, 512);
}

void Engine::prepare (double newSampleRate, int maximumBlockSize)
{
    sampleRate = newSampleRate;
    maximumBlock = std::max (1, maximumBlockSize);
    fadeLength = ProtectionFade::lengthForRate (sampleRate);

    for (auto& bus : groupBuses)
        bus.allocate (maximumBlock);
    auditionBus.allocate (maximumBlock);
    masterBus.allocate (maximumBlock);

    // Drop what the old timeline had scheduled or playing, releasing its audio references.
    while (! scheduler.isEmpty())
        releaseReferences (scheduler.pop());
    for (auto* pool : { groupVoices.data(), auditionVoices.data() })
    {
        const auto size = pool == groupVoices.data() ? groupVoiceSlots : auditionVoiceSlots;
        for (int i = 0; i < size; ++i)
            if (pool[i].audio != nullptr)
                pool[i].audio->audioThreadReferences.fetch_sub (1, std::memory_order_release);
    }
    groupVoices.fill ({});
    auditionVoices.fill ({});

    for (auto& gain : clipGains) gain.reset (1.0);
    for (auto& gain : groupGains) gain.reset (1.0);
    for (auto& mute : groupMutes) mute.reset (1.0);
    masterGain.reset (1.0);
    auditionGain.reset (1.0);

    timelinePosition = 0;
    meterPeaks.fill (0.0f);
    meterInterval = meterCountdown = std::max<int64_t> (1, std::llround (0.05 * sampleRate));
    smoothedLoad = 0.0;
    samplePosition.store (0, std::memory_order_release);
    publishStatus();
}

bool Engine::post (EngineCommand command) noexcept
{
    command.sequence = commandsPosted;
    if (! commands.push (command))
        return false;
    ++commandsPosted;
    return true;
}

void Engine::emit (const EngineEvent& event) noexcept
{
    if (! events.push (event))
        eventsDropped.fetch_add (1, std::memory_order_relaxed);
}

void Engine::receiveCommands() noexcept
{
    EngineCommand command;
    uint64_t received = 0;
    while (commands.pop (command))
    {
        ++received;
        retainReferences (command);

        // The heap has the FIFO's capacity, so it only overflows if the control side
        // schedules more than that ahead; the command is then dropped and reported.
        if (! scheduler.push (command))
        {
            releaseReferences (command);
            EngineEvent event;
            event.type = EngineEvent::Type::triggerRejected;
            event.clipSlot = command.clipSlot;
            event.sampleTime = timelinePosition;
            emit (event);
        }
    }
    if (received > 0)
        commandsReceived.fetch_add (received, std::memory_order_release);
}

void Engine::process (float* const* outputs, int numOutputChannels, int numFrames) noexcept
{
    const auto started = std::chrono::steady_clock::now();

    receiveCommands();
    for (int offset = 0; offset < numFrames; offset += maximumBlock)
        processChunk (outputs, numOutputChannels, offset, std::min (maximumBlock, numFrames - offset));

    samplePosition.store (timelinePosition, std::memory_order_release);
    publishStatus();

    if (reportOverloads && numFrames > 0)
    {
        const auto elapsed = std::chrono::duration<double> (std::chrono::steady_clock::now() - started).count();
        const auto deadline = numFrames / sampleRate;
        smoothedLoad += 0.1 * (elapsed / deadline - smoothedLoad);
        load.store ((float) smoothedLoad, std::memory_order_relaxed);
        if (elapsed > deadline)
        {
            EngineEvent event;
            event.type = EngineEvent::Type::overload;
            event.sampleTime = timelinePosition;
            event.lateBy = (int64_t) (elapsed * 1.0e6);
            emit (event);
        }
    }
}

void Engine::processChunk (float* const* outputs, int numOutputChannels, int offset, int numFrames) noexcept
{
    for (auto& bus : groupBuses)
        bus.clear (numFrames);
    auditionBus.clear (numFrames);
    masterBus.clear (numFrames);

    const auto chunkStart = timelinePosition;
    const auto chunkEnd = chunkStart + numFrames;
    auto cursor = chunkStart;

    while (! scheduler.isEmpty() && scheduler.next().sampleTime < chunkEnd)
    {
        const auto command = scheduler.pop();
        const auto time = std::max (command.sampleTime, cursor);
        if (command.sampleTime != immediately && command.sampleTime < chunkStart)
        {
            EngineEvent event;
            event.type = EngineEvent::Type::commandLate;
            event.clipSlot = command.clipSlot;
            event.sampleTime = chunkStart;
            event.lateBy = chunkStart - command.sampleTime;
            emit (event);
        }
        if (time > cursor)
        {
            renderSegment ((int) (cursor - chunkStart), (int) (time - cursor), cursor);
            cursor = time;
        }
        execute (command, time);
        releaseReferences (command);
    }
    if (chunkEnd > cursor)
        renderSegment ((int) (cursor - chunkStart), (int) (chunkEnd - cursor), cursor);

    timelinePosition = chunkEnd;
    updateMeters (numFrames);

    const bool auditionHasOwnOutputs = numOutputChannels >= 4;
    for (int channel = 0; channel < numOutputChannels; ++channel)
    {
        float* out = outputs[channel] + offset;
        if (channel < 2)
        {
            const auto& master = channel == 0 ? masterBus.left : masterBus.right;
            std::copy_n (master.data(), numFrames, out);
            if (! auditionHasOwnOutputs && auditionToMain)
            {
                const auto& audition = channel == 0 ? auditionBus.left : auditionBus.right;
                for (int i = 0; i < numFrames; ++i)
                    out[i] += audition[(size_t) i];
            }
        }
        else if (channel < 4)
        {
            const auto& audition = channel == 2 ? auditionBus.left : auditionBus.right;
            std::copy_n (audition.data(), numFrames, out);
        }
        else
        {
            std::fill_n (out, numFrames, 0.0f);
        }
    }
}

void Engine::renderSegment (int offset, int numFrames, int64_t time) noexcept
{
    auto renderPool = [&] (Voice* pool, int size)
    {
        for (int i = 0; i < size; ++i)
        {
            auto& voice = pool[i];
            if (! voice.isActive())
                continue;
            auto& bus = voice.group == auditionGroup ? auditionBus : groupBuses[(size_t) voice.group];
            const auto& gain = voice.group == auditionGroup ? auditionGain : clipGains[(size_t) voice.clipSlot];
            const auto before = voice.position;
            if (renderVoice (voice, bus.left.data() + offset, bus.right.data() + offset, numFrames, time, gain, fadeLength))
                finishVoice (voice, time + (voice.position - before));
        }
    };
    renderPool (groupVoices.data(), groupVoiceSlots);
    renderPool (auditionVoices.data(), auditionVoiceSlots);

    // Groups → master, each with its fader gain and mute ramp; sample-exact per segment.
    // Steady gains use JUCE's SIMD vector operations; they round exactly like the scalar path.
    using Vector = juce::FloatVectorOperations;
    float* masterLeft = masterBus.left.data() + offset;
    float* masterRight = masterBus.right.data() + offset;
    for (int group = 0; group < groupCount; ++group)
    {
        const auto& gain = groupGains[(size_t) group];
        const auto& mute = groupMutes[(size_t) group];
        float* left = groupBuses[(size_t) group].left.data() + offset;
        float* right = groupBuses[(size_t) group].right.data() + offset;
        if (gain.isSteadyFrom (time) && mute.isSteadyFrom (time))
        {
            const auto g = gain.valueAt (time) * mute.valueAt (time);
            Vector::multiply (left, g, numFrames);
            Vector::multiply (right, g, numFrames);
        }
        else
        {
            for (int i = 0; i < numFrames; ++i)
            {
                const auto g = gain.valueAt (time + i) * mute.valueAt (time + i);
                left[i] *= g;
                right[i] *= g;
            }
        }
        Vector::add (masterLeft, left, numFrames);
        Vector::add (masterRight, right, numFrames);
        accumulatePeak (group * 2, left, numFrames);
        accumulatePeak (group * 2 + 1, right, numFrames);
    }

    if (! masterGain.isSteadyFrom (time))
    {
        for (int i = 0; i < numFrames; ++i)
        {
            const auto g = masterGain.valueAt (time + i);
            masterLeft[i] *= g;
            masterRight[i] *= g;
        }
    }
    else if (const auto g = masterGain.valueAt (time); g != 1.0f)
    {
        for (int i = 0; i < numFrames; ++i)
        {
            masterLeft[i] *= g;
            masterRight[i] *= g;
        }
    }
}

void Engine::accumulatePeak (int meterChannel, const float* samples, int numFrames) noexcept
{
    const auto range = juce::FloatVectorOperations::findMinAndMax (samples, numFrames);
    auto& peak = meterPeaks[(size_t) meterChannel];
    peak = std::max ({ peak, range.getEnd(), -range.getStart() });
}

void Engine::updateMeters (int numFrames) noexcept
{
    // Group peaks were taken in renderSegment(), post-fader; audition and master here.
    accumulatePeak (groupCount * 2, auditionBus.left.data(), numFrames);
    accumulatePeak (groupCount * 2 + 1, auditionBus.right.data(), numFrames);
    accumulatePeak (groupCount * 2 + 2, masterBus.left.data(), numFrames);
    accumulatePeak (groupCount * 2 + 3, masterBus.right.data(), numFrames);

    meterCountdown -= numFrames;
    if (meterCountdown <= 0)
    {
        EngineEvent event;
        event.type = EngineEvent::Type::meter;
        event.sampleTime = timelinePosition;
        std::copy (meterPeaks.begin(), meterPeaks.end(), event.peaks);
        emit (event);
        meterPeaks.fill (0.0f);
        meterCountdown += meterInterval;
    }
}

void Engine::execute (const EngineCommand& command, int64_t time) noexcept
{
    using T = EngineCommand::Type;
    const auto validGroup = command.group >= 0 && command.group < groupCount;
    const auto validSlot = command.clipSlot >= 0 && command.clipSlot < maxClipSlots;

    switch (command.type)
    {
        case T::trigger:
        case T::audition:
            startVoice (command, time);
            break;

        case T::stop:
            for (auto& voice : groupVoices)
                if (voice.isActive() && ! voice.isStopping() && voice.clipSlot == command.clipSlot)
                    beginStop (voice, time, VoiceEndReason::stopped);
            break;

        case T::stopGroup:
            for (auto& voice : groupVoices)
                if (voice.isActive() && ! voice.isStopping() && voice.group == command.group)
                    beginStop (voice, time, VoiceEndReason::stopped);
            break;

        case T::stopAll:
        case T::stopAudition:
            for (auto& voice : auditionVoices)
                if (voice.isActive() && ! voice.isStopping())
                    beginStop (voice, time, VoiceEndReason::stopped);
            if (command.type == T::stopAll)
                for (auto& voice : groupVoices)
                    if (voice.isActive() && ! voice.isStopping())
                        beginStop (voice, time, VoiceEndReason::stopped);
            break;

        case T::setClipGain:
            if (validSlot)
                clipGains[(size_t) command.clipSlot].rampTo (decibelsToGain (command.value), time, command.rampSamples);
            break;

        case T::setClipGains:
            // Bounded by maxClipSlots; once per session load, never per block.
            if (command.clipGains != nullptr)
                for (int slot = 0; slot < std::min (command.clipGains->size(), maxClipSlots); ++slot)
                    clipGains[(size_t) slot].rampTo (command.clipGains->gain (slot), time, 0);
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
    }
}

void Engine::startVoice (const EngineCommand& command, int64_t time) noexcept
{
    const bool isAudition = command.type == EngineCommand::Type::audition;
    const bool valid = command.audio != nullptr && command.audio->getNumFrames() > 0
                       && command.audio->getSampleRate() == sampleRate
                       && (isAudition || (command.group >= 0 && command.group < groupCount))
                       && (isAudition || (command.clipSlot >= 0 && command.clipSlot < maxClipSlots));
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
        // One audition voice: the previous preview fades out in the second slot.
        for (auto& other : auditionVoices)
            if (other.isActive() && ! other.isStopping())
                beginStop (other, time, VoiceEndReason::retriggered);
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
        // A trigger of a playing clip restarts it: the old voice fades out meanwhile.
        for (auto& other : groupVoices)
            if (other.isActive() && ! other.isStopping() && other.clipSlot == command.clipSlot)
                beginStop (other, time, VoiceEndReason::retriggered);
        voice = allocateGroupVoice (time);
    }

    *voice = {};
    voice->audio = command.audio;
    voice->clipSlot = command.clipSlot;
    voice->group = isAudition ? auditionGroup : command.group;
    voice->startTime = time;
    voice->startOrder = nextStartOrder++;
    command.audio->audioThreadReferences.fetch_add (1, std::memory_order_relaxed);

    EngineEvent event;
    event.type = EngineEvent::Type::voiceStarted;
    event.voice = (int16_t) voiceIndex (*voice);
    event.clipSlot = voice->clipSlot;
    event.group = voice->group;
    event.sampleTime = time;
    event.length = command.audio->getNumFrames();
    emit (event);
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
        beginStop (*oldest, time, VoiceEndReason::stolen);

    for (auto& voice : groupVoices)
        if (! voice.isActive())
            return &voice;

    // Every slot holds a voice or a fade-out tail: cut the tail closest to silence.
    Voice* shortest = nullptr;
    for (auto& voice : groupVoices)
        if (voice.isStopping() && (shortest == nullptr
                                   || voice.framesRemaining (time, fadeLength) < shortest->framesRemaining (time, fadeLength)))
            shortest = &voice;
    if (shortest == nullptr)
        shortest = &groupVoices[0];
    shortest->endReason = VoiceEndReason::cut;
    finishVoice (*shortest, time);
    return shortest;
}

void Engine::beginStop (Voice& voice, int64_t time, VoiceEndReason reason) noexcept
{
    voice.stopTime = time;
    voice.endReason = reason;
}

void Engine::finishVoice (Voice& voice, int64_t time) noexcept
{
    const auto index = voiceIndex (voice);
    EngineEvent event;
    event.type = EngineEvent::Type::voiceEnded;
    event.voice = (int16_t) index;
    event.clipSlot = voice.clipSlot;
    event.group = voice.group;
    event.sampleTime = time;
    event.length = voice.position;
    event.reason = voice.isStopping() || voice.endReason == VoiceEndReason::cut ? voice.endReason
                                                                                 : VoiceEndReason::finished;
    emit (event);
    voice.audio->audioThreadReferences.fetch_sub (1, std::memory_order_release);
    voice = {};
}

int Engine::voiceIndex (const Voice& voice) const noexcept
{
    if (voice.group == auditionGroup)
        return groupVoiceSlots + (int) (&voice - auditionVoices.data());
    return (int) (&voice - groupVoices.data());
}

void Engine::publishStatus() noexcept
{
    VoiceStatus status;
    status.samplePosition = timelinePosition;
    int index = 0;
    for (auto* pool : { groupVoices.data(), auditionVoices.data() })
    {
        const auto size = pool == groupVoices.data() ? groupVoiceSlots : auditionVoiceSlots;
        for (int i = 0; i < size; ++i, ++index)
        {
            const auto& voice = pool[i];
            auto& entry = status.voices[(size_t) index];
            if (! voice.isActive())
                continue;
            entry.clipSlot = voice.clipSlot;
            entry.group = voice.group;
            entry.position = voice.position;
            entry.length = voice.audio->getNumFrames();
            entry.stopping = voice.isStopping();
            if (pool == groupVoices.data() && ! voice.isStopping())
                ++status.playingGroupVoices;
        }
    }
    voiceStatus.write (status);
}

} // namespace cuegrid
