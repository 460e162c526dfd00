// CueGrid — GPL-3.0-or-later
#pragma once

#include "ClipAudio.h"
#include "EngineMessages.h"
#include "GainRamp.h"

namespace cuegrid
{

/** One stereo playback voice: a read position in a ClipAudio plus its stop state.
    Plain data, preallocated in the Engine's pool. Audio thread only. */
struct Voice
{
    const ClipAudio* audio = nullptr;   // nullptr: the slot is free
    int32_t clipSlot = -1;
    int32_t group = 0;                  // 0–3 = A–D, auditionGroup for the Audition bus
    int64_t position = 0;               // next frame of the clip to play
    int64_t startTime = 0;              // engine time of frame 0
    uint64_t startOrder = 0;            // allocation order, for oldest-first stealing
    int64_t stopTime = -1;              // engine time the fade-out began; -1 = not stopping
    VoiceEndReason endReason = VoiceEndReason::finished;

    bool isActive() const noexcept { return audio != nullptr; }
    bool isStopping() const noexcept { return stopTime >= 0; }

    /** Frames left before the voice falls silent, counting from engine time `now`. */
    int64_t framesRemaining (int64_t now, int fadeLength) const noexcept
    {
        const auto inClip = audio->getNumFrames() - position;
        if (! isStopping())
            return inClip;
        const auto inFade = stopTime + fadeLength - now;
        return inFade < inClip ? inFade : inClip;
    }
};

/** Adds `numFrames` frames of `voice`, starting at engine time `now`, into the stereo bus
    (left, right), scaled by the clip gain and the 1 ms protection fades; advances the voice.
    Returns true when the voice has finished (clip end or fade-out done). Audio thread. */
bool renderVoice (Voice& voice, float* left, float* right, int numFrames, int64_t now,
                  const GainRamp& clipGain, int fadeLength) noexcept;

} // namespace cuegrid
