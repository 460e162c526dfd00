// CueGrid — GPL-3.0-or-later
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

namespace cuegrid
{

class MediaChunks;

/** Who fills a chunk table: the session's media cache (Session/MediaCache.h). The engine only
    knows this interface, for offline render's blocking reads. */
class ChunkLoader
{
public:
    virtual ~ChunkLoader() = default;

    /** Makes chunk `index` of `chunks` present before returning (decodes it on the calling
        thread if no reader has). Blocks: offline render only, never the audio thread. */
    virtual void loadChunkNow (const MediaChunks& chunks, int64_t index) noexcept = 0;
};

/** The chunk table of one media file that plays from disk: its frames split in chunks of
    chunkFrames (a power of two), each chunk one allocation of chunkFrames × channels floats,
    non-interleaved (channel c at c × chunkFrames), already at the engine's rate. A chunk is in
    memory when its table entry is not nullptr.

    Threads:
    - the media cache's reader threads (and offline render's blocking loads) are the only
      writers of the table: they store a decoded chunk (release), or nullptr before freeing one;
    - the audio thread reads entries (acquire) through ClipAudio::read and never writes;
    - a chunk set to nullptr is freed only after every engine left the callback it was in
      (StreamPlayheads' callback epoch), so a pointer the audio thread loaded stays valid for
      the rest of its callback.
    One table per file (by device and inode), shared by every clip of that file. */
class MediaChunks
{
public:
    static constexpr int chunkShift = 13;
    static constexpr int64_t chunkFrames = int64_t (1) << chunkShift;   // 8192 frames
    static constexpr int64_t chunkMask = chunkFrames - 1;

    /** `frames` ≥ 1 at `sampleRate`, `channels` 1 or 2; `loader` fills the table (it outlives it). */
    MediaChunks (uint32_t mediaId, int64_t frames, int channels, double sampleRate, ChunkLoader& loader);
    ~MediaChunks();

    MediaChunks (const MediaChunks&) = delete;
    MediaChunks& operator= (const MediaChunks&) = delete;

    uint32_t getMediaId() const noexcept { return id; }          // ≠ 0; the cache's key for it
    int64_t getNumFrames() const noexcept { return numFrames; }
    int getNumChannels() const noexcept { return numChannels; }
    double getSampleRate() const noexcept { return rate; }
    int64_t getNumChunks() const noexcept { return numChunks; }
    /** Frames of chunk `index` (the last one may be short). */
    int64_t framesInChunk (int64_t index) const noexcept
    {
        return index + 1 < numChunks ? chunkFrames : numFrames - index * chunkFrames;
    }

    /** Any thread; wait-free. The chunk's samples, or nullptr if it is not in memory. */
    const float* chunk (int64_t index) const noexcept { return table[(size_t) index].load (std::memory_order_acquire); }

    /** Reader side only: publishes a chunk (nullptr to take it away; the caller frees the old
        one after the callback epochs moved on). Returns the previous pointer. */
    float* exchange (int64_t index, float* samples) const noexcept
    {
        return table[(size_t) index].exchange (samples, std::memory_order_acq_rel);
    }

    /** Blocks until chunk `index` is present (offline render). */
    void loadNow (int64_t index) const noexcept { loader.loadChunkNow (*this, index); }

private:
    const uint32_t id;
    const int64_t numFrames;
    const int numChannels;
    const double rate;
    const int64_t numChunks;
    ChunkLoader& loader;
    // Written by reader threads (exchange), read by the audio thread (chunk). See above.
    std::unique_ptr<std::atomic<float*>[]> table;
};

using MediaChunksPtr = std::shared_ptr<const MediaChunks>;

} // namespace cuegrid
