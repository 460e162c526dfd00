// CueGrid — GPL-3.0-or-later
#pragma once

#include "Control/ShowActions.h"

#include <juce_events/juce_events.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <utility>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <variant>
#include <vector>

namespace cuegrid
{

/** CueGrid's OSC server (liblo 0.31, Debian 12): the dictionary of docs/osc.md over UDP and
    TCP (SLIP framing, OSC 1.1) on one port number.

    Threads. One network thread (started by start(), joined by stop()) owns both liblo servers:
    it receives, answers the connection-level messages itself (/connect, /cuegrid/replyPort,
    /cuegrid/updates, /thump) and hands every other message to the message thread with
    juce::MessageManager::callAsync, then waits (≤ 500 ms) for the answer and sends the reply
    from there, so every liblo call is on that one thread and a TCP reply goes back on its
    connection. The hand-over adds one message-loop wake-up (getStats().handoffMs). A client
    sends one message at a time per round trip, so a flood is throttled by the network thread
    (the kernel's socket buffer drops the excess); a message the message thread did not take
    within 500 ms is answered "busy" and never performed.

    Security. liblo 0.31 cannot bind to one interface (lo_server_new_from_config came in 0.32),
    so the server listens on every interface and drops each message whose sender is not on
    the loopback network unless `allowNetwork` is set. With a passcode, every message but
    /connect is refused ("denied") until the sender's host sent `/connect <passcode>`.

    Replies: `/reply/<address>` with one string argument, JSON {"address", "status":
    "ok"|"error"|"denied"|"busy", "data"}; to the sender's address and port, or, after
    `/cuegrid/replyPort N` (QLab: /udpReplyPort), to the sender's host at port N (a one-shot
    sender like oscsend cannot receive). Pushed state (`/cuegrid/updates 1`), polled on the
    message thread: `/update/cuegrid/clip/<id>` {"state", "elapsedSec", "remainingSec"} when a
    clip's state changes (10 Hz); `/update/cuegrid/clip/<id>/level`, `/update/cuegrid/group/<A-D>`,
    `/update/cuegrid/master` when a level (or a group's mute) changes, `/update/cuegrid/page` when
    the shown page or tab changes and `/update/cuegrid/showMode` (polled at 50 Hz; a fader moved
    from any input, the GUI's included, pushes at most every 50 ms, the last value always).
    A new subscriber gets every value on the next poll.
*/
class OscServer final : private juce::Timer
{
public:
    struct Settings
    {
        int port = 53100;             // UDP and TCP
        bool tcp = true;
        bool allowNetwork = false;    // false: loopback senders only
        std::string passcode;         // empty: no /connect needed
    };

    explicit OscServer (ShowActions& actions);
    ~OscServer() override;

    /** Opens the port and starts the network thread. "" or why not (port in use). Message thread. */
    std::string start (const Settings& settings);
    void stop();
    bool isRunning() const noexcept { return running.load(); }
    int getPort() const noexcept { return settings.port; }

    /** Counters since start() (any thread). handoffMs: network thread → message thread. */
    struct Stats
    {
        uint64_t received = 0, performed = 0, errors = 0, dropped = 0;
        double lastHandoffMs = 0.0, maxHandoffMs = 0.0;
    };
    Stats getStats() const;

    // --- The dictionary (message thread), public for unit tests ------------------------------
    using Arg = std::variant<double, std::string>;
    struct Request
    {
        std::string address;
        std::vector<Arg> args;
        double arrivalMs = -1.0;      // juce::Time::getMillisecondCounterHiRes() at receipt
    };
    /** Performs one message through ShowActions (or answers a getter) and returns the reply's
        JSON {"address", "status", "data"}. Never throws. */
    nlohmann::json handle (const Request& request);

    /** What a getter reports of a clip ({"id", "label", "state", "elapsedSec", …}). */
    nlohmann::json describeClip (int clip) const;

    /** liblo's handler for every message (network thread): `message` is a lo_message, `server`
        the lo_server it came in on. */
    int received (const char* path, const char* types, void** argv, int argc, void* message, void* server);

private:
    struct Pending;
    struct Client { std::string host; int replyPort = 0; bool updates = false; bool connected = false; };

    void timerCallback() override;
    /** Levels, page and tab, Show mode: what changed since the last poll (all after a new subscriber). */
    void collectViewUpdates (std::deque<std::pair<std::string, std::string>>& changed);
    void run();
    void reply (void* server, void* source, const std::string& host, const std::string& address, const nlohmann::json& answer);
    nlohmann::json perform (const ShowAction& action, const Request& request);

    ShowActions& actions;
    Settings settings;
    std::atomic<bool> running { false };
    std::thread thread;
    void* udpServer = nullptr;        // lo_server: the network thread's after start()
    void* tcpServer = nullptr;
    std::pair<OscServer*, void*> bindings[2];   // liblo's user data: this and its server

    // Network thread only.
    std::map<std::string, Client> clients;   // by host

    // Updates: written by the message thread (timer), sent by the network thread.
    std::mutex updateLock;
    std::deque<std::pair<std::string, std::string>> updates;   // address, JSON
    std::atomic<int> subscribers { 0 };
    std::atomic<bool> newSubscriber { false };                  // network thread sets, the timer clears: send everything again
    std::map<std::string, std::string> lastClipStates;          // message thread
    struct PushedLevel { std::string id; double levelDb = 0.0, sentMs = 0.0; };
    std::vector<PushedLevel> lastClipLevels;                               // message thread: by clip index, the level trim pushed and when (ms)
    std::map<std::string, std::pair<std::string, double>> lastPushed;      // message thread: address → JSON pushed, when (ms): groups, master, page, Show mode
    int ticks = 0;                                              // message thread

    mutable std::mutex statsLock;
    Stats stats;

    JUCE_DECLARE_WEAK_REFERENCEABLE (OscServer)
};

} // namespace cuegrid
