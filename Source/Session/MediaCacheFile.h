// CueGrid — GPL-3.0-or-later
#pragma once

#include "MediaCache.h"
#include "MediaFile.h"

#include <chrono>

/** What the media cache's file table (MediaCache.cpp) and its reader threads
    (MediaCacheReaders.cpp) share: one open file with its chunk table, and the clock and sizes
    they count by. For those two files only. */
namespace cuegrid
{

namespace mediacache
{
    /** Milliseconds of the steady clock: when chunks were last wanted and files last used. */
    inline int64_t nowMilliseconds()
    {
        using namespace std::chrono;
        return duration_cast<milliseconds> (steady_clock::now().time_since_epoch()).count();
    }

    /** Bytes one chunk of the table takes in memory (a short last chunk takes as many). */
    inline int64_t chunkBytes (const MediaChunks& chunks) noexcept
    {
        return MediaChunks::chunkFrames * chunks.getNumChannels() * (int64_t) sizeof (float);
    }
} // namespace mediacache

struct MediaCache::File
{
    std::string identity;
    std::filesystem::path path;
    std::shared_ptr<MediaChunks> chunks;
    std::shared_ptr<const void> copyLease;   // the converted copy it reads, kept from eviction
    int fileChannels = 0;

    std::mutex readLock;   // one reader of the file at a time (seek + read): any thread but the audio thread
    MediaFile media;       // guarded by readLock

    // Guarded by MediaCache::lock.
    std::vector<int32_t> pins;       // per chunk: clips whose head it is
    std::vector<int64_t> lastUse;    // per chunk: when a scan last wanted it (ms, steady clock)
    std::vector<uint8_t> loading;    // per chunk: a thread is decoding it
    bool nonFiniteReported = false;  // its NaN/Inf samples were reported (once per file)
    int64_t unusedSinceMs = 0;       // when closeUnusedFiles first saw no clip use it; 0 = in use
};

} // namespace cuegrid
