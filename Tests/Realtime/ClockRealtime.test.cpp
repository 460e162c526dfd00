// CueGrid — GPL-3.0-or-later
// Issue 12: the timecode readers the clock manager runs on the audio and MIDI threads make
// zero allocations and zero lock calls once created: LtcDecoder::write/read/flush/reset (libltc's
// ltc_decoder_write and ltc_decoder_read, and the line conditioner's idle clock, included) and
// MtcAssembler::handle.
#include "AudioThreadGuard.h"
#include "Clock/LtcDecoder.h"
#include "Clock/LtcGenerator.h"
#include "Clock/MtcAssembler.h"
#include "Clock/MtcMessages.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace cuegrid;

TEST_CASE ("LtcDecoder write, read, flush and reset make zero allocations and zero lock calls", "[realtime][clock]")
{
    constexpr double rate = 48000.0;
    constexpr int blockSize = 256;
    const auto start = *Timecode::parse ("00:59:58;00", FrameRate::fps2997drop);
    auto forward = LtcGenerator::generate (rate, start, 150);
    auto backward = forward;
    std::reverse (backward.begin(), backward.end());
    // Silence between them, so the line conditioner's idle clock and its hand-over run too.
    forward.resize (forward.size() + 9600, 0.0f);
    backward.insert (backward.begin(), 9600, 0.0f);

    LtcDecoder decoder (rate, 64);
    LtcFrame frame;
    int decoded = 0;
    int64_t position = 0;
    test::resetAudioThreadGuard();
    test::armAudioThreadGuard (true);
    for (const auto* signal : { &forward, &backward })
    {
        for (size_t done = 0; done < signal->size(); done += blockSize)
        {
            const auto count = (int) std::min (signal->size() - done, (size_t) blockSize);
            decoder.write (signal->data() + done, count, position);
            position += count;
            while (decoder.read (frame))
                ++decoded;
        }
        decoder.flush();
        while (decoder.read (frame))
            ++decoded;
        decoder.reset();
    }
    test::armAudioThreadGuard (false);
    CHECK (test::audioThreadAllocations() == 0);
    CHECK (test::audioThreadLocks() == 0);
    CHECK (decoded == 300);
}

TEST_CASE ("MtcAssembler makes zero allocations and zero lock calls", "[realtime][clock]")
{
    MtcAssembler assembler;
    MtcPosition position;
    int positions = 0;
    test::resetAudioThreadGuard();
    test::armAudioThreadGuard (true);
    auto t = Timecode { 1, 0, 0, 0, FrameRate::fps25 };
    const auto locate = mtc::fullFrame (t);
    if (assembler.handle (locate.data(), locate.size(), 0.0, position) == MtcAssembler::Result::locate)
        ++positions;
    double time = 0.01;
    for (int sequence = 0; sequence < 100; ++sequence, t = t.advancedBy (2))
        for (int piece = 0; piece < 8; ++piece, time += 0.01)
        {
            const auto message = mtc::quarterFrame (t, piece);
            if (assembler.handle (message.data(), message.size(), time, position) == MtcAssembler::Result::position)
                ++positions;
        }
    test::armAudioThreadGuard (false);
    CHECK (test::audioThreadAllocations() == 0);
    CHECK (test::audioThreadLocks() == 0);
    CHECK (positions == 1 + 800 - 7);
}
