// CueGrid — GPL-3.0-or-later
#include "Timecode.h"

#include <cctype>
#include <cmath>

namespace cuegrid
{

namespace
{
    // 29.97 drop-frame (SMPTE ST 12-1): 2 labels skipped in 9 minutes of every 10.
    constexpr int64_t dropFramesPerMinute = 60 * 30 - 2;           // 1798
    constexpr int64_t dropFramesPerTenMinutes = 10 * 60 * 30 - 18; // 17982

    int64_t floorMod (int64_t value, int64_t modulus) noexcept
    {
        const auto r = value % modulus;
        return r < 0 ? r + modulus : r;
    }
} // namespace

int nominalFramesPerSecond (FrameRate rate) noexcept
{
    switch (rate)
    {
        case FrameRate::fps24: return 24;
        case FrameRate::fps25: return 25;
        case FrameRate::fps2997drop:
        case FrameRate::fps2997:
        case FrameRate::fps30: return 30;
    }
    return 30;
}

double framesPerSecond (FrameRate rate) noexcept
{
    switch (rate)
    {
        case FrameRate::fps24: return 24.0;
        case FrameRate::fps25: return 25.0;
        case FrameRate::fps2997drop:
        case FrameRate::fps2997: return 30000.0 / 1001.0;
        case FrameRate::fps30: return 30.0;
    }
    return 30.0;
}

bool isDropFrame (FrameRate rate) noexcept { return rate == FrameRate::fps2997drop; }

int64_t framesPerDay (FrameRate rate) noexcept
{
    return isDropFrame (rate) ? 24 * 6 * dropFramesPerTenMinutes : int64_t { 24 * 3600 } * nominalFramesPerSecond (rate);
}

const char* frameRateName (FrameRate rate) noexcept
{
    switch (rate)
    {
        case FrameRate::fps24: return "24";
        case FrameRate::fps25: return "25";
        case FrameRate::fps2997drop: return "29.97df";
        case FrameRate::fps2997: return "29.97ndf";
        case FrameRate::fps30: return "30";
    }
    return "30";
}

std::optional<FrameRate> parseFrameRate (std::string_view text)
{
    std::string lower;
    for (const auto c : text)
        if (! std::isspace ((unsigned char) c))
            lower.push_back ((char) std::tolower ((unsigned char) c));
    if (lower == "24") return FrameRate::fps24;
    if (lower == "25") return FrameRate::fps25;
    if (lower == "30") return FrameRate::fps30;
    for (const auto* name : { "29.97", "29.97df", "2997df", "29.97drop", "2997" })
        if (lower == name) return FrameRate::fps2997drop;
    for (const auto* name : { "29.97ndf", "29.97nd", "2997ndf", "29.97nondrop" })
        if (lower == name) return FrameRate::fps2997;
    return std::nullopt;
}

bool Timecode::isValid() const noexcept
{
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59 || frames < 0
        || frames >= nominalFramesPerSecond (rate))
        return false;
    return ! (isDropFrame (rate) && seconds == 0 && frames < 2 && minutes % 10 != 0);
}

int64_t Timecode::toFrameNumber() const noexcept
{
    const int64_t nominal = nominalFramesPerSecond (rate);
    const int64_t labels = ((int64_t (hours) * 60 + minutes) * 60 + seconds) * nominal + frames;
    if (! isDropFrame (rate))
        return labels;
    const int64_t totalMinutes = int64_t (hours) * 60 + minutes;
    return labels - 2 * (totalMinutes - totalMinutes / 10);
}

Timecode Timecode::fromFrameNumber (int64_t frameNumber, FrameRate rate) noexcept
{
    int64_t labels = floorMod (frameNumber, framesPerDay (rate));
    if (isDropFrame (rate))
    {
        // Add back the labels skipped before this frame: 18 per whole ten minutes, 2 per whole
        // minute after the first of the current ten (the first keeps its 00 and 01).
        const auto tens = labels / dropFramesPerTenMinutes;
        const auto rest = labels % dropFramesPerTenMinutes;
        labels += 18 * tens + (rest > 1 ? 2 * ((rest - 2) / dropFramesPerMinute) : 0);
    }
    const int64_t nominal = nominalFramesPerSecond (rate);
    Timecode t;
    t.rate = rate;
    t.frames = int (labels % nominal);
    const auto totalSeconds = labels / nominal;
    t.seconds = int (totalSeconds % 60);
    t.minutes = int ((totalSeconds / 60) % 60);
    t.hours = int (totalSeconds / 3600);
    return t;
}

double Timecode::toSeconds() const noexcept { return double (toFrameNumber()) / framesPerSecond (rate); }

Timecode Timecode::fromSeconds (double seconds, FrameRate rate) noexcept
{
    // A hair of tolerance so that a frame's own start time (which is not exact in binary at
    // 29.97) gives that frame.
    return fromFrameNumber ((int64_t) std::floor (seconds * framesPerSecond (rate) + 1e-6), rate);
}

