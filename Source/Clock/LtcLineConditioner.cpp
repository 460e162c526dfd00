// CueGrid — GPL-3.0-or-later
#include "LtcLineConditioner.h"

#include <algorithm>
#include <cmath>

namespace cuegrid
{

namespace
{
    constexpr double longestCellRate = 24.0 * 0.9 * 80.0;   // cells a second at 24 fps −10 %

    // The idle clock's bits, repeated: 8 zeros, four ones, 12 zeros, then LTC's sync word in the
    // order it is sent (0011111111111101). libltc keeps the last 80 bits it read and reports a
    // frame at a sync word only when 80 bits came since the previous one (any sync word resets
    // that count). The idle sync word every 40 bits keeps the count low for when the signal
    // returns, so a returning reversed signal's first sync word cannot frame idle bits. The one
    // idle sync word that can complete a frame (the first, when libltc already held 40 bits or
    // more, as after a reversed signal's last frame) frames the ones as hours units 15: not a
    // timecode, so LtcDecoder rejects it.
    constexpr unsigned char idleBits[40] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                             0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1 };
} // namespace

LtcLineConditioner::LtcLineConditioner (double sampleRate) noexcept
    : dcBlockPole ((float) std::exp (-2.0 * 3.14159265358979 * 25.0 / sampleRate)),
      delay (std::clamp ((int) std::ceil (sampleRate / longestCellRate), 1, maxDelay))
{
}

void LtcLineConditioner::reset() noexcept
{
    dcBlockIn = dcBlockOut = 0.0f;
    lastInput = 0.0f;
    line.fill (0.0f);
    lineEdges.fill (false);
    lineIndex = 0;
    edgesAhead = 0;
    idle = true;
    holding = false;
    idlePhase = 0.0;
    idleBit = 0;
    idleMidDone = false;
}

float LtcLineConditioner::process (float x, double cellSamples, float idleLevel) noexcept
{
    const float y = x - dcBlockIn + dcBlockPole * dcBlockOut;
    dcBlockIn = x;
    dcBlockOut = y;
    // An edge: a step of at least edgeLevel from the previous sample. LTC has one in every bit
    // cell; silence has none, whatever its offset or the DC blocker's decaying tail.
    const bool edge = std::abs (y - lastInput) >= edgeLevel;
    lastInput = y;

    // The line holds the next `delay` samples; `out` leaves it now, `y` joins it.
    const auto slot = (size_t) lineIndex;
    const float out = line[slot];
    const bool outEdge = lineEdges[slot];
    line[slot] = y;
    lineEdges[slot] = edge;
    lineIndex = (lineIndex + 1) % delay;
    edgesAhead += (edge ? 1 : 0) - (outEdge ? 1 : 0);

    const float level = std::clamp (idleLevel, 0.02f, 1.0f);
    if (! idle || outEdge)
    {
        if (idle)
            idle = holding = false;   // the signal is back
        if (edgesAhead > 0)
        {
            lastHigh = out > 0.0f;
            previousHigh = lastHigh;
            return out;
        }
        // No edge for at least the lookahead (a real LTC level holds at most one cell): idle
        // from this very sample, with a level change that ends the signal's last bit where it
        // ended, as the next frame's first transition would have.
        idle = true;
        holding = false;
        idlePhase = 0.0;
        idleBit = 0;
        idleMidDone = false;
        lastHigh = ! previousHigh;
        return lastHigh ? level : -level;
    }

    if (! holding && edgesAhead > 0)
    {
        // The signal returns within `delay` samples: hold the level opposite to the sample that
        // makes its first edge.
        for (int i = 0; i < delay; ++i)
        {
            const auto ahead = (size_t) ((lineIndex + i) % delay);
            if (lineEdges[ahead])
            {
                holding = true;
                holdHigh = line[ahead] < 0.0f;
                break;
            }
        }
    }
    if (holding)
    {
        lastHigh = holdHigh;
        return holdHigh ? level : -level;
    }
    // Biphase mark: the level flips at every cell start, and mid-cell for a 1.
    if ((idlePhase += 1.0) >= cellSamples)
    {
        idlePhase -= cellSamples;
        idleBit = (idleBit + 1) % (int) sizeof (idleBits);
        idleMidDone = false;
        lastHigh = ! lastHigh;
    }
    else if (! idleMidDone && idleBits[idleBit] != 0 && idlePhase >= cellSamples / 2)
    {
        idleMidDone = true;
        lastHigh = ! lastHigh;
    }
    return lastHigh ? level : -level;
}

} // namespace cuegrid
