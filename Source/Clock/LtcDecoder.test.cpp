// CueGrid — GPL-3.0-or-later
// LtcDecoder on signals from LtcGenerator: every frame, in order, no false frames, at every
// rate, backwards, quiet, noisy and off-speed (issue 12, test 1).
#include "LtcDecoder.h"
#include "LtcGenerator.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>

using namespace cuegrid;

namespace
{
Timecode tc (const char* text, FrameRate rate)
{
    const auto parsed = Timecode::parse (text, rate);
    REQUIRE (parsed.has_value());
    return *parsed;
}

std::vector<LtcFrame> decodeAll (const std::vector<float>& samples, double sampleRate, int blockSize = 512,
                                 int64_t firstPosition = 0, bool ntsc = false)
{
    LtcDecoder decoder (sampleRate, 4096);
    decoder.setNonDropThirtyIsNtsc (ntsc);
    std::vector<LtcFrame> frames;
    LtcFrame frame;
    for (size_t done = 0; done < samples.size();)
    {
        const auto count = std::min (samples.size() - done, (size_t) blockSize);
        decoder.write (samples.data() + done, (int) count, firstPosition + (int64_t) done);
        done += count;
        while (decoder.read (frame))
            frames.push_back (frame);
    }
    decoder.flush();
    while (decoder.read (frame))
        frames.push_back (frame);
    CHECK (decoder.getStats().dropped == 0);
    return frames;
}

bool sameLabel (const Timecode& a, const Timecode& b)
{
    return a.hours == b.hours && a.minutes == b.minutes && a.seconds == b.seconds && a.frames == b.frames;
}

/** Every frame from `first` on, one after another (backwards when `reverse`), none missing;
    the rate right once confirmed (before, it is the decoder's guess). */
void checkSequence (const std::vector<LtcFrame>& frames, Timecode first, int64_t count, bool reverse)
{
    if ((int64_t) frames.size() != count)
    {
        std::string labels;
        for (const auto& f : frames)
            labels += f.timecode.toString() + " ";
        FAIL ("decoded " << frames.size() << " frames, expected " << count << ": " << labels);
    }
    auto expected = first;
    int wrong = 0, discontinuities = 0;
    for (const auto& f : frames)
    {
        if (! sameLabel (f.timecode, expected) || (f.rateConfirmed && f.timecode.rate != expected.rate) || f.reverse != reverse)
        {
            if (++wrong <= 3)
                FAIL_CHECK ("got " << f.timecode.toString() << (f.reverse ? " reverse" : "") << ", expected " << expected.toString());
        }
        discontinuities += f.discontinuity ? 1 : 0;
        expected = expected.advancedBy (reverse ? -1 : 1);
    }
    CHECK (wrong == 0);
    CHECK (discontinuities == 0);
}

std::vector<float> withNoise (std::vector<float> samples, double rmsDb, uint32_t seed)
{
    std::mt19937 random (seed);
    std::normal_distribution<float> gauss (0.0f, (float) std::pow (10.0, rmsDb / 20.0));
    for (auto& s : samples)
        s += gauss (random);
    return samples;
}
} // namespace

