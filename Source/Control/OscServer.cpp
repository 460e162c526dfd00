// CueGrid — GPL-3.0-or-later
#include "OscServer.h"
#include "LoArgs.h"
#include "OscRequest.h"

#include <lo/lo.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>

namespace cuegrid
{

using namespace osc;

namespace
{
    constexpr size_t maxStringBytes = 1024;    // longer strings: refused (no clip id or passcode is this long)
    constexpr int maxArguments = 16;
    constexpr size_t maxClients = 64;           // hosts remembered (reply port, updates, /connect); more are dropped
    constexpr auto handoffTimeout = std::chrono::milliseconds (500);
    constexpr double minLevelIntervalMs = 50.0;  // pushed level updates: at most 20 a second per fader

    double nowMs() { return juce::Time::getMillisecondCounterHiRes(); }

    bool isLoopback (const std::string& host)
    {
        return host.rfind ("127.", 0) == 0 || host == "::1" || host.rfind ("::ffff:127.", 0) == 0 || host == "localhost";
    }

}

struct OscServer::Pending
{
    std::mutex lock;
    std::condition_variable done;
    bool answered = false, abandoned = false;   // guarded by lock
    Request request;
    nlohmann::json answer;
};

OscServer::OscServer (ShowActions& showActions) : actions (showActions) {}

OscServer::~OscServer() { stop(); }

std::string OscServer::start (const Settings& newSettings)
{
    stop();
    settings = newSettings;
    const auto port = std::to_string (settings.port);
    std::string error;
    auto onError = [] (int, const char*, const char*) {};
    udpServer = lo_server_new_with_proto (port.c_str(), LO_UDP, onError);
    if (udpServer == nullptr)
        return "OSC: port " + port + " is in use (UDP) by another program: OSC is not running";
    if (settings.tcp)
    {
        tcpServer = lo_server_new_with_proto (port.c_str(), LO_TCP, onError);
        if (tcpServer == nullptr)
        {
            lo_server_free ((lo_server) udpServer);
            udpServer = nullptr;
            return "OSC: port " + port + " is in use (TCP) by another program: OSC is not running";
        }
    }
    const auto handler = [] (const char* path, const char* types, lo_arg** argv, int argc, lo_message message, void* user) -> int
    {
        auto* binding = static_cast<std::pair<OscServer*, void*>*> (user);
        return binding->first->received (path, types, reinterpret_cast<void**> (argv), argc, message, binding->second);
    };
    bindings[0] = { this, udpServer };
    bindings[1] = { this, tcpServer };
    lo_server_add_method ((lo_server) udpServer, nullptr, nullptr, handler, &bindings[0]);
    if (tcpServer != nullptr)
        lo_server_add_method ((lo_server) tcpServer, nullptr, nullptr, handler, &bindings[1]);
    {
        const std::lock_guard<std::mutex> guard (statsLock);
        stats = {};
    }
    running = true;
    thread = std::thread ([this] { run(); });
    startTimerHz (50);   // levels, page, Show mode within 20 ms (a fader at most every 50 ms); clip states at 10 Hz
    return {};
}

void OscServer::stop()
{
    stopTimer();
    running = false;
    if (thread.joinable())
        thread.join();
    if (udpServer != nullptr)
        lo_server_free ((lo_server) udpServer);
    if (tcpServer != nullptr)
        lo_server_free ((lo_server) tcpServer);
    udpServer = tcpServer = nullptr;
    clients.clear();
    subscribers = 0;
}

OscServer::Stats OscServer::getStats() const
{
    const std::lock_guard<std::mutex> guard (statsLock);
    return stats;
}

void OscServer::run()
{
    juce::Thread::setCurrentThreadName ("OSC server");
    while (running)
    {
        // Each server waits at most 5 ms, so pushed updates leave within ~10 ms.
        lo_server_recv_noblock ((lo_server) udpServer, 5);
        if (tcpServer != nullptr)
            lo_server_recv_noblock ((lo_server) tcpServer, tcpServer != nullptr ? 5 : 0);

        std::deque<std::pair<std::string, std::string>> toSend;
        {
            const std::lock_guard<std::mutex> guard (updateLock);
            toSend.swap (updates);
        }
        for (const auto& [address, json] : toSend)
            for (const auto& [host, client] : clients)
                if (client.updates && client.replyPort > 0)
                    if (auto target = lo_address_new (host.c_str(), std::to_string (client.replyPort).c_str()))
                    {
                        lo_send_from (target, (lo_server) udpServer, LO_TT_IMMEDIATE, address.c_str(), "s", json.c_str());
                        lo_address_free (target);
                    }
    }
}

void OscServer::reply (void* server, void* source, const std::string& host, const std::string& address, const nlohmann::json& reply)
{
    const auto text = reply.dump();
    const auto path = "/reply" + address;
    auto client = clients.find (host);
    const auto isTcp = lo_server_get_protocol ((lo_server) server) == LO_TCP;
    if (! isTcp && client != clients.end() && client->second.replyPort > 0)
    {
        if (auto target = lo_address_new (host.c_str(), std::to_string (client->second.replyPort).c_str()))
        {
            lo_send_from (target, (lo_server) server, LO_TT_IMMEDIATE, path.c_str(), "s", text.c_str());
            lo_address_free (target);
        }
        return;
    }
    lo_send_from ((lo_address) source, (lo_server) server, LO_TT_IMMEDIATE, path.c_str(), "s", text.c_str());
}

int OscServer::received (const char* path, const char* types, void** argvRaw, int argc, void* messageRaw, void* server)
{
    const auto arrival = nowMs();
    auto** argv = reinterpret_cast<lo_arg**> (argvRaw);
    auto source = lo_message_get_source ((lo_message) messageRaw);
    const char* hostName = source != nullptr ? lo_address_get_hostname (source) : nullptr;
    const std::string host = hostName != nullptr ? hostName : "";
    {
        const std::lock_guard<std::mutex> guard (statsLock);
        ++stats.received;
    }
    const auto drop = [this]
    {
        const std::lock_guard<std::mutex> guard (statsLock);
        ++stats.dropped;
        return 0;
    };
    if (source == nullptr || path == nullptr || (! settings.allowNetwork && ! isLoopback (host)))
        return drop();   // not from this machine: not even an error reply

    Request request;
    request.address = path;
    request.arrivalMs = arrival;
    const auto refuse = [&] (const char* status, const std::string& why)
    {
        {
            const std::lock_guard<std::mutex> guard (statsLock);
            ++stats.errors;
        }
        reply (server, source, host, request.address.size() <= maxStringBytes ? request.address : "/", answer (request.address.substr (0, maxStringBytes), status, why));
        return 0;
    };
    if (request.address.size() > maxStringBytes)
        return refuse ("error", "address too long");
    if (argc > maxArguments)
        return refuse ("error", "too many arguments");
    for (int i = 0; i < argc; ++i)
    {
        switch (types[i])
        {
            case LO_INT32: request.args.emplace_back ((double) loargs::int32 (argv[i])); break;
            case LO_FLOAT: request.args.emplace_back ((double) loargs::float32 (argv[i])); break;
            case LO_DOUBLE: request.args.emplace_back (loargs::float64 (argv[i])); break;
            case LO_INT64: request.args.emplace_back ((double) loargs::int64 (argv[i])); break;
            case LO_TRUE: request.args.emplace_back (1.0); break;
            case LO_FALSE: request.args.emplace_back (0.0); break;
            case LO_STRING: case LO_SYMBOL:
            {
                const auto* text = loargs::text (argv[i]);
                const auto length = strnlen (text, maxStringBytes + 1);
                if (length > maxStringBytes)
                    return refuse ("error", "string argument too long");
                request.args.emplace_back (std::string (text, length));
                break;
            }
            default:
                return refuse ("error", std::string ("unsupported argument type '") + types[i] + "'");
        }
    }

    // Connection-level messages: answered here, on the network thread that owns `clients`.
    if (clients.find (host) == clients.end() && clients.size() >= maxClients)
        return drop();   // many senders (--osc-network): the ones already known keep working
    auto& client = clients[host];
    client.host = host;
    const auto& address = request.address;
    if (address == "/connect")
    {
        const auto* given = request.args.empty() ? nullptr : std::get_if<std::string> (&request.args[0]);
        client.connected = settings.passcode.empty() || (given != nullptr && *given == settings.passcode);
        reply (server, source, host, address, answer (address, client.connected ? "ok" : "error", client.connected ? nlohmann::json ("ok") : nlohmann::json ("badpass")));
        return 0;
    }
    if (! settings.passcode.empty() && ! client.connected)
        return refuse ("denied", "send /connect with the passcode first");
    if (address == "/cuegrid/replyPort" || address == "/udpReplyPort")
    {
        double port = 0;
        if (! numberArg (request, 0, port) || port < 1 || port > 65535)
            return refuse ("error", "expects a port number 1-65535");
        client.replyPort = (int) port;
        reply (server, source, host, address, answer (address, "ok", client.replyPort));
        return 0;
    }
    if (address == "/cuegrid/updates" || address == "/updates")
    {
        double on = 1;
        if (! request.args.empty() && ! numberArg (request, 0, on))
            return refuse ("error", "expects 1 or 0");
        if (client.replyPort <= 0)
            return refuse ("error", "send /cuegrid/replyPort first: updates go to that port");
        if (client.updates != (on != 0.0))
            subscribers += on != 0.0 ? 1 : -1;
        if (on != 0.0)
            newSubscriber = true;
        client.updates = on != 0.0;
        reply (server, source, host, address, answer (address, "ok", client.updates ? 1 : 0));
        return 0;
    }
    if (address == "/thump" || address == "/alwaysReply")
    {
        reply (server, source, host, address, answer (address, "ok"));
        return 0;
    }

    // Everything else is the show's: performed on the message thread, this thread waits.
    auto pending = std::make_shared<Pending>();
    pending->request = std::move (request);
    juce::WeakReference<OscServer> self (this);
    const bool posted = juce::MessageManager::callAsync ([self, pending]
    {
        const auto taken = nowMs();
        {
            const std::lock_guard<std::mutex> guard (pending->lock);
            if (pending->abandoned || self == nullptr)
                return;
        }
        auto result = self->handle (pending->request);
        {
            const std::lock_guard<std::mutex> guard (self->statsLock);
            self->stats.lastHandoffMs = taken - pending->request.arrivalMs;
            self->stats.maxHandoffMs = std::max (self->stats.maxHandoffMs, self->stats.lastHandoffMs);
            ++(result["status"] == "ok" ? self->stats.performed : self->stats.errors);
        }
        const std::lock_guard<std::mutex> guard (pending->lock);
        pending->answer = std::move (result);
        pending->answered = true;
        pending->done.notify_one();
    });
    if (! posted)
        return refuse ("busy", "the app is not running its message loop");
    std::unique_lock<std::mutex> wait (pending->lock);
    if (! pending->done.wait_for (wait, handoffTimeout, [&pending] { return pending->answered; }))
    {
        pending->abandoned = true;   // never performed later: the client was told "busy"
        wait.unlock();
        return refuse ("busy", "the show did not take the message within 500 ms; not performed");
    }
    const auto result = pending->answer;
    wait.unlock();
    reply (server, source, host, pending->request.address, result);
    return 0;
}


void OscServer::collectViewUpdates (std::deque<std::pair<std::string, std::string>>& changed)
{
    const auto& session = actions.getController().getSession();
    const auto now = nowMs();
    // A fader pushes at most every 50 ms (20 a second, however fast MIDI or a mouse moves it);
    // a change held back goes at the next poll after that, so the last value always goes.
    const auto due = [now] (double sentMs) { return now - sentMs >= minLevelIntervalMs; };
    const auto push = [&] (std::string address, nlohmann::json value, bool isLevel)
    {
        auto text = value.dump();
        auto& last = lastPushed[address];
        if (last.first == text || (isLevel && ! due (last.second)))
            return;
        last = { text, now };
        changed.emplace_back (std::move (address), std::move (text));
    };
    for (size_t group = 0; group < session.groups.size(); ++group)
        push ("/update/cuegrid/group/" + std::string (1, (char) ('A' + group)),
              { { "levelDb", session.groups[group].gainDb }, { "muted", session.groups[group].muted } }, true);
    push ("/update/cuegrid/master", { { "levelDb", session.master.gainDb } }, true);
    // By clip index, compared as numbers: no JSON and no lookup for the thousands of clips whose
    // level stays (50 times a second). A clip list edit shifts indices: those clips push once again.
    lastClipLevels.resize (session.clips.size());
    for (size_t i = 0; i < session.clips.size(); ++i)
    {
        const auto& clip = session.clips[i];
        auto& last = lastClipLevels[i];
        if (last.id == clip.id && (last.levelDb == clip.levelTrimDb || ! due (last.sentMs)))
            continue;
        last = { clip.id, clip.levelTrimDb, now };
        changed.emplace_back ("/update/cuegrid/clip/" + clip.id + "/level", nlohmann::json { { "levelDb", clip.levelTrimDb } }.dump());
    }
    if (actions.view)
    {
        const auto view = actions.view();
        push ("/update/cuegrid/page", { { "page", view.page + 1 }, { "tab", view.tab + 1 } }, false);
        push ("/update/cuegrid/showMode", { { "showMode", view.showMode ? 1 : 0 } }, false);
    }
}

void OscServer::timerCallback()
{
    if (subscribers.load() <= 0)
        return;
    if (newSubscriber.exchange (false))
    {
        lastClipStates.clear();
        lastClipLevels.clear();
        lastPushed.clear();
    }
    std::deque<std::pair<std::string, std::string>> changed;
    collectViewUpdates (changed);
    const auto& show = actions.getController();
    const auto& clips = show.getSession().clips;
    const bool statesDue = ticks++ % 5 == 0 || lastClipStates.empty();   // clip states at 10 Hz, as before
    for (int clip = 0; statesDue && clip < (int) clips.size(); ++clip)
    {
        const auto state = describeClip (clip);
        const std::string name = state["state"];
        auto& last = lastClipStates[clips[(size_t) clip].id];
        if (last == name)
            continue;
        last = name;
        changed.emplace_back ("/update/cuegrid/clip/" + clips[(size_t) clip].id,
                              nlohmann::json { { "state", name }, { "elapsedSec", state["elapsedSec"] }, { "remainingSec", state["remainingSec"] } }.dump());
    }
    if (changed.empty())
        return;
    const std::lock_guard<std::mutex> guard (updateLock);
    if (updates.size() < 4096)
        updates.insert (updates.end(), changed.begin(), changed.end());
}

} // namespace cuegrid
