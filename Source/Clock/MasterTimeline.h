// CueGrid — GPL-3.0-or-later
// The one master timeline every part of CueGrid reads (engine, UI, logs), and the clock events
// the message thread turns into event-log lines. docs/clock.md, "Master timeline".
#pragma once

#include "ClockSource.h"
#include "Engine/SeqLock.h"
#include "Engine/SpscFifo.h"

#include <atomic>
#include <cstdint>

namespace cuegrid
{

enum class MasterState : uint8_t
{
    locked,     // following a source that is locked
    flywheel,   // following a source's prediction while it is stale (within its flywheel time)
    freeRun     // the system clock: free-running from where the master was
};

const char* masterStateName (MasterState state) noexcept;

/** The master timeline at one block start. Plain data. Timecode position at sample s within the
    block: seconds + speed · (s − sample) / sampleRate (wrap it into the day to show it), or
    lineSeconds + … for arithmetic that must not see midnight. */
struct MasterTime
{
    int64_t sample = 0;          // audio sample time of the block start
    double seconds = 0.0;        // timecode seconds since 00:00:00:00: the time of day, in [0, daySeconds)
    double frames = 0.0;         // the same in frames at `fps` (drop-frame labels counted as frames)
    double lineSeconds = 0.0;    // the same on the master's continuous line: not wrapped at midnight, so
                                 // differences across 23:59:59:FF → 00:00:00:00 are plain (triggers);
                                 // equals `seconds` modulo daySeconds
    double daySeconds = 86400.0; // timecode seconds in a day at `fps` (86 399.9136 at 29.97 DF)
    double fps = 25.0;           // of the active source (the system clock keeps the last source's)
    bool dropFrame = false;
    double speed = 0.0;          // timecode seconds per audio second over this block (slew included)
    double slew = 0.0;           // the part of speed that corrects towards the source: |slew| ≤ maxSlew
    double offsetSeconds = 0.0;  // master − active source's own position (being slewed to 0, or kept)
    int activeSource = -1;       // ClockManager slot, or ClockManager::systemSource
    ClockSourceKind activeKind = ClockSourceKind::system;
    MasterState state = MasterState::freeRun;
    uint32_t failovers = 0;      // source changes forced by a failing source since prepare()
    uint32_t takeovers = 0;      // returns to a better source since prepare()
    bool everLocked = false;     // a source has been followed since prepare() (before that, 00:00:00:00 free-runs)
};

/** Something the operator should hear about. Plain data; `source` and `other` are slots
    (or ClockManager::systemSource). */
struct ClockEvent
{
    enum class Type : uint8_t
    {
        failover,           // source → other's failure made the master follow `source`; cause says why
        takeover,           // a better source came back (healthy for the hold time) and leads again
        lockLost,           // `source` went stale (a dropout): its flywheel predicts
        sourceLost,         // `source` silent past its flywheel time, or unavailable
        lockRegained,       // `source` locked (first time or again)
        discontinuity,      // `source` jumped by deltaSeconds (the master follows when it is active)
        peerDisagreement,   // MTC peers `source` and `other` are deltaSeconds apart (> 1 frame)
        peerAgreement,      // they agree again
        relocate            // the operator asked the master to jump to `source`
    };
    enum class Cause : uint8_t { none, lost, unavailable, belowQuality, differentTime, removed, betterSource, operatorRequest };

    Type type = Type::failover;
    Cause cause = Cause::none;
    int8_t source = -1;
    int8_t other = -1;
    int64_t sample = 0;          // the block start it happened at
    double deltaSeconds = 0.0;   // see Type
    double masterSeconds = 0.0;  // the master position then
    int stability = 0;           // of `other` for failovers (why it was dropped), of `source` otherwise
};

const char* clockEventTypeName (ClockEvent::Type type) noexcept;
const char* clockEventCauseName (ClockEvent::Cause cause) noexcept;

/** The master's published state. Writer: the audio thread (ClockManager::process), once per
    block, wait-free. Readers: snapshot() from any thread; popEvent() from exactly one thread
    (the message thread's controller, which writes the event log). */
class MasterTimeline
{
public:
    MasterTime snapshot() const noexcept { return master.read(); }

    /** Consumer thread only. */
    bool popEvent (ClockEvent& event) noexcept { return events.pop (event); }

    /** Events dropped because the consumer did not drain the queue. Any thread. */
    uint32_t getDroppedEvents() const noexcept { return droppedEvents.load (std::memory_order_relaxed); }

    // Audio thread only.
    void publish (const MasterTime& time) noexcept { master.write (time); }
    void push (const ClockEvent& event) noexcept
    {
        if (! events.push (event))
            droppedEvents.fetch_add (1, std::memory_order_relaxed);
    }

private:
    SeqLock<MasterTime> master;                 // writer: audio thread; readers: any
    SpscFifo<ClockEvent, 512> events;           // producer: audio thread; consumer: message thread
    std::atomic<uint32_t> droppedEvents { 0 };  // writer: audio thread; readers: any
};

} // namespace cuegrid
