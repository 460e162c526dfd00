// CueGrid — GPL-3.0-or-later
#pragma once

#include <atomic>
#include <memory>
#include <vector>

namespace cuegrid
{

/** Every clip slot's gain at once, linear (index = clip slot), so that loading a session's
    saved clip gains is one command, not one per clip: the command FIFO holds 8192 commands
    and a session up to 100 000 clips, and per-clip commands past the FIFO's room arrived late
    (a trigger at time 0 started blocks late) or, in the app, were lost.

    Built on the control thread, then never changed. The control side owns it through
    std::shared_ptr; the audio thread only sees a raw pointer in an EngineCommand and marks
    its use in audioThreadReferences, exactly like ClipAudio, so ClipReleasePool frees it off
    the audio thread once nothing refers to it. */
class ClipGainTable
{
public:
    /** `linearGains[i]` is clip slot i's gain (amplitude factor, not dB); `pans[i]` its pan
        (−1 … +1; missing entries are 0 = centre). */
    explicit ClipGainTable (std::vector<double> linearGains, std::vector<double> clipPans = {})
        : gains (std::move (linearGains)), pans (std::move (clipPans))
    {
        pans.resize (gains.size(), 0.0);
    }

    int size() const noexcept { return (int) gains.size(); }
    double gain (int slot) const noexcept { return gains[(size_t) slot]; }
    double pan (int slot) const noexcept { return pans[(size_t) slot]; }

    /** Scheduled commands that point here. Written by the audio thread only; read by the
        control thread's ClipReleasePool. */
    mutable std::atomic<int> audioThreadReferences { 0 };

private:
    std::vector<double> gains, pans;
};

using ClipGainTablePtr = std::shared_ptr<const ClipGainTable>;

} // namespace cuegrid