TEST_CASE ("LTC: every frame of a generated signal at each rate, rate detected from the labels", "[clock][ltc]")
{
    struct Case { FrameRate rate; const char* start; bool ntsc; };
    for (const auto& c : { Case { FrameRate::fps24, "00:59:58:00", false }, Case { FrameRate::fps25, "01:00:00:00", false },
                           Case { FrameRate::fps2997drop, "00:59:59;20", false }, Case { FrameRate::fps30, "10:00:00:10", false },
                           Case { FrameRate::fps2997, "00:00:59:10", true } })
    {
        INFO (frameRateName (c.rate));
        const auto start = tc (c.start, c.rate);
        const int64_t count = 3 * nominalFramesPerSecond (c.rate);
        const auto samples = LtcGenerator::generate (48000, start, count);
        CHECK ((int64_t) samples.size() == std::llround (double (count) * 48000 / framesPerSecond (c.rate)));

        const auto frames = decodeAll (samples, 48000, 512, 0, c.ntsc);
        checkSequence (frames, start, count, false);
        REQUIRE (! frames.empty());
        CHECK (frames.back().rateConfirmed);
        CHECK (frames.back().timecode.rate == c.rate);
        // Confirmed at the first wrap to frame 00: within one second plus a frame.
        const auto firstConfirmed = std::find_if (frames.begin(), frames.end(), [] (const LtcFrame& f) { return f.rateConfirmed; });
        CHECK (firstConfirmed - frames.begin() <= nominalFramesPerSecond (c.rate));

        // Sample spans: frame k starts at round(k · samples per frame), libltc within a few samples.
        const auto samplesPerFrame = 48000 / framesPerSecond (c.rate);
        double worst = 0;
        for (size_t k = 1; k < frames.size(); ++k)
            worst = std::max (worst, std::abs ((double) frames[k].startSample - double (k) * samplesPerFrame));
        CHECK (worst <= 2.0);
        // libltc's off_start of a stream's first frame and off_end of a frame are within a few samples.
        CHECK (frames.front().startSample >= 0);
        CHECK (frames.front().startSample <= 10);
        CHECK (frames.back().endSample >= (int64_t) samples.size() - 3);
        CHECK (frames.back().endSample <= (int64_t) samples.size() - 1);
    }
}

TEST_CASE ("LTC: 29.97 drop-frame across a minute boundary skips 00 and 01, and the tenth minute does not", "[clock][ltc]")
{
    const auto df = FrameRate::fps2997drop;
    for (const char* start : { "00:00:59;00", "00:09:59;00", "01:00:59;15" })
    {
        INFO (start);
        const auto first = tc (start, df);
        const auto frames = decodeAll (LtcGenerator::generate (48000, first, 60), 48000);
        checkSequence (frames, first, 60, false);
        bool crossedMinute = false;
        for (size_t k = 1; k < frames.size(); ++k)
        {
            const auto& t = frames[k].timecode;
            CHECK (frames[k].timecode.rate == df);
            CHECK (t.isValid());
            if (t.seconds == 0 && frames[k - 1].timecode.seconds == 59)
            {
                crossedMinute = true;
                CHECK (frames[k - 1].timecode.frames == 29);
                CHECK (t.frames == (t.minutes % 10 == 0 ? 0 : 2));
            }
        }
        CHECK (crossedMinute);
    }
}

TEST_CASE ("LTC: a signal played backwards decodes every frame in reverse order", "[clock][ltc]")
{
    for (const auto rate : { FrameRate::fps25, FrameRate::fps2997drop, FrameRate::fps24 })
    {
        INFO (frameRateName (rate));
        const auto first = Timecode::fromFrameNumber (Timecode { 0, 1, 0, 0, rate }.toFrameNumber() - 40, rate);
        const int64_t count = 120;
        auto samples = LtcGenerator::generate (48000, first, count);
        std::reverse (samples.begin(), samples.end());
        const auto frames = decodeAll (samples, 48000);
        checkSequence (frames, first.advancedBy (count - 1), count, true);
        REQUIRE (! frames.empty());
        CHECK (frames.back().timecode.rate == rate);
        for (const auto& f : frames)
            CHECK (f.startSample < f.endSample);
    }
}

