// CueGrid — GPL-3.0-or-later
#pragma once

#include "ClipAudio.h"
#include "EngineMessages.h"
#include "GainRamp.h"

namespace cuegrid
{

/** One playback voice: a read position in a ClipAudio, its loop, and its envelopes.
    Plain data, preallocated in the Engine's pool. Audio thread only.

    A voice's gain at engine sample n is the product of its envelopes (issue 8, "Exact
    semantics"): the linear edge fade and the user fade-in from its start, the edge fade and
    the user fade-out before the natural end of its cue region (on the last pass only), a stop
    fade, a protection cut, the pause and resume fades; then the clip gain and the pan. */
struct Voice
{
    enum class PauseState : uint8_t { playing, pausing, paused };

    const ClipAudio* audio = nullptr;   // nullptr: the slot is free
    int32_t clipSlot = -1;
    int32_t group = 0;                  // 0–3 = A–D, auditionGroup for the Audition bus
    int64_t startTime = 0;              // engine time of the first sample
    uint64_t startOrder = 0;            // allocation order, for oldest-first stealing
    VoicePlayback playback {};          // resolved: cueOut, edgeFade and loopCrossfade are frames
    bool mono = false;

    int64_t position = 0;               // next frame of the file to read
    int64_t played = 0;                 // samples rendered so far (a held pause does not count)
    int32_t wrapsLeft = 0;              // loop wraps still to come; -1 = until stopped
    int64_t crossfadeAge = -1;          // samples since the last wrap, while in its crossfade; -1 = none
    int64_t crossfadeTail = 0;          // loop out at the last wrap: the crossfade's outgoing read
    int32_t fadeInLength = 0;           // the user fade-in (or the solo crossfade), samples
    FadeCurve fadeInCurve = FadeCurve::linear;

    int64_t stopTime = -1;              // engine time a stop fade began; -1 = none
    int32_t stopLength = 0;             // samples of the stop fade (≥ 1)
    FadeCurve stopCurve = FadeCurve::linear;
    int64_t cutTime = -1;               // engine time a protection cut began (panic, steal, restart)

    PauseState pause = PauseState::playing;
    int64_t pauseTime = 0;              // engine time the pause fade began
    int64_t resumeTime = -1;            // engine time the last resume fade-in began; -1 = none
    bool resumePending = false;         // resumed during the pause fade: resume when it ends

    VoiceEndReason endReason = VoiceEndReason::finished;

    int64_t underrunFrames = 0;         // frames played as silence since the last report: their data was not in memory
    int64_t underrunTime = -1;          // engine time of the first of them; -1 = none

    bool isActive() const noexcept { return audio != nullptr; }
    /** Fading out to its end (a stop, fade or cut): no longer counts as playing. */
    bool isStopping() const noexcept { return stopTime >= 0 || cutTime >= 0; }
    bool isHeld() const noexcept { return pause == PauseState::paused; }
    bool isPausedOrPausing() const noexcept { return pause != PauseState::playing && ! resumePending; }
    bool hasLoop() const noexcept { return playback.loopOut > playback.loopIn; }
    /** The read position will still wrap back to loop in before the cue region ends. */
    bool willWrap() const noexcept { return hasLoop() && wrapsLeft != 0 && position < playback.loopOut; }

    /** Sets up a fresh voice for `audio` with resolved `settings` (cueOut -1 = the file's end;
        edge fade and loop crossfade -1 = `protectionFade`; regions clamped into the file). */
    void start (const ClipAudio& audio, const VoicePlayback& settings, int protectionFade) noexcept;

    /** Frames until the natural end of the cue region from the read position, counting loop
        passes still to come; -1 for a loop that plays until stopped. A stop fade shortens it
        (from engine time `now`). */
    int64_t remainingFrames (int64_t now) const noexcept;

    /** Frames until the voice falls silent, counting from engine time `now`, for choosing a
        fade-out tail to cut; a held voice or an endless loop counts as long. */
    int64_t framesUntilSilent (int64_t now, int protectionFade) const noexcept;
};

/** `playback` (of a file `fileFrames` long) set to start where a voice started at cue in would
    be after playing `elapsed` samples (chase: the timecode passed the clip's trigger `elapsed`
    ago): within the first pass, cueIn + elapsed; once the read position has reached loop out,
    loopIn + (elapsed − (loopOut − cueIn)) mod the loop length, with the plays left (loopCount)
    and, inside a wrap's crossfade, its age (startCrossfadeAge); after the last pass, on towards
    cue out. Regions clamped as Voice::start clamps them. Any thread, no allocation. */
VoicePlayback chasePlayback (VoicePlayback playback, int64_t fileFrames, int64_t elapsed) noexcept;

/** Pan gains (left, right) for a pan p in −1 … +1 (issue 8): a mono clip gets the constant-
    power law L = cos((p+1)π/4)/cos(π/4), R = sin((p+1)π/4)/cos(π/4) (unity at centre); a
    stereo clip a balance: p ≤ 0 → (1, 1+p), p ≥ 0 → (1−p, 1). */
void panGains (double pan, bool mono, float& left, float& right) noexcept;

/** Adds `numFrames` samples of `voice`, from engine time `now`, into the stereo bus (left,
    right), scaled by its envelopes, the clip gain and the clip pan (both ramps evaluated per
    sample); advances the voice. Returns the number of samples after which the voice ended
    (0 … numFrames), or -1 while it goes on.
    A streamed clip's frames that are not in memory play as silence and are counted in the
    voice's underrunFrames (the voice moves on as if they had played), unless `waitForMedia`:
    then they are loaded first (offline render: blocks). Audio thread: wait-free when
    `waitForMedia` is false. */
int renderVoice (Voice& voice, float* left, float* right, int numFrames, int64_t now,
                 const GainRamp& clipGain, const GainRamp& clipPan, int protectionFade,
                 bool waitForMedia = false) noexcept;

} // namespace cuegrid
