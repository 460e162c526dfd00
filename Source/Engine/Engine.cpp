// CueGrid — GPL-3.0-or-later
#include "Engine.h"

#include "ClipGainTable.h"
#include "CommandReferences.h"

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

// Off the audio thread: the Engine is made on the control thread before a device starts; every
// table the callback uses is sized here.
Engine::Engine() : timecode (std::make_unique<EngineTimecode>())
{
    clipGains.resize ((size_t) maxClipSlots);
    clipPans.resize ((size_t) maxClipSlots);
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
    limiterGain.assign ((size_t) maximumBlock, 1.0f);
    limiter.prepare (sampleRate);
    limiter.setParameters (false, -1.0);
    for (auto& line : delayLines)
        line.assign ((size_t) std::max (1, limiter.getLatency()), 0.0f);
    delayIndex = 0;
    meters.prepare (sampleRate, maximumBlock);
    timecode->prepare (sampleRate, maximumBlock);
    for (auto& bus : recordBuses)
        bus.prepare ((int) std::lround (std::max (0.1, recordRingSeconds) * sampleRate));
    recordInputs = {};
    recordCursor = blockStart = 0;

    // Drop what the old timeline had scheduled or playing, releasing its audio references.
    while (! scheduler.isEmpty())
        releaseReferences (scheduler.pop());
    forEachVoice (true, [] (Voice& voice) { voice.audio->audioThreadReferences.fetch_sub (1, std::memory_order_release); });
    groupVoices.fill ({});
    auditionVoices.fill ({});
    panicFence = 0;
    pendingEventCount = 0;

    for (auto& gain : clipGains) gain.reset (1.0);
    for (auto& pan : clipPans) pan.reset (0.0);
    for (auto& gain : groupGains) gain.reset (1.0);
    for (auto& mute : groupMutes) mute.reset (1.0);
    chokeLimits.fill (0);
    masterGain.reset (1.0);
    auditionGain.reset (1.0);
    centrePan.reset (0.0);
    unityGain.reset (1.0);
    routing = outputRouting = {};
    pendingRoutings = 0;

    timelinePosition = 0;
    smoothedLoad = 0.0;
    samplePosition.store (0, std::memory_order_release);
    publishStatus();
    meterSnapshot.write (MeterSnapshot {});
}

int Engine::getClockMarks (EngineClockMark* marks, int maxMarks) const noexcept
{
    const auto newest = clockCallbacks.load (std::memory_order_acquire);
    int count = 0;
    for (uint64_t callback = newest; callback > 0 && newest - callback < (uint64_t) clockMarkCount && count < maxMarks; --callback)
    {
        const auto mark = clockMarks[(size_t) (callback % clockMarkCount)].read();
        if (mark.callback == callback)   // else overwritten by a newer callback meanwhile
            marks[count++] = mark;
    }
    return count;
}

bool Engine::findClockMarkOfCommand (uint64_t postCount, EngineClockMark& found) const noexcept
{
    std::array<EngineClockMark, clockMarkCount> marks;
    const auto count = getClockMarks (marks.data(), (int) marks.size());
    // Newest first: the oldest callback whose count reached postCount received it, if the one
    // before it had not.
    for (int i = 0; i < count; ++i)
    {
        if (marks[(size_t) i].commandsReceived < postCount)
            return false;
        const auto& mark = marks[(size_t) i];
        const auto isFirst = i + 1 < count ? marks[(size_t) i + 1].callback + 1 == mark.callback && marks[(size_t) i + 1].commandsReceived < postCount
                                           : mark.callback == 1;   // else the one before is gone: unknown
        if (isFirst)
        {
            found = mark;
            return true;
        }
    }
    return false;
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
    if (pendingEventCount == (int) pendingEvents.size())
        flushEvents();
    pendingEvents[(size_t) pendingEventCount++] = event;
}