TEST_CASE ("LTC: -30 dBFS, noise and noise alone", "[clock][ltc]")
{
    const auto first = tc ("01:00:00:00", FrameRate::fps25);
    SECTION ("-30 dBFS")
    {
        const auto frames = decodeAll (LtcGenerator::generate (48000, first, 100, -30.0), 48000);
        checkSequence (frames, first, 100, false);
        REQUIRE (! frames.empty());
        CHECK (frames[50].volumeDb == Approx (-30.0).margin (1.5));
    }
    SECTION ("-6 dBFS with white noise 20 dB below")
    {
        const auto frames = decodeAll (withNoise (LtcGenerator::generate (48000, first, 250, -6.0), -26.0, 12), 48000);
        checkSequence (frames, first, 250, false);
    }
    SECTION ("-30 dBFS with white noise 20 dB below")
    {
        const auto frames = decodeAll (withNoise (LtcGenerator::generate (48000, first, 250, -30.0), -50.0, 7), 48000);
        checkSequence (frames, first, 250, false);
    }
    SECTION ("a DC offset ten times the signal, and a large one under a loud signal")
    {
        // The offset is on the line before the timecode starts (0.25 s), as on a real input.
        for (const auto& [level, offset] : { std::pair { -30.0, 0.3f }, std::pair { -6.0, -0.45f } })
        {
            const auto signal = LtcGenerator::generate (48000, first, 100, level);
            std::vector<float> samples (12000, 0.0f);
            samples.insert (samples.end(), signal.begin(), signal.end());
            for (auto& s : samples)
                s += offset;
            const auto frames = decodeAll (samples, 48000);
            checkSequence (frames, first, 100, false);
            REQUIRE (! frames.empty());
            CHECK (std::abs (frames.front().startSample - 12000) <= 2);
        }
    }
    SECTION ("noise before and after the signal makes no frame")
    {
        const auto signal = LtcGenerator::generate (48000, first, 100, -6.0);
        std::vector<float> samples (48000, 0.0f);
        samples.insert (samples.end(), signal.begin(), signal.end());
        samples.resize (samples.size() + 48000, 0.0f);
        samples = withNoise (std::move (samples), -20.0, 3);
        auto frames = decodeAll (samples, 48000);
        // The frames where noise and signal meet may be lost; none may be invented.
        REQUIRE (frames.size() >= 98);
        CHECK (frames.size() <= 100);
        CHECK (frames.front().timecode.frames <= 1);
        checkSequence (frames, frames.front().timecode, (int64_t) frames.size(), false);
        CHECK (frames.front().startSample >= 48000 - 2);
    }
    SECTION ("silence and noise alone make no frame")
    {
        CHECK (decodeAll (std::vector<float> (48000 * 5, 0.0f), 48000).empty());
        // 60 s each: loud noise, and noise at the conditioner's silence threshold (-60 dBFS),
        // where the idle clock starts and stops all the time.
        CHECK (decodeAll (withNoise (std::vector<float> (48000 * 60, 0.0f), -10.0, 99), 48000).empty());
        CHECK (decodeAll (withNoise (std::vector<float> (48000 * 60, 0.0f), -62.0, 98), 48000).empty());
    }
}

