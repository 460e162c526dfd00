// CueGrid — GPL-3.0-or-later
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace cuegrid
{

/** The decoded, immutable sample data of one clip: 1 or 2 channels × numFrames, float,
    non-interleaved, already at the engine's sample rate.

    Built on a loader thread, then never changed. The control side owns it through
    std::shared_ptr<const ClipAudio>; the audio thread only ever sees a raw pointer and
    marks its use in audioThreadReferences, so the owner knows when freeing is safe
    (see ClipReleasePool). Freeing never happens on the audio thread.
*/
class ClipAudio
{
public:
    /** Takes ownership of the channel vectors. channels.size() must be 1 or 2, all equal length. */
    ClipAudio (std::vector<std::vector<float>> channels, double sampleRate);

    int getNumChannels() const noexcept { return (int) channelData.size(); }
    int64_t getNumFrames() const noexcept { return numFrames; }
    double getSampleRate() const noexcept { return rate; }
    double getDurationSeconds() const noexcept { return (double) numFrames / rate; }

    /** Pointer to numFrames samples of channel 0 or 1; a mono clip returns channel 0 for both. */
    const float* getChannel (int channel) const noexcept
    {
        return channelData[(size_t) (channel < getNumChannels() ? channel : 0)].data();
    }

    /** Count of references the audio thread holds: scheduled triggers plus playing voices.
        Written (incremented and decremented) by the audio thread only; read by the control
        thread's ClipReleasePool to decide when the data may be freed. */
    mutable std::atomic<int> audioThreadReferences { 0 };

private:
    std::vector<std::vector<float>> channelData;
    int64_t numFrames = 0;
    double rate = 48000.0;
};

using ClipAudioPtr = std::shared_ptr<const ClipAudio>;

} // namespace cuegrid
