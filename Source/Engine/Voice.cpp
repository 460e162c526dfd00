// CueGrid — GPL-3.0-or-later
#include "Voice.h"

#include "FadeCurve.h"

#include <juce_audio_basics/juce_audio_basics.h>

#include <algorithm>
#include <climits>

namespace cuegrid
{

void Voice::start (const ClipAudio& clipAudio, const VoicePlayback& settings, int protectionFade) noexcept
{
    const auto frames = clipAudio.getNumFrames();
    audio = &clipAudio;
    mono = clipAudio.getNumChannels() == 1;
    playback = settings;
    auto& p = playback;
    p.cueOut = p.cueOut < 0 ? frames : std::min (p.cueOut, frames);
    p.cueIn = std::clamp<int64_t> (p.cueIn, 0, p.cueOut);
    p.startFrame = std::clamp (p.startFrame, p.cueIn, p.cueOut);
    if (p.edgeFade < 1) p.edgeFade = std::max (1, protectionFade);
    if (p.loopCrossfade < 1) p.loopCrossfade = std::max (1, protectionFade);
    p.loopIn = std::clamp (p.loopIn, p.cueIn, p.cueOut);
    p.loopOut = std::clamp (p.loopOut, p.loopIn, p.cueOut);
    if (p.loopOut > p.loopIn)
        p.loopCrossfade = (int32_t) std::min<int64_t> (p.loopCrossfade, p.loopOut - p.loopIn);

    position = p.startFrame;
    wrapsLeft = p.loopCount > 0 ? p.loopCount - 1 : -1;
    // A chase into a loop pass inside a wrap's crossfade: the outgoing read goes on from loop out.
    if (p.startCrossfadeAge >= 0 && p.loopOut > p.loopIn && p.startCrossfadeAge < p.loopCrossfade
        && position == p.loopIn + p.startCrossfadeAge)
    {
        crossfadeAge = p.startCrossfadeAge;
        crossfadeTail = p.loopOut;
    }
    fadeInLength = p.solo ? p.soloCrossfade : p.fadeIn;
    fadeInCurve = p.solo ? p.soloCurve : p.fadeInCurve;
}

VoicePlayback chasePlayback (VoicePlayback p, int64_t fileFrames, int64_t elapsed) noexcept
{
    const auto cueOut = p.cueOut < 0 ? fileFrames : std::min (p.cueOut, fileFrames);
    const auto cueIn = std::clamp<int64_t> (p.cueIn, 0, cueOut);
    const auto loopIn = std::clamp (p.loopIn, cueIn, cueOut);
    const auto loopOut = std::clamp (p.loopOut, loopIn, cueOut);
    elapsed = std::max<int64_t> (0, elapsed);
    p.startCrossfadeAge = -1;
    if (loopOut <= loopIn || elapsed < loopOut - cueIn)
    {
        p.startFrame = std::min (cueIn + elapsed, cueOut);   // the first pass (or no loop)
        return p;
    }
    const auto length = loopOut - loopIn;
    const auto sinceFirstWrap = elapsed - (loopOut - cueIn);        // since the read position first reached loop out
    const auto wraps = p.loopCount > 0 ? (int64_t) p.loopCount - 1 : -1;   // in all; -1: until stopped
    if (wraps >= 0 && sinceFirstWrap >= wraps * length)
    {
        p.startFrame = std::min (loopOut + (sinceFirstWrap - wraps * length), cueOut);   // every pass played
        p.loopCount = 1;                                                                  // no wrap left
        return p;
    }
    const auto taken = sinceFirstWrap / length + 1;
    const auto into = sinceFirstWrap % length;
    p.startFrame = loopIn + into;
    if (wraps >= 0)
        p.loopCount = (int32_t) (wraps - taken + 1);   // the plays still to come, this one included
    p.startCrossfadeAge = into <= INT32_MAX ? (int32_t) into : -1;   // Voice::start keeps it within the crossfade
    return p;
}

int64_t Voice::remainingFrames (int64_t now) const noexcept
{
    int64_t natural;
    if (! willWrap())
        natural = playback.cueOut - position;
    else if (wrapsLeft < 0)
        natural = -1;
    else
        natural = (playback.loopOut - position) + (int64_t) wrapsLeft * (playback.loopOut - playback.loopIn)
                  + (playback.cueOut - playback.loopOut);
    if (stopTime >= 0)
    {
        const auto inFade = std::max<int64_t> (0, stopLength - (now - stopTime));
        natural = natural < 0 ? inFade : std::min (natural, inFade);
    }
    return natural;
}

int64_t Voice::framesUntilSilent (int64_t now, int protectionFade) const noexcept
{
    constexpr int64_t long_ = INT64_MAX / 4;
    auto frames = isHeld() ? long_ : remainingFrames (now);
    if (frames < 0)
        frames = long_;
    if (cutTime >= 0)
        frames = std::min<int64_t> (frames, std::max<int64_t> (0, protectionFade - (now - cutTime)));
    return frames;
}

void panGains (double pan, bool mono, float& left, float& right) noexcept
{
    pan = std::clamp (pan, -1.0, 1.0);
    if (mono)
    {
        const auto angle = (pan + 1.0) * Fade::pi / 4.0;
        const auto centre = std::cos (Fade::pi / 4.0);
        left = (float) (std::cos (angle) / centre);
        right = (float) (std::sin (angle) / centre);
    }
    else
    {
        left = (float) (pan <= 0.0 ? 1.0 : 1.0 - pan);
        right = (float) (pan >= 0.0 ? 1.0 : 1.0 + pan);
    }
}

namespace
{
    /** Samples from engine time `now` over which every envelope of the voice is exactly 1 and
        the read runs on without a wrap, so the fast path may mix them as one vector. */
    int64_t steadyRun (const Voice& voice, int64_t now, int protectionFade) noexcept
    {
        const auto& p = voice.playback;
        if (voice.pause != Voice::PauseState::playing || voice.isStopping() || voice.crossfadeAge >= 0)
            return 0;
        if (voice.resumeTime >= 0 && now - voice.resumeTime < protectionFade)
            return 0;
        if (voice.played < p.edgeFade || voice.played < voice.fadeInLength)
            return 0;
        if (voice.willWrap())
            return p.loopOut - voice.position;
        return std::max<int64_t> (0, p.cueOut - std::max (p.edgeFade, p.fadeOut) - voice.position);
    }