void Engine::flushEvents() noexcept
{
    // Voices report in slot order and meters at the end of their chunk, so a block's events
    // are put in timeline order (meters first at one sample: they cover the samples before it)
    // and the event stream does not depend on the block size. Insertion sort of indices: the
    // events are nearly in order already, and nothing is allocated.
    auto isBefore = [this] (uint16_t a, uint16_t b)
    {
        const auto& x = pendingEvents[a];
        const auto& y = pendingEvents[b];
        if (x.sampleTime != y.sampleTime)
            return x.sampleTime < y.sampleTime;
        return x.type == EngineEvent::Type::meter && y.type != EngineEvent::Type::meter;
    };
    for (int i = 0; i < pendingEventCount; ++i)
    {
        const auto index = (uint16_t) i;
        int j = i;
        for (; j > 0 && isBefore (index, pendingOrder[(size_t) j - 1]); --j)
            pendingOrder[(size_t) j] = pendingOrder[(size_t) j - 1];
        pendingOrder[(size_t) j] = index;
    }
    for (int i = 0; i < pendingEventCount; ++i)
        if (! events.push (pendingEvents[pendingOrder[(size_t) i]]))
            eventsDropped.fetch_add (1, std::memory_order_relaxed);
    pendingEventCount = 0;
}

void Engine::emitVoiceEvent (EngineEvent::Type type, const Voice& voice, int64_t time, int64_t length,
                             uint64_t commandSequence) noexcept
{
    EngineEvent event;
    event.type = type;
    event.voice = (int16_t) voiceIndex (voice);
    event.clipSlot = voice.clipSlot;
    event.group = voice.group;
    event.sampleTime = time;
    event.length = length;
    event.commandSequence = commandSequence;
    if (type == EngineEvent::Type::voiceStarted)
        event.wallNanos = callbackStartNanos + (int64_t) ((double) (time - blockStart) * 1.0e9 / sampleRate);
    emit (event);
}

void Engine::receiveCommands() noexcept
{
    EngineCommand command;
    uint64_t received = 0;
    while (commands.pop (command))
    {
        ++received;
        // A show script's commands that arrive after a Panic cancelled their feed never run.
        if (command.feedStart != EngineCommand::noFeed && command.feedStart < panicFence)
            continue;
        // A new timecode trigger table: swapped in at this block boundary (before the timecode's
        // block runs); the old one's reference goes back to the control side's ClipReleasePool.
        if (command.type == EngineCommand::Type::setTimecodeTriggers)
        {
            timecode->swapTriggers (command.timecodeTriggers);
            continue;
        }
        retainReferences (command);
        // A start away from the pinned head (a Trigger's offset): tell the readers now, so a
        // command that arrives ahead of its time finds its chunks loaded.
        if ((command.type == EngineCommand::Type::trigger || command.type == EngineCommand::Type::audition)
            && command.audio != nullptr && command.audio->getChunks() != nullptr && command.playback.startFrame != command.playback.cueIn)
            playheads.hintStart (command.audio->getChunks()->getMediaId(), command.playback.startFrame);

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

void Engine::process (const float* const* inputs, int numInputChannels,
                      float* const* outputs, int numOutputChannels, int numFrames) noexcept
{
    const auto started = std::chrono::steady_clock::now();
    callbackStartNanos = std::chrono::duration_cast<std::chrono::nanoseconds> (started.time_since_epoch()).count();
    playheads.enterCallback();

    receiveCommands();
    {
        EngineClockMark mark;
        mark.callback = clockCallbacks.load (std::memory_order_relaxed) + 1;
        mark.blockStart = timelinePosition;
        mark.wallNanos = callbackStartNanos;
        mark.frames = numFrames;
        mark.sampleRate = sampleRate;
        mark.commandsReceived = commandsReceived.load (std::memory_order_relaxed);
        clockMarks[(size_t) (mark.callback % clockMarkCount)].write (mark);
        clockCallbacks.store (mark.callback, std::memory_order_release);
    }
    // The master clock before the block's commands run: the LTC input decoded, the clock
    // manager's block, and the timecode triggers due in this callback scheduled at their samples.
    for (int i = 0, count = timecode->process (inputs, numInputChannels, timelinePosition, numFrames, callbackStartNanos,
                                               timecodeCommands.data());
         i < count; ++i)
    {
        const auto& command = timecodeCommands[(size_t) i];
        retainReferences (command);
        if (! scheduler.push (command))
            releaseReferences (command);
    }
    currentOutputChannels = std::clamp (numOutputChannels, 0, OutputRouting::maxChannels);
    currentInputs = numInputChannels > 0 ? inputs : nullptr;
    currentInputChannels = currentInputs != nullptr ? numInputChannels : 0;
    blockStart = recordCursor = timelinePosition;
    for (int bus = 0; bus < recordBusCount; ++bus)
    {
        auto input = [&] (int channel) { return channel >= 0 && channel < currentInputChannels ? currentInputs[channel] : nullptr; };
        recordBuses[(size_t) bus].measure (input (recordInputs.left[bus]), input (recordInputs.right[bus]), numFrames);
    }
    for (int offset = 0; offset < numFrames;)
        offset += processChunk (outputs, numOutputChannels, offset, std::min (maximumBlock, numFrames - offset));
    currentInputs = nullptr;

    reportUnderruns();
    flushEvents();
    samplePosition.store (timelinePosition, std::memory_order_release);
    publishStatus();
    publishPlayheads();

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
            flushEvents();
        }
    }
    playheads.exitCallback();
}

