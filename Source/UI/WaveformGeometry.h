// CueGrid — GPL-3.0-or-later
#pragma once

#include "Session/Limits.h"
#include "Session/SessionModel.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

namespace cuegrid
{

/** The points an editor drags on a clip's waveform (ClipInspector, WaveformView). */
enum class WaveformHandle { none, cueIn, cueOut, loopIn, loopOut, fadeIn, fadeOut };
inline constexpr std::array<WaveformHandle, 6> waveformHandles { WaveformHandle::cueIn, WaveformHandle::cueOut,
                                                                 WaveformHandle::loopIn, WaveformHandle::loopOut,
                                                                 WaveformHandle::fadeIn, WaveformHandle::fadeOut };

/** "cueIn", "cueOut", "loopIn", "loopOut", "fadeIn", "fadeOut" (the UI map's names), "" for none. */
inline const char* waveformHandleName (WaveformHandle handle) noexcept
{
    switch (handle)
    {
        case WaveformHandle::cueIn: return "cueIn";
        case WaveformHandle::cueOut: return "cueOut";
        case WaveformHandle::loopIn: return "loopIn";
        case WaveformHandle::loopOut: return "loopOut";
        case WaveformHandle::fadeIn: return "fadeIn";
        case WaveformHandle::fadeOut: return "fadeOut";
        case WaveformHandle::none: break;
    }
    return "";
}

/** Where a clip's handles are, in seconds of its media file, as the engine will play it:
    unset cue points are the file's start and end, an unset loop in/out the cue region's,
    the fade-in ends `fadeIn` after cue in and the fade-out starts `fadeOut` before cue out
    (the session's fadeDefaults where the clip sets none), both kept inside the cue region. */
struct ClipMarkers
{
    double cueIn = 0.0, cueOut = 0.0;
    bool hasLoop = false;
    double loopIn = 0.0, loopOut = 0.0;
    double fadeInEnd = 0.0, fadeOutStart = 0.0;
    FadeCurve fadeInCurve = FadeCurve::linear, fadeOutCurve = FadeCurve::linear;   // the clip's, else the session's

    double secondsOf (WaveformHandle handle) const noexcept
    {
        switch (handle)
        {
            case WaveformHandle::cueIn: return cueIn;
            case WaveformHandle::cueOut: return cueOut;
            case WaveformHandle::loopIn: return loopIn;
            case WaveformHandle::loopOut: return loopOut;
            case WaveformHandle::fadeIn: return fadeInEnd;
            case WaveformHandle::fadeOut: return fadeOutStart;
            case WaveformHandle::none: break;
        }
        return 0.0;
    }

    /** `fileSeconds` ≤ 0 (length not known yet): the clip's own cue out, else its cue in. */
    static ClipMarkers of (const ClipDefinition& clip, const FadeDefaults& defaults, double fileSeconds) noexcept
    {
        ClipMarkers m;
        const auto length = fileSeconds > 0.0 ? fileSeconds : clip.cueOutSec.value_or (clip.cueInSec.value_or (0.0));
        m.cueIn = std::clamp (clip.cueInSec.value_or (0.0), 0.0, length);
        m.cueOut = std::clamp (clip.cueOutSec.value_or (length), m.cueIn, std::max (m.cueIn, length));
        m.hasLoop = clip.loop.has_value();
        if (clip.loop)
        {
            m.loopIn = std::clamp (clip.loop->inSec.value_or (m.cueIn), m.cueIn, m.cueOut);
            m.loopOut = std::clamp (clip.loop->outSec.value_or (m.cueOut), m.loopIn, m.cueOut);
        }
        m.fadeInEnd = std::min (m.cueOut, m.cueIn + clip.fadeInMs.value_or (defaults.inMs) / 1000.0);
        m.fadeOutStart = std::max (m.cueIn, m.cueOut - clip.fadeOutMs.value_or (defaults.outMs) / 1000.0);
        m.fadeInCurve = clip.fadeInCurve.value_or (defaults.inCurve);
        m.fadeOutCurve = clip.fadeOutCurve.value_or (defaults.outCurve);
        return m;
    }
};

/** The waveform's time axis: the whole media file across `width` pixels from `left`.
    Pure arithmetic; any thread. */
struct WaveformAxis
{
    double fileSeconds = 0.0;
    float left = 0.0f, width = 0.0f;

    float xOf (double seconds) const noexcept
    {
        return fileSeconds > 0.0 ? left + (float) (seconds / fileSeconds) * width : left;
    }
    /** The time under pixel `x`, kept inside the file. */
    double secondsAt (float x) const noexcept
    {
        if (fileSeconds <= 0.0 || width <= 0.0f)
            return 0.0;
        return std::clamp ((double) (x - left) / (double) width * fileSeconds, 0.0, fileSeconds);
    }
};

/** Rounds a dragged time to whole milliseconds: what the field shows is what the manifest
    stores (a drag is never sample-exact; a typed value may be). */
inline double roundToMillisecond (double seconds) noexcept { return std::round (seconds * 1000.0) / 1000.0; }

/** The fade length a fade handle dragged to `seconds` means, in ms (0 … the manifest's
    maximum, whole ms): the fade-in from cue in, the fade-out to cue out. */
inline double fadeMsForHandle (WaveformHandle handle, double seconds, const ClipMarkers& markers) noexcept
{
    const auto ms = handle == WaveformHandle::fadeIn ? (seconds - markers.cueIn) * 1000.0 : (markers.cueOut - seconds) * 1000.0;
    return std::round (std::clamp (ms, 0.0, limits::maxFadeMs));
}

/** A stable 64-bit key for a thumbnail of a media file: FNV-1a over its absolute path, size
    and modification time (ms), so an edited or replaced file never shows an old waveform and
    the key is the same in every run (the disk cache's file name). */
inline uint64_t thumbnailKey (const std::string& absolutePath, int64_t sizeBytes, int64_t modifiedMs) noexcept
{
    uint64_t hash = 0xcbf29ce484222325ull;
    auto add = [&hash] (const void* data, size_t size)
    {
        for (size_t i = 0; i < size; ++i)
        {
            hash ^= static_cast<const unsigned char*> (data)[i];
            hash *= 0x100000001b3ull;
        }
    };
    add (absolutePath.data(), absolutePath.size());
    add ("\0", 1);
    for (const auto value : { sizeBytes, modifiedMs })
        for (int byte = 0; byte < 8; ++byte)  // little-endian whatever the machine
        {
            const auto b = (unsigned char) (((uint64_t) value >> (8 * byte)) & 0xff);
            add (&b, 1);
        }
    return hash;
}

} // namespace cuegrid
