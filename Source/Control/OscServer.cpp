// CueGrid — GPL-3.0-or-later
#include "OscServer.h"
#include "LoArgs.h"

#include <lo/lo.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>

namespace cuegrid
{

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

    std::vector<std::string> splitAddress (const std::string& address)
    {
        std::vector<std::string> parts;
        size_t start = 1;
        while (start <= address.size())
        {
            const auto end = address.find ('/', start);
            parts.push_back (address.substr (start, end == std::string::npos ? std::string::npos : end - start));
            if (end == std::string::npos)
                break;
            start = end + 1;
        }
        return parts;
    }

    nlohmann::json answer (const std::string& address, const char* status, nlohmann::json data = nullptr)
    {
        return { { "address", address }, { "status", status }, { "data", std::move (data) } };
    }

    /** A number argument (int, float, double, int64, or a numeric string such as "-inf"). */
    bool numberArg (const OscServer::Request& request, size_t index, double& value)
    {
        if (index >= request.args.size())
            return false;
        if (const auto* number = std::get_if<double> (&request.args[index]))
        {
            value = *number;
            return true;
        }
        const auto& text = std::get<std::string> (request.args[index]);
        if (text == "-inf")
        {
            value = -144.0;
            return true;
        }
        char* end = nullptr;
        value = std::strtod (text.c_str(), &end);
        return ! text.empty() && end != nullptr && *end == '\0';
    }

    int groupOf (const std::string& name)
    {
        if (name.size() == 1)
        {
            const auto c = (char) std::toupper ((unsigned char) name[0]);
            if (c >= 'A' && c <= 'D') return c - 'A';
            if (c >= '1' && c <= '4') return c - '1';
        }
        return -1;
    }