    /** The product of the voice's envelopes at engine time n (double, then one rounding). */
    float envelopeAt (const Voice& voice, int64_t n, int protectionFade) noexcept
    {
        const auto& p = voice.playback;
        double gain = 1.0;
        if (voice.played < p.edgeFade)
            gain *= (double) voice.played / (double) p.edgeFade;
        if (voice.played < voice.fadeInLength)
            gain *= Fade::in (voice.fadeInCurve, voice.played, voice.fadeInLength);
        if (! voice.willWrap())
        {
            const auto distance = p.cueOut - 1 - voice.position;
            gain *= Fade::toEnd (FadeCurve::linear, distance, p.edgeFade);
            if (p.fadeOut > 0)
                gain *= Fade::toEnd (p.fadeOutCurve, distance, p.fadeOut);
        }
        if (voice.stopTime >= 0)
            gain *= Fade::out (voice.stopCurve, n - voice.stopTime, voice.stopLength);
        if (voice.cutTime >= 0)
            gain *= Fade::out (FadeCurve::linear, n - voice.cutTime, protectionFade);
        if (voice.pause == Voice::PauseState::pausing)
            gain *= Fade::out (FadeCurve::linear, n - voice.pauseTime, protectionFade);
        if (voice.resumeTime >= 0)
            gain *= Fade::in (FadeCurve::linear, n - voice.resumeTime, protectionFade);
        return (float) gain;
    }

    /** Frames from `frame` in a row of both channels: pointers to them, or nullptr for both
        when either is not in memory (a miss). `run` is cut to what they hold. */
    bool fetch (const ClipAudio& audio, int64_t frame, bool waitForMedia, const float*& left, const float*& right,
                int64_t& run) noexcept
    {
        int64_t leftRun = 0, rightRun = 0;
        left = waitForMedia ? audio.readWaiting (0, frame, leftRun) : audio.read (0, frame, leftRun);
        right = waitForMedia ? audio.readWaiting (1, frame, rightRun) : audio.read (1, frame, rightRun);
        run = std::min (leftRun, rightRun);
        if (left != nullptr && right != nullptr)
            return true;
        left = right = nullptr;
        return false;
    }

    /** One sample; beyond the file's end 0; a frame not in memory gives 0 and sets `missed`. */
    float sampleAt (const ClipAudio& audio, int channel, int64_t frame, bool waitForMedia, bool& missed) noexcept
    {
        if (frame >= audio.getNumFrames())
            return 0.0f;
        if (! audio.isStreamed())
            return audio.getChannel (channel)[frame];
        int64_t run = 0;
        const auto* samples = waitForMedia ? audio.readWaiting (channel, frame, run) : audio.read (channel, frame, run);
        if (samples == nullptr)
        {
            missed = true;
            return 0.0f;
        }
        return *samples;
    }

    void countUnderrun (Voice& voice, int64_t time, int64_t frames) noexcept
    {
        if (voice.underrunTime < 0)
            voice.underrunTime = time;
        voice.underrunFrames += frames;
    }