namespace
{
    // fps as num/den, exact: 30000/1001 for 29.97.
    bool isNtsc (FrameRate rate) noexcept { return rate == FrameRate::fps2997drop || rate == FrameRate::fps2997; }
    int64_t rateNumerator (FrameRate rate) noexcept { return isNtsc (rate) ? 30000 : nominalFramesPerSecond (rate); }
    int64_t rateDenominator (FrameRate rate) noexcept { return isNtsc (rate) ? 1001 : 1; }

    bool isWholeRate (double sampleRate) noexcept { return sampleRate == std::floor (sampleRate) && sampleRate > 0 && sampleRate < 1e7; }
} // namespace

int64_t Timecode::toSamples (double sampleRate) const noexcept
{
    const auto frame = toFrameNumber();
    if (! isWholeRate (sampleRate))
        return (int64_t) std::ceil (double (frame) * sampleRate / framesPerSecond (rate) - 1e-6);
    // ceil (frame · sampleRate · den / num) in integers: exact for a day at 384 kHz (< 2^53).
    const auto num = rateNumerator (rate), den = rateDenominator (rate);
    const auto scaled = frame * (int64_t) sampleRate * den;
    return scaled >= 0 ? (scaled + num - 1) / num : -((-scaled) / num);
}

Timecode Timecode::fromSamples (int64_t sample, double sampleRate, FrameRate rate) noexcept
{
    if (! isWholeRate (sampleRate))
        return fromFrameNumber ((int64_t) std::floor (double (sample) * framesPerSecond (rate) / sampleRate + 1e-9), rate);
    const auto num = rateNumerator (rate), per = (int64_t) sampleRate * rateDenominator (rate);
    const auto scaled = sample * num;
    return fromFrameNumber (scaled >= 0 ? scaled / per : -((-scaled + per - 1) / per), rate);
}

void Timecode::format (char* out) const noexcept
{
    const auto two = [] (char* p, int value)
    {
        value = value < 0 ? 0 : value % 100;
        p[0] = char ('0' + value / 10);
        p[1] = char ('0' + value % 10);
    };
    two (out, hours);
    out[2] = ':';
    two (out + 3, minutes);
    out[5] = ':';
    two (out + 6, seconds);
    out[8] = isDropFrame (rate) ? ';' : ':';
    two (out + 9, frames);
    out[11] = '\0';
}

std::string Timecode::toString() const
{
    char text[12];
    format (text);
    return text;
}

std::optional<Timecode> Timecode::parse (std::string_view text, FrameRate rate, std::string* error)
{
    const auto fail = [error] (std::string why) -> std::optional<Timecode>
    {
        if (error != nullptr)
            *error = std::move (why);
        return std::nullopt;
    };
    while (! text.empty() && std::isspace ((unsigned char) text.front()))
        text.remove_prefix (1);
    while (! text.empty() && std::isspace ((unsigned char) text.back()))
        text.remove_suffix (1);
    if (text.size() != 11 || text[2] != ':' || text[5] != ':')
        return fail ("expected HH:MM:SS:FF (or HH:MM:SS;FF for drop-frame)");
    const auto last = text[8];
    if (last != ':' && last != ';' && last != '.' && last != ',')
        return fail ("expected HH:MM:SS:FF (or HH:MM:SS;FF for drop-frame)");
    if (last != ':' && ! isDropFrame (rate))
        return fail (std::string ("'") + last + "' marks drop-frame timecode, but the rate is " + frameRateName (rate) + " fps");
    int fields[4];
    for (int i = 0; i < 4; ++i)
    {
        const auto a = text[size_t (i * 3)], b = text[size_t (i * 3 + 1)];
        if (! std::isdigit ((unsigned char) a) || ! std::isdigit ((unsigned char) b))
            return fail ("expected HH:MM:SS:FF (or HH:MM:SS;FF for drop-frame)");
        fields[i] = (a - '0') * 10 + (b - '0');
    }
    Timecode t { fields[0], fields[1], fields[2], fields[3], rate };
    if (t.hours > 23) return fail ("hour " + std::to_string (t.hours) + " is above 23");
    if (t.minutes > 59) return fail ("minute " + std::to_string (t.minutes) + " is above 59");
    if (t.seconds > 59) return fail ("second " + std::to_string (t.seconds) + " is above 59");
    if (t.frames >= nominalFramesPerSecond (rate))
        return fail ("frame " + std::to_string (t.frames) + " is not below " + std::to_string (nominalFramesPerSecond (rate))
                     + " at " + frameRateName (rate) + " fps");
    if (! t.isValid())
        return fail (std::string (text) + " does not exist at 29.97 drop-frame (frames 00 and 01 are skipped at every minute but each tenth)");
    return t;
}

} // namespace cuegrid
