// CueGrid — GPL-3.0-or-later
#include "MirrorSender.h"

#include "Control/MirrorClock.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

namespace cuegrid
{

namespace
{
    constexpr size_t maxQueued = 4096;              // actions waiting; more are dropped (counted)
    constexpr int64_t stampTimeoutNanos = 200'000'000;
    constexpr int connectTimeoutMs = 500;

    int64_t randomRun()
    {
        std::random_device device;
        return (int64_t) (((uint64_t) device() << 31) ^ device()) & 0x7fffffffffffffff;
    }

    bool needsEngine (ShowAction::Type type)
    {
        using T = ShowAction::Type;
        switch (type)
        {
            case T::page: case T::nextPage: case T::previousPage:
            case T::tab: case T::nextTab: case T::previousTab: case T::showMode:
                return false;   // UI only: posts no engine command
            default:
                return true;
        }
    }
}

MirrorSender::MirrorSender (ShowController& controller) : show (controller), runId (randomRun()) {}

MirrorSender::~MirrorSender() { stop(); }

std::string MirrorSender::start (const Settings& newSettings)
{
    stop();
    if (newSettings.host.empty() || newSettings.port < 1 || newSettings.port > 65535)
        return "--mirror: expected HOST:PORT (port 1-65535)";
    settings = newSettings;
    noteShow();
    running = true;
    thread = std::thread ([this] { run(); });
    startTimerHz (10);
    return {};
}

void MirrorSender::stop()
{
    stopTimer();
    running = false;
    wake.notify_all();
    if (thread.joinable())
        thread.join();
}

MirrorSender::Stats MirrorSender::getStats() const
{
    const std::lock_guard<std::mutex> guard (statsLock);
    return stats;
}

void MirrorSender::actionPerformed (const ShowAction& action, const ShowActions::Result& result)
{
    // GO fires the primary's selection, a toggle fired or stopped: the backup does what was done.
    const auto type = action.type == ShowAction::Type::go ? ShowAction::Type::fire
                                                           : result.performedAs.value_or (action.type);
    if (! running || ! mirror::isMirrored (type))
        return;
    Outgoing out;
    auto& m = out.message;
    m.kind = MirrorMessage::Kind::action;
    m.action.type = type;
    m.action.group = action.group;
    m.action.value = action.value;
    const auto& clips = show.getSession().clips;
    if (m.action.isClipAction())
    {
        if (result.clip < 0 || result.clip >= (int) clips.size())
            return;
        m.action.clipId = clips[(size_t) result.clip].id;   // by id: indices and cells are the primary's
    }
    out.queuedNanos = mirrorclock::nowNanos();
    out.needsStamp = needsEngine (m.action.type);
    out.postCount = show.getEngine().getCommandsPosted();
    // The estimate, for an action that posts nothing or whose callback is not found.
    int64_t nanos = 0;
    const auto timeline = mirrorclock::timelineNow (show.getEngine(), nanos);
    m.stamp = timeline ? (int64_t) std::llround (timeline->positionAt ((double) nanos)) : 0;
    m.stampNanos = nanos;
    m.exact = false;
    {
        const std::lock_guard<std::mutex> guard (queueLock);
        m.sequence = nextSequence++;
        if (queue.size() >= maxQueued)
        {
            const std::lock_guard<std::mutex> statsGuard (statsLock);
            ++stats.actionsDropped;
            return;
        }
        queue.push_back (std::move (out));
    }
    wake.notify_one();
}

void MirrorSender::run()
{
    juce::Thread::setCurrentThreadName ("Mirror sender");
    while (running)
    {
        std::deque<Outgoing> ready;
        {
            std::unique_lock<std::mutex> lock (queueLock);
            // 1 ms while an action waits for its callback; else 10 ms (heartbeats, a closed
            // connection, reconnects), or at once when an action is queued.
            wake.wait_for (lock, std::chrono::milliseconds (queue.empty() ? 10 : 1));
            // Stamp in order: an action waits for its callback, and the ones after it wait too.
            int64_t now = 0;
            const auto timeline = mirrorclock::timelineNow (show.getEngine(), now);
            while (! queue.empty())
            {
                auto& front = queue.front();
                if (front.needsStamp)
                {
                    EngineClockMark mark;
                    if (timeline && show.getEngine().findClockMarkOfCommand (front.postCount, mark))
                    {
                        front.message.stamp = mark.blockStart;
                        front.message.stampNanos = (int64_t) std::llround (timeline->nanosAt ((double) mark.blockStart));
                        front.message.exact = true;
                        const std::lock_guard<std::mutex> guard (statsLock);
                        stats.maxStampWaitMs = std::max (stats.maxStampWaitMs, (double) (now - front.queuedNanos) / 1.0e6);
                    }
                    else if (now - front.queuedNanos < stampTimeoutNanos)
                        break;
                }
                ready.push_back (std::move (front));
                queue.pop_front();
            }
        }

        const auto now = mirrorclock::nowNanos();
        if (socket < 0 && now >= nextAttemptNanos)
        {
            nextAttemptNanos = now + (int64_t) (settings.reconnectSeconds * 1.0e9);
            if (connect())
            {
                MirrorMessage hello;
                hello.kind = MirrorMessage::Kind::hello;
                hello.run = runId;
                {
                    const std::lock_guard<std::mutex> guard (queueLock);
                    hello.session = helloSession;
                    hello.clips = helloClips;
                }
                hello.lastCommand = lastCommand;
                if (sendMessage (hello))
                {
                    snapshotWanted = true;
                    sendHeartbeat();   // an offset estimate as early as possible
                }
            }
        }

        for (auto& out : ready)
        {
            if (out.message.kind == MirrorMessage::Kind::action)
            {
                lastCommand = std::max (lastCommand, out.message.sequence);
                if (! out.message.exact)
                {
                    const std::lock_guard<std::mutex> guard (statsLock);
                    ++stats.inexact;
                }
            }
            const auto sent = socket >= 0 && sendMessage (out.message);
            if (out.message.kind == MirrorMessage::Kind::action)
            {
                const std::lock_guard<std::mutex> guard (statsLock);
                ++(sent ? stats.actionsSent : stats.actionsDropped);
            }
        }

        if (socket >= 0)
        {
            // The backup never writes: readable means it closed (or reset) the connection.
            pollfd fd { socket, POLLIN, 0 };
            if (::poll (&fd, 1, 0) > 0)
            {
                char byte;
                if (::recv (socket, &byte, 1, MSG_DONTWAIT) <= 0)
                    disconnect ("the backup closed the connection");
            }
        }
        if (socket >= 0 && now >= nextHeartbeatNanos)
            sendHeartbeat();
    }
    if (socket >= 0)
        disconnect ({});
}

void MirrorSender::sendHeartbeat()
{
    nextHeartbeatNanos = mirrorclock::nowNanos() + (int64_t) (settings.heartbeatSeconds * 1.0e9);
    int64_t nanos = 0;
    const auto timeline = mirrorclock::timelineNow (show.getEngine(), nanos);
    if (! timeline)
        return;   // no device running: no timeline to compare
    MirrorMessage beat;
    beat.kind = MirrorMessage::Kind::heartbeat;
    beat.sequence = ++heartbeatSequence;
    beat.run = runId;
    beat.lastCommand = lastCommand;
    beat.position = timeline->positionAt ((double) nanos);
    beat.nanos = nanos;
    beat.sampleRate = timeline->sampleRate;
    if (sendMessage (beat))
    {
        const std::lock_guard<std::mutex> guard (statsLock);
        ++stats.heartbeats;
    }
}

bool MirrorSender::connect()
{
    addrinfo hints {};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const auto port = std::to_string (settings.port);
    if (const auto error = ::getaddrinfo (settings.host.c_str(), port.c_str(), &hints, &found); error != 0 || found == nullptr)
    {
        const std::lock_guard<std::mutex> guard (statsLock);
        stats.lastError = "cannot resolve " + settings.host + ": " + gai_strerror (error);
        return false;
    }
    const auto fail = [&] (const std::string& why)
    {
        if (socket >= 0)
            ::close (socket);
        socket = -1;
        ::freeaddrinfo (found);
        const std::lock_guard<std::mutex> guard (statsLock);
        stats.lastError = why;
        return false;
    };
    socket = ::socket (found->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (socket < 0)
        return fail (std::string ("socket: ") + std::strerror (errno));
    if (::connect (socket, found->ai_addr, found->ai_addrlen) != 0 && errno != EINPROGRESS)
        return fail (std::string ("connect: ") + std::strerror (errno));
    pollfd fd { socket, POLLOUT, 0 };
    if (::poll (&fd, 1, connectTimeoutMs) <= 0)
        return fail ("connect: no answer within 500 ms");
    int error = 0;
    socklen_t length = sizeof (error);
    ::getsockopt (socket, SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0)
        return fail (std::string ("connect: ") + std::strerror (error));
    ::freeaddrinfo (found);
    // Blocking sends with a timeout from here; no Nagle delay for the small messages.
    ::fcntl (socket, F_SETFL, ::fcntl (socket, F_GETFL) & ~O_NONBLOCK);
    const int one = 1;
    ::setsockopt (socket, IPPROTO_TCP, TCP_NODELAY, &one, sizeof (one));
    timeval timeout { 0, 500'000 };
    ::setsockopt (socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof (timeout));
    const std::lock_guard<std::mutex> guard (statsLock);
    stats.connected = true;
    ++stats.connects;
    stats.lastError.clear();
    return true;
}

void MirrorSender::disconnect (const std::string& why)
{
    ::close (socket);
    socket = -1;
    nextAttemptNanos = mirrorclock::nowNanos() + (int64_t) (settings.reconnectSeconds * 1.0e9);
    const std::lock_guard<std::mutex> guard (statsLock);
    stats.connected = false;
    if (! why.empty())
        stats.lastError = why;
}

bool MirrorSender::sendMessage (const MirrorMessage& message)
{
    const auto bytes = mirror::encode (message);
    size_t done = 0;
    while (done < bytes.size())
    {
        const auto sent = ::send (socket, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (sent <= 0)
        {
            disconnect (std::string ("send: ") + (sent < 0 ? std::strerror (errno) : "closed"));
            return false;
        }
        done += (size_t) sent;
    }
    return ! bytes.empty();
}

MirrorMessage MirrorSender::makeSnapshot() const
{
    MirrorMessage snapshot;
    snapshot.kind = MirrorMessage::Kind::snapshot;
    const auto status = show.getEngine().getVoiceStatus();
    snapshot.stamp = status.samplePosition;   // the voices' positions are as of this sample
    int64_t nanos = 0;
    if (const auto timeline = mirrorclock::timelineNow (show.getEngine(), nanos))
        snapshot.stampNanos = (int64_t) std::llround (timeline->nanosAt ((double) snapshot.stamp));
    const auto& clips = show.getSession().clips;
    for (int i = 0; i < VoiceStatus::groupVoiceSlots; ++i)
    {
        const auto& voice = status.voices[(size_t) i];
        if (voice.clipSlot < 0 || voice.stopping || voice.paused)
            continue;   // a fading or paused voice is not caught up with (docs/control.md)
        for (int clip = 0; clip < (int) clips.size(); ++clip)
            if (show.engineSlotOf (clip) == voice.clipSlot)
                snapshot.playing.push_back ({ clips[(size_t) clip].id, voice.position });
    }
    return snapshot;
}

void MirrorSender::noteShow()
{
    const std::lock_guard<std::mutex> guard (queueLock);
    helloSession = show.getSessionPath().empty() ? std::string() : juce::File (show.getSessionPath()).getFileNameWithoutExtension().toStdString();
    helloClips = (int) show.getSession().clips.size();
}

void MirrorSender::timerCallback()
{
    noteShow();   // another show opened, clips added
    if (snapshotWanted.exchange (false))
    {
        Outgoing out;
        out.message = makeSnapshot();
        out.queuedNanos = mirrorclock::nowNanos();
        {
            const std::lock_guard<std::mutex> guard (queueLock);
            queue.push_back (std::move (out));
        }
        wake.notify_one();
    }
    const auto s = getStats();
    // Every change of the link, including a reconnect between two timer ticks (connects moved on).
    if (! loggedOnce || s.connected != loggedConnected || s.connects != loggedConnects)
    {
        loggedOnce = true;
        loggedConnected = s.connected;
        loggedConnects = s.connects;
        nlohmann::ordered_json line;
        line["event"] = "mirrorLink";
        line["role"] = "primary";
        line["backup"] = settings.host + ":" + std::to_string (settings.port);
        line["connected"] = s.connected;
        line["connects"] = s.connects;
        line["sent"] = s.actionsSent;
        line["dropped"] = s.actionsDropped;
        if (! s.connected && ! s.lastError.empty())
            line["reason"] = s.lastError;
        show.writeEventLog (line);
    }
}

std::string MirrorSender::describe (bool& warning) const
{
    const auto s = getStats();
    const auto where = settings.host + ":" + std::to_string (settings.port);
    warning = ! s.connected;
    if (! s.connected)
        return "Mirror: no backup at " + where + (s.lastError.empty() ? std::string() : " (" + s.lastError + ")")
               + ", commands not sent " + std::to_string (s.actionsDropped);
    return "Mirror: backup " + where + " connected, commands " + std::to_string (s.actionsSent);
}

} // namespace cuegrid
