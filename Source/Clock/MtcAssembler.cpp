// CueGrid — GPL-3.0-or-later
#include "MtcAssembler.h"

#include "MtcMessages.h"

namespace cuegrid
{

namespace
{
    int64_t floorDiv (int64_t a, int64_t b) noexcept { return a >= 0 ? a / b : -((-a + b - 1) / b); }

    /** The position `quarters` quarter frames after 00:00:00:00. */
    void setPosition (MtcPosition& p, int64_t quarters, FrameRate rate) noexcept
    {
        const auto frame = floorDiv (quarters, 4);
        p.timecode = Timecode::fromFrameNumber (frame, rate);
        p.quarterFrames = int (quarters - frame * 4);
    }
} // namespace

void MtcAssembler::reset() noexcept
{
    lastPiece = -1;
    direction = 0;
    received = 0;
    locked = false;
    lastTimestamp = -1.0;
}

void MtcAssembler::restartFrom (int piece) noexcept
{
    locked = false;
    direction = 0;
    received = 0;
    lastPiece = piece;
}

MtcAssembler::Result MtcAssembler::handle (const uint8_t* data, size_t size, double timestamp, MtcPosition& position) noexcept
{
    if (data == nullptr || size == 0)
        return Result::ignored;
    if (data[0] == 0xf1 && size >= 2)
    {
        if (lastTimestamp >= 0.0 && timestamp - lastTimestamp > staleSeconds)
            reset();
        lastTimestamp = timestamp;
        return handleQuarterFrame ((data[1] >> 4) & 7, data[1] & 0x0f, timestamp, position);
    }
    // Full frame: F0 7F <device> 01 01 hh mm ss ff F7.
    if (data[0] == 0xf0 && size >= 10 && data[1] == 0x7f && data[3] == 0x01 && data[4] == 0x01 && data[9] == 0xf7)
    {
        lastTimestamp = timestamp;
        return handleFullFrame (data, timestamp, position);
    }
    return Result::ignored;
}

MtcAssembler::Result MtcAssembler::handleFullFrame (const uint8_t* data, double timestamp, MtcPosition& position) noexcept
{
    const Timecode t { data[5] & 0x1f, data[6] & 0x3f, data[7] & 0x3f, data[8] & 0x1f, mtc::rateFromCode (data[5] >> 5) };
    if (! t.isValid())
    {
        ++sequenceErrors;
        restartFrom (-1);
        return Result::sequenceError;
    }
    // Like Ardour's parser (possible_mtc): a locate, then wait for quarter frames to tell the
    // direction again.
    restartFrom (-1);
    rate = t.rate;
    position = {};
    position.timecode = t;
    position.timestamp = timestamp;
    position.fullFrame = true;
    return Result::locate;
}

MtcAssembler::Result MtcAssembler::handleQuarterFrame (int piece, int value, double timestamp, MtcPosition& position) noexcept
{
    if (direction == 0)
    {
        if (lastPiece >= 0 && piece == (lastPiece + 1) % 8)
            direction = 1;
        else if (lastPiece >= 0 && piece == (lastPiece + 7) % 8)
            direction = -1;
        else
            received = 0;   // first message, or no order yet: start again from this one
    }
    else if (piece != (lastPiece + direction + 8) % 8)
    {
        ++sequenceErrors;
        restartFrom (piece);
        pieces[piece] = value;
        received = 1u << piece;
        return Result::sequenceError;
    }
    lastPiece = piece;

    // A sequence starts at piece 0 forward, 7 reverse, and is complete at the other end.
    const int first = direction < 0 ? 7 : 0, last = direction < 0 ? 0 : 7;
    if (direction != 0 && piece == first)
        received = 0;
    pieces[piece] = value;
    received |= 1u << piece;

    if (direction == 0)
        return Result::pending;

    if (piece == last && received == 0xffu)
    {
        const Timecode t { pieces[6] | ((pieces[7] & 1) << 4), pieces[4] | ((pieces[5] & 3) << 4),
                           pieces[2] | ((pieces[3] & 3) << 4), pieces[0] | ((pieces[1] & 1) << 4),
                           mtc::rateFromCode (pieces[7] >> 1) };
        if (! t.isValid())
        {
            ++sequenceErrors;
            restartFrom (piece);
            return Result::sequenceError;
        }
        const auto frame = t.toFrameNumber();
        const auto day = framesPerDay (t.rate);
        const bool jump = locked && (rate != t.rate || ((sequenceFrame + 2 * direction - frame) % day + day) % day != 0);
        sequenceFrame = frame;
        rate = t.rate;
        locked = true;

        position = {};
        // Piece n marks the encoded frame + n/4: forward the time is complete at piece 7
        // (+1.75 frames), reverse at piece 0 (+0).
        setPosition (position, frame * 4 + piece, rate);
        position.timestamp = timestamp;
        position.direction = direction;
        position.jump = jump;
        return Result::position;
    }
    if (! locked)
        return Result::pending;

    // Between complete sequences: this piece belongs to the sequence after the last one.
    position = {};
    setPosition (position, (sequenceFrame + 2 * direction) * 4 + piece, rate);
    position.timestamp = timestamp;
    position.direction = direction;
    return Result::position;
}

} // namespace cuegrid
