// CueGrid — GPL-3.0-or-later
#include "EngineTimecode.h"

#include "TimecodeTriggerTable.h"
#include "Voice.h"

#include "Clock/JackCycleClock.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace cuegrid
{

// Off the audio thread: made with the Engine on the control thread, before any device starts;
// the trigger states are sized once here so a live table swap never allocates.
EngineTimecode::EngineTimecode()
    : manager (std::make_unique<ClockManager>()), states ((size_t) TimecodeTriggerTable::maxTriggers)
{
}

EngineTimecode::~EngineTimecode()
{
    swapTriggers (nullptr);
}

void EngineTimecode::setLtcInput (int channel, int64_t inputLatencySamples)
{
    ltcChannel = channel;
    ltcLatencySetting = inputLatencySamples < 0 ? autoLatency : inputLatencySamples;
}

void EngineTimecode::setTriggers (std::vector<TimecodeTrigger> newTriggers, bool chaseKeepsRolling)
{
    // Off the audio thread: the CLI's render/play set the table with the audio stopped; the app
    // posts immutable tables instead (swapTriggers, no allocation).
    ownedTable = std::make_shared<const TimecodeTriggerTable> (std::move (newTriggers), chaseKeepsRolling);
    swapTriggers (ownedTable.get());
    std::fill (states.begin(), states.end(), TriggerState {});
    hadBlock = wasRunning = rearm = false;
}

void EngineTimecode::swapTriggers (const TimecodeTriggerTable* next) noexcept
{
    if (next == table)
        return;
    if (next != nullptr)
        next->audioThreadReferences.fetch_add (1, std::memory_order_relaxed);
    const auto* old = std::exchange (table, next);
    if (next != nullptr)
        for (int i = 0; i < next->size(); ++i)
            if (old == nullptr || i >= old->size() || (*old)[i].clipSlot != (*next)[i].clipSlot)
                states[(size_t) i] = {};
    if (old != nullptr)
        old->audioThreadReferences.fetch_sub (1, std::memory_order_release);
    rearm = true;
}

void EngineTimecode::prepare (double sampleRate, int maximumBlockSize)
{
    rate = sampleRate;
    inputLatency.store (ltcLatencySetting >= 0 ? ltcLatencySetting : deviceInputLatency.load());
    manager->prepare (sampleRate);
    if (ltcChannel >= 0 && ltcSlot < 0)
        ltcSlot = manager->addSource (ClockSourceKind::ltc, "LTC");
    // Off the audio thread: prepare() runs from Engine::prepare on the control thread with the
    // callback removed; libltc's decoder allocates only here.
    ltc = ltcChannel >= 0 ? std::make_unique<LtcDecoder> (sampleRate) : nullptr;
    silence.assign ((size_t) std::max (1, maximumBlockSize), 0.0f);
    std::fill (states.begin(), states.end(), TriggerState {});
    hadBlock = wasRunning = rearm = false;
    expectedSeconds = 0.0;
}

void EngineTimecode::emitFire (const TimecodeFire& fire) noexcept
{
    if (! fires.push (fire))
        droppedFires.fetch_add (1, std::memory_order_relaxed);
}

int EngineTimecode::process (const float* const* inputs, int numInputs, int64_t blockStart, int numFrames,
                             int64_t monotonicNs, EngineCommand* commands) noexcept
{
    // On JACK the block start is also paired with this cycle's JACK frame, what JACK MIDI events
    // are stamped with, so their samples do not depend on which client JACK runs first or on how
    // late either wakes (JackCycleClock, SampleClock::sampleAtJackFrame).
    int64_t jackFrame = -1;
    if (uint32_t frame = 0; onJackCycles.load (std::memory_order_relaxed) && JackCycleClock::lastFrame (frame))
        jackFrame = jackFrames.next (frame, (uint32_t) numFrames);
    sampleClock.publishBlockStart (blockStart, monotonicNs, rate, jackFrame);

    // LTC: the input channel, or silence when the device does not give it this callback, so the
    // decoder's stream stays continuous on the engine's timeline (its positions are engine time).
    if (ltc != nullptr)
    {
        if (ltcChannel < numInputs && inputs != nullptr && inputs[ltcChannel] != nullptr)
            ltc->write (inputs[ltcChannel], numFrames, blockStart);
        else
            for (int done = 0; done < numFrames;)
            {
                const auto count = std::min ((int) silence.size(), numFrames - done);
                ltc->write (silence.data(), count, blockStart + done);
                done += count;
            }
        LtcFrame frame;
        auto* source = manager->getSource (ltcSlot);
        while (ltc->read (frame))
            if (source != nullptr)
                source->publish (ltcObservation (frame, inputLatency.load (std::memory_order_relaxed)));
    }

    manager->process (blockStart, numFrames);
    if (table == nullptr || table->size() == 0)
        return 0;
    const auto& triggers = *table;
    const auto triggerCount = (size_t) triggers.size();
    const bool keepRolling = triggers.chaseKeepsRolling();

    const auto master = manager->getMaster();
    // The master's continuous line: no jump at midnight. A trigger's time of day is taken on the
    // day nearest the master (within half a day), so 00:00:02:00 lies 3 s ahead at 23:59:59:00.
    const auto p0 = master.lineSeconds;
    const auto day = master.daySeconds;
    const auto speed = master.speed;
    const auto p1 = p0 + speed * numFrames / rate;
    const auto frame = 1.0 / std::max (1.0, master.fps);
    // Timecode runs while the master follows a source (locked, or its flywheel): not before the
    // first lock, and not once it free-runs on the system clock (the timecode stopped).
    const bool running = master.everLocked && master.state != MasterState::freeRun;
    const bool jumped = hadBlock && wasRunning && std::abs (p0 - expectedSeconds) > frame;   // a locate while running
    hadBlock = true;
    expectedSeconds = p1;

    int count = 0;
    auto add = [&] (const EngineCommand& command) noexcept
    {
        if (count >= maxFiresPerBlock)
        {
            droppedFires.fetch_add (1, std::memory_order_relaxed);
            return false;
        }
        commands[count++] = command;
        return true;
    };
    auto stopCommand = [&] (const TimecodeTrigger& trigger, int64_t sample, int fadeSamples) noexcept
    {
        EngineCommand stop;
        stop.type = EngineCommand::Type::stop;
        stop.clipSlot = trigger.clipSlot;
        stop.sampleTime = sample;
        stop.fadeSamples = fadeSamples;   // -1: the clip's fade-out; 0: the 1 ms protection fade
        return stop;
    };
    auto startCommand = [&] (const TimecodeTrigger& trigger, int64_t sample, double offsetSeconds) noexcept
    {
        auto start = trigger.command;
        start.sampleTime = sample;
        start.feedStart = EngineCommand::noFeed;
        // Where the clip would be after playing that long from cue in, through its loop passes.
        if (offsetSeconds > 0.0 && start.audio != nullptr)
            start.playback = chasePlayback (start.playback, start.audio->getNumFrames(),
                                            (int64_t) std::llround (offsetSeconds * rate));
        return start;
    };

    if (! running)
    {
        // The timecode stopped: chasing clips stop with their fade-out, unless they roll on.
        if (wasRunning && ! keepRolling)
            for (size_t i = 0; i < triggerCount; ++i)
                if (triggers[(int) i].chase && states[i].started)
                {
                    states[i].started = false;
                    if (add (stopCommand (triggers[(int) i], blockStart, -1)))
                        emitFire ({ TimecodeFire::Kind::chaseStop, triggers[(int) i].clipSlot, blockStart, master.seconds, 0.0, false });
                }
        wasRunning = false;
        return count;
    }

    // A first block of running timecode (a late start, the timecode back after it stopped) or a
    // jump: triggers ahead are armed, those behind are not; chasing clips that should be playing
    // start at their offset (after a jump, those playing restart there).
    const bool relocate = ! wasRunning || jumped;
    const bool rearmOnly = std::exchange (rearm, false) && ! relocate;   // a new table, live
    wasRunning = true;
    for (size_t i = 0; i < triggerCount; ++i)
    {
        const auto& trigger = triggers[(int) i];
        auto& state = states[i];
        const auto t = nearestDayTo (trigger.seconds, p0, day);
        if (relocate)
        {
            state.armed = p0 <= t;
            if (trigger.chase)
            {
                const bool inside = p0 > t && p0 < t + trigger.lengthSeconds;
                if (state.started && (jumped || ! inside))
                {
                    add (stopCommand (trigger, blockStart, 0));
                    state.started = false;
                }
                if (inside && ! state.started)
                {
                    if (add (startCommand (trigger, blockStart, p0 - t)))
                        emitFire ({ TimecodeFire::Kind::chase, trigger.clipSlot, blockStart, master.seconds, p0 - t, jumped });
                    state.started = true;
                }
            }
        }
        else if (rearmOnly)
            state.armed = p0 <= t;
        else if (! state.armed && std::max (p0, p1) < t)
        {
            state.armed = true;   // played back (reverse) before it: it fires on the next pass
            state.started = false;
        }

        if (state.armed && speed > 0.0 && p0 <= t && t < p1)
        {
            // The first sample at or after the trigger's timecode (1e-6 sample: rounding).
            const auto offset = (int64_t) std::ceil ((t - p0) * rate / speed - 1.0e-6);
            const auto sample = blockStart + std::clamp<int64_t> (offset, 0, numFrames - 1);
            if (add (startCommand (trigger, sample, 0.0)))
                emitFire ({ TimecodeFire::Kind::trigger, trigger.clipSlot, sample, trigger.seconds, 0.0, false });
            state.armed = false;
            state.started = trigger.chase;
        }
        if (trigger.chase && state.started && ! relocate && p0 >= t + trigger.lengthSeconds)
            state.started = false;   // played to its end
    }
    return count;
}

} // namespace cuegrid
