// CueGrid — GPL-3.0-or-later
#pragma once

#include "Control/MirrorOffset.h"
#include "Control/MirrorProtocol.h"
#include "Control/ShowActions.h"

#include <juce_events/juce_events.h>

#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace cuegrid
{

/** The backup's side of mirroring (`CueGrid SHOW --role backup --listen PORT`): performs what
    its primary performed, at the same moment of its own timeline, and never sends anything back.

    Timing. Each heartbeat (the primary's steady_clock ns when sent; ours when it arrived) gives
    the two clocks' offset C (MirrorOffset in ns: a minimum filter over 4 s that follows drift;
    the network delay only adds). An action the primary ran at sample s, its clock's time
    T(s) (its own timeline's epoch: a cycle it lost to an xrun is accounted for), runs here at
    t = position(T(s) + C) + delay  on this engine's timeline (MirrorClock; delay: `delayMs`,
    default 20 ms, absorbs the network and the hand-over). The timelines' offset shown is
    (C + primary epoch − our epoch) × rate. Its engine commands are posted for that sample
    (ShowController::setCommandTime), so the engine runs them there exactly. When t has passed
    already (or is more than 2 s ahead: a wrong offset) the action runs at once and counts as
    late. On (re)connect the primary sends a snapshot of its playing voices; once the offset
    is known, each clip not playing here starts at the matching position (ShowController::
    triggerClip with an offset).

    Threads. One network thread owns liblo's TCP server (5 ms waits): it decodes (foreign or
    malformed messages are dropped, counted and reported on stderr), feeds heartbeats to the
    offset with the engine's position at arrival (lock-free clock marks), computes each
    action's target sample and hands it to the message thread (a mutex-guarded deque and
    juce::MessageManager::callAsync). The message thread performs them through ShowActions
    with ActionSource::mirror, shows the status and writes `mirrorStatus` events to the event
    log when the state changes. */
class MirrorReceiver final : private juce::Timer
{
public:
    struct Settings
    {
        int port = 0;
        double delayMs = 20.0;
    };

    explicit MirrorReceiver (ShowActions& actions);
    ~MirrorReceiver() override;

    /** Opens the TCP port and starts the network thread; "" or why not. Message thread. */
    std::string start (const Settings& settings);
    void stop();

    struct Status
    {
        bool heard = false;            // a heartbeat arrived once
        bool inStep = false;
        std::string problem;           // why not in step
        double offsetSamples = 0.0, offsetMs = 0.0, driftPpm = 0.0;
        double heartbeatAgeMs = -1.0;
        uint64_t commands = 0, missed = 0, late = 0, malformed = 0, heartbeats = 0;
        double lastMarginMs = 0.0, minMarginMs = 0.0;   // target − earliest possible sample, ms
        std::string primarySession;
    };
    Status getStatus() const;   // message thread

    /** "Backup: in step, offset … ms, heartbeat … ms ago, commands n, missed m" or the warning;
        `warning` when not in step. Message thread. */
    std::string describe (bool& warning) const;

private:
    struct Incoming
    {
        MirrorMessage message;
        int64_t target = 0;            // backup sample; < 0: no offset yet (run at once)
        double arrivalMs = 0.0;
        double transitMs = -1.0;       // the primary's stamp → arrival here (estimated clocks); < 0: unknown
        double offsetSamples = 0.0;    // the timelines' offset (backup − primary) when it arrived
        double clockOffsetUs = 0.0;    // the clocks' offset (backup − primary) when it arrived
    };

    void run();
    void received (const MirrorMessage& message, double arrivalMs);
    void malformed (const std::string& why);
    void drain();                      // message thread: perform what arrived
    void perform (const Incoming& incoming);
    void applySnapshot();
    void timerCallback() override;

    ShowActions& actions;
    ShowController& show;
    Settings settings;
    void* server = nullptr;            // lo_server (TCP): the network thread's after start()
    std::thread thread;
    std::atomic<bool> running { false };

    // Network thread only. The two machines' steady_clock offset, in ns (backup − primary).
    MirrorOffset clockOffset { { 1.0e9, 4.0, 60.0, 2.0, 0.25 } };

    // Network thread → message thread, and the status both update: guarded by lock.
    mutable std::mutex lock;
    std::deque<Incoming> incoming;
    std::optional<MirrorMessage> pendingSnapshot;
    bool drainPosted = false;
    int64_t primaryRun = 0;            // the primary's run id (0: none yet)
    int64_t lastSequence = 0;          // the last command number received from that run
    int64_t lastStamp = 0, lastTarget = -1;   // the last command's primary stamp and our target for it
    bool offsetKnown = false, rateMismatch = false;
    double offsetSamples = 0.0, driftPpm = 0.0, sampleRate = 48000.0;
    double clockOffsetNanos = 0.0, primaryEpochNanos = 0.0;
    int64_t lastHeartbeatNanos = 0;
    uint64_t commands = 0, missed = 0, late = 0, malformedCount = 0, heartbeats = 0;
    double lastMissOrLateMs = -1.0e9;  // juce::Time::getMillisecondCounterHiRes() of the last miss or late one
    double lastMarginMs = 0.0, minMarginMs = 0.0;
    std::string primarySession;
    int primaryClips = -1;

    // Message thread only.
    std::string loggedState;

    JUCE_DECLARE_WEAK_REFERENCEABLE (MirrorReceiver)
};

} // namespace cuegrid
