// CueGrid — GPL-3.0-or-later
#pragma once

#include "MediaChunks.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace cuegrid
{

/** The sample data of one clip: 1 or 2 channels × numFrames, float, non-interleaved,
    already at the engine's sample rate. Either
    - resident: decoded whole into memory (short files, and media that cannot stream), or
    - streamed: a view on its file's chunk table (MediaChunks), filled ahead of the playing
      voices by the media cache's reader threads; `keepAlive` holds what the loader tied to
      the clip (its pinned heads), released when the ClipAudio is freed.
    The audio thread reads both through read(), wait-free.

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

    /** A streamed clip on `chunks`; `keepAlive` (may be nullptr) lives as long as the clip. */
    ClipAudio (MediaChunksPtr chunks, std::shared_ptr<const void> keepAlive);

    int getNumChannels() const noexcept { return numChannels; }
    bool isStreamed() const noexcept { return streamed != nullptr; }
    /** The chunk table of a streamed clip, else nullptr. */
    const MediaChunks* getChunks() const noexcept { return streamed.get(); }
    int64_t getNumFrames() const noexcept { return numFrames; }
    double getSampleRate() const noexcept { return rate; }
    double getDurationSeconds() const noexcept { return (double) numFrames / rate; }

    /** Resident clips only: pointer to numFrames samples of channel 0 or 1; a mono clip
        returns channel 0 for both. */
    const float* getChannel (int channel) const noexcept
    {
        return channelData[(size_t) (channel < getNumChannels() ? channel : 0)].data();
    }

    /** Audio thread; wait-free. Samples of channel 0 or 1 (a mono clip gives channel 0 for
        both) from `frame` (0 ≤ frame < numFrames): returns a pointer to `contiguous` frames
        in a row, or nullptr when they are not in memory (a streamed clip's chunk that is not
        loaded), `contiguous` then counting the frames to the end of that chunk. A pointer
        stays valid until the end of the current engine callback. */
    const float* read (int channel, int64_t frame, int64_t& contiguous) const noexcept
    {
        if (streamed == nullptr)
        {
            contiguous = numFrames - frame;
            return getChannel (channel) + frame;
        }
        const auto index = frame >> MediaChunks::chunkShift;
        const auto offset = frame & MediaChunks::chunkMask;
        contiguous = std::min (MediaChunks::chunkFrames - offset, numFrames - frame);
        const auto* samples = streamed->chunk (index);
        if (samples == nullptr)
            return nullptr;
        return samples + (channel < numChannels ? channel : 0) * MediaChunks::chunkFrames + offset;
    }

    /** As read(), but a missing chunk is loaded first, on the calling thread (blocks).
        Offline render only; never the audio thread. */
    const float* readWaiting (int channel, int64_t frame, int64_t& contiguous) const noexcept
    {
        // A reader may take the chunk away again before it is read: load until it is there.
        const float* samples = nullptr;
        while ((samples = read (channel, frame, contiguous)) == nullptr)
            streamed->loadNow (frame >> MediaChunks::chunkShift);
        return samples;
    }

    /** Count of references the audio thread holds: scheduled triggers plus playing voices.
        Written (incremented and decremented) by the audio thread only; read by the control
        thread's ClipReleasePool to decide when the data may be freed. */
    mutable std::atomic<int> audioThreadReferences { 0 };

private:
    std::vector<std::vector<float>> channelData;   // resident
    MediaChunksPtr streamed;                        // streamed
    std::shared_ptr<const void> streamedKeepAlive;
    int numChannels = 0;
    int64_t numFrames = 0;
    double rate = 48000.0;
};

using ClipAudioPtr = std::shared_ptr<const ClipAudio>;

} // namespace cuegrid