TEST_CASE ("LTC: the first frame after silence decodes, and a dropout loses no frame", "[clock][ltc]")
{
    for (const auto rate : { FrameRate::fps25, FrameRate::fps2997drop })
        for (const double level : { -6.0, -30.0 })
            for (const int lead : { 48, 480, 24000, 96000 })
            {
                INFO (frameRateName (rate) << ", " << level << " dBFS after " << lead << " samples of silence");
                const auto first = tc ("00:59:59:20", rate);
                const auto signal = LtcGenerator::generate (48000, first, 40, level);
                std::vector<float> samples ((size_t) lead, 0.0f);
                samples.insert (samples.end(), signal.begin(), signal.end());
                const auto frames = decodeAll (samples, 48000);
                checkSequence (frames, first, 40, false);
                REQUIRE (! frames.empty());
                CHECK (std::abs (frames.front().startSample - lead) <= 2);
            }

    // Backwards after silence: every frame, and no false frame from the idle clock's bits.
    for (const int lead : { 480, 48000 })
    {
        INFO ("reverse after " << lead << " samples of silence");
        const auto start = tc ("00:00:10:00", FrameRate::fps25);
        auto signal = LtcGenerator::generate (48000, start, 40);
        std::reverse (signal.begin(), signal.end());
        std::vector<float> samples ((size_t) lead, 0.0f);
        samples.insert (samples.end(), signal.begin(), signal.end());
        checkSequence (decodeAll (samples, 48000), start.advancedBy (39), 40, true);
        // With silence after it too, the last reversed frame waits for a next sync word that
        // never comes; none is invented.
        samples.resize (samples.size() + 24000, 0.0f);
        const auto trailing = decodeAll (samples, 48000);
        REQUIRE (trailing.size() >= 39);
        CHECK (trailing.size() <= 40);
        checkSequence (trailing, start.advancedBy (39), (int64_t) trailing.size(), true);
    }

    // 2 s of timecode, 0.3 s of silence (the cable out), then the timecode as it went on.
    const auto rate = FrameRate::fps25;
    const auto first = tc ("01:00:00:00", rate);
    auto samples = LtcGenerator::generate (48000, first, 50);
    samples.resize (samples.size() + 14400, 0.0f);
    const auto after = LtcGenerator::generate (48000, first.advancedBy (50 + 8), 50);
    samples.insert (samples.end(), after.begin(), after.end());
    const auto frames = decodeAll (samples, 48000);
    REQUIRE (frames.size() == 100);
    int discontinuities = 0;
    for (size_t k = 0; k < frames.size(); ++k)
    {
        CHECK (frames[k].timecode.toFrameNumber() == first.advancedBy ((int64_t) k + (k < 50 ? 0 : 8)).toFrameNumber());
        discontinuities += frames[k].discontinuity ? 1 : 0;
    }
    CHECK (discontinuities == 1);
    CHECK (frames[50].discontinuity);
    CHECK (std::abs (frames[50].startSample - (50 * 1920 + 14400)) <= 2);
    // The last frame before the gap ends where the signal ended (the idle clock's first level
    // change stands in for the next frame's first transition).
    CHECK (frames[49].endSample >= 50 * 1920 - 3);
    CHECK (frames[49].endSample <= 50 * 1920 - 1);
}

TEST_CASE ("LTC: varispeed 0.9x and 1.1x decode every frame with the right rate", "[clock][ltc]")
{
    for (const auto rate : { FrameRate::fps24, FrameRate::fps25, FrameRate::fps30, FrameRate::fps2997drop })
        for (const double speed : { 0.9, 1.1 })
        {
            INFO (frameRateName (rate) << " at " << speed << "x");
            const auto first = tc ("00:00:58:00", rate);
            const int64_t count = 4 * nominalFramesPerSecond (rate);
            const auto samples = LtcGenerator::generate (48000, first, count, -6.0, speed);
            CHECK ((double) samples.size() == Approx (double (count) * 48000 / framesPerSecond (rate) / speed).margin (2));
            const auto frames = decodeAll (samples, 48000);
            checkSequence (frames, first, count, false);
            REQUIRE (! frames.empty());
            CHECK (frames.back().timecode.rate == rate);
            CHECK (frames.back().rateConfirmed);
        }
}

TEST_CASE ("LTC: a varispeed ramp from 1.1x to 0.9x and back decodes every frame", "[clock][ltc]")
{
    for (const auto rate : { FrameRate::fps25, FrameRate::fps2997drop })
    {
        INFO (frameRateName (rate));
        const auto first = tc ("00:00:57:00", rate);
        const int64_t count = 8 * nominalFramesPerSecond (rate);
        LtcGenerator generator (48000, first);
        std::vector<float> samples;
        for (int64_t k = 0; k < count; ++k)
        {
            // 1.0 → 1.1 → 0.9 → 1.0, a triangle over the 8 s, changing every frame.
            const double phase = double (k) / double (count);
            const double speed = phase < 0.25 ? 1.0 + 0.4 * phase : (phase < 0.75 ? 1.2 - 0.4 * phase : 0.6 + 0.4 * phase);
            generator.setSpeed (speed);
            generator.renderFrame (samples);
        }
        const auto frames = decodeAll (samples, 48000);
        checkSequence (frames, first, count, false);
        REQUIRE (! frames.empty());
        CHECK (frames.back().timecode.rate == rate);
        CHECK (frames.back().rateConfirmed);
    }
}

