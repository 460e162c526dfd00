// CueGrid — GPL-3.0-or-later
// The bytes of MIDI Time Code messages (MIDI 1.0 "MIDI Time Code" RP-004/RP-008): what an MTC
// sender writes, for tests and test clients. Header-only, no allocation.
#pragma once

#include "Timecode.h"

#include <array>
#include <cstdint>

namespace cuegrid::mtc
{

/** The 2-bit rate code of MTC (quarter frame 7 bits 1–2, full frame hh bits 5–6):
    0 = 24, 1 = 25, 2 = 29.97 drop-frame ("30 drop"), 3 = 30 (29.97 non-drop is sent as 3). */
inline int rateCode (FrameRate rate) noexcept
{
    switch (rate)
    {
        case FrameRate::fps24: return 0;
        case FrameRate::fps25: return 1;
        case FrameRate::fps2997drop: return 2;
        default: return 3;
    }
}

inline FrameRate rateFromCode (int code) noexcept
{
    static constexpr FrameRate rates[] = { FrameRate::fps24, FrameRate::fps25, FrameRate::fps2997drop, FrameRate::fps30 };
    return rates[code & 3];
}

/** Quarter frame `piece` (0–7) of `t`: F1 0nnn dddd. Pieces 0/1 frames, 2/3 seconds, 4/5
    minutes, 6/7 hours; piece 7 also carries the rate code. */
inline std::array<uint8_t, 2> quarterFrame (const Timecode& t, int piece) noexcept
{
    int value = 0;
    switch (piece & 7)
    {
        case 0: value = t.frames & 0x0f; break;
        case 1: value = (t.frames >> 4) & 0x01; break;
        case 2: value = t.seconds & 0x0f; break;
        case 3: value = (t.seconds >> 4) & 0x03; break;
        case 4: value = t.minutes & 0x0f; break;
        case 5: value = (t.minutes >> 4) & 0x03; break;
        case 6: value = t.hours & 0x0f; break;
        case 7: value = ((t.hours >> 4) & 0x01) | (rateCode (t.rate) << 1); break;
    }
    return { 0xf1, uint8_t (((piece & 7) << 4) | value) };
}

/** Full-frame SysEx: F0 7F 7F 01 01 hh mm ss ff F7 (hh = 0rrhhhhh). */
inline std::array<uint8_t, 10> fullFrame (const Timecode& t) noexcept
{
    return { 0xf0, 0x7f, 0x7f, 0x01, 0x01, uint8_t ((rateCode (t.rate) << 5) | (t.hours & 0x1f)),
             uint8_t (t.minutes & 0x3f), uint8_t (t.seconds & 0x3f), uint8_t (t.frames & 0x1f), 0xf7 };
}

} // namespace cuegrid::mtc