bool Engine::groupFeedsMaster (const OutputRouting& map, int group, int numOutputChannels) noexcept
{
    const auto left = map.groupLeft[group], right = map.groupRight[group];
    return left < 0 || right < 0 || left >= numOutputChannels || right >= numOutputChannels;
}

int Engine::processChunk (float* const* outputs, int numOutputChannels, int offset, int numFrames) noexcept
{
    for (auto& bus : groupBuses)
        bus.clear (numFrames);
    auditionBus.clear (numFrames);
    masterBus.clear (numFrames);

    const auto chunkStart = timelinePosition;
    auto chunkEnd = chunkStart + numFrames;
    auto cursor = chunkStart;

    // A routing change reaches the outputs a latency after the buses (they are delayed): apply
    // the mappings that are due, and end the chunk where the next one falls.
    while (pendingRoutings > 0 && pendingRoutingTimes[0] <= chunkStart)
    {
        outputRouting = pendingRoutingValues[0];
        --pendingRoutings;
        for (int i = 0; i < pendingRoutings; ++i)
        {
            pendingRoutingTimes[(size_t) i] = pendingRoutingTimes[(size_t) i + 1];
            pendingRoutingValues[(size_t) i] = pendingRoutingValues[(size_t) i + 1];
        }
    }
    if (pendingRoutings > 0)
        chunkEnd = std::min (chunkEnd, pendingRoutingTimes[0]);

    while (! scheduler.isEmpty() && scheduler.next().sampleTime < chunkEnd)
    {
        // The limiter, the meters and the routing work on whole chunks: a command that changes
        // them ends the chunk at its sample, so it takes effect exactly there.
        const auto nextType = scheduler.next().type;
        const auto nextTime = std::max (scheduler.next().sampleTime, cursor);
        if (nextTime > chunkStart && (nextType == EngineCommand::Type::setRouting || nextType == EngineCommand::Type::setLimiter))
        {
            chunkEnd = nextTime;
            break;
        }
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
        if (pendingRoutings > 0)
            chunkEnd = std::min (chunkEnd, pendingRoutingTimes[0]);   // a routing change just queued
    }
    if (chunkEnd > cursor)
        renderSegment ((int) (cursor - chunkStart), (int) (chunkEnd - cursor), cursor);

    numFrames = (int) (chunkEnd - chunkStart);
    timelinePosition = chunkEnd;
    captureInputs (chunkEnd);
    limiter.process (masterBus.left.data(), masterBus.right.data(), numFrames, limiterGain.data());

    const float* meterChannels[MeterSnapshot::channels];
    for (int group = 0; group < groupCount; ++group)
    {
        meterChannels[2 * group] = groupBuses[(size_t) group].left.data();
        meterChannels[2 * group + 1] = groupBuses[(size_t) group].right.data();
    }
    meterChannels[2 * groupCount] = auditionBus.left.data();
    meterChannels[2 * groupCount + 1] = auditionBus.right.data();
    meterChannels[2 * groupCount + 2] = masterBus.left.data();
    meterChannels[2 * groupCount + 3] = masterBus.right.data();
    // Meter windows end at exact samples, so meter events do not depend on the block size.
    for (int done = 0; done < numFrames;)
    {
        done += meters.measure (meterChannels, limiterGain.data(), done, numFrames - done);
        if (meters.isSnapshotReady())
            publishMeters();
    }

    routeOutputs (outputs, numOutputChannels, offset, numFrames);
    return numFrames;
}

