// CueGrid — GPL-3.0-or-later
// ClockManager's choice of master: peer comparison, source ranking, the best healthy source
// and the switch that keeps the master line continuous. Audio thread (process()), like the rest
// of ClockManager's per-block work: no allocation, no locks.
#include "ClockManager.h"

#include <algorithm>
#include <cmath>

namespace cuegrid
{

void ClockManager::comparePeers (int64_t blockStart) noexcept
{
    auto isPeer = [this] (int i)
    {
        const auto& t = trackers[(size_t) i];
        return t.live && slots[(size_t) i].kind == ClockSourceKind::mtc && t.state == SourceState::locked;
    };
    int lockedPeers = 0;
    for (int i = 0; i < maxSources; ++i)
        lockedPeers += isPeer (i) ? 1 : 0;

    for (int i = 0; i < maxSources; ++i)
    {
        auto& a = trackers[(size_t) i];
        const auto aPeer = isPeer (i);
        for (int j = i + 1; j < maxSources; ++j)
        {
            auto& b = trackers[(size_t) j];
            const auto bitB = 1u << j, bitA = 1u << i;
            if (! (aPeer && isPeer (j)))
            {
                // A peer that stops is no longer compared: its disagreement goes quietly.
                a.disagreeMask &= ~bitB;
                b.disagreeMask &= ~bitA;
                continue;
            }
            const auto delta = dayDifference (a.position, b.position, a.last.daySeconds());   // either side of midnight
            const auto frame = 1.0 / std::min (a.last.fps, b.last.fps);
            const auto disagrees = std::abs (delta) > frame;
            if (disagrees == ((a.disagreeMask & bitB) != 0))
                continue;
            a.disagreeMask = disagrees ? a.disagreeMask | bitB : a.disagreeMask & ~bitB;
            b.disagreeMask = disagrees ? b.disagreeMask | bitA : b.disagreeMask & ~bitA;
            event (disagrees ? ClockEvent::Type::peerDisagreement : ClockEvent::Type::peerAgreement,
                   ClockEvent::Cause::none, i, j, blockStart, delta, a.stability);
        }
    }

    // "Different time": not in a strict majority of the locked peers that agree within a frame.
    // Two peers apart are both flagged (no one can tell which is right); of three, the odd one.
    for (int i = 0; i < maxSources; ++i)
    {
        auto& t = trackers[(size_t) i];
        if (! isPeer (i) || t.disagreeMask == 0)
        {
            t.differentTime = false;
            continue;
        }
        const auto disagreeing = __builtin_popcount (t.disagreeMask);
        const auto agreeing = lockedPeers - 1 - disagreeing;
        t.differentTime = 2 * (1 + agreeing) <= lockedPeers;
    }
}

int ClockManager::rankOf (int slot) const noexcept
{
    const auto kind = slot == systemSource ? ClockSourceKind::system : slots[(size_t) slot].kind;
    for (size_t r = 0; r < settings.priority.size(); ++r)
        if (settings.priority[r] == kind)
            return (int) r;
    return (int) settings.priority.size();   // a kind left out of the list: last
}

int ClockManager::bestHealthy (int excluding, bool withSystem, bool lockedIsEnough) const noexcept
{
    // Lower rank first; among equal peers (MTC inputs), one that agrees with the others, then the
    // most stable, then the lowest slot.
    int best = withSystem && excluding != systemSource ? systemSource : -2;
    auto better = [this] (int candidate, int current)
    {
        if (current == -2)
            return true;
        const auto rc = rankOf (candidate), rb = rankOf (current);
        if (rc != rb)
            return rc < rb;
        if (current == systemSource)
            return false;
        const auto& c = trackers[(size_t) candidate];
        const auto& b = trackers[(size_t) current];
        if (c.differentTime != b.differentTime)
            return ! c.differentTime;
        return c.stability > b.stability;
    };
    for (int i = 0; i < maxSources; ++i)
    {
        const auto& t = trackers[(size_t) i];
        const auto fit = lockedIsEnough ? t.state == SourceState::locked : t.healthy;
        if (i != excluding && t.live && fit && better (i, best))
            best = i;
    }
    return best;
}

double ClockManager::positionOf (int slot, int64_t sample) const noexcept
{
    if (slot == systemSource)
        return systemAnchorSeconds + systemSpeed * (double) (sample - systemAnchorSample) / rate;
    return trackers[(size_t) slot].flywheel.positionAt (sample);
}

double ClockManager::speedOf (int slot) const noexcept
{
    return slot == systemSource ? systemSpeed : trackers[(size_t) slot].flywheel.getSpeed();
}

double ClockManager::masterContinuation (int64_t sample) const noexcept
{
    return lineSeconds + master.speed * (double) (sample - master.sample) / rate;
}

double ClockManager::positionNear (int slot, int64_t sample, double reference) const noexcept
{
    // Each source's line is continuous from wherever it locked, the master's from wherever it
    // started: they may be whole days apart, never more than half a day.
    if (slot == systemSource)
        return positionOf (slot, sample);
    const auto& t = trackers[(size_t) slot];
    return nearestDayTo (positionOf (slot, sample), reference, t.hasLast ? t.last.daySeconds() : 0.0);
}

double ClockManager::switchTo (int slot, int64_t blockStart, bool keepContinuity) noexcept
{
    // Where the master is now on the line it was on (the old source's flywheel prediction, within
    // the slew): the new source takes over from exactly there, and the difference to the new
    // source's own position is slewed away (or kept).
    const auto masterNow = masterContinuation (blockStart);
    const auto speedNow = speedOf (active);
    active = slot;
    keptOffset = 0.0;
    if (slot == systemSource)
    {
        systemAnchorSample = blockStart;
        systemAnchorSeconds = masterNow;
        systemSpeed = speedNow;
        return 0.0;
    }
    const auto difference = masterNow - positionNear (slot, blockStart, masterNow);
    if (! keepContinuity)
        jumpMaster = true;
    else if (! settings.slewOffsetToZero)
        keptOffset = difference;
    return keepContinuity ? difference : -difference;
}

} // namespace cuegrid
