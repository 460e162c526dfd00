// CueGrid — GPL-3.0-or-later
// The clock manager: every timecode source's flywheel and health, the choice of the source the
// master follows, failover and takeover without a jump. docs/clock.md, "Clock manager".
#pragma once

#include "ClockSource.h"
#include "Flywheel.h"
#include "MasterTimeline.h"
#include "SourceHealth.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>

namespace cuegrid
{

/** What the operator sets in the preferences. Plain data. */
struct ClockSettings
{
    /** Best first, every kind once. The built-in system clock is always healthy, so kinds listed
        after it are never followed once a source has locked. */
    std::array<ClockSourceKind, 4> priority { ClockSourceKind::ltc, ClockSourceKind::mtc, ClockSourceKind::ptp,
                                              ClockSourceKind::system };
    double flywheelSeconds = 1.0;   // a silent source predicts for this long before it counts as lost
    double holdSeconds = 2.0;       // a better source must be locked this long (and healthy then) to take back over
    double maxSlew = 0.005;         // the master corrects towards its source at most at this speed deviation (0.5 %)
    bool returnToBetter = true;     // false: after a (first) failover the master stays on the source it went to
    bool slewOffsetToZero = true;   // false: keep the offset found at a switch (the master keeps its own time)
    int qualityThreshold = 50;      // stability below this makes a source unfit (0–100)
    double bandwidthHz = 0.5;       // the flywheels' DLL bandwidth (Ardour's); taken when a source starts (added, prepare)
};

/** Follows every timecode source and publishes one master timeline.

    Threads:
    - message thread: prepare() (audio stopped), setSettings(), addSource(), removeSource(),
      requestRelocate(), popEvent().
    - each source's own thread: getSource(slot)->publish() (see ClockSource).
    - audio thread: process(), once per block. No allocation, lock, I/O or exception.
    - any thread: getMaster(), getHealth().

    Every source runs all the time (as Ardour's run-all-transport-masters-always), so a failover
    target is warm: its flywheel and health are current when it is needed. */
class ClockManager
{
public:
    static constexpr int maxSources = 16;
    static constexpr int systemSource = -1;
    static constexpr double startupGraceSeconds = 0.1;

    ClockManager();

    /** Message thread, with the audio thread stopped. Forgets every source's state (sources stay).
        Without `newSettings` the operator's settings stay: the last ones given, or set since
        (a device restart must not reset the priority list or the thresholds). */
    void prepare (double sampleRate, std::optional<ClockSettings> newSettings = std::nullopt);

    /** Message thread: applied at the next block. False when the queue is full (try again later). */
    bool setSettings (const ClockSettings& newSettings) noexcept { return settingsQueue.push (newSettings); }

    /** Message thread: a slot for a new source (its state starts at the next block), or −1 when all
        16 are in use or kind is system (the system clock is built in). `name` is copied (31 bytes). */
    int addSource (ClockSourceKind kind, const char* name) noexcept;

    /** Message thread: the source's thread must have stopped publishing. The slot is freed by the
        next block (the master fails over first if it followed it). */
    void removeSource (int slot) noexcept;

    /** The hand-off a source's thread publishes into; nullptr for a bad slot. Any thread. */
    ClockSource* getSource (int slot) noexcept;

    /** Any thread: at the next block the master jumps to the best healthy source (offset 0): the
        operator's way out of a long slew after the show was restarted elsewhere. */
    void requestRelocate() noexcept { relocateRequested.store (true, std::memory_order_release); }

    /** Audio thread: the block starting at audio sample `blockStart`, `numSamples` long. */
    void process (int64_t blockStart, int numSamples) noexcept;

    /** Any thread. */
    MasterTime getMaster() const noexcept { return timeline.snapshot(); }
    SourceHealth getHealth (int slot) const noexcept;

    /** Message thread (the one consumer). */
    bool popEvent (ClockEvent& event) noexcept { return timeline.popEvent (event); }
    MasterTimeline& getTimeline() noexcept { return timeline; }

private:
    enum Lifecycle : int { slotFree = 0, slotClaimed = 1, slotLive = 2, slotRetiring = 3 };

