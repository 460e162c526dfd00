// CueGrid — GPL-3.0-or-later
#pragma once

#include "../Engine/ClipAudio.h"
#include "../Engine/MediaChunks.h"
#include "MediaLoader.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cuegrid
{

class ConvertedMediaCache;

/** The media that plays from disk: one chunk table (MediaChunks) per media file, opened once
    (by device and inode) whatever number of clips use it, filled by reader threads ahead of
    every playing voice, within a memory budget for all chunks.

    - Pinned heads: a clip's first seconds from cue in (and from loop in when it loops) are
      loaded before its ClipAudio is returned and never evicted while the clip exists.
    - Reader threads (2, nice -5 when allowed, never realtime nor the audio thread): every 2 ms
      they read each engine's StreamPlayheads and load the chunks from each voice's position
      up to readAheadSeconds ahead (across a loop's wrap, and the crossfade's tail after loop
      out), the nearest first.
    - Budget: when the chunks in memory pass it, unpinned chunks no voice wants (not touched for
      10 ms) are evicted, least recently used first, down to 90 % of the budget: taken out of
      the table (nullptr), then freed once every engine left the callback it was in
      (StreamPlayheads::waitForCallbacks).
    - Offline render's blocking reads (loadChunkNow) decode on the calling thread and never wait
      for callbacks (the render thread is inside one).

    One per process (instance()); any thread but the audio thread. */
class MediaCache final : public ChunkLoader
{
public:
    static MediaCache& instance();

    /** Defaults: budget min(2 GiB, RAM / 4), or CUEGRID_MEDIA_CACHE_MB (MiB) when set; files of
        at least CUEGRID_STREAM_MIN_SECONDS (default 20 s) stream, shorter ones are resident. */
    MediaCache();
    ~MediaCache() override;

    /** A streamed ClipAudio of `file` at `engineRate` (Hz), with the chunks after each of
        `headStarts` (frames: cue in, loop in) pinned and loaded for headSeconds before it
        returns (blocks: loader thread). Compressed media or media at another rate streams from
        its converted copy (ConvertedMediaCache, made here the first time). nullptr when the file
        should not stream: shorter than the streaming threshold, truncated, not openable, or
        its copy could not be made; `whyNot` then says why (empty when it is simply short). */
    ClipAudioPtr openStreamed (const std::filesystem::path& file, double engineRate,
                               const std::vector<int64_t>& headStarts, MediaInfo& info, std::string& whyNot);

    /** Files at least this long (seconds) stream. */
    double getStreamMinSeconds() const noexcept { return streamMinSeconds.load(); }
    void setStreamMinSeconds (double seconds) noexcept { streamMinSeconds = seconds; }

    /** Bytes all chunks may take (pinned heads count too; they are never evicted). */
    int64_t getBudgetBytes() const noexcept { return budgetBytes.load(); }
    void setBudgetBytes (int64_t bytes) noexcept { budgetBytes = bytes; }

    /** Bytes of chunks in memory now, and the most there ever were. */
    int64_t getUsedBytes() const noexcept { return usedBytes.load(); }
    int64_t getPeakUsedBytes() const noexcept { return peakUsedBytes.load(); }
    /** Bytes of the pinned heads (never evicted while their clips exist). */
    int64_t getPinnedBytes() const noexcept { return pinnedBytes.load(); }
    uint64_t getChunksRead() const noexcept { return chunksRead.load(); }
    uint64_t getChunksEvicted() const noexcept { return chunksEvicted.load(); }

    /** Test hook: reader threads sleep this long before each chunk they read (0 = none; the
        environment variable CUEGRID_READ_DELAY_US_FOR_TESTING sets it at start). */
    void setReadDelayForTesting (int microseconds) noexcept { readDelayMicroseconds = microseconds; }

    /** Evicts every unpinned chunk (tests: start from a cold cache). Waits for callbacks. */
    void evictUnpinned();

    double headSeconds = 1.0;        // set before use
    double readAheadSeconds = 3.0;

    void loadChunkNow (const MediaChunks& chunks, int64_t index) noexcept override;

private:
    struct File;
    struct Pins;
    struct Wanted { File* file; int64_t chunk; int64_t distance; };

    std::shared_ptr<File> findOrOpen (const std::filesystem::path& file, double engineRate, std::string& whyNot);
    /** Decodes and publishes chunk `index` of `file` unless it is there; returns its bytes added. */
    void loadChunk (File& file, int64_t index);
    void readerLoop();
    /** Under `lock`: the chunks the playheads want, nearest first; marks them used now. */
    std::vector<Wanted> collectWanted();
    void evictOverBudget();
    void evict (bool everythingUnpinned);
    void startReaders();
    static ConvertedMediaCache& convertedCopies();

    std::mutex lock;   // guards everything below that is not atomic; never the audio thread
    std::map<std::string, std::shared_ptr<File>> filesByIdentity;
    std::map<uint32_t, std::shared_ptr<File>> filesById;
    uint32_t nextMediaId = 1;
    std::condition_variable wake;
    std::vector<std::thread> readers;
    bool quit = false;

    std::atomic<int64_t> budgetBytes { 0 };
    std::atomic<double> streamMinSeconds { 20.0 };
    std::atomic<int64_t> usedBytes { 0 }, peakUsedBytes { 0 }, pinnedBytes { 0 };
    std::atomic<uint64_t> chunksRead { 0 }, chunksEvicted { 0 };
    std::atomic<int> readDelayMicroseconds { 0 };
};

} // namespace cuegrid
