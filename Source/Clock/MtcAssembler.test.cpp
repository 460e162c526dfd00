// CueGrid — GPL-3.0-or-later
// MtcAssembler on generated message streams: the position at each message's arrival is where
// the sender's transport was when it sent it (forward and reverse), rates, full frames, a
// dropped quarter frame, jumps and gaps.
#include "MtcAssembler.h"
#include "MtcMessages.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace cuegrid;

namespace
{
struct Message
{
    std::vector<uint8_t> bytes;
    double time = 0;          // seconds
    double transport = 0;     // the sender's position when it sent this, frames since 00:00:00:00
};

/** A sender running at `direction` through `sequences` sequences from the sequence that
    encodes frame `firstFrame` (even), starting `startTime` s. Forward, piece n of the sequence
    for frame F is sent at transport F + n/4; reverse, the same stream played backwards. */
std::vector<Message> quarterFrames (FrameRate rate, int64_t firstFrame, int sequences, int direction, double startTime = 1.0)
{
    std::vector<Message> stream;
    const double fps = framesPerSecond (rate);
    const double startTransport = direction > 0 ? double (firstFrame) : double (firstFrame) + 1.75;
    for (int s = 0; s < sequences; ++s)
    {
        const auto frame = firstFrame + 2 * direction * s;
        const auto label = Timecode::fromFrameNumber (frame, rate);
        for (int i = 0; i < 8; ++i)
        {
            const int piece = direction > 0 ? i : 7 - i;
            const double transport = double (frame) + piece / 4.0;
            const auto bytes = mtc::quarterFrame (label, piece);
            stream.push_back ({ { bytes.begin(), bytes.end() }, startTime + std::abs (transport - startTransport) / fps, transport });
        }
    }
    return stream;
}

struct Outcome
{
    std::vector<MtcPosition> positions;
    std::vector<double> transports;   // the sender's transport for each position
    int errors = 0, pending = 0;
};

Outcome feed (MtcAssembler& assembler, const std::vector<Message>& stream)
{
    Outcome out;
    for (const auto& m : stream)
    {
        MtcPosition p;
        switch (assembler.handle (m.bytes.data(), m.bytes.size(), m.time, p))
        {
            case MtcAssembler::Result::position:
            case MtcAssembler::Result::locate:
                out.positions.push_back (p);
                out.transports.push_back (m.transport);
                break;
            case MtcAssembler::Result::sequenceError: ++out.errors; break;
            case MtcAssembler::Result::pending: ++out.pending; break;
            case MtcAssembler::Result::ignored: break;
        }
    }
    return out;
}

/** Each position equals the sender's transport at that message, exactly. */
void checkPositions (const Outcome& out, int direction, int64_t day)
{
    int wrong = 0;
    for (size_t i = 0; i < out.positions.size(); ++i)
    {
        const auto& p = out.positions[i];
        auto expected = std::fmod (out.transports[i], double (day));
        if (expected < 0)
            expected += double (day);
        if (p.frames() != expected || p.direction != direction || p.jump)
            if (++wrong <= 3)
                FAIL_CHECK ("position " << i << ": " << p.timecode.toString() << " +" << p.quarterFrames << "/4 = " << p.frames()
                                        << ", sender at " << expected);
    }
    CHECK (wrong == 0);
}
} // namespace

TEST_CASE ("MTC: forward quarter frames lock after one sequence, position = encoded frame + 1.75 at piece 7", "[clock][mtc]")
{
    const auto rate = FrameRate::fps25;
    const auto first = Timecode { 1, 0, 0, 0, rate }.toFrameNumber();
    MtcAssembler assembler;
    const auto stream = quarterFrames (rate, first, 10, +1);
    const auto out = feed (assembler, stream);
    CHECK (out.errors == 0);
    CHECK (assembler.isLocked());
    CHECK (assembler.getDirection() == 1);
    // Pieces 0-6 of the first sequence wait; piece 7 gives the first position, every one after too.
    CHECK (out.pending == 7);
    REQUIRE (out.positions.size() == stream.size() - 7);
    CHECK (out.positions.front().timecode.toString() == "01:00:00:01");
    CHECK (out.positions.front().quarterFrames == 3);
    CHECK (out.positions.front().timestamp == stream[7].time);
    checkPositions (out, +1, framesPerDay (rate));
}

