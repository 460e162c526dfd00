// CueGrid — GPL-3.0-or-later
#include "ClockManager.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace cuegrid
{

ClockManager::ClockManager()
{
    prepare (48000.0);
}

void ClockManager::prepare (double sampleRate, std::optional<ClockSettings> newSettings)
{
    rate = sampleRate;
    ClockSettings pending;
    while (settingsQueue.pop (pending))
        settings = pending;   // the newest setSettings() not yet applied by a block
    if (newSettings)
        settings = *newSettings;
    for (auto& tracker : trackers)
        tracker.live = false;   // restarted by the next block for every live slot
    active = systemSource;
    keptOffset = 0.0;
    jumpMaster = false;
    firstLockSince = -1;
    systemAnchorSample = 0;
    systemAnchorSeconds = 0.0;
    systemSpeed = lastSpeed = 1.0;
    lastFps = 25.0;
    lastDropFrame = false;
    master = {};
    master.speed = 1.0;
    lineSeconds = 0.0;
    timeline.publish (master);
}

int ClockManager::addSource (ClockSourceKind kind, const char* name) noexcept
{
    if (kind == ClockSourceKind::system)
        return -1;
    for (int i = 0; i < maxSources; ++i)
    {
        auto& slot = slots[(size_t) i];
        int expected = slotFree;
        if (! slot.lifecycle.compare_exchange_strong (expected, slotClaimed, std::memory_order_acquire))
            continue;
        slot.kind = kind;
        std::strncpy (slot.name, name != nullptr ? name : "", sizeof (slot.name) - 1);
        slot.name[sizeof (slot.name) - 1] = 0;
        slot.source.setAvailable (true);
        slot.lifecycle.store (slotLive, std::memory_order_release);
        return i;
    }
    return -1;
}

void ClockManager::removeSource (int slot) noexcept
{
    if (slot < 0 || slot >= maxSources)
        return;
    int expected = slotLive;
    slots[(size_t) slot].lifecycle.compare_exchange_strong (expected, slotRetiring, std::memory_order_acq_rel);
}

ClockSource* ClockManager::getSource (int slot) noexcept
{
    return slot >= 0 && slot < maxSources ? &slots[(size_t) slot].source : nullptr;
}

SourceHealth ClockManager::getHealth (int slot) const noexcept
{
    return slot >= 0 && slot < maxSources ? slots[(size_t) slot].health.read() : SourceHealth {};
}

void ClockManager::event (ClockEvent::Type type, ClockEvent::Cause cause, int source, int other, int64_t sample,
                          double delta, int stability) noexcept
{
    ClockEvent e;
    e.type = type;
    e.cause = cause;
    e.source = (int8_t) source;
    e.other = (int8_t) other;
    e.sample = sample;
    e.deltaSeconds = delta;
    e.masterSeconds = master.seconds;
    e.stability = stability;
    timeline.push (e);
}

void ClockManager::applySettings() noexcept
{
    ClockSettings incoming;
    while (settingsQueue.pop (incoming))
        settings = incoming;
}

void ClockManager::startTracker (int slot) noexcept
{
    auto& t = trackers[(size_t) slot];
    t.live = true;
    t.removing = false;
    t.flywheel.prepare (rate, settings.bandwidthHz);
    t.meter.prepare (rate);
    t.state = SourceState::none;
    t.hasLast = false;
    t.pendingJump = false;
    t.dropouts = t.discontinuitiesSeen = t.locates = t.outliersSeen = 0;
    t.stability = 0;
    t.validated = t.healthy = false;
    t.lockedSince = -1;
    t.position = 0.0;
    t.disagreeMask = 0;
    t.differentTime = false;
    for (auto& other : trackers)
        other.disagreeMask &= ~(1u << slot);
}

void ClockManager::observe (int slot, const ClockObservation& observation) noexcept
{
    auto& t = trackers[(size_t) slot];
    auto& flywheel = t.flywheel;
    if (observation.fps <= 0.0 || ! std::isfinite (observation.frames))
        return;
    t.hasLast = true;
    t.last = observation;
    // A time of day: continued across midnight on the source's own line (23:59:59:FF → 00:00:00:00
    // is the next frame, not a jump back a day).
    const auto seconds = flywheel.unwrap (observation.sample, observation.seconds(), observation.daySeconds());
    const auto predicted = flywheel.hasLine() ? flywheel.positionAt (observation.sample) : seconds;
    const auto tolerance = 2.0 / observation.fps;   // Ardour's sample_tolerance: 2 frames

    if (observation.resync)
    {
        if (flywheel.hasLine() && std::abs (seconds - predicted) > tolerance)
        {
            ++t.locates;
            t.pendingJump = true;
            t.meter.addIncident();
            event (ClockEvent::Type::discontinuity, ClockEvent::Cause::none, slot, -1, observation.sample,
                   seconds - predicted, t.stability);
        }
        flywheel.resync (observation.sample, seconds);
        t.meter.restartDriftWindow();
        return;
    }

    const auto result = flywheel.observe (observation.sample, seconds, tolerance);
    if (flywheel.getOutliers() != t.outliersSeen)
    {
        t.outliersSeen = flywheel.getOutliers();
        t.meter.addIncident();
    }
    if (flywheel.getDiscontinuities() != t.discontinuitiesSeen)
    {
        t.pendingJump = true;
        t.discontinuitiesSeen = flywheel.getDiscontinuities();
        t.meter.addIncident();
        t.meter.restartDriftWindow();
        event (ClockEvent::Type::discontinuity, ClockEvent::Cause::none, slot, -1, observation.sample,
               seconds - predicted, t.stability);
    }
    switch (result)
    {
        case Flywheel::Result::tracked:
            if (flywheel.isSettled())   // a settling line's errors say how far it has to go, not how the source is
                t.meter.addResidual (flywheel.lastResidual(), flywheel.getSpeed());
            t.meter.addObservation (observation.sample, seconds);
            break;
        case Flywheel::Result::locked:
        case Flywheel::Result::jumped:
            // The source followed jumped: so does the master (a locate at the desk is the show's).
            if (t.pendingJump && slot == active)
                jumpMaster = true;
            t.pendingJump = false;
            t.meter.restartDriftWindow();
            t.meter.addObservation (observation.sample, seconds);
            break;
        case Flywheel::Result::acquiring:
        case Flywheel::Result::held:
            break;
    }
}

void ClockManager::updateState (int slot, int64_t blockStart, int numSamples) noexcept
{
    auto& t = trackers[(size_t) slot];
    const auto& flywheel = t.flywheel;
    const auto available = slots[(size_t) slot].source.isAvailable() && ! t.removing;
    auto state = SourceState::none;
    if (! available)
        state = SourceState::lost;
    else if (flywheel.hasLine())
    {
        const auto age = (double) (blockStart - flywheel.lastAcceptedSample());
        const auto fps = t.hasLast ? t.last.fps : 25.0;
        // "Stale" after 2 frames (Ardour shows an LTC master as flywheeling then), plus one block:
        // a source decoded in the callback stamps its frames up to a block before this block start.
        const auto staleSamples = 2.0 * rate / fps / std::max (std::abs (flywheel.getSpeed()), 0.5) + numSamples;
        if (flywheel.isTracking() && age <= staleSamples)
            state = SourceState::locked;
        else
            state = age <= settings.flywheelSeconds * rate ? SourceState::flywheel : SourceState::lost;
    }

    const auto previous = t.state;
    if (previous == SourceState::locked && state != SourceState::locked)
    {
        ++t.dropouts;
        t.meter.addIncident();
        event (ClockEvent::Type::lockLost, ClockEvent::Cause::none, slot, -1, blockStart, 0.0, t.stability);
    }
    if (state == SourceState::lost && previous != SourceState::lost && previous != SourceState::none)
        event (ClockEvent::Type::sourceLost, available ? ClockEvent::Cause::lost : ClockEvent::Cause::unavailable,
               slot, -1, blockStart, 0.0, t.stability);
    if (state == SourceState::locked && previous != SourceState::locked)
        event (ClockEvent::Type::lockRegained, ClockEvent::Cause::none, slot, -1, blockStart, 0.0, t.stability);
    t.state = state;

    t.meter.advance (numSamples);
    t.validated = flywheel.isSettled() && t.meter.getResidualCount() >= 8;
    t.stability = t.meter.getStability (t.validated);
    t.healthy = state == SourceState::locked && t.validated && t.stability >= settings.qualityThreshold;
    // The hold time counts from the lock (validation happens within it); a lapse restarts it.
    if (state != SourceState::locked || (t.validated && ! t.healthy))
        t.lockedSince = -1;
    else if (t.lockedSince < 0)
        t.lockedSince = blockStart;
    t.position = flywheel.hasLine() ? flywheel.positionAt (blockStart) : 0.0;
}

void ClockManager::process (int64_t blockStart, int numSamples) noexcept
{
    applySettings();
    if (numSamples <= 0)
        return;

    for (int i = 0; i < maxSources; ++i)
    {
        auto& slot = slots[(size_t) i];
        auto& t = trackers[(size_t) i];
        const auto lifecycle = slot.lifecycle.load (std::memory_order_acquire);
        if (lifecycle == slotLive && ! t.live)
            startTracker (i);
        if (! t.live)
        {
            if (lifecycle == slotRetiring)
                freeSlot (i, blockStart);   // removed before its first block (or across a prepare)
            continue;
        }
        t.removing = lifecycle == slotRetiring;
        ClockObservation observation;
        while (slot.source.pop (observation))
            observe (i, observation);
        updateState (i, blockStart, numSamples);
    }
    comparePeers (blockStart);

    // The choice of source.
    const auto relocate = relocateRequested.exchange (false, std::memory_order_acq_rel);
    if (! master.everLocked)
    {
        // The first lock: the master goes to the best locked source at once (a jump: nothing
        // follows timecode yet), waiting up to startupGraceSeconds for a better-ranked source
        // that is already receiving (LTC's second frame comes 40 ms after MTC's second quarter frame).
        const auto best = bestHealthy (-2, false, true);
        if (best < 0)
            firstLockSince = -1;
        else
        {
            if (firstLockSince < 0)
                firstLockSince = blockStart;
            auto betterOnItsWay = false;
            for (int i = 0; i < maxSources; ++i)
            {
                const auto& t = trackers[(size_t) i];
                betterOnItsWay = betterOnItsWay
                                 || (t.live && t.hasLast && t.state != SourceState::locked && rankOf (i) < rankOf (best)
                                     && slots[(size_t) i].source.isAvailable());
            }
            if (! betterOnItsWay || (double) (blockStart - firstLockSince) >= startupGraceSeconds * rate)
            {
                const auto from = active;
                const auto jump = switchTo (best, blockStart, false);
                master.everLocked = true;
                event (ClockEvent::Type::relocate, ClockEvent::Cause::none, best, from, blockStart, jump,
                       trackers[(size_t) best].stability);
            }
        }
    }
    else if (relocate)
    {
        if (const auto best = bestHealthy (-2, false, false); best >= 0)
        {
            const auto from = active;
            const auto jump = switchTo (best, blockStart, false);
            event (ClockEvent::Type::relocate, ClockEvent::Cause::operatorRequest, best, from, blockStart, jump,
                   trackers[(size_t) best].stability);
        }
    }
    else if (active != systemSource)
    {
        const auto& t = trackers[(size_t) active];
        const auto following = t.state == SourceState::locked || t.state == SourceState::flywheel;
        // Until validated (1 s after its lock) a source's stability is not known: it is kept.
        const auto fit = following && (! t.validated || t.stability >= settings.qualityThreshold);
        // An MTC peer the majority of its peers contradicts is left for one of that majority.
        const auto outvoted = fit && t.differentTime;
        if (! fit || outvoted)
        {
            // A source below its threshold is left only for a healthy one; a lost one for the
            // system clock if need be.
            auto target = bestHealthy (active, ! following, false);
            if (outvoted && (target < 0 || trackers[(size_t) target].differentTime || rankOf (target) > rankOf (active)))
                target = -2;
            if (target != -2)
            {
                const auto cause = t.removing ? ClockEvent::Cause::removed
                                   : ! slots[(size_t) active].source.isAvailable() ? ClockEvent::Cause::unavailable
                                   : ! following ? ClockEvent::Cause::lost
                                   : ! fit ? ClockEvent::Cause::belowQuality
                                           : ClockEvent::Cause::differentTime;
                const auto from = active, fromStability = t.stability;
                const auto difference = switchTo (target, blockStart, true);
                ++master.failovers;
                event (ClockEvent::Type::failover, cause, target, from, blockStart, difference, fromStability);
            }
        }
    }
    // A better source takes over after its hold time; with returnToBetter off, only until the
    // first failover (so the priority order still sorts out which source locked first).
    if (master.everLocked && ! relocate && (settings.returnToBetter || master.failovers == 0))
    {
        const auto best = bestHealthy (active, false, false);
        if (best >= 0 && rankOf (best) < rankOf (active)
            && trackers[(size_t) best].lockedSince >= 0
            && (double) (blockStart - trackers[(size_t) best].lockedSince) >= settings.holdSeconds * rate)
        {
            const auto from = active;
            const auto difference = switchTo (best, blockStart, true);
            ++master.takeovers;
            event (ClockEvent::Type::takeover, ClockEvent::Cause::betterSource, best, from, blockStart, difference,
                   trackers[(size_t) best].stability);
        }
    }

    // The master over this block. It continues its own line (so it never steps) at the active
    // source's speed, corrected towards the source's position (plus a kept offset) by at most
    // maxSlew of speed: an offset left by a switch, and the DLL's own small corrections, are
    // slewed away. It jumps only to follow a jump of the source it follows, at the first lock,
    // and on the operator's relocate.
    const auto continuation = masterContinuation (blockStart);
    const auto target = positionNear (active, blockStart, continuation) + keptOffset;
    const auto start = jumpMaster ? target : continuation;
    jumpMaster = false;
    const auto natural = start + speedOf (active) * (double) numSamples / rate;
    const auto maxCorrection = settings.maxSlew * (double) numSamples / rate;
    const auto end = natural + std::clamp (positionNear (active, blockStart + numSamples, natural) + keptOffset - natural,
                                           -maxCorrection, maxCorrection);

    if (active != systemSource && trackers[(size_t) active].hasLast)
    {
        lastFps = trackers[(size_t) active].last.fps;
        lastDropFrame = trackers[(size_t) active].last.dropFrame;
    }
    // The line goes on past midnight; what is published is the time of day (docs/clock.md, "Midnight").
    const auto day = timecodeDaySeconds (lastFps, lastDropFrame);
    lineSeconds = start;
    master.sample = blockStart;
    master.lineSeconds = start;
    master.daySeconds = day;
    master.seconds = wrapToDay (start, day);
    master.fps = lastFps;
    master.frames = master.seconds * lastFps;
    master.dropFrame = lastDropFrame;
    master.speed = (end - start) * rate / (double) numSamples;
    master.slew = master.speed - speedOf (active);
    master.offsetSeconds = active == systemSource ? 0.0 : start - positionNear (active, blockStart, start);
    master.activeSource = active;
    master.activeKind = active == systemSource ? ClockSourceKind::system : slots[(size_t) active].kind;
    master.state = active == systemSource ? MasterState::freeRun
                   : trackers[(size_t) active].state == SourceState::locked ? MasterState::locked
                                                                           : MasterState::flywheel;
    lastSpeed = master.speed;
    timeline.publish (master);

    for (int i = 0; i < maxSources; ++i)
    {
        auto& t = trackers[(size_t) i];
        if (! t.live)
            continue;
        publishHealth (i, blockStart);
        if (t.removing)
            freeSlot (i, blockStart);
    }
}

void ClockManager::freeSlot (int slot, int64_t blockStart) noexcept
{
    auto& s = slots[(size_t) slot];
    ClockObservation drained;
    while (s.source.pop (drained)) {}
    trackers[(size_t) slot].live = false;
    SourceHealth gone;
    gone.sample = blockStart;
    s.health.write (gone);
    s.lifecycle.store (slotFree, std::memory_order_release);
}

void ClockManager::publishHealth (int slot, int64_t blockStart) noexcept
{
    const auto& t = trackers[(size_t) slot];
    const auto& s = slots[(size_t) slot];
    SourceHealth h;
    h.inUse = true;
    h.kind = s.kind;
    std::memcpy (h.name, s.name, sizeof (h.name));
    h.state = t.state;
    h.locked = t.state == SourceState::locked;
    h.available = s.source.isAvailable();
    h.healthy = t.healthy;
    h.validated = t.validated;
    h.active = slot == active;
    h.fps = t.hasLast ? t.last.fps : 0.0;
    h.dropFrame = t.hasLast && t.last.dropFrame;
    h.speed = t.flywheel.hasLine() ? t.flywheel.getSpeed() : 0.0;
    h.positionFrames = wrapToDay (t.position, t.hasLast ? t.last.daySeconds() : 0.0) * h.fps;
    h.driftUs = t.meter.getDriftUs();
    h.driftWarning = std::abs (h.driftUs) > HealthMeter::driftWarningUs;
    h.jitterUs = t.meter.getJitterUs();
    h.stability = t.stability;
    h.differentTime = t.differentTime;
    h.dropouts = t.dropouts;
    h.discontinuities = t.discontinuitiesSeen + t.locates;
    h.outliers = t.outliersSeen;
    h.overflows = s.source.getOverflows();
    h.lastMessageFrames = t.hasLast ? t.last.frames : 0.0;
    h.lastMessageAgeSeconds = t.hasLast ? (double) (blockStart - t.last.sample) / rate : -1.0;
    h.sample = blockStart;
    slots[(size_t) slot].health.write (h);
}

} // namespace cuegrid
