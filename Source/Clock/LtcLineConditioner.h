// CueGrid — GPL-3.0-or-later
// What LtcDecoder feeds libltc: the input line with its DC offset removed, and its silences
// replaced by an idle bit clock, so that libltc reads the first frame after any gap.
#pragma once

#include <array>
#include <cstdint>

namespace cuegrid
{

/** Conditions an LTC input line for libltc's decoder, one sample at a time, `getDelay()`
    samples late.

    - DC blocker (one-pole high-pass at 25 Hz): libltc's thresholds sit halfway between its
      centre and the tracked extremes, so a quiet signal riding on an offset would never cross
      the centre. LTC's fundamental is 960 Hz and up; its longest bit cell (24 fps −10 %,
      0.58 ms) droops by under 10 %.
    - Idle clock: libltc counts the samples since the last level change, and the first change
      after a silence drags its bit-period estimate so far that the next frame or two are
      misread (measured: 1 frame lost after any gap, 2 after a 1 ms gap). LTC has an edge (a
      step of at least edgeLevel between samples) in every bit cell; silence has none, whatever
      its offset or the DC blocker's decaying tail. From the first sample after which the
      lookahead holds no edge for getDelay() samples (more than one long bit cell), libltc gets
      biphase-mark bits at the last bit rate instead: a 40-bit pattern with a sync word,
      repeated (see idleBits). Their first level change ends the signal's last bit where it
      ended, so the last frame before a gap is reported with its true end. libltc reports a
      frame at a sync word only when 80 bits came since the previous one; the idle sync word
      keeps that count low for when the signal returns (with plain zeros, a reversed signal's
      first sync word framed 64 idle zeros as a false 00:00:00:00), and the one idle frame
      libltc can complete has hours units 15, which LtcDecoder rejects. When an edge enters the
      lookahead, the idle clock holds the level opposite to that sample, so libltc sees a level
      change exactly where the signal starts, after at least one whole cell (a clean 0 bit):
      the same as at the very start of a stream.

    No allocation, no lock; one thread (LtcDecoder's producer). */
class LtcLineConditioner
{
public:
    /** `sampleRate` Hz, 8000 … 384000. */
    explicit LtcLineConditioner (double sampleRate) noexcept;

    /** The lookahead: process() returns the sample given this many calls earlier (one bit cell
        at 24 fps −10 %, rounded up). */
    int getDelay() const noexcept { return delay; }

    /** Takes input sample `x` and returns the conditioned sample of getDelay() calls ago.
        `cellSamples`: the bit cell length to idle at (the last frame's length / 80);
        `idleLevel`: the idle clock's level (the last frame's peak). */
    float process (float x, double cellSamples, float idleLevel) noexcept;

    /** The side of zero of the last sample returned. */
    bool isHigh() const noexcept { return lastHigh; }

    /** Back to the state of a new line: silent, nothing ahead. */
    void reset() noexcept;

    static constexpr float edgeLevel = 0.002f;      // a step of −54 dBFS
    static constexpr int maxDelay = 256;            // 384 kHz / (21.6 · 80) = 223

private:
    const float dcBlockPole;
    float dcBlockIn = 0.0f, dcBlockOut = 0.0f;

    const int delay;
    float lastInput = 0.0f;         // the previous DC-blocked input sample
    std::array<float, maxDelay> line {};
    std::array<bool, maxDelay> lineEdges {};
    int lineIndex = 0;
    int edgesAhead = 0;             // edges in `line`

    bool idle = true;               // returning the idle clock (a new line counts as silent)
    bool holding = false;           // the signal returns within `delay`: hold holdHigh
    bool holdHigh = false;
    double idlePhase = 0.0;         // samples into the idle clock's cell
    int idleBit = 0;                // the idle clock's bit (index into its pattern)
    bool idleMidDone = false;       // this cell's mid-cell flip (a 1) is done
    bool lastHigh = false;
    bool previousHigh = false;      // the side of zero of the last line sample returned
};

} // namespace cuegrid