    bool positiveInt (const std::string& text, int& value)
    {
        if (text.empty() || text.size() > 4 || ! std::all_of (text.begin(), text.end(), [] (char c) { return c >= '0' && c <= '9'; }))
            return false;
        value = std::stoi (text);
        return value >= 1;
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

nlohmann::json OscServer::describeClip (int clip) const
{
    auto& show = actions.getController();
    const auto& definition = show.getSession().clips[(size_t) clip];
    const auto state = show.getClipState (clip);
    const char* name = state.paused ? "paused" : state.fading ? "fading" : state.playing ? "playing"
                     : show.isMediaLoading (clip) ? "loading" : show.hasMedia (clip) ? "loaded" : "missing";
    return { { "id", definition.id }, { "label", definition.label }, { "state", name },
             { "elapsedSec", state.elapsedSec }, { "remainingSec", state.remainingSec },
             { "progress", state.progress }, { "levelDb", definition.levelTrimDb }, { "group", std::string (1, (char) ('A' + definition.group)) } };
}

nlohmann::json OscServer::perform (const ShowAction& action, const Request& request)
{
    const auto result = actions.perform (action, ActionSource::osc, request.arrivalMs);
    if (! result.ok)
        return answer (request.address, "error", result.reason);
    return answer (request.address, "ok");
}

nlohmann::json OscServer::handle (const Request& request)
{
    using T = ShowAction::Type;
    const auto& address = request.address;
    const auto error = [&address] (const std::string& why) { return answer (address, "error", why); };
    try
    {
        const auto parts = splitAddress (address);
        if (address.empty() || address[0] != '/' || parts.empty())
            return error ("not an OSC address");
        const auto& show = actions.getController();
        const auto& session = show.getSession();
        double number = 0.0;
        const auto optionalNumber = [&] (double fallback, double& value)
        {
            value = fallback;
            return request.args.empty() || numberArg (request, 0, value);
        };

        // QLab aliases.
        if (parts.size() == 1)
        {
            static const std::map<std::string, T> workspace { { "go", T::go }, { "panic", T::panic }, { "stop", T::stopAll },
                                                              { "pause", T::pauseAll }, { "resume", T::resumeAll } };
            if (auto found = workspace.find (parts[0]); found != workspace.end())
                return perform (ShowAction::of (found->second), request);
        }
        const auto clipVerb = [&] (const std::string& verb, const std::string& id) -> nlohmann::json
        {
            static const std::map<std::string, T> verbs { { "start", T::fire }, { "stop", T::stop }, { "pause", T::pause },
                                                          { "resume", T::resume }, { "toggle", T::togglePause },
                                                          { "togglePause", T::togglePause }, { "hardStop", T::stopNow } };
            if (auto found = verbs.find (verb); found != verbs.end())
                return perform (ShowAction::forClipId (found->second, id), request);
            const auto clip = session.findClip (id);
            if (clip < 0)
                return error ("no clip \"" + id + "\"");
            if (verb == "level")
            {
                if (request.args.empty())
                    return answer (address, "ok", session.clips[(size_t) clip].levelTrimDb);
                if (! numberArg (request, 0, number))
                    return error ("expects a level in dB (a number or \"-inf\")");
                auto action = ShowAction::forClipId (T::clipLevel, id);
                action.value = number;
                return perform (action, request);
            }
            const auto state = describeClip (clip);
            if (verb == "state") return answer (address, "ok", state);
            if (verb == "elapsed") return answer (address, "ok", state["elapsedSec"]);
            if (verb == "remaining") return answer (address, "ok", state["remainingSec"]);
            if (verb == "isRunning") return answer (address, "ok", state["state"] == "playing" || state["state"] == "fading");
            if (verb == "isPaused") return answer (address, "ok", state["state"] == "paused");
            return error ("unknown clip method \"" + verb + "\"");
        };
        if (parts.size() == 3 && parts[0] == "cue")
            return clipVerb (parts[2], parts[1]);
        if (parts[0] != "cuegrid")
            return error ("unknown address");

        if (parts.size() == 4 && parts[1] == "clip")
            return clipVerb (parts[3], parts[2]);
        if (parts.size() == 7 && parts[1] == "slot" && parts[6] == "start")
        {
            int page = 0, tab = 0, row = 0, column = 0;
            if (! positiveInt (parts[2], page) || ! positiveInt (parts[3], tab) || ! positiveInt (parts[4], row) || ! positiveInt (parts[5], column))
                return error ("slot numbers are 1-based: /cuegrid/slot/{page}/{tab}/{row}/{column}/start");
            return perform (ShowAction::forCell (T::fire, { page - 1, tab - 1, row - 1, column - 1 }), request);
        }
        if (parts.size() == 4 && parts[1] == "group")
        {
            const auto group = groupOf (parts[2]);
            if (group < 0)
                return error ("group must be A-D");
            const auto& verb = parts[3];
            if (verb == "level")
            {
                if (request.args.empty())
                    return answer (address, "ok", session.groups[(size_t) group].gainDb);
                if (! numberArg (request, 0, number))
                    return error ("expects a level in dB (a number or \"-inf\")");
                return perform (ShowAction::forGroup (T::groupLevel, group, number), request);
            }
            if (verb == "mute")
            {
                if (request.args.empty())
                    return answer (address, "ok", session.groups[(size_t) group].muted ? 1 : 0);
                if (! numberArg (request, 0, number))
                    return error ("expects 1 (mute) or 0");
                return perform (ShowAction::forGroup (T::groupMute, group, number != 0.0 ? 1.0 : 0.0), request);
            }
            if (verb == "stop")
                return perform (ShowAction::forGroup (T::groupStop, group), request);
            if (verb == "fade")
            {
                if (! optionalNumber (1.0, number) || number < 0.0 || number > 60.0)
                    return error ("expects a fade time in seconds (0-60)");
                return perform (ShowAction::forGroup (T::groupFade, group, number), request);
            }
            return error ("unknown group method \"" + verb + "\"");
        }
        if (parts.size() == 3 && parts[1] == "master" && parts[2] == "level")
        {
            if (request.args.empty())
                return answer (address, "ok", session.master.gainDb);
            if (! numberArg (request, 0, number))
                return error ("expects a level in dB (a number or \"-inf\")");
            return perform (ShowAction::of (T::masterLevel, number), request);
        }
        if (parts.size() == 2)
        {
            const auto& verb = parts[1];
            if (verb == "stopAll") return perform (ShowAction::of (T::stopAll), request);
            if (verb == "pauseAll") return perform (ShowAction::of (T::pauseAll), request);
            if (verb == "resumeAll") return perform (ShowAction::of (T::resumeAll), request);
            if (verb == "panic") return perform (ShowAction::of (T::panic), request);
            if (verb == "go") return perform (ShowAction::of (T::go), request);
            if (verb == "fadeAll")
            {
                if (! optionalNumber (1.0, number) || number < 0.0 || number > 60.0)
                    return error ("expects a fade time in seconds (0-60)");
                return perform (ShowAction::of (T::fadeAll, number), request);
            }
            if (verb == "showMode")
            {
                if (request.args.empty())
                {
                    if (! actions.view)
                        return error ("no window");
                    return answer (address, "ok", actions.view().showMode ? 1 : 0);
                }
                if (! numberArg (request, 0, number) || (number != 0.0 && number != 1.0))
                    return error ("expects 1 (Show mode on) or 0 (off)");
                return perform (ShowAction::of (T::showMode, number), request);
            }
            if (verb == "page" || verb == "tab")
            {
                const auto isPage = verb == "page";
                if (request.args.empty())
                {
                    if (! actions.view)
                        return error ("no window");
                    const auto view = actions.view();
                    return answer (address, "ok", (isPage ? view.page : view.tab) + 1);
                }
                if (const auto* text = std::get_if<std::string> (&request.args[0]); text != nullptr && (*text == "next" || *text == "previous"))
                    return perform (ShowAction::of (*text == "next" ? (isPage ? T::nextPage : T::nextTab) : (isPage ? T::previousPage : T::previousTab)), request);
                if (! numberArg (request, 0, number) || number < 1 || number > 1000 || number != std::floor (number))
                    return error ("expects a " + verb + " number (1-based), \"next\" or \"previous\"");
                return perform (ShowAction::of (isPage ? T::page : T::tab, number - 1), request);
            }
            if (verb == "playing")
            {
                auto list = nlohmann::json::array();
                for (const auto clip : show.getActiveClips())
                    list.push_back (describeClip (clip));
                return answer (address, "ok", list);
            }
            if (verb == "clips")
            {
                auto list = nlohmann::json::array();
                for (const auto& clip : session.clips)
                    list.push_back ({ { "id", clip.id }, { "label", clip.label } });
                return answer (address, "ok", list);
            }
            if (verb == "stats")
            {
                const auto s = getStats();
                return answer (address, "ok", { { "received", s.received }, { "performed", s.performed }, { "errors", s.errors },
                                                { "dropped", s.dropped }, { "lastHandoffMs", s.lastHandoffMs }, { "maxHandoffMs", s.maxHandoffMs } });
            }
        }
        return error ("unknown address");
    }
    catch (const std::exception& e)
    {
        return error (std::string ("internal error: ") + e.what());
    }
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
