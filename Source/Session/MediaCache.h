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

    /** The budget from the preferences (mediaCacheMB, MiB; 0 = the default): applied unless
        CUEGRID_MEDIA_CACHE_MB is set (the environment wins, for tests). Any thread. */
    void setBudgetFromPreferences (int megabytes) noexcept;

    /** Re-pins a streamed clip's heads: the chunks covering headSeconds after each of
        `headStarts` (frames: the cue in and loop in of every clip that plays `clip`) are pinned,
        the ones pinned before and not named now are unpinned (evictable). Chunks newly pinned
        that are not in memory are queued for the reader threads, ahead of any read-ahead:
        this call never reads the disk (message thread; a brief lock). A resident clip, or one
        this cache did not make, is left alone. Returns the chunks queued for reading. */
    int setHeads (const ClipAudio& clip, const std::vector<int64_t>& headStarts);

    /** Head chunks queued by setHeads and not yet read (tests wait for 0). */
    int getQueuedHeadChunks() const;

    /** Files open now (each with its chunk table). A file no clip uses any more (its session
        replaced, its clips deleted and their voices ended) is closed after unusedFileSeconds,
        its chunks freed, by a reader thread. */
    int getOpenFileCount() const;
    /** Seconds a file no clip uses stays open (undo of a delete, a session reopened: its
        chunks are still there). Set before use, or by tests. */
    std::atomic<double> unusedFileSeconds { 10.0 };

    /** Problems the readers met in streamed media, each file once: non-finite samples (NaN or
        Inf) play as 0 and are reported here ("<file>: non-finite samples … play as silence").
        The control side takes them (ShowController::update logs a mediaWarning event and shows
        it in the status bar). Any thread. */
    std::vector<std::string> takeWarnings();

    double headSeconds = 1.0;        // set before use
    double readAheadSeconds = 3.0;

    void loadChunkNow (const MediaChunks& chunks, int64_t index) noexcept override;

private:
    struct File;
    struct Pins;
    struct Wanted { std::shared_ptr<File> file; int64_t chunk; int64_t distance; };

    std::shared_ptr<File> findOrOpen (const std::filesystem::path& file, double engineRate, std::string& whyNot);
    /** Decodes and publishes chunk `index` of `file` unless it is there; returns its bytes added. */
    void loadChunk (File& file, int64_t index);
    void readerLoop();
    /** Under `lock`: the chunks the playheads want, nearest first; marks them used now. */
    std::vector<Wanted> collectWanted();
    void evictOverBudget();
    void evict (bool everythingUnpinned);
    /** Closes files no clip used for unusedFileSeconds (reader threads, when idle). */
    void closeUnusedFiles();
    void pinChunks (File& file, const std::vector<int64_t>& chunks);     // under `lock`
    void unpinChunks (File& file, const std::vector<int64_t>& chunks);   // under `lock`
    void startReaders();
    static ConvertedMediaCache& convertedCopies();

    mutable std::mutex lock;   // guards everything below that is not atomic; never the audio thread
    std::map<std::string, std::shared_ptr<File>> filesByIdentity;
    std::map<uint32_t, std::shared_ptr<File>> filesById;
    uint32_t nextMediaId = 1;
    std::condition_variable wake;
    std::vector<std::thread> readers;
    bool quit = false;
    std::map<const ClipAudio*, Pins*> pinsByClip;   // the streamed clips this cache made, while they live
    std::vector<std::pair<std::shared_ptr<File>, int64_t>> headLoads;   // setHeads' chunks to read first
    std::vector<std::string> warnings;              // takeWarnings()
    bool budgetFromEnvironment = false;

    std::atomic<int64_t> budgetBytes { 0 };
    std::atomic<double> streamMinSeconds { 20.0 };
    std::atomic<int64_t> usedBytes { 0 }, peakUsedBytes { 0 }, pinnedBytes { 0 };
    std::atomic<uint64_t> chunksRead { 0 }, chunksEvicted { 0 };
    std::atomic<int> readDelayMicroseconds { 0 };
};

} // namespace cuegrid