TEST_CASE ("MTC: reverse quarter frames (7 to 0) run backwards from the encoded frame", "[clock][mtc]")
{
    const auto rate = FrameRate::fps30;
    const auto first = Timecode { 0, 10, 0, 10, rate }.toFrameNumber();
    MtcAssembler assembler;
    const auto stream = quarterFrames (rate, first, 10, -1);
    const auto out = feed (assembler, stream);
    CHECK (out.errors == 0);
    CHECK (assembler.getDirection() == -1);
    REQUIRE (out.positions.size() == stream.size() - 7);
    // Complete at piece 0: the encoded frame itself.
    CHECK (out.positions.front().timecode.toString() == "00:10:00:10");
    CHECK (out.positions.front().quarterFrames == 0);
    checkPositions (out, -1, framesPerDay (rate));
    // Positions fall with time.
    for (size_t i = 1; i < out.positions.size(); ++i)
        CHECK (out.positions[i].frames() < out.positions[i - 1].frames());
}

TEST_CASE ("MTC: the rate comes from the rate bits, drop-frame labels across a minute", "[clock][mtc]")
{
    for (const auto rate : { FrameRate::fps24, FrameRate::fps25, FrameRate::fps2997drop, FrameRate::fps30 })
    {
        INFO (frameRateName (rate));
        const auto first = Timecode { 0, 0, 59, 20, rate }.toFrameNumber();
        MtcAssembler assembler;
        const auto out = feed (assembler, quarterFrames (rate, first, 12, +1));
        CHECK (assembler.getFrameRate() == rate);
        CHECK (out.errors == 0);
        checkPositions (out, +1, framesPerDay (rate));
        bool sawMinute = false;
        for (const auto& p : out.positions)
        {
            CHECK (p.timecode.rate == rate);
            CHECK (p.timecode.isValid());
            if (p.timecode.minutes == 1 && p.timecode.seconds == 0)
            {
                sawMinute = true;
                if (isDropFrame (rate))
                    CHECK (p.timecode.frames >= 2);
            }
        }
        CHECK (sawMinute);
    }
}

TEST_CASE ("MTC: a dropped quarter frame loses the lock, which comes back after the next whole sequence", "[clock][mtc]")
{
    const auto rate = FrameRate::fps25;
    auto stream = quarterFrames (rate, Timecode { 1, 0, 0, 0, rate }.toFrameNumber(), 10, +1);
    stream.erase (stream.begin() + 8 * 4 + 3);   // piece 3 of the fifth sequence
    MtcAssembler assembler;
    const auto out = feed (assembler, stream);
    CHECK (out.errors == 1);
    CHECK (assembler.getSequenceErrors() == 1);
    CHECK (assembler.isLocked());
    // Positions stop at the gap (pieces 4-7 of that sequence give none), resume at the next
    // sequence's piece 7 and are right all along.
    CHECK (out.positions.size() == stream.size() - 7 - 4 - 7);
    checkPositions (out, +1, framesPerDay (rate));

    // The same with a repeated message.
    auto repeated = quarterFrames (rate, 1000, 4, +1);
    repeated.insert (repeated.begin() + 12, repeated[11]);
    MtcAssembler second;
    const auto again = feed (second, repeated);
    CHECK (again.errors == 1);
    checkPositions (again, +1, framesPerDay (rate));
}

