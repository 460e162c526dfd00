// CueGrid — GPL-3.0-or-later
// The master clock in the engine (issue 12, "Timecode in the show"): the LTC input decoded in
// the callback, the clock manager run once per block, and the clips' timecode triggers and chase
// turned into sample-exact commands. docs/clock.md, "In the show".
#pragma once

#include "EngineMessages.h"
#include "SpscFifo.h"

#include "Clock/ClockManager.h"
#include "Clock/ClockObservations.h"
#include "Clock/JackCycleClock.h"
#include "Clock/LtcDecoder.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace cuegrid
{

class TimecodeTriggerTable;

/** One clip's timecode trigger, resolved by the control side. Plain data. */
struct TimecodeTrigger
{
    int32_t clipSlot = -1;
    double seconds = 0.0;          // the trigger's timecode, seconds since 00:00:00:00 (frame number / real fps); it
                                   // fires each time the master passes it, midnight or not (the day nearest the master)
    double lengthSeconds = 0.0;    // how long a start at cue in plays (the cue region and its loop passes; infinite
                                   // for a loop until stopped): how long a chasing clip "should be playing"
    bool chase = false;
    EngineCommand command;         // the trigger (type trigger, playback.startFrame = cueIn); its audio kept alive by the caller
};

/** What the timecode made the engine do, for the event log (source "timecode"). Plain data. */
struct TimecodeFire
{
    enum class Kind : uint8_t
    {
        trigger,     // the master passed the clip's timecode: started at `sample`
        chase,       // a chasing clip that should be playing: started at `offsetSeconds` into its cue region
        chaseStop    // the timecode stopped (the master free-runs past the flywheel time): a chasing clip stops
    };
    Kind kind = Kind::trigger;
    int32_t clipSlot = -1;
    int64_t sample = 0;            // engine time of the command
    double masterSeconds = 0.0;    // the master timecode at that sample
    double offsetSeconds = 0.0;    // chase: into the cue region
    bool afterJump = false;        // chase: the master jumped (a locate): the clip restarts at the new place
};

/** The show's timecode as the engine uses it. Owned by the Engine.

    Threads: the setters and prepare() on the control thread while the audio is stopped (before
    the device starts, or from Engine::prepare); process() on the audio thread, once per callback,
    before the block's commands run (no allocation, lock, I/O or exception); popFire() on one
    control thread; getManager() for the sources' threads and readers (see ClockManager). */
class EngineTimecode
{
public:
    static constexpr int maxFiresPerBlock = 64;

    EngineTimecode();
    ~EngineTimecode();

    /** Control thread, audio stopped. Engine input channel (0-based, of the inputs the device
        passes to the engine) that carries LTC, or −1 for none; `inputLatencySamples`: samples
        from the LTC connector to the engine's input, subtracted from decoded positions, or
        `autoLatency` (any negative value): the device's reported input latency
        (setDeviceInputLatency). Takes effect at prepare(). */
    void setLtcInput (int channel, int64_t inputLatencySamples);
    static constexpr int64_t autoLatency = -1;
    int getLtcInputChannel() const noexcept { return ltcChannel; }
    /** The device-opening thread, before prepare() (EngineDeviceCallback::audioDeviceAboutToStart):
        the input latency the device reports, samples; what an `autoLatency` LTC input uses. */
    void setDeviceInputLatency (int64_t samples) noexcept { deviceInputLatency.store (std::max<int64_t> (0, samples)); }
    int64_t getDeviceInputLatency() const noexcept { return deviceInputLatency.load(); }
    /** Any thread: the LTC input latency in use since the last prepare(), samples. */
    int64_t getLtcInputLatency() const noexcept { return inputLatency.load (std::memory_order_relaxed); }
    /** True when that is the device's reported latency (setLtcInput with autoLatency). */
    bool isLtcLatencyAuto() const noexcept { return ltcLatencySetting < 0; }

    /** Control thread, audio stopped: the clips' triggers (replaces the last set), the show's
        frame rate (for the one-frame jump threshold) and what chasing clips do when the timecode
        stops (false: they stop once the master free-runs, after the flywheel time; true: they roll on). */
    void setTriggers (std::vector<TimecodeTrigger> newTriggers, bool chaseKeepsRolling);

    /** Audio thread (Engine::receiveCommands, at a block boundary), or the control thread with
        the audio stopped: installs `table` (nullptr: none) in place of the current one, counting
        its use in its audioThreadReferences and giving back the old table's. A trigger at the
        same index for the same clip slot keeps its chase state; every trigger is re-armed from
        the master's position on the next running block (those ahead of it fire). No allocation. */
    void swapTriggers (const TimecodeTriggerTable* table) noexcept;

    /** Control thread, audio stopped (Engine::prepare calls it). Allocates the LTC decoder. */
    void prepare (double sampleRate, int maximumBlockSize);

    /** Audio thread, at the start of a callback of `numFrames` from engine time `blockStart`:
        publishes the block start to the SampleClock (MIDI/PTP sources), decodes the LTC input
        channel into the LTC source, runs the clock manager, then works out the triggers. Returns
        how many commands to schedule it wrote into `commands` (room for maxFiresPerBlock; more are dropped and counted). */
    int process (const float* const* inputs, int numInputs, int64_t blockStart, int numFrames,
                 int64_t monotonicNs, EngineCommand* commands) noexcept;

    /** The device-opening thread, before prepare() (EngineDeviceCallback): the device is JACK, so
        each block start the SampleClock publishes carries its JACK frame (JackCycleClock, while
        CueGrid's JACK MIDI client lends the server's frame counter), and JACK MIDI events map to
        samples by frames. */
    void setOnJackCycles (bool onJack) noexcept { onJackCycles.store (onJack, std::memory_order_relaxed); }

    /** Control thread (one consumer). */
    bool popFire (TimecodeFire& fire) noexcept { return fires.pop (fire); }

    ClockManager& getManager() noexcept { return *manager; }
    const SampleClock& getSampleClock() const noexcept { return sampleClock; }
    /** The manager's slot of the LTC input, −1 without one. */
    int getLtcSource() const noexcept { return ltcSlot; }

    /** Any thread: fires lost because the fire queue was full, or a block had too many. */
    uint32_t getDroppedFires() const noexcept { return droppedFires.load (std::memory_order_relaxed); }

private:
    struct TriggerState
    {
        bool armed = false;     // fires when the master passes its timecode
        bool started = false;   // chase: this engine started it on the current pass
    };

    void emitFire (const TimecodeFire& fire) noexcept;

    std::unique_ptr<ClockManager> manager;
    SampleClock sampleClock;                    // writer: audio thread; readers: MIDI and PTP threads
    std::unique_ptr<LtcDecoder> ltc;            // made in prepare(); then audio thread only
    std::vector<float> silence;                 // the LTC channel's stand-in when the device gives no such input

    // Control thread, audio stopped; then read by the audio thread.
    int ltcChannel = -1;
    int64_t ltcLatencySetting = 0;                       // setLtcInput's: samples, or autoLatency
    // Written by the device-opening thread (setDeviceInputLatency, prepare), read by the audio
    // thread and any reader: atomics, as a device restart may run on another thread than the reader.
    std::atomic<int64_t> deviceInputLatency { 0 };
    std::atomic<int64_t> inputLatency { 0 };             // in use: the setting or the device's
    int ltcSlot = -1;
    std::shared_ptr<const TimecodeTriggerTable> ownedTable;   // setTriggers' table
    double rate = 48000.0;

    // Audio thread (swapTriggers), or the control thread with the audio stopped.
    const TimecodeTriggerTable* table = nullptr;  // the installed triggers; its audioThreadReferences counts this use

    std::atomic<bool> onJackCycles { false };   // writer: the device-opening thread; reader: audio thread
    JackFrameTracker jackFrames;                // audio thread only

    // Audio thread only (sized once, TimecodeTriggerTable::maxTriggers).
    std::vector<TriggerState> states;
    bool hadBlock = false, wasRunning = false, rearm = false;
    double expectedSeconds = 0.0;               // the master at this block's start, by the last block

    SpscFifo<TimecodeFire, 1024> fires;         // producer: audio thread; consumer: control thread
    std::atomic<uint32_t> droppedFires { 0 };   // writer: audio thread; readers: any
};

} // namespace cuegrid
