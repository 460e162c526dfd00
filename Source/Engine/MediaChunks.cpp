// CueGrid — GPL-3.0-or-later
#include "MediaChunks.h"

namespace cuegrid
{

MediaChunks::MediaChunks (uint32_t mediaId, int64_t frames, int channels, double sampleRate, ChunkLoader& chunkLoader)
    : id (mediaId), numFrames (frames), numChannels (channels), rate (sampleRate),
      numChunks ((frames + chunkFrames - 1) >> chunkShift), loader (chunkLoader),
      table (new std::atomic<float*>[(size_t) numChunks])
{
    for (int64_t i = 0; i < numChunks; ++i)
        table[(size_t) i].store (nullptr, std::memory_order_relaxed);
}

MediaChunks::~MediaChunks()
{
    // Nothing reads the table any more: every clip that could play it is gone.
    for (int64_t i = 0; i < numChunks; ++i)
        delete[] table[(size_t) i].load (std::memory_order_acquire);
}

} // namespace cuegrid
