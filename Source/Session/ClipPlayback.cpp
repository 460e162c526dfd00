// CueGrid — GPL-3.0-or-later
#include "ClipPlayback.h"

#include "Limits.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cuegrid
{

static_assert (limits::maxOutputChannels == OutputRouting::maxChannels);

namespace
{
    template <typename Int>
    Int roundSaturated (double value) noexcept
    {
        // Casting a double outside the integer's range is undefined: saturate first.
        constexpr auto lowest = (double) std::numeric_limits<Int>::lowest();
        constexpr auto highest = (double) std::numeric_limits<Int>::max();
        if (std::isnan (value))
            return 0;
        const auto rounded = std::round (value);
        if (rounded <= lowest) return std::numeric_limits<Int>::lowest();
        if (rounded >= highest) return std::numeric_limits<Int>::max();
        return (Int) rounded;
    }

    struct Names
    {
        const char* curves[4] { "linear", "equalPower", "sCurve", "exponential" };
        const char* retrigger[4] { "restart", "stop", "pause", "layer" };
    };
    constexpr Names names;
} // namespace

int64_t secondsToFrames (double seconds, double sampleRate) noexcept
{
    return roundSaturated<int64_t> (seconds * sampleRate);
}

int32_t millisecondsToSamples (double ms, double sampleRate) noexcept
{
    return roundSaturated<int32_t> (ms * sampleRate / 1000.0);
}

VoicePlayback clipPlayback (const Session& session, int clip, double sampleRate, int64_t mediaFrames, double offsetSec)
{
    const auto& definition = session.clips.at ((size_t) clip);
    const auto& defaults = session.fadeDefaults;
    mediaFrames = std::max<int64_t> (mediaFrames, 0);

    VoicePlayback playback;
    playback.cueIn = definition.cueInSec ? std::clamp<int64_t> (secondsToFrames (*definition.cueInSec, sampleRate), 0, mediaFrames) : 0;
    playback.cueOut = definition.cueOutSec
                          ? std::clamp<int64_t> (secondsToFrames (*definition.cueOutSec, sampleRate), playback.cueIn, mediaFrames)
                          : mediaFrames;
    const auto offset = std::max<int64_t> (secondsToFrames (offsetSec, sampleRate), 0);
    // Compared before adding, so a huge offset cannot overflow.
    playback.startFrame = offset >= playback.cueOut - playback.cueIn ? playback.cueOut : playback.cueIn + offset;

    playback.edgeFade = millisecondsToSamples (definition.edgeFadeMs, sampleRate);
    playback.fadeIn = millisecondsToSamples (definition.fadeInMs.value_or (defaults.inMs), sampleRate);
    playback.fadeOut = millisecondsToSamples (definition.fadeOutMs.value_or (defaults.outMs), sampleRate);
    playback.fadeInCurve = definition.fadeInCurve.value_or (defaults.inCurve);
    playback.fadeOutCurve = definition.fadeOutCurve.value_or (defaults.outCurve);

    if (const auto& loop = definition.loop)
    {
        const auto clampToCue = [&] (int64_t frame) { return std::clamp (frame, playback.cueIn, playback.cueOut); };
        const auto loopIn = loop->inSec ? clampToCue (secondsToFrames (*loop->inSec, sampleRate)) : playback.cueIn;
        const auto loopOut = loop->outSec ? clampToCue (secondsToFrames (*loop->outSec, sampleRate)) : playback.cueOut;
        if (loopOut > loopIn)  // media shorter than the manifest's loop leaves nothing to loop
        {
            playback.loopIn = loopIn;
            playback.loopOut = loopOut;
            playback.loopCount = loop->count;
            playback.loopCrossfade = millisecondsToSamples (loop->crossfadeMs, sampleRate);
        }
    }

    playback.retrigger = definition.retrigger;
    playback.solo = definition.solo;
    playback.soloCrossfade = millisecondsToSamples (defaults.crossfadeMs, sampleRate);
    playback.soloCurve = defaults.crossfadeCurve;
    return playback;
}

OutputRouting outputRouting (const RoutingSettings& routing) noexcept
{
    OutputRouting result;
    result.masterLeft = (int16_t) (routing.master[0] - 1);
    result.masterRight = (int16_t) (routing.master[1] - 1);
    result.auditionLeft = (int16_t) (routing.audition[0] - 1);
    result.auditionRight = (int16_t) (routing.audition[1] - 1);
    for (size_t group = 0; group < (size_t) groupCount; ++group)
    {
        const auto& pair = routing.groups[group];
        result.groupLeft[group] = pair ? (int16_t) ((*pair)[0] - 1) : (int16_t) -1;
        result.groupRight[group] = pair ? (int16_t) ((*pair)[1] - 1) : (int16_t) -1;
    }
    return result;
}

RecordInputs recordInputs (const RoutingSettings& routing) noexcept
{
    RecordInputs result;
    for (int bus = 0; bus < 2; ++bus)
    {
        const auto& pair = bus == 0 ? routing.recordA : routing.recordB;
        result.left[bus] = (int16_t) (pair[0] - 1);
        result.right[bus] = (int16_t) (pair[1] - 1);
    }
    return result;
}

const char* fadeCurveName (FadeCurve curve) noexcept
{
    return names.curves[std::min<size_t> ((size_t) curve, 3)];
}

std::optional<FadeCurve> fadeCurveFromName (std::string_view name) noexcept
{
    for (size_t i = 0; i < 4; ++i)
        if (name == names.curves[i])
            return (FadeCurve) i;
    return std::nullopt;
}

const char* retriggerModeName (RetriggerMode mode) noexcept
{
    return names.retrigger[std::min<size_t> ((size_t) mode, 3)];
}

std::optional<RetriggerMode> retriggerModeFromName (std::string_view name) noexcept
{
    for (size_t i = 0; i < 4; ++i)
        if (name == names.retrigger[i])
            return (RetriggerMode) i;
    return std::nullopt;
}

} // namespace cuegrid
