// CueGrid — GPL-3.0-or-later
// How well one timecode source is doing: what the clock panel's table shows and what the clock
// manager's failover decides on. Formulas in docs/clock.md, "Health".
#pragma once

#include "ClockSource.h"

#include <cstdint>

namespace cuegrid
{

/** Lock state of one source at a block start. */
enum class SourceState : uint8_t
{
    none,          // no observation yet, or no line
    locked,        // observations arrive (the last one no older than 2 frames, as Ardour's LTC "flywheel" display)
    flywheel,      // stale, but within the flywheel time: its line still predicts
    lost,          // silent for longer than the flywheel time (or unavailable)
};

const char* sourceStateName (SourceState state) noexcept;

/** Plain data: one source's health at one block start. Written by the audio thread (ClockManager)
    into a seqlock each block; read by any thread (the UI's clock panel, `timecode monitor`). */
struct SourceHealth
{
    static constexpr int nameLength = 32;

    bool inUse = false;              // the slot holds a source
    ClockSourceKind kind = ClockSourceKind::system;
    char name[nameLength] {};        // "LTC in 3", the MIDI device's name, ...
    SourceState state = SourceState::none;
    bool locked = false;             // state == locked
    bool available = true;           // the source's own word (PTP without a grandmaster: false)
    bool validated = false;          // 1 s settled since its last lock: its stability is known
    bool healthy = false;            // locked, validated and stability ≥ the quality threshold: a failover target
    bool active = false;             // the master follows this source now
    bool driftWarning = false;       // |driftUs| > 100
    bool differentTime = false;      // an MTC peer more than a frame away from the majority of locked peers (of two apart: both)
    bool dropFrame = false;
    double fps = 0.0;                // of the last observation
    double speed = 0.0;              // DLL speed (timecode s per audio s)
    double positionFrames = 0.0;     // the DLL's position at the block start, frames
    double driftUs = 0.0;            // µs the source gains (+) or loses (−) on the audio clock per second
    double jitterUs = 0.0;           // RMS of the DLL's prediction errors, µs
    int stability = 0;               // 0–100
    uint32_t dropouts = 0;           // times it went stale (locked → flywheel) or was lost
    uint32_t discontinuities = 0;    // confirmed jumps (locates, direction changes, came back elsewhere)
    uint32_t outliers = 0;           // single observations off the line and dropped (noise bursts)
    uint32_t overflows = 0;          // observations dropped because the hand-off queue was full
    double lastMessageFrames = 0.0;  // position of the last observation, frames
    double lastMessageAgeSeconds = -1.0;   // audio time since the last observation; −1: never
    int64_t sample = 0;              // the block start this describes
};

/** The running measures behind SourceHealth's drift, jitter and stability.

    - jitter: RMS of the DLL's prediction errors in audio µs, as an exponential mean of the
      squares over the last ~16 observations (α = 1/16).
    - drift: over windows of at least 1 s of observations, (|Δtimecode| / Δaudio − 1) · 10⁶ µs per
      second, from the window's first and last observation (so jitter enters as 2·jitter/window).
    - stability = clamp(100 · (1 − jitterUs / 1000) − 20 · incidents, 0, 100), where incidents
      counts dropouts, discontinuities and outliers, each fading with exp(−age / 10 s): a clean
      source scores ≈ 100; 1 ms of jitter (the emergency protocol's phase 1) or 5 recent incidents
      score 0. 0 until the source is validated: its flywheel settled (1 s after a lock) and 8
      prediction errors measured since.

    Audio thread only (inside ClockManager); deterministic: time is the audio sample clock. */
class HealthMeter
{
public:
    void prepare (double sampleRate) noexcept { rate = sampleRate; reset(); }
    void reset() noexcept;

    /** A tracked observation: its DLL residual (timecode s) at DLL speed `speed`. */
    void addResidual (double residualSeconds, double speed) noexcept;

    /** Any accepted observation (for drift). */
    void addObservation (int64_t sample, double seconds) noexcept;

    /** The source relocked elsewhere: the drift window starts again (a jump is not drift). */
    void restartDriftWindow() noexcept { haveWindow = false; }

    /** A dropout, discontinuity or outlier. */
    void addIncident() noexcept { incidents += 1.0; }

    /** Time passes: incidents fade. Call once per block. */
    void advance (int numSamples) noexcept;

    double getJitterUs() const noexcept;
    double getDriftUs() const noexcept { return driftUs; }
    /** 0 until `validated` (the source's flywheel has settled) and 8 residuals are in. */
    int getStability (bool validated) const noexcept;
    int getResidualCount() const noexcept { return residualCount; }

    static constexpr double driftWarningUs = 100.0;
    static constexpr double incidentFadeSeconds = 10.0;

private:
    double rate = 48000.0;
    double meanSquareUs = 0.0;
    int residualCount = 0;
    double incidents = 0.0;
    bool haveWindow = false;
    int64_t windowSample = 0;
    double windowSeconds = 0.0, driftUs = 0.0;
};

} // namespace cuegrid
