// CueGrid — GPL-3.0-or-later
#pragma once

#include "Control/MirrorProtocol.h"
#include "Control/ShowActions.h"

#include <juce_events/juce_events.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace cuegrid
{

/** The primary's side of mirroring (`CueGrid SHOW --role primary --mirror HOST:PORT`): every
    operator action ShowActions performs (ShowActions::toMirror) is sent to the backup with the
    engine sample it ran at, and a heartbeat (the engine's position and the steady_clock time
    it was read) every 100 ms.

    Threads. The message thread only queues (actionPerformed: a mutex-guarded deque, no network,
    no wait) and builds the snapshot of what plays when a backup connects. One sender thread
    owns the TCP connection (a plain socket, TCP_NODELAY; messages are liblo-encoded OSC with
    a 4-byte length prefix): it connects (500 ms timeout) and retries every second while the
    backup is gone, stamps each queued action with the block start of the engine callback that
    received its command (Engine::findClockMarkOfCommand; waits for it up to 200 ms, then sends
    the position estimated at dispatch, marked inexact), and sends. Actions queued while no
    backup is connected are dropped but keep their sequence numbers, so a backup that comes
    back counts them as missed. The audio thread is never touched (the engine's clock marks are
    lock-free reads).
*/
class MirrorSender final : private juce::Timer
{
public:
    struct Settings
    {
        std::string host;
        int port = 0;
        double heartbeatSeconds = 0.1;
        double reconnectSeconds = 1.0;
    };

    explicit MirrorSender (ShowController& controller);
    ~MirrorSender() override;

    /** Starts the sender thread; "" or why not (no host or port). Message thread. */
    std::string start (const Settings& settings);
    void stop();

    /** ShowActions::toMirror (message thread): queues the action for the backup. */
    void actionPerformed (const ShowAction& action, const ShowActions::Result& result);

    struct Stats
    {
        bool connected = false;
        uint64_t connects = 0, actionsSent = 0, actionsDropped = 0, heartbeats = 0, inexact = 0;
        double maxStampWaitMs = 0.0;       // action performed → stamped (its callback seen)
        std::string lastError;
    };
    Stats getStats() const;   // any thread

    /** "Mirror: backup 10.0.0.2:53200 connected, commands 12" or the problem; `warning` when no
        backup is connected. Message thread. */
    std::string describe (bool& warning) const;

private:
    struct Outgoing
    {
        MirrorMessage message;
        bool needsStamp = false;    // an action whose command's callback is still to be found
        uint64_t postCount = 0;     // the engine's post count right after the action
        int64_t queuedNanos = 0;
    };

    void run();
    bool connect();
    void disconnect (const std::string& why);
    bool sendMessage (const MirrorMessage& message);
    void sendHeartbeat();
    void timerCallback() override;   // message thread: the snapshot a new connection asked for, the event log
    MirrorMessage makeSnapshot() const;
    void noteShow();                 // message thread: the hello's session name and clip count

    ShowController& show;
    Settings settings;
    const int64_t runId;                    // random per start: a backup tells our reconnects from a new primary

    std::thread thread;
    std::atomic<bool> running { false };

    // Message thread → sender thread: guarded by queueLock.
    mutable std::mutex queueLock;
    std::condition_variable wake;
    std::deque<Outgoing> queue;
    int64_t nextSequence = 1;               // message thread only (assigned when queued)
    std::string helloSession;               // the show's name and clip count for the hello: written by
    int helloClips = 0;                     // the message thread, read by the sender thread (queueLock)

    // Sender thread only.
    int socket = -1;
    int64_t heartbeatSequence = 0;
    int64_t lastCommand = 0;                // the last command number sent or dropped
    int64_t nextAttemptNanos = 0, nextHeartbeatNanos = 0;

    // Sender thread → message thread: set on connect, taken by timerCallback.
    std::atomic<bool> snapshotWanted { false };

    // Written by the sender thread, read by any thread: guarded by statsLock.
    mutable std::mutex statsLock;
    Stats stats;

    bool loggedConnected = false;           // message thread: the last state written to the event log
    uint64_t loggedConnects = 0;            // message thread: the connect count written with it
    bool loggedOnce = false;
};

} // namespace cuegrid