void Engine::routeOutputs (float* const* outputs, int numOutputChannels, int offset, int numFrames) noexcept
{
    using Vector = juce::FloatVectorOperations;

    // Groups and audition: the same delay as the limiter's look-ahead, so every output lines up.
    const auto delayLength = limiter.getLatency();
    if (delayLength > 0)
    {
        for (int bus = 0; bus <= groupCount; ++bus)
        {
            auto& stereo = bus < groupCount ? groupBuses[(size_t) bus] : auditionBus;
            for (int side = 0; side < 2; ++side)
            {
                float* samples = side == 0 ? stereo.left.data() : stereo.right.data();
                float* line = delayLines[(size_t) (2 * bus + side)].data();
                auto index = delayIndex;
                for (int i = 0; i < numFrames; ++i)
                {
                    std::swap (samples[i], line[index]);
                    if (++index == delayLength)
                        index = 0;
                }
            }
        }
        delayIndex = (int) ((delayIndex + numFrames) % delayLength);
    }

    for (int channel = 0; channel < numOutputChannels; ++channel)
        Vector::clear (outputs[channel] + offset, numFrames);

    auto addTo = [&] (int channel, const float* samples)
    {
        if (channel >= 0 && channel < numOutputChannels)
            Vector::add (outputs[channel] + offset, samples, numFrames);
    };
    const bool masterFits = outputRouting.masterLeft < numOutputChannels && outputRouting.masterRight < numOutputChannels;
    const int masterLeft = masterFits ? outputRouting.masterLeft : 0;
    const int masterRight = masterFits ? outputRouting.masterRight : 1;
    addTo (masterLeft, masterBus.left.data());
    addTo (masterRight, masterBus.right.data());

    for (int group = 0; group < groupCount; ++group)
    {
        if (groupFeedsMaster (outputRouting, group, numOutputChannels))
            continue;
        addTo (outputRouting.groupLeft[group], groupBuses[(size_t) group].left.data());
        addTo (outputRouting.groupRight[group], groupBuses[(size_t) group].right.data());
    }

    if (outputRouting.auditionLeft < numOutputChannels && outputRouting.auditionRight < numOutputChannels)
    {
        addTo (outputRouting.auditionLeft, auditionBus.left.data());
        addTo (outputRouting.auditionRight, auditionBus.right.data());
    }
    else if (auditionToMain)
    {
        addTo (masterLeft, auditionBus.left.data());
        addTo (masterRight, auditionBus.right.data());
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
            const bool isAudition = voice.group == auditionGroup;
            auto& bus = isAudition ? auditionBus : groupBuses[(size_t) voice.group];
            // An audition of a clip is heard at the clip's gain (pre-fader listen), centred.
            const auto& gain = voice.clipSlot >= 0 ? clipGains[(size_t) voice.clipSlot] : unityGain;
            const auto& pan = isAudition || voice.clipSlot < 0 ? centrePan : clipPans[(size_t) voice.clipSlot];
            const auto ended = renderVoice (voice, bus.left.data() + offset, bus.right.data() + offset,
                                            numFrames, time, gain, pan, fadeLength, waitForMedia);
            if (ended >= 0)
                finishVoice (voice, time + ended);
        }
    };
    renderPool (groupVoices.data(), groupVoiceSlots);
    renderPool (auditionVoices.data(), auditionVoiceSlots);

    // Groups → master (or their own outputs), each with its fader gain and mute ramp;
    // sample-exact per segment. Steady gains use JUCE's SIMD vector operations; they round
    // exactly like the scalar path.
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
        if (groupFeedsMaster (routing, group, currentOutputChannels))
        {
            Vector::add (masterLeft, left, numFrames);
            Vector::add (masterRight, right, numFrames);
        }
    }

    float* auditionLeft = auditionBus.left.data() + offset;
    float* auditionRight = auditionBus.right.data() + offset;
    if (! auditionGain.isSteadyFrom (time))
    {
        for (int i = 0; i < numFrames; ++i)
        {
            const auto g = auditionGain.valueAt (time + i);
            auditionLeft[i] *= g;
            auditionRight[i] *= g;
        }
    }
    else if (const auto g = auditionGain.valueAt (time); g != 1.0f)
    {
        Vector::multiply (auditionLeft, g, numFrames);
        Vector::multiply (auditionRight, g, numFrames);
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
        Vector::multiply (masterLeft, g, numFrames);
        Vector::multiply (masterRight, g, numFrames);
    }
}