    struct Slot
    {
        std::atomic<int> lifecycle { slotFree };   // writer: message thread (free→claimed→live, →retiring), audio (retiring→free)
        ClockSourceKind kind = ClockSourceKind::ltc;   // written by the message thread before `live`, then read-only
        char name[SourceHealth::nameLength] {};        // likewise
        ClockSource source;                            // see ClockSource
        SeqLock<SourceHealth> health;                  // writer: audio thread; readers: any
    };

    /** One source's audio-thread state. */
    struct Tracker
    {
        bool live = false, removing = false;
        Flywheel flywheel;
        HealthMeter meter;
        SourceState state = SourceState::none;
        bool hasLast = false;
        ClockObservation last;
        bool pendingJump = false;       // a discontinuity seen; the relock that follows it moves the master if active
        uint32_t dropouts = 0, discontinuitiesSeen = 0, outliersSeen = 0;   // the flywheel's counts, mirrored
        uint32_t locates = 0;           // resync observations far from the line (MTC full frames)
        int stability = 0;
        bool validated = false;         // settled since its last lock, with 8 errors measured: stability means something
        bool healthy = false;
        int64_t lockedSince = -1;       // block start since which it has been locked and not unfit, −1: not
        double position = 0.0;          // timecode seconds at this block's start (when it has a line)
        uint32_t disagreeMask = 0;      // bit j: more than a frame away from MTC peer j
        bool differentTime = false;     // an MTC peer outside the majority of agreeing peers
    };

    void applySettings() noexcept;
    void startTracker (int slot) noexcept;
    void observe (int slot, const ClockObservation& observation) noexcept;
    void updateState (int slot, int64_t blockStart, int numSamples) noexcept;
    void comparePeers (int64_t blockStart) noexcept;
    int rankOf (int slot) const noexcept;
    int bestHealthy (int excluding, bool withSystem, bool lockedIsEnough) const noexcept;
    double positionOf (int slot, int64_t sample) const noexcept;
    double speedOf (int slot) const noexcept;
    double masterContinuation (int64_t sample) const noexcept;
    /** The slot's position at `sample` on the day nearest `reference` (seconds). */
    double positionNear (int slot, int64_t sample, double reference) const noexcept;
    /** Returns the master's offset from the new source (keepContinuity) or the jump (not). */
    double switchTo (int slot, int64_t blockStart, bool keepContinuity) noexcept;
    void publishHealth (int slot, int64_t blockStart) noexcept;
    void freeSlot (int slot, int64_t blockStart) noexcept;
    void event (ClockEvent::Type type, ClockEvent::Cause cause, int source, int other, int64_t sample,
                double delta, int stability) noexcept;

    std::array<Slot, maxSources> slots;
    std::array<Tracker, maxSources> trackers;   // audio thread only (prepare() on the message thread with audio stopped)

    SpscFifo<ClockSettings, 8> settingsQueue;   // producer: message thread; consumer: audio thread
    std::atomic<bool> relocateRequested { false };   // writer: any thread; reader/clearer: audio thread
    MasterTimeline timeline;

    // Audio thread only.
    ClockSettings settings;
    double rate = 48000.0;
    int active = systemSource;
    double keptOffset = 0.0;                 // the master's target: active source + this (0 unless the offset is kept)
    bool jumpMaster = false;
    int64_t firstLockSince = -1;             // before the first lock: since when some source is locked                 // the next block starts at the target, not the master's continuation
    int64_t systemAnchorSample = 0;          // the system clock's line: free-running from the master
    double systemAnchorSeconds = 0.0, systemSpeed = 1.0;
    double lastSpeed = 1.0, lastFps = 25.0;
    bool lastDropFrame = false;
    double lineSeconds = 0.0;                // the master's continuous line at master.sample (not wrapped at midnight)
    MasterTime master;
};

} // namespace cuegrid