    /** After the read position moved on: wrap to loop in at loop out while wraps are left. */
    void wrapIfAtLoopOut (Voice& voice) noexcept
    {
        const auto& p = voice.playback;
        if (voice.hasLoop() && voice.wrapsLeft != 0 && voice.position == p.loopOut)
        {
            voice.position = p.loopIn;
            voice.crossfadeTail = p.loopOut;
            voice.crossfadeAge = 0;
            if (voice.wrapsLeft > 0)
                --voice.wrapsLeft;
        }
    }
} // namespace

int renderVoice (Voice& voice, float* left, float* right, int numFrames, int64_t now,
                 const GainRamp& clipGain, const GainRamp& clipPan, int protectionFade, bool waitForMedia) noexcept
{
    const auto& audio = *voice.audio;
    const auto& p = voice.playback;
    const bool steadyGains = clipGain.isSteadyFrom (now) && clipPan.isSteadyFrom (now);
    float steadyLeft = 0.0f, steadyRight = 0.0f;
    if (steadyGains)
    {
        panGains (clipPan.valueAt (now), voice.mono, steadyLeft, steadyRight);
        const auto gain = clipGain.valueAt (now);
        steadyLeft *= gain;
        steadyRight *= gain;
    }

    for (int i = 0; i < numFrames;)
    {
        const auto n = now + i;

        // Ends and state changes that take effect before sample n.
        if (voice.stopTime >= 0 && n - voice.stopTime >= voice.stopLength)
            return i;
        if (voice.cutTime >= 0 && n - voice.cutTime >= protectionFade)
            return i;
        if (! voice.willWrap() && voice.position >= p.cueOut)
            return i;
        if (voice.pause == Voice::PauseState::pausing && n - voice.pauseTime >= protectionFade)
        {
            voice.pause = Voice::PauseState::paused;
            if (voice.resumePending)
            {
                voice.pause = Voice::PauseState::playing;
                voice.resumePending = false;
                voice.resumeTime = n;
            }
        }
        if (voice.pause == Voice::PauseState::paused)
        {
            // Held: silent, read position kept, until a resume command. A stop or cut that
            // began during the pause fade still ends the voice exactly when its fade would.
            int64_t end = INT64_MAX;
            if (voice.stopTime >= 0)
                end = voice.stopTime + voice.stopLength;
            if (voice.cutTime >= 0)
                end = std::min<int64_t> (end, voice.cutTime + protectionFade);
            return end < now + numFrames ? (int) std::max<int64_t> (i, end - now) : -1;
        }
        if (voice.resumeTime >= 0 && n - voice.resumeTime >= protectionFade)
            voice.resumeTime = -1;

        // Fast path: every envelope is 1 and the gains are steady. The same products as the
        // general path below (its envelope factor is then exactly 1), so the samples never
        // depend on where a block was split.
        if (steadyGains)
        {
            if (auto run = (int) std::min<int64_t> (steadyRun (voice, n, protectionFade), numFrames - i); run > 0)
            {
                // A run ends where the samples in memory do (a chunk's end, for a streamed clip).
                const float* inLeft = nullptr;
                const float* inRight = nullptr;
                int64_t available = 0;
                const bool present = fetch (audio, voice.position, waitForMedia, inLeft, inRight, available);
                run = (int) std::min<int64_t> (run, available);
                if (present)
                {
                    juce::FloatVectorOperations::addWithMultiply (left + i, inLeft, steadyLeft, run);
                    juce::FloatVectorOperations::addWithMultiply (right + i, inRight, steadyRight, run);
                }
                else
                {
                    countUnderrun (voice, n, run);
                }
                voice.position += run;
                voice.played += run;
                i += run;
                wrapIfAtLoopOut (voice);
                continue;
            }
        }

        float gainLeft = steadyLeft, gainRight = steadyRight;
        if (! steadyGains)
        {
            panGains (clipPan.valueAt (n), voice.mono, gainLeft, gainRight);
            const auto gain = clipGain.valueAt (n);
            gainLeft *= gain;
            gainRight *= gain;
        }
        const auto envelope = envelopeAt (voice, n, protectionFade);

        bool missed = false;
        auto inLeft = sampleAt (audio, 0, voice.position, waitForMedia, missed);
        auto inRight = sampleAt (audio, 1, voice.position, waitForMedia, missed);
        if (voice.crossfadeAge >= 0)
        {
            // out = x[in+k]·(k/L) + x[out+k]·(1−k/L); x beyond the file's end is 0.
            const auto fraction = (double) voice.crossfadeAge / (double) p.loopCrossfade;
            const auto rising = (float) fraction, falling = (float) (1.0 - fraction);
            const auto tail = voice.crossfadeTail + voice.crossfadeAge;
            inLeft = inLeft * rising + sampleAt (audio, 0, tail, waitForMedia, missed) * falling;
            inRight = inRight * rising + sampleAt (audio, 1, tail, waitForMedia, missed) * falling;
        }
        if (missed)
            countUnderrun (voice, n, 1);   // silence: nothing is added for this sample
        else
        {
            left[i] += inLeft * (gainLeft * envelope);
            right[i] += inRight * (gainRight * envelope);
        }

        ++voice.position;
        ++voice.played;
        if (voice.crossfadeAge >= 0 && ++voice.crossfadeAge >= p.loopCrossfade)
            voice.crossfadeAge = -1;
        wrapIfAtLoopOut (voice);
        ++i;
    }

    // A voice whose last sample fell on the block's last sample ends here, not a block later.
    const auto end = now + numFrames;
    if ((voice.stopTime >= 0 && end - voice.stopTime >= voice.stopLength)
        || (voice.cutTime >= 0 && end - voice.cutTime >= protectionFade)
        || (! voice.willWrap() && voice.position >= p.cueOut))
        return numFrames;
    return -1;
}

} // namespace cuegrid
