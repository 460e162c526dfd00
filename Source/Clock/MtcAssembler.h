// CueGrid — GPL-3.0-or-later
// MIDI Time Code in: quarter frames assembled into positions, full frames as locates.
// One assembler per MIDI input (each MTC peer is watched on its own). docs/clock.md, "MTC".
#pragma once

#include "Timecode.h"

#include <cstddef>
#include <cstdint>

namespace cuegrid
{

/** Where an MTC stream says the transport is at the arrival of one message. Plain data. */
struct MtcPosition
{
    Timecode timecode;          // the frame the position is in
    int quarterFrames = 0;      // 0–3 quarter frames into that frame
    double timestamp = 0.0;     // the message's arrival, seconds, the caller's monotonic clock
    int direction = 0;          // +1 forward, −1 reverse, 0 none (a full-frame locate)
    bool fullFrame = false;     // a locate from a full-frame SysEx: the transport is there, still
    bool jump = false;          // a completed sequence was not the one after the previous

    /** Frames since 00:00:00:00 (drop-frame aware), with the quarter frames. */
    double frames() const noexcept { return double (timecode.toFrameNumber()) + quarterFrames / 4.0; }
};

/** Assembles MTC from the raw bytes of each MIDI message of one input.

    Quarter frames (F1 0nnn dddd): 8 of them carry one timecode in 2 frames, piece n sent n/4
    frame after the start of the frame it encodes. Forward, the pieces come 0→7 and the time is
    known at piece 7, which arrives 7 quarter frames (1.75 frames) after the frame it encodes
    began: the position is that frame + 1.75 (Ardour libs/ardour/mtc_slave.cc update_mtc_time:
    "We received the last quarter frame 7 quarter frames (1.75 mtc frames) after the instance
    when the contents of the mtc quarter frames were decided", mtc_frame += 1.75 frames; JUCE
    7.0.5 only parses single messages (MidiMessage::getQuarterFrameSequenceNumber/Value) and
    applies no offset). Reverse, the pieces come 7→0 as the forward stream played backwards, so
    piece n still marks the encoded frame + n/4 and the time, known at piece 0, is the encoded
    frame + 0 (Ardour adds 1.75 in both directions; CueGrid follows the time-reversal, which puts
    reverse positions 1.75 frames earlier than Ardour's). Once locked, every quarter frame gives
    a position (4 a frame), taking the next sequence's frame as the last one ± 2.

    Direction comes from the order of the first two quarter frames (Ardour
    libs/midi++2/mtc.cc). A quarter frame out of order (a dropped or repeated message) is a
    sequence error: the lock is lost and assembly starts again from that message, as in Ardour.
    A gap longer than staleSeconds between messages also starts again. Locked after a whole
    sequence of 8 in order.

    Full frame (F0 7F dd 01 01 hh mm ss ff F7, any device id dd): a locate, reported at once; the
    quarter-frame state starts again. The rate is the 2-bit code in hh (or quarter frame 7):
    24, 25, 29.97 drop-frame, 30.

    Pure: no I/O, no allocation, no lock; one thread at a time (the input's MIDI thread). */
class MtcAssembler
{
public:
    enum class Result
    {
        ignored,        // not MTC (or not a message this assembler reads)
        pending,        // a quarter frame taken, no position yet (not locked)
        position,       // `position` holds a quarter-frame position
        locate,         // `position` holds a full-frame locate
        sequenceError   // a quarter frame out of order, or an impossible timecode: lock lost
    };

    /** No messages for this long (seconds) means the stream stopped: the next quarter frame
        starts a new lock. Ardour treats 1/4 s without MTC as stopped (mtc_slave.cc). */
    static constexpr double staleSeconds = 0.25;

    /** One MIDI message's bytes, status byte first (SysEx with its F0 and F7, as
        juce::MidiMessage::getRawData gives them); `timestamp` its arrival in seconds on a
        monotonic clock. Fills `position` for Result::position and Result::locate. */
    Result handle (const uint8_t* data, size_t size, double timestamp, MtcPosition& position) noexcept;

    /** A whole sequence of 8 quarter frames in order since the last error, locate or gap. */
    bool isLocked() const noexcept { return locked; }

    /** +1, −1, or 0 while unknown. */
    int getDirection() const noexcept { return direction; }

    /** The rate of the last complete sequence or full frame (25 fps before any). */
    FrameRate getFrameRate() const noexcept { return rate; }

    int64_t getSequenceErrors() const noexcept { return sequenceErrors; }

    /** Forget the stream (as after a gap). */
    void reset() noexcept;

private:
    Result handleQuarterFrame (int piece, int value, double timestamp, MtcPosition& position) noexcept;
    Result handleFullFrame (const uint8_t* data, double timestamp, MtcPosition& position) noexcept;
    void restartFrom (int piece) noexcept;

    int lastPiece = -1;          // the previous quarter frame's piece, −1 none
    int direction = 0;
    int pieces[8] {};
    unsigned received = 0;       // bit n: piece n of the current sequence arrived
    bool locked = false;
    int64_t sequenceFrame = 0;   // frame number the last complete sequence encoded
    FrameRate rate = FrameRate::fps25;
    double lastTimestamp = -1.0;
    int64_t sequenceErrors = 0;
};

} // namespace cuegrid
