// CueGrid — GPL-3.0-or-later
#include "Timecode.h"

#include <catch2/catch.hpp>

using namespace cuegrid;

namespace
{
Timecode tc (const char* text, FrameRate rate)
{
    std::string why;
    const auto parsed = Timecode::parse (text, rate, &why);
    INFO (text << ": " << why);
    REQUIRE (parsed.has_value());
    return *parsed;
}
} // namespace

TEST_CASE ("Timecode: drop-frame frame numbers match SMPTE 12M known values", "[clock][timecode]")
{
    const auto df = FrameRate::fps2997drop;
    CHECK (tc ("00:00:00;00", df).toFrameNumber() == 0);
    CHECK (tc ("00:00:59;29", df).toFrameNumber() == 1799);
    CHECK (tc ("00:01:00;02", df).toFrameNumber() == 1800);     // ;00 and ;01 skipped
    CHECK (tc ("00:09:59;29", df).toFrameNumber() == 17981);
    CHECK (tc ("00:10:00;00", df).toFrameNumber() == 17982);    // tenth minute keeps ;00
    CHECK (tc ("00:10:00;01", df).toFrameNumber() == 17983);
    CHECK (tc ("00:11:00;02", df).toFrameNumber() == 17982 + 1800);
    CHECK (tc ("01:00:00;00", df).toFrameNumber() == 107892);
    CHECK (tc ("23:59:59;29", df).toFrameNumber() == 2589407);
    CHECK (framesPerDay (df) == 2589408);

    CHECK (Timecode::fromFrameNumber (1800, df).toString() == "00:01:00;02");
    CHECK (Timecode::fromFrameNumber (1799, df).toString() == "00:00:59;29");
    CHECK (Timecode::fromFrameNumber (17982, df).toString() == "00:10:00;00");
    CHECK (Timecode::fromFrameNumber (107892, df).toString() == "01:00:00;00");
    CHECK (Timecode::fromFrameNumber (-1, df).toString() == "23:59:59;29");
    CHECK (Timecode::fromFrameNumber (2589408, df).toString() == "00:00:00;00");
}

TEST_CASE ("Timecode: every frame of a day round-trips through its frame number at every rate", "[clock][timecode]")
{
    for (const auto rate : { FrameRate::fps24, FrameRate::fps25, FrameRate::fps2997drop, FrameRate::fps2997, FrameRate::fps30 })
    {
        INFO (frameRateName (rate));
        int64_t failures = 0, skippedLabels = 0;
        Timecode previous;
        for (int64_t n = 0; n < framesPerDay (rate); ++n)
        {
            const auto t = Timecode::fromFrameNumber (n, rate);
            if (! t.isValid() || t.toFrameNumber() != n)
                ++failures;
            if (n > 0 && t.frames != (previous.frames + 1) % nominalFramesPerSecond (rate))
                ++skippedLabels;
            previous = t;
        }
        CHECK (failures == 0);
        // Drop-frame skips 2 labels at 54 minutes of every hour: 24 · 54 = 1296 places.
        CHECK (skippedLabels == (isDropFrame (rate) ? 1296 : 0));
    }
}

