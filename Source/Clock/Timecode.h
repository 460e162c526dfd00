// CueGrid — GPL-3.0-or-later
// SMPTE timecode as a value: HH:MM:SS:FF at a frame rate, frame numbers (drop-frame aware),
// seconds and samples. No allocation except toString(); every function is safe on any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cuegrid
{

/** The timecode frame rates CueGrid reads and writes. 29.97 drop-frame counts 30 frame labels
    a second and skips labels 00 and 01 at the start of every minute except each tenth
    (SMPTE ST 12-1); 29.97 non-drop counts 30 labels a second at 30000/1001 frames/s, so its
    labels drift from the clock by 3.6 s an hour. */
enum class FrameRate { fps24, fps25, fps2997drop, fps2997, fps30 };

/** Frame labels per second: 24, 25 or 30. */
int nominalFramesPerSecond (FrameRate rate) noexcept;

/** Real frames per second: 24, 25, 30000/1001 (both 29.97 rates) or 30. */
double framesPerSecond (FrameRate rate) noexcept;

bool isDropFrame (FrameRate rate) noexcept;

/** Frames in 24 hours at `rate` (2 589 408 for 29.97 drop-frame, 24·3600·nominal otherwise). */
int64_t framesPerDay (FrameRate rate) noexcept;

/** "24", "25", "29.97df", "29.97ndf", "30" (spellings parseFrameRate reads back). */
const char* frameRateName (FrameRate rate) noexcept;

/** Reads "24", "25", "30", "29.97" or "29.97df" / "2997df" / "29.97drop" (drop-frame),
    "29.97ndf" / "29.97nd" (non-drop); case-insensitive. "29.97" alone is drop-frame, the rate
    29.97 timecode nearly always uses. nullopt for anything else. */
std::optional<FrameRate> parseFrameRate (std::string_view text);

/** One timecode label at a frame rate. Plain data (trivially copyable), so it can sit in the
    POD frame records the decoders fill on the audio and MIDI threads. */
struct Timecode
{
    int hours = 0, minutes = 0, seconds = 0, frames = 0;
    FrameRate rate = FrameRate::fps25;

    /** Fields in range for the rate (hours 0–23, frames below the nominal rate) and, at 29.97
        drop-frame, not a skipped label (frames 00 and 01 of minutes not divisible by 10). */
    bool isValid() const noexcept;

    /** Frames since 00:00:00:00 (drop-frame labels counted as the frames they are: 00:10:00;00
        is frame 17982, 01:00:00;00 frame 107892). Only meaningful when isValid(). */
    int64_t toFrameNumber() const noexcept;

    /** The label of frame `frameNumber`, wrapped into one day (negative numbers count back from
        midnight). */
    static Timecode fromFrameNumber (int64_t frameNumber, FrameRate rate) noexcept;

    /** Seconds since 00:00:00:00 of the frame's start: frame number / framesPerSecond. */
    double toSeconds() const noexcept;

    /** The label of the frame that contains `seconds` (wrapped into one day). */
    static Timecode fromSeconds (double seconds, FrameRate rate) noexcept;

    /** The first sample of the frame at `sampleRate` (Hz), counted from 00:00:00:00: the first
        sample at or after the frame's start, ceil(frame · sampleRate / fps), exact in integers
        for whole sample rates (1601.6 samples a 29.97 frame at 48 kHz: frame 1 starts at 1602,
        frame 2 at 3204). */
    int64_t toSamples (double sampleRate) const noexcept;

    /** The label of the frame that sample `sample` lies in: floor(sample · fps / sampleRate),
        the inverse of toSamples (a frame's first sample gives that frame, the sample before it
        the frame before). */
    static Timecode fromSamples (int64_t sample, double sampleRate, FrameRate rate) noexcept;

    /** The label `count` frames later (earlier when negative), wrapped into one day. */
    Timecode advancedBy (int64_t count) const noexcept { return fromFrameNumber (toFrameNumber() + count, rate); }

    /** "HH:MM:SS:FF", or "HH:MM:SS;FF" at 29.97 drop-frame, into `out` (at least 12 chars,
        NUL-terminated). No allocation: usable on the audio thread. */
    void format (char* out) const noexcept;
    std::string toString() const;

    /** Reads "HH:MM:SS:FF" (each field exactly two digits). The last separator may be ';' or
        ':' at drop-frame rates ('.' and ',' too, as some devices print them); at other rates
        ';' is refused, since it claims drop-frame. A label outside the rate (frame 25 at 25
        fps, a skipped drop-frame label) is refused. On failure returns nullopt and, when
        `error` is given, says why ("frame 25 is not below 25 at 25 fps"). */
    static std::optional<Timecode> parse (std::string_view text, FrameRate rate, std::string* error = nullptr);

    bool operator== (const Timecode& other) const noexcept
    {
        return hours == other.hours && minutes == other.minutes && seconds == other.seconds && frames == other.frames
               && rate == other.rate;
    }
    bool operator!= (const Timecode& other) const noexcept { return ! (*this == other); }
};

} // namespace cuegrid