TEST_CASE ("LTC: block size and stream position do not change what is decoded", "[clock][ltc]")
{
    const auto first = tc ("00:59:59;20", FrameRate::fps2997drop);
    const auto samples = LtcGenerator::generate (44100, first, 90);
    const auto reference = decodeAll (samples, 44100, 512);
    checkSequence (reference, first, 90, false);
    for (const int blockSize : { 1, 37, 4096, 100000 })
    {
        INFO ("block " << blockSize);
        const int64_t offset = 1'000'000'007;
        const auto frames = decodeAll (samples, 44100, blockSize, offset);
        REQUIRE (frames.size() == reference.size());
        for (size_t k = 0; k < frames.size(); ++k)
        {
            CHECK (frames[k].timecode == reference[k].timecode);
            CHECK (frames[k].endSample - offset == reference[k].endSample);
        }
    }
}

TEST_CASE ("LTC: a full ring drops new frames and counts them", "[clock][ltc]")
{
    const auto first = tc ("01:00:00:00", FrameRate::fps25);
    const auto samples = LtcGenerator::generate (48000, first, 50);
    LtcDecoder decoder (48000, 8);
    decoder.write (samples.data(), (int) samples.size(), 0);
    CHECK (decoder.getStats().decoded == 8);
    CHECK (decoder.getStats().dropped == 49 - 8);   // the last frame waits for flush()
    LtcFrame frame;
    std::vector<std::string> labels;
    while (decoder.read (frame))
        labels.push_back (frame.timecode.toString());
    CHECK (labels.size() == 8);
    CHECK (labels.front() == "01:00:00:00");
    CHECK (labels.back() == "01:00:00:07");
}

TEST_CASE ("LTC: write on one thread and read on another pass every frame through the ring", "[clock][ltc]")
{
    const auto first = tc ("01:00:00:00", FrameRate::fps30);
    const int64_t count = 30 * 20;
    const auto samples = LtcGenerator::generate (48000, first, count);
    LtcDecoder decoder (48000, 4);   // small, so the consumer's pace matters
    std::atomic<bool> done { false };
    std::thread producer ([&]
    {
        // 64-sample blocks, as an audio callback would write them.
        for (size_t offset = 0; offset < samples.size(); offset += 64)
        {
            decoder.write (samples.data() + offset, (int) std::min<size_t> (64, samples.size() - offset), (int64_t) offset);
            if (offset % 4096 == 0)
                std::this_thread::yield();
        }
        decoder.flush();
        done.store (true);
    });
    std::vector<LtcFrame> frames;
    LtcFrame frame;
    for (;;)
    {
        const bool finished = done.load();
        while (decoder.read (frame))
            frames.push_back (frame);
        if (finished)
            break;
        std::this_thread::yield();
    }
    producer.join();
    // The reader keeps up or the ring drops (never blocks the writer): what arrives is in order.
    CHECK ((int64_t) frames.size() + decoder.getStats().dropped == count);
    CHECK (frames.size() > 0);
    for (size_t k = 1; k < frames.size(); ++k)
        CHECK (frames[k].timecode.toFrameNumber() > frames[k - 1].timecode.toFrameNumber());
}

TEST_CASE ("LTC: a jump in the labels is a discontinuity", "[clock][ltc]")
{
    const auto rate = FrameRate::fps25;
    auto samples = LtcGenerator::generate (48000, tc ("01:00:00:00", rate), 30);
    const auto later = LtcGenerator::generate (48000, tc ("02:00:00:00", rate), 30);
    samples.insert (samples.end(), later.begin(), later.end());
    const auto frames = decodeAll (samples, 48000);
    REQUIRE (frames.size() == 60);
    int discontinuities = 0;
    for (size_t k = 0; k < frames.size(); ++k)
        if (frames[k].discontinuity)
        {
            ++discontinuities;
            CHECK (k == 30);
        }
    CHECK (discontinuities == 1);
    CHECK (frames[30].timecode.toString() == "02:00:00:00");
}