TEST_CASE ("Timecode: non-drop frame numbers, seconds and samples", "[clock][timecode]")
{
    CHECK (tc ("01:00:00:00", FrameRate::fps25).toFrameNumber() == 90000);
    CHECK (tc ("01:00:00:00", FrameRate::fps24).toFrameNumber() == 86400);
    CHECK (tc ("01:00:00:00", FrameRate::fps30).toFrameNumber() == 108000);
    CHECK (tc ("01:00:00:00", FrameRate::fps2997).toFrameNumber() == 108000);
    CHECK (tc ("00:00:01:00", FrameRate::fps25).toSeconds() == Approx (1.0));
    CHECK (tc ("01:00:00:00", FrameRate::fps25).toSeconds() == Approx (3600.0));
    // 29.97 non-drop labels run 3.6 s an hour behind the clock; drop-frame stays within 3.6 ms.
    CHECK (tc ("01:00:00:00", FrameRate::fps2997).toSeconds() == Approx (3603.6).epsilon (1e-12));
    CHECK (tc ("01:00:00;00", FrameRate::fps2997drop).toSeconds() == Approx (107892 * 1.001 / 30).epsilon (1e-12));
    CHECK (tc ("01:00:00;00", FrameRate::fps2997drop).toSeconds() - 3600.0 == Approx (-0.0036).margin (1e-9));

    // Samples: 1601.6 per 29.97 frame at 48 kHz; a frame's first sample is the first at or after its start.
    CHECK (tc ("00:00:00;01", FrameRate::fps2997drop).toSamples (48000) == 1602);
    CHECK (tc ("00:00:00;02", FrameRate::fps2997drop).toSamples (48000) == 3204);
    CHECK (tc ("00:00:00;05", FrameRate::fps2997drop).toSamples (48000) == 8008);
    CHECK (tc ("01:00:00;00", FrameRate::fps2997drop).toSamples (48000) == 172799828);
    CHECK (tc ("00:00:00:01", FrameRate::fps24).toSamples (44100) == 1838);   // 1837.5
    CHECK (Timecode::fromSamples (1837, 44100, FrameRate::fps24).frames == 0);
    CHECK (Timecode::fromSamples (1838, 44100, FrameRate::fps24).frames == 1);
    CHECK (tc ("01:00:00:00", FrameRate::fps25).toSamples (48000) == 172800000);
    CHECK (tc ("01:00:00:00", FrameRate::fps25).toSamples (44100) == 158760000);

    // fromSamples inverts toSamples, and the sample before a start is in the frame before.
    for (const auto rate : { FrameRate::fps24, FrameRate::fps25, FrameRate::fps2997drop, FrameRate::fps30 })
        for (const double sampleRate : { 44100.0, 48000.0, 96000.0 })
            for (const int64_t n : { int64_t { 1 }, int64_t { 2 }, int64_t { 1799 }, int64_t { 1800 }, int64_t { 107892 }, framesPerDay (rate) - 1 })
            {
                const auto t = Timecode::fromFrameNumber (n, rate);
                const auto start = t.toSamples (sampleRate);
                CHECK (Timecode::fromSamples (start, sampleRate, rate) == t);
                CHECK (Timecode::fromSamples (start - 1, sampleRate, rate) == Timecode::fromFrameNumber (n - 1, rate));
                CHECK (Timecode::fromSeconds (t.toSeconds(), rate) == t);
            }
}

TEST_CASE ("Timecode: parse and format, with the drop-frame separator", "[clock][timecode]")
{
    CHECK (tc ("01:02:03:04", FrameRate::fps25).toString() == "01:02:03:04");
    CHECK (tc ("01:02:03;04", FrameRate::fps2997drop).toString() == "01:02:03;04");
    CHECK (tc ("01:02:03:04", FrameRate::fps2997drop).toString() == "01:02:03;04");   // ':' read, ';' written
    CHECK (tc (" 00:00:00.00 ", FrameRate::fps2997drop).toString() == "00:00:00;00");
    CHECK (tc ("23:59:59:29", FrameRate::fps30).toString() == "23:59:59:29");

    struct Bad { const char* text; FrameRate rate; const char* why; };
    for (const auto& bad : { Bad { "01:00:00;00", FrameRate::fps25, "marks drop-frame" },
                             Bad { "00:01:00;00", FrameRate::fps2997drop, "does not exist at 29.97 drop-frame" },
                             Bad { "00:01:00;01", FrameRate::fps2997drop, "does not exist at 29.97 drop-frame" },
                             Bad { "00:00:00:25", FrameRate::fps25, "frame 25 is not below 25" },
                             Bad { "00:00:00:24", FrameRate::fps24, "frame 24 is not below 24" },
                             Bad { "24:00:00:00", FrameRate::fps25, "hour 24" },
                             Bad { "00:60:00:00", FrameRate::fps25, "minute 60" },
                             Bad { "1:00:00:00", FrameRate::fps25, "expected HH:MM:SS:FF" },
                             Bad { "01:00:00", FrameRate::fps25, "expected HH:MM:SS:FF" },
                             Bad { "0a:00:00:00", FrameRate::fps25, "expected HH:MM:SS:FF" } })
    {
        std::string why;
        CHECK_FALSE (Timecode::parse (bad.text, bad.rate, &why).has_value());
        CHECK_THAT (why, Catch::Contains (bad.why));
    }

    char text[12];
    tc ("00:10:00;00", FrameRate::fps2997drop).format (text);
    CHECK (std::string (text) == "00:10:00;00");
}

TEST_CASE ("Timecode: frame rate names", "[clock][timecode]")
{
    CHECK (parseFrameRate ("29.97") == FrameRate::fps2997drop);
    CHECK (parseFrameRate ("29.97DF") == FrameRate::fps2997drop);
    CHECK (parseFrameRate ("29.97ndf") == FrameRate::fps2997);
    CHECK (parseFrameRate ("24") == FrameRate::fps24);
    CHECK (parseFrameRate ("25") == FrameRate::fps25);
    CHECK (parseFrameRate ("30") == FrameRate::fps30);
    CHECK_FALSE (parseFrameRate ("23.976").has_value());
    CHECK_FALSE (parseFrameRate ("").has_value());
    for (const auto rate : { FrameRate::fps24, FrameRate::fps25, FrameRate::fps2997drop, FrameRate::fps2997, FrameRate::fps30 })
        CHECK (parseFrameRate (frameRateName (rate)) == rate);
}
