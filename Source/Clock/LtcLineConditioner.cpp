// CueGrid — GPL-3.0-or-later
#include "LtcLineConditioner.h"

#include <algorithm>
#include <cmath>

namespace cuegrid
{

namespace
{
    constexpr double longestCellRate = 24.0 * 0.9 * 80.0;   // cells a second at 24 fps −10 %

    // The idle clock's bits, repeated: 24 zeros, then LTC's sync word in the order it is sent
    // (0011111111111101). libltc keeps the last 80 bits it read and reports a frame at a sync word
    // only when 80 bits came since the previous one; the idle sync word every 40 bits keeps that
    // count low, so neither it nor a real signal's first (reverse) sync word can frame idle bits.
    constexpr unsigned char idleBits[40] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                             0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1 };

    bool isLoud (float x) noexcept { return std::abs (x) >= LtcLineConditioner::silenceLevel; }
} // namespace

LtcLineConditioner::LtcLineConditioner (double sampleRate) noexcept
    : dcBlockPole ((float) std::exp (-2.0 * 3.14159265358979 * 25.0 / sampleRate)),
      delay (std::clamp ((int) std::ceil (sampleRate / longestCellRate), 1, maxDelay))
{
}

void LtcLineConditioner::reset() noexcept
{
    dcBlockIn = dcBlockOut = 0.0f;
    line.fill (0.0f);
    lineIndex = 0;
    loudAhead = 0;
    silentRun = 0;
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

    // The line holds the next `delay` samples; `out` leaves it now, `y` joins it.
    const float out = line[(size_t) lineIndex];
    line[(size_t) lineIndex] = y;
    lineIndex = (lineIndex + 1) % delay;
    loudAhead += (isLoud (y) ? 1 : 0) - (isLoud (out) ? 1 : 0);

    if (isLoud (out))
    {
        silentRun = 0;
        idle = holding = false;
        lastHigh = out > 0.0f;
        return out;
    }
    if (! idle && ++silentRun > 1.5 * cellSamples)
    {
        idle = true;
        idlePhase = 0.0;
        idleBit = 0;
        idleMidDone = false;
    }
    if (! idle)
    {
        lastHigh = out > 0.0f;
        return out;
    }

    const float level = std::clamp (idleLevel, 0.02f, 1.0f);
    if (! holding && loudAhead > 0)
    {
        // The signal returns within `delay` samples: hold the level opposite to its first sample.
        for (int i = 0; i < delay; ++i)
        {
            const float ahead = line[(size_t) ((lineIndex + i) % delay)];
            if (isLoud (ahead))
            {
                holding = true;
                holdHigh = ahead < 0.0f;
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
