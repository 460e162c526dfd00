// CueGrid — GPL-3.0-or-later
// The per-source delay-locked loop: a straight line of timecode seconds over audio samples,
// corrected by each observation, that keeps predicting when the observations stop.
#pragma once

#include <cstdint>

namespace cuegrid
{

/** A second-order DLL on (audio sample → timecode seconds), after Ardour's MTC and chase DLLs
    (libs/ardour/mtc_slave.cc, transport_master_manager.cc; Fons Adriaensen, "Using a DLL to
    filter time", the usingdll.pdf transport_master.h cites): for each observation, with T the
    time since the previous one in seconds,

        omega = 2π · B · T     (Ardour: omega = 2π · qtr / 2 / sr, i.e. B = 0.5 Hz, T = qtr / sr)
        b = √2 · omega,  c = omega²
        e = observed − predicted            (timecode seconds)
        position ← predicted + b · e,  speed ← speed + c · e / T

    `speed` is timecode seconds per audio second (1 = real time, −1 = reverse, 1.1 = +10 %
    varispeed). The first two observations give the line directly (position, and
    Δposition / Δtime as the speed, as Ardour's LTC slave does), so a source locks on its second
    observation; one with an implausible speed (|speed| outside 0.5–2) starts again.

    Settling (CueGrid's addition): for settleSeconds after a lock the line is the least-squares
    fit of every observation since, and the DLL takes over from that fit. Why: MTC quarter frames
    10 ms apart, stamped to 1 ms as JUCE does, give a two-point speed wrong by several percent,
    which a 0.5 Hz loop takes about 2 s to pull in (measured: 9.7 ms off at 0.4 s, 0.4 ms at 2 s);
    the fit is within 0.1 % after 0.2 s. LTC frames with one sample of jitter gain as well.

    Discontinuities: an observation further than the tolerance (Ardour's sample_tolerance: 2
    frames) from the prediction is held back as a candidate, and the line goes on. If the next
    observation continues the candidate (a plausible speed between them) the source has jumped
    (a locate, a direction change): counted, and the line restarts there. If it continues the old
    line instead, the candidate was an outlier (a noise burst): counted and dropped. Once settled,
    an observation within the tolerance but further from the line than the gate (8 × the RMS of
    the DLL's errors, at least 200 µs) is held back the same way: the next observation confirms
    it (a plausible speed between them: both correct the line, one frame late) or drops it (an
    outlier); one that is never followed (the last frame before a cut) never bends the line the
    flywheel extrapolates. A gap longer
    than maxGapSeconds (the source stopped and came back) restarts the lock the same way, so no
    DLL step is ever taken over a long interval.

    Not thread-safe: owned by one thread (the audio thread, inside ClockManager). No allocation. */
class Flywheel
{
public:
    enum class Result
    {
        acquiring,   // no line yet (first observation, or an implausible pair)
        tracked,     // the line was corrected; lastResidual() holds the prediction error
        locked,      // a new line from two observations (first lock, or after a gap)
        jumped,      // a new line after a confirmed discontinuity
        held         // far from the line: held back as a candidate (jump or outlier, next time tells)
    };

    static constexpr double maxGapSeconds = 0.25;
    static constexpr double settleSeconds = 1.0;
    static constexpr double minGateSeconds = 200.0e-6;

    /** sampleRate in Hz; bandwidthHz is B above (Ardour's 0.5 Hz). */
    void prepare (double sampleRate, double bandwidthHz = 0.5) noexcept;

    /** Forget everything (no line). */
    void reset() noexcept;

    /** One observation: timecode `seconds` at audio `sample`; `toleranceSeconds` is the jump
        threshold (2 frames at the source's rate). Observations must come in sample order
        (an earlier or equal sample is ignored: Result::acquiring when unlocked, else held). */
    Result observe (int64_t sample, double seconds, double toleranceSeconds) noexcept;

    /** Restart at this observation (an MTC full-frame locate): relock from it and the next one;
        until then the old line (if any) keeps predicting. */
    void resync (int64_t sample, double seconds) noexcept;

    /** A line exists to predict from (kept, as the flywheel, while relocking after a gap or a resync). */
    bool hasLine() const noexcept { return lineValid; }

    /** The line is being corrected by observations (not waiting for a relock). */
    bool isTracking() const noexcept { return lineValid && ! reacquiring; }

    /** Tracking, and settled: the DLL runs (settleSeconds after the last lock). */
    bool isSettled() const noexcept { return isTracking() && ! settling; }

    /** `seconds` (a time of day) moved by whole days of `daySeconds` to within half a day of where
        this source is: its line at `sample`, or its first observation while acquiring. The line
        is continuous across midnight (it goes on past a day), so observations after
        23:59:59:FF → 00:00:00:00 continue it. daySeconds ≤ 0: unchanged. */
    double unwrap (int64_t sample, double seconds, double daySeconds) const noexcept;

    /** Timecode seconds at audio sample `sample` on the current line (valid when hasLine()). */
    double positionAt (int64_t sample) const noexcept { return anchorSeconds + speed * (double) (sample - anchorSample) / rate; }

    /** Timecode seconds per audio second. */
    double getSpeed() const noexcept { return speed; }

    /** The prediction error of the last tracked observation, timecode seconds. */
    double lastResidual() const noexcept { return residual; }

    /** The sample of the last observation that corrected or restarted the line. */
    int64_t lastAcceptedSample() const noexcept { return acceptedSample; }

    uint32_t getDiscontinuities() const noexcept { return discontinuities; }
    uint32_t getOutliers() const noexcept { return outliers; }

private:
    bool startLineFrom (int64_t sample, double seconds, int64_t fromSample, double fromSeconds) noexcept;
    void addToFit (int64_t sample, double seconds) noexcept;
    void refit (int64_t sample) noexcept;
    void correct (int64_t sample, double seconds) noexcept;
    double gate (double toleranceSeconds) const noexcept;

    double rate = 48000.0, bandwidth = 0.5;
    bool lineValid = false, reacquiring = false;
    int64_t anchorSample = 0;        // the line: anchorSeconds at anchorSample, then `speed`
    double anchorSeconds = 0.0, speed = 1.0, residual = 0.0;
    int64_t acceptedSample = 0;
    bool hasFirst = false;           // acquiring: one observation waiting for a second
    int64_t firstSample = 0;
    double firstSeconds = 0.0;
    bool hasCandidate = false;       // a held-back observation off the line
    int64_t candidateSample = 0;
    double candidateSeconds = 0.0;
    uint32_t discontinuities = 0, outliers = 0;
    bool hasSuspect = false;         // a held-back observation within the tolerance but outside the gate
    int64_t suspectSample = 0;
    double suspectSeconds = 0.0;
    double meanSquareError = 0.0;    // of the DLL's prediction errors (s²), α = 1/16, once settled
    int errorCount = 0;
    bool settling = false;           // the line is the least-squares fit since the lock
    int64_t fitOriginSample = 0;
    double fitOriginSeconds = 0.0;
    double fitCount = 0.0, fitT = 0.0, fitX = 0.0, fitTT = 0.0, fitTX = 0.0;   // sums over (t s, x s) from the origin
};

} // namespace cuegrid