TEST_CASE ("MTC: a full-frame message locates at once and the quarter frames start again", "[clock][mtc]")
{
    const auto rate = FrameRate::fps2997drop;
    MtcAssembler assembler;
    feed (assembler, quarterFrames (rate, 2000, 4, +1));
    REQUIRE (assembler.isLocked());

    const auto target = Timecode { 1, 2, 0, 4, rate };
    const auto bytes = mtc::fullFrame (target);
    MtcPosition p;
    REQUIRE (assembler.handle (bytes.data(), bytes.size(), 10.0, p) == MtcAssembler::Result::locate);
    CHECK (p.fullFrame);
    CHECK (p.timecode == target);
    CHECK (p.quarterFrames == 0);
    CHECK (p.direction == 0);
    CHECK (p.timestamp == 10.0);
    CHECK_FALSE (assembler.isLocked());
    CHECK (assembler.getFrameRate() == rate);

    // Any device id; a malformed one is not a locate.
    auto other = bytes;
    other[2] = 0x10;
    CHECK (assembler.handle (other.data(), other.size(), 10.1, p) == MtcAssembler::Result::locate);
    other[9] = 0x00;
    CHECK (assembler.handle (other.data(), other.size(), 10.2, p) == MtcAssembler::Result::ignored);
    auto impossible = mtc::fullFrame (Timecode { 0, 1, 0, 0, FrameRate::fps2997drop });   // a skipped label
    CHECK (assembler.handle (impossible.data(), impossible.size(), 10.3, p) == MtcAssembler::Result::sequenceError);

    // Playing on from the located frame.
    const auto out = feed (assembler, quarterFrames (rate, target.toFrameNumber(), 4, +1, 10.5));
    CHECK (out.errors == 0);
    CHECK (assembler.isLocked());
    checkPositions (out, +1, framesPerDay (rate));
}

TEST_CASE ("MTC: a jump between sequences is flagged, a gap restarts the lock, other messages are ignored", "[clock][mtc]")
{
    const auto rate = FrameRate::fps25;
    MtcAssembler assembler;
    auto stream = quarterFrames (rate, 5000, 3, +1, 1.0);
    const auto later = quarterFrames (rate, 9000, 3, +1, stream.back().time + 0.01);
    stream.insert (stream.end(), later.begin(), later.end());
    const auto out = feed (assembler, stream);
    int jumps = 0;
    for (const auto& p : out.positions)
        jumps += p.jump ? 1 : 0;
    CHECK (jumps == 1);
    CHECK (out.positions.back().frames() == Approx (9000 + 4 + 1.75));

    // 0.5 s of silence: the stream stopped; the next quarter frames lock again from scratch.
    MtcAssembler gapped;
    auto first = quarterFrames (rate, 100, 2, +1, 1.0);
    const auto resumed = quarterFrames (rate, 104, 2, +1, first.back().time + 0.5);
    first.insert (first.end(), resumed.begin() + 3, resumed.end());   // resumes mid-sequence
    const auto gapOut = feed (gapped, first);
    CHECK (gapOut.errors == 0);
    CHECK (gapped.isLocked());
    checkPositions (gapOut, +1, framesPerDay (rate));

    const uint8_t noteOn[] = { 0x90, 60, 100 };
    const uint8_t clock[] = { 0xf8 };
    MtcPosition p;
    CHECK (assembler.handle (noteOn, sizeof (noteOn), 2.0, p) == MtcAssembler::Result::ignored);
    CHECK (assembler.handle (clock, sizeof (clock), 2.0, p) == MtcAssembler::Result::ignored);
    CHECK (assembler.handle (nullptr, 0, 2.0, p) == MtcAssembler::Result::ignored);
}

TEST_CASE ("MTC: midnight wraps forward and backward", "[clock][mtc]")
{
    const auto rate = FrameRate::fps24;
    const auto day = framesPerDay (rate);
    MtcAssembler forward;
    const auto out = feed (forward, quarterFrames (rate, day - 4, 5, +1));
    CHECK (out.errors == 0);
    checkPositions (out, +1, day);
    MtcAssembler backward;
    const auto back = feed (backward, quarterFrames (rate, 2, 5, -1));
    CHECK (back.errors == 0);
    checkPositions (back, -1, day);
}
