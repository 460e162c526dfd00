// CueGrid — GPL-3.0-or-later
#pragma once

#include "SessionModel.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace cuegrid
{

/** round(seconds × sampleRate), half away from zero, saturated to int64's range. Frames. */
int64_t secondsToFrames (double seconds, double sampleRate) noexcept;

/** round(ms × sampleRate / 1000), the length L of a fade or crossfade, saturated to int32's
    range. Samples. */
int32_t millisecondsToSamples (double ms, double sampleRate) noexcept;

/** How clip `clip` of `session` plays, in frames at `sampleRate` (Hz, the rate its media was
    decoded at: the engine's). `mediaFrames` is the media's length in frames; `offsetSec` (s)
    is a Trigger's offset into the cue region.

    - cueIn = round(cueInSec × rate) (default 0), cueOut = round(cueOutSec × rate) (default
      mediaFrames); both clamped into [0, mediaFrames], cueOut ≥ cueIn.
    - startFrame = cueIn + round(offsetSec × rate), at most cueOut.
    - edgeFade, fadeIn, fadeOut, loopCrossfade, soloCrossfade: round(ms × rate / 1000)
      samples; fades and curves the clip does not set come from session.fadeDefaults; the solo
      crossfade is fadeDefaults.crossfadeMs with fadeDefaults.crossfadeCurve.
    - A clip with `loop`: loopIn (default cueIn) and loopOut (default cueOut) clamped into the
      cue region; a region that clamps to nothing, or no `loop`, gives loopIn = loopOut = 0
      (no loop).
    Throws std::out_of_range for a clip index outside the session. Any thread. */
VoicePlayback clipPlayback (const Session& session, int clip, double sampleRate, int64_t mediaFrames,
                            double offsetSec = 0.0);

/** The manifest's 1-based channel pairs as the engine's 0-based channels; a group with no
    pair of its own gets -1 (it feeds the master). */
OutputRouting outputRouting (const RoutingSettings& routing) noexcept;

/** Record A/B's 1-based device input pairs as the engine's 0-based input channels (the device
    is opened with inputs 1 … n, so device input c is engine input c − 1). */
RecordInputs recordInputs (const RoutingSettings& routing) noexcept;

/** Names used by the manifest and show scripts: "linear", "equalPower", "sCurve",
    "exponential"; "restart", "stop", "pause", "layer". fromName gives nullopt for any other. */
const char* fadeCurveName (FadeCurve curve) noexcept;
std::optional<FadeCurve> fadeCurveFromName (std::string_view name) noexcept;
const char* retriggerModeName (RetriggerMode mode) noexcept;
std::optional<RetriggerMode> retriggerModeFromName (std::string_view name) noexcept;

/** For error messages: "linear, equalPower, sCurve or exponential". */
inline constexpr const char* fadeCurveChoices = "linear, equalPower, sCurve or exponential";
inline constexpr const char* retriggerModeChoices = "restart, stop, pause or layer";

} // namespace cuegrid
