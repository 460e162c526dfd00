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
      misread (measured: 1 frame lost after any gap, 2 after a 1 ms gap). While the line is
      silent (below −60 dBFS for 1.5 bit cells; a real LTC level never holds longer than one
      cell), libltc gets biphase-mark bits at the last bit rate instead: 24 zeros and a sync
      word, repeated. libltc reports a frame at a sync word only when 80 bits came since the
      previous one, so this never makes a frame, and it keeps that count low for when the signal
      returns (with plain zeros, a reversed signal's first sync word framed 64 idle zeros as a
      false 00:00:00:00). The lookahead of getDelay() samples sees the signal
      return; the idle clock then holds the level opposite to the returning signal's first
      sample, so libltc sees a level change exactly where the signal starts, after at least
      one whole cell (a clean 0 bit): the same as at the very start of a stream.

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

    static constexpr float silenceLevel = 0.001f;   // −60 dBFS
    static constexpr int maxDelay = 256;            // 384 kHz / (21.6 · 80) = 223

private:
    const float dcBlockPole;
    float dcBlockIn = 0.0f, dcBlockOut = 0.0f;

    const int delay;
    std::array<float, maxDelay> line {};
    int lineIndex = 0;
    int loudAhead = 0;              // samples in `line` at or above silenceLevel

    int64_t silentRun = 0;          // silent samples returned in a row
    bool idle = true;               // returning the idle clock (a new line counts as silent)
    bool holding = false;           // the signal returns within `delay`: hold holdHigh
    bool holdHigh = false;
    double idlePhase = 0.0;         // samples into the idle clock's cell
    int idleBit = 0;                // the idle clock's bit (index into its pattern)
    bool idleMidDone = false;       // this cell's mid-cell flip (a 1) is done
    bool lastHigh = false;
};

} // namespace cuegrid