void Engine::emitRecordEvent (EngineEvent::Type type, int bus, int64_t time, int64_t length, int64_t lateBy) noexcept
{
    EngineEvent event;
    event.type = type;
    event.group = bus;
    event.sampleTime = time;
    event.length = length;
    event.lateBy = lateBy;
    emit (event);
}

void Engine::captureInputs (int64_t until) noexcept
{
    if (until <= recordCursor)
        return;
    const auto offset = (int) (recordCursor - blockStart);
    const auto count = (int) (until - recordCursor);
    for (int bus = 0; bus < recordBusCount; ++bus)
    {
        auto& record = recordBuses[(size_t) bus];
        if (! record.isRecording())
            continue;
        auto input = [&] (int channel)
        {
            return channel >= 0 && channel < currentInputChannels ? currentInputs[channel] + offset : nullptr;
        };
        int64_t lostAt = 0, lost = 0;
        record.capture (input (recordInputs.left[bus]), input (recordInputs.right[bus]), count, recordCursor, lostAt, lost);
        if (lost > 0)
            emitRecordEvent (EngineEvent::Type::recordDiscontinuity, bus, lostAt, lost, lostAt - record.getTakeStart());
    }
    recordCursor = until;
}

void Engine::recordCommand (const EngineCommand& command, int64_t time) noexcept
{
    captureInputs (time);   // the inputs before the command's sample belong to the state before it
    for (int bus = 0; bus < recordBusCount; ++bus)
    {
        if ((command.group & (1 << bus)) == 0)
            continue;
        auto& record = recordBuses[(size_t) bus];
        if (command.type == EngineCommand::Type::recordStart)
        {
            if (record.start (time))
                emitRecordEvent (EngineEvent::Type::recordStarted, bus, time, 0);
        }
        else
        {
            int64_t length = 0, lostAt = 0, lost = 0;
            if (record.stop (time, length, lostAt, lost))
            {
                if (lost > 0)
                    emitRecordEvent (EngineEvent::Type::recordDiscontinuity, bus, lostAt, lost, lostAt - record.getTakeStart());
                emitRecordEvent (EngineEvent::Type::recordStopped, bus, time, length);
            }
        }
    }
}

void Engine::publishMeters() noexcept
{
    const auto& snapshot = meters.getSnapshot();
    meterSnapshot.write (snapshot);
    EngineEvent event;
    event.type = EngineEvent::Type::meter;
    event.sampleTime = snapshot.sampleTime;
    std::copy (snapshot.peak.begin(), snapshot.peak.end(), event.peaks);
    std::copy (snapshot.rms.begin(), snapshot.rms.end(), event.rms);
    event.lufsMomentary = snapshot.lufsMomentary;
    event.lufsShortTerm = snapshot.lufsShortTerm;
    event.gainReductionDb = snapshot.gainReductionDb;
    emit (event);
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
            entry.played = voice.played;
            entry.remaining = voice.remainingFrames (timelinePosition);
            entry.cueIn = voice.playback.cueIn;
            entry.cueOut = voice.playback.cueOut;
            entry.loopsLeft = voice.willWrap() ? voice.wrapsLeft : 0;
            entry.stopping = voice.isStopping();
            entry.paused = voice.isPausedOrPausing();
            entry.looping = voice.willWrap();
            entry.fadingIn = voice.played < voice.fadeInLength
                             || (voice.resumeTime >= 0 && timelinePosition - voice.resumeTime < fadeLength);
            if (pool == groupVoices.data() && ! voice.isStopping())
                ++status.playingGroupVoices;
        }
    }
    voiceStatus.write (status);
}

} // namespace cuegrid
