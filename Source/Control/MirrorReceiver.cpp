// CueGrid — GPL-3.0-or-later
#include "MirrorReceiver.h"

#include "Control/MirrorClock.h"
#include "Session/ClipPlayback.h"

#include <lo/lo.h>

#include <cmath>
#include <cstdio>

namespace cuegrid
{

namespace
{
    constexpr double heartbeatTimeoutMs = 1000.0;   // older: the backup warns
    constexpr double warnAfterMissMs = 10000.0;     // a miss or a late command warns this long
    constexpr double maxAheadSeconds = 2.0;         // a target further ahead: a wrong offset, run at once

    double nowMs() { return juce::Time::getMillisecondCounterHiRes(); }

    /** The earliest sample an engine command posted now can run at: after the callback under
        way (its block is rendered already), with one more block of margin for the hand-over. */
    std::optional<int64_t> earliestSample (const Engine& engine)
    {
        EngineClockMark mark;
        if (engine.getClockMarks (&mark, 1) == 0)
            return std::nullopt;
        return mark.blockStart + 2 * (int64_t) mark.frames;
    }
}

MirrorReceiver::MirrorReceiver (ShowActions& showActions) : actions (showActions), show (showActions.getController()) {}

MirrorReceiver::~MirrorReceiver() { stop(); }

std::string MirrorReceiver::start (const Settings& newSettings)
{
    stop();
    settings = newSettings;
    if (settings.port < 1 || settings.port > 65535)
        return "--listen: expected a port 1-65535";
    const auto port = std::to_string (settings.port);
    server = lo_server_new_with_proto (port.c_str(), LO_TCP, [] (int, const char*, const char*) {});
    if (server == nullptr)
        return "mirror: TCP port " + port + " is not free";
    const auto handler = [] (const char* path, const char* types, lo_arg** argv, int argc, lo_message, void* user) -> int
    {
        auto* self = static_cast<MirrorReceiver*> (user);
        const auto arrival = nowMs();
        std::string error;
        if (auto message = mirror::decode (path, types, reinterpret_cast<void* const*> (argv), argc, error))
            self->received (*message, arrival);
        else
            self->malformed (error);
        return 0;
    };
    lo_server_add_method ((lo_server) server, nullptr, nullptr, handler, this);
    clockOffset.reset();
    running = true;
    thread = std::thread ([this] { run(); });
    startTimerHz (10);
    return {};
}

void MirrorReceiver::stop()
{
    stopTimer();
    running = false;
    if (thread.joinable())
        thread.join();
    if (server != nullptr)
        lo_server_free ((lo_server) server);
    server = nullptr;
}

void MirrorReceiver::run()
{
    juce::Thread::setCurrentThreadName ("Mirror receiver");
    while (running)
        lo_server_recv_noblock ((lo_server) server, 5);
}

void MirrorReceiver::malformed (const std::string& why)
{
    uint64_t count = 0;
    {
        const std::lock_guard<std::mutex> guard (lock);
        count = ++malformedCount;
    }
    // Reported, but a flood does not flood stderr: the first ten, then every thousandth.
    if (count <= 10 || count % 1000 == 0)
        std::fprintf (stderr, "CueGrid: mirror: dropped a message (%llu so far): %s\n", (unsigned long long) count, why.c_str());
}

void MirrorReceiver::received (const MirrorMessage& message, double arrivalMs)
{
    using K = MirrorMessage::Kind;
    int64_t nanos = 0;
    const auto here = mirrorclock::timelineNow (show.getEngine(), nanos);   // this engine's timeline
    bool post = false;
    {
        const std::lock_guard<std::mutex> guard (lock);
        if (message.kind == K::hello)
        {
            if (message.run == primaryRun)
            {
                // The same primary again: what it sent while we were apart is missed.
                if (message.lastCommand > lastSequence)
                {
                    missed += (uint64_t) (message.lastCommand - lastSequence);
                    lastMissOrLateMs = arrivalMs;
                }
            }
            else
            {
                // Another primary (or its restart): a new timeline, a new count.
                primaryRun = message.run;
                lastTarget = -1;
                clockOffset.reset();
                offsetKnown = false;
            }
            lastSequence = message.lastCommand;
            primarySession = message.session;
            primaryClips = message.clips;
            return;
        }
        if (message.kind == K::heartbeat)
        {
            if (message.run != primaryRun)
                return;   // never said hello on this connection
            ++heartbeats;
            lastHeartbeatNanos = nanos;
            if (message.lastCommand > lastSequence)
            {
                missed += (uint64_t) (message.lastCommand - lastSequence);   // dropped by the primary's queue
                lastSequence = message.lastCommand;
                lastMissOrLateMs = arrivalMs;
            }
            rateMismatch = here && std::abs (message.sampleRate - here->sampleRate) > 0.5;
            // The clocks' offset (network delay only adds); the timelines' offset follows from
            // the two epochs, each side's own (xruns included).
            clockOffset.add ((double) message.nanos, (double) nanos);
            primaryEpochNanos = (double) message.nanos - message.position * 1.0e9 / message.sampleRate;
            offsetKnown = clockOffset.hasEstimate() && here && ! rateMismatch;
            if (here)
            {
                sampleRate = here->sampleRate;
                clockOffsetNanos = clockOffset.offsetAt ((double) nanos);
                offsetSamples = (clockOffsetNanos + primaryEpochNanos - here->epochNanos) * sampleRate / 1.0e9;
                driftPpm = clockOffset.getDrift() * 1.0e6;
            }
            return;
        }
        if (message.kind == K::snapshot)
        {
            pendingSnapshot = message;
            post = ! drainPosted;
            drainPosted = true;
        }
        if (message.kind == K::action)
        {
            ++commands;
            if (lastSequence > 0 && message.sequence > lastSequence + 1)
            {
                missed += (uint64_t) (message.sequence - lastSequence - 1);
                lastMissOrLateMs = arrivalMs;
            }
            lastSequence = std::max (lastSequence, message.sequence);
            Incoming in;
            in.message = message;
            in.arrivalMs = arrivalMs;
            // The primary's moment of the stamp on this machine's clock, on this timeline, plus the delay.
            in.target = offsetKnown && here ? (int64_t) std::llround (here->positionAt ((double) message.stampNanos + clockOffset.offsetAt ((double) nanos))
                                                                     + settings.delayMs * sampleRate / 1000.0)
                                           : -1;
            // Commands the primary ran at one sample run at one sample here too, and never in
            // another order: the offset may move by a fraction of a sample between them. (A
            // larger step is a timeline that restarted: taken as it is.)
            if (in.target >= 0 && lastTarget >= 0 && std::abs (in.target - lastTarget) <= 64 && message.stamp >= lastStamp)
                in.target = message.stamp == lastStamp ? lastTarget : std::max (in.target, lastTarget);
            if (in.target >= 0)
            {
                lastStamp = message.stamp;
                lastTarget = in.target;
            }
            if (offsetKnown)
                in.transitMs = ((double) nanos - (double) message.stampNanos - clockOffset.offsetAt ((double) nanos)) / 1.0e6;
            in.offsetSamples = offsetSamples;
            in.clockOffsetUs = clockOffsetNanos / 1000.0;
            incoming.push_back (std::move (in));
            post = ! drainPosted;
            drainPosted = true;
        }
    }
    if (post)
    {
        juce::WeakReference<MirrorReceiver> self (this);
        juce::MessageManager::callAsync ([self] { if (self != nullptr) self->drain(); });
    }
}

void MirrorReceiver::drain()
{
    std::deque<Incoming> taken;
    {
        const std::lock_guard<std::mutex> guard (lock);
        taken.swap (incoming);
        drainPosted = false;
    }
    for (const auto& in : taken)
        perform (in);
    applySnapshot();
}

void MirrorReceiver::perform (const Incoming& in)
{
    const auto earliest = earliestSample (show.getEngine());
    const auto rate = show.getSampleRate();
    const auto marginMs = earliest && in.target >= 0 ? (double) (in.target - *earliest) * 1000.0 / rate : 0.0;
    const auto onTime = earliest && in.target >= 0 && in.target >= *earliest && marginMs <= maxAheadSeconds * 1000.0;
    if (onTime)
        show.setCommandTime (in.target);
    const auto result = actions.perform (in.message.action, ActionSource::mirror, in.arrivalMs);
    show.setCommandTime (immediately);
    {
        const std::lock_guard<std::mutex> guard (lock);
        if (! onTime)
        {
            ++late;
            lastMissOrLateMs = nowMs();
        }
        lastMarginMs = marginMs;
        minMarginMs = commands <= 1 ? marginMs : std::min (minMarginMs, marginMs);
    }
    nlohmann::ordered_json line;
    line["event"] = "mirrorCommand";
    line["sequence"] = in.message.sequence;
    line["type"] = (int) in.message.action.type;
    if (! in.message.action.clipId.empty())
        line["clip"] = in.message.action.clipId;
    line["primarySample"] = in.message.stamp;
    line["exact"] = in.message.exact;
    line["targetSample"] = onTime ? nlohmann::ordered_json (in.target) : nlohmann::ordered_json (nullptr);
    line["late"] = ! onTime;
    line["marginMs"] = std::round (marginMs * 1000.0) / 1000.0;
    // Where the delay went: the primary's stamp → arrival (the sender's wait for its callback
    // and the network), and arrival → performed here (the hand-over to the message thread).
    line["offsetSamples"] = std::round (in.offsetSamples * 10.0) / 10.0;
    line["clockOffsetUs"] = std::round (in.clockOffsetUs * 10.0) / 10.0;
    line["transitMs"] = in.transitMs < 0.0 ? nlohmann::ordered_json (nullptr) : nlohmann::ordered_json (std::round (in.transitMs * 1000.0) / 1000.0);
    line["handoffMs"] = std::round ((nowMs() - in.arrivalMs) * 1000.0) / 1000.0;
    if (! result.ok)
        line["refused"] = result.reason;
    show.writeEventLog (line);
}

void MirrorReceiver::applySnapshot()
{
    std::optional<MirrorMessage> snapshot;
    double clockNanos = 0.0;
    {
        const std::lock_guard<std::mutex> guard (lock);
        if (! pendingSnapshot || ! offsetKnown)
            return;   // kept until the heartbeats give an offset
        snapshot.swap (pendingSnapshot);
        clockNanos = clockOffsetNanos;
    }
    int64_t nanos = 0;
    const auto earliest = earliestSample (show.getEngine());
    const auto here = mirrorclock::timelineNow (show.getEngine(), nanos);
    if (! earliest || ! here)
        return;
    const auto target = *earliest + (int64_t) std::llround (settings.delayMs * show.getSampleRate() / 1000.0);
    // The snapshot's moment on this timeline, and how far the primary's voices are by our target.
    const auto elapsed = (double) target - here->positionAt ((double) snapshot->stampNanos + clockNanos);
    const auto& session = show.getSession();
    const auto rate = show.getSampleRate();
    nlohmann::ordered_json started = nlohmann::ordered_json::array();
    for (const auto& playing : snapshot->playing)
    {
        const auto clip = session.findClip (playing.clipId);
        if (clip < 0 || ! show.hasMedia (clip) || show.getClipState (clip).playing)
            continue;   // unknown here, or playing already: nothing to catch up
        const auto playback = clipPlayback (session, clip, rate, show.getMediaFrames (clip));
        auto frame = (double) playing.frame + elapsed;
        if (playback.loopOut > playback.loopIn && frame >= (double) playback.loopOut)
            frame = (double) playback.loopIn + std::fmod (frame - (double) playback.loopIn, (double) (playback.loopOut - playback.loopIn));
        const auto offsetSec = (frame - (double) playback.cueIn) / rate;
        if (offsetSec < 0.0 || frame >= (double) playback.cueOut)
            continue;   // over by then
        show.setCommandTime (target);
        show.triggerClip (clip, offsetSec);
        show.setCommandTime (immediately);
        started.push_back ({ { "clip", playing.clipId }, { "offsetSec", std::round (offsetSec * 1000.0) / 1000.0 } });
    }
    show.writeEventLog ({ { "event", "mirrorSnapshot" }, { "playing", snapshot->playing.size() }, { "started", started },
                         { "targetSample", target } });
}

MirrorReceiver::Status MirrorReceiver::getStatus() const
{
    const std::lock_guard<std::mutex> guard (lock);
    Status s;
    s.heard = lastHeartbeatNanos != 0;
    s.offsetSamples = offsetSamples;
    s.offsetMs = offsetSamples * 1000.0 / sampleRate;
    s.driftPpm = driftPpm;
    s.heartbeatAgeMs = s.heard ? (double) (mirrorclock::nowNanos() - lastHeartbeatNanos) / 1.0e6 : -1.0;
    s.commands = commands;
    s.missed = missed;
    s.late = late;
    s.malformed = malformedCount;
    s.heartbeats = heartbeats;
    s.lastMarginMs = lastMarginMs;
    s.minMarginMs = minMarginMs;
    s.primarySession = primarySession;
    const auto sinceMiss = nowMs() - lastMissOrLateMs;
    const auto& session = show.getSession();
    if (! s.heard)
        s.problem = "no primary yet";
    else if (s.heartbeatAgeMs > heartbeatTimeoutMs)
        s.problem = "no heartbeat for " + std::to_string ((int) std::lround (s.heartbeatAgeMs / 1000.0)) + " s";
    else if (rateMismatch)
        s.problem = "the primary runs at another sample rate";
    else if (! offsetKnown)
        s.problem = "no audio device here: nothing to keep in step";
    else if (primaryClips >= 0 && primaryClips != (int) session.clips.size())
        s.problem = "the primary runs another show (" + primarySession + ", " + std::to_string (primaryClips) + " clips)";
    else if (sinceMiss < warnAfterMissMs)
        s.problem = missed > 0 ? "commands missed" : "commands late";
    s.inStep = s.problem.empty();
    return s;
}

std::string MirrorReceiver::describe (bool& warning) const
{
    const auto s = getStatus();
    warning = ! s.inStep;
    char text[256];
    std::snprintf (text, sizeof (text), "Backup: %s, offset %.1f ms, heartbeat %s ago, commands %llu, missed %llu, late %llu",
                   s.inStep ? "in step" : ("NOT IN STEP: " + s.problem).c_str(), s.offsetMs,
                   s.heartbeatAgeMs < 0.0 ? "never" : (std::to_string ((int) std::lround (s.heartbeatAgeMs)) + " ms").c_str(),
                   (unsigned long long) s.commands, (unsigned long long) s.missed, (unsigned long long) s.late);
    return text;
}

void MirrorReceiver::timerCallback()
{
    applySnapshot();
    const auto s = getStatus();
    const auto state = s.inStep ? std::string ("in step") : s.problem;
    if (state == loggedState)
        return;
    loggedState = state;
    nlohmann::ordered_json line;
    line["event"] = "mirrorStatus";
    line["role"] = "backup";
    line["inStep"] = s.inStep;
    line["state"] = state;
    line["offsetSamples"] = std::round (s.offsetSamples * 10.0) / 10.0;
    line["offsetMs"] = std::round (s.offsetMs * 1000.0) / 1000.0;
    line["driftPpm"] = std::round (s.driftPpm * 100.0) / 100.0;
    line["heartbeatAgeMs"] = std::round (s.heartbeatAgeMs);
    line["commands"] = s.commands;
    line["missed"] = s.missed;
    line["late"] = s.late;
    line["malformed"] = s.malformed;
    show.writeEventLog (line);
}

} // namespace cuegrid
