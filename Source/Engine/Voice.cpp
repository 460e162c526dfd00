// CueGrid — GPL-3.0-or-later
#include "Voice.h"

#include <juce_audio_basics/juce_audio_basics.h>

#include <algorithm>

namespace cuegrid
{

bool renderVoice (Voice& voice, float* left, float* right, int numFrames, int64_t now,
                  const GainRamp& clipGain, int fadeLength) noexcept
{
    const auto& audio = *voice.audio;
    const auto totalFrames = audio.getNumFrames();
    const auto remaining = voice.framesRemaining (now, fadeLength);
    const auto count = (int) std::min<int64_t> (numFrames, std::max<int64_t> (remaining, 0));
    const auto start = voice.position;
    const float* inLeft = audio.getChannel (0) + start;
    const float* inRight = audio.getChannel (1) + start;

    // Fast path range: frames whose gain is exactly the steady clip gain (no edge fade, no
    // stop fade, no ramp). It computes the same product as the general path, so both give
    // bit-identical samples and the output never depends on where blocks are split.
    int bodyBegin = 0, bodyEnd = 0;
    if (! voice.isStopping() && clipGain.isSteadyFrom (now))
    {
        bodyBegin = (int) std::clamp<int64_t> (fadeLength - start, 0, count);
        bodyEnd = (int) std::clamp<int64_t> (totalFrames - fadeLength - start, bodyBegin, count);
    }

    auto renderGeneral = [&] (int from, int to)
    {
        for (int i = from; i < to; ++i)
        {
            auto fade = ProtectionFade::edgeGain (start + i, totalFrames, fadeLength);
            if (voice.isStopping())
                fade = std::min (fade, ProtectionFade::stopGain (now + i - voice.stopTime, fadeLength));
            const auto gain = clipGain.valueAt (now + i) * fade;
            left[i] += inLeft[i] * gain;
            right[i] += inRight[i] * gain;
        }
    };

    renderGeneral (0, bodyBegin);
    if (bodyEnd > bodyBegin)
    {
        const auto gain = clipGain.valueAt (now) * 1.0f;
        const auto bodyLength = bodyEnd - bodyBegin;
        juce::FloatVectorOperations::addWithMultiply (left + bodyBegin, inLeft + bodyBegin, gain, bodyLength);
        juce::FloatVectorOperations::addWithMultiply (right + bodyBegin, inRight + bodyBegin, gain, bodyLength);
    }
    renderGeneral (std::max (bodyBegin, bodyEnd), count);

    voice.position += count;
    return count >= remaining;
}

} // namespace cuegrid
