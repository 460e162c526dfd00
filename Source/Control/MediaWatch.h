// CueGrid — GPL-3.0-or-later
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cuegrid
{

/** Runtime half of "Missing files" (docs/media.md, Detection): notices within about one poll
    interval that a file the operator can fire or hears (the visible page's and the playing
    clips') vanished or was replaced on disk, so its button warns before it is fired.
    Only stat(): no file is opened or read, so a poll of a few hundred files costs well under a
    millisecond and never touches the audio or the message thread.
    A file seen present is remembered with its size and modification time. A new size is
    `changed` at once. The same size with a new modification time (a touch, or new content of the
    same length) is checked by content when the clip's recorded content hash is known
    (Watched::contentHash): the file is hashed (XXH3, as the database's) on the watch's hashing
    thread, and only another hash makes it `changed`; the same hash makes the new time the
    remembered one (no warning). Without a recorded hash it is `changed` (stat alone cannot tell).
    A file never seen present is `missing`.
    Threads: watch() and getWarnings() from the message thread (or any non-audio thread); the
    poll runs on the watch's own thread, hashing on another (so a big file never delays the
    polls). The destructor stops both (a hash stops within one 1 MiB block) and joins them. */
class MediaWatch
{
public:
    enum class State { present, missing, changed };

    struct Watched
    {
        std::string clipId;
        std::string path;          // absolute
        std::string contentHash;   // the clip's recorded XXH3 (MediaFactsCheck::contentHash); "" unknown
    };

    explicit MediaWatch (int pollIntervalMs = 1000);
    ~MediaWatch();
    MediaWatch (const MediaWatch&) = delete;
    MediaWatch& operator= (const MediaWatch&) = delete;

    /** The files to poll from now on (replaces the previous set; the remembered sizes and
        times of files still watched stay). Cheap when the set is unchanged. */
    void watch (std::vector<Watched> files);
    /** Forgets every remembered size and time (a session opened, a relink applied). */
    void reset();

    /** Clip id → state for every watched clip whose file is not `present`, as of the last poll. */
    std::map<std::string, State> getWarnings() const;
    /** Grows by one after each poll that changed getWarnings(). Any thread. */
    uint64_t getGeneration() const noexcept { return generation.load(); }
    /** Polls completed so far (tests). */
    uint64_t getPolls() const noexcept { return polls.load(); }
    /** Files hashed so far because their time changed at the same size (tests). */
    uint64_t getHashes() const noexcept { return hashes.load(); }

private:
    struct Seen
    {
        bool present = false; int64_t size = 0; int64_t mtimeNs = 0;
        bool operator== (const Seen& other) const noexcept { return present == other.present && size == other.size && mtimeNs == other.mtimeNs; }
    };
    /** A file to hash: at this stat, expected to hold `contentHash`. */
    struct HashJob { std::string path, contentHash; Seen seen; };
    void run();
    void pollOnce();
    void runHasher();

    const int intervalMs;
    mutable std::mutex lock;                       // guards everything below but the atomics and worker
    std::condition_variable wake;
    bool stopping = false;
    std::vector<Watched> files;                    // written by watch() (message thread), read by the poll
    std::map<std::string, Seen> baseline;          // path → first seen present; poll thread (reset() clears)
    std::map<std::string, State> warnings;         // written by the poll, read by getWarnings()
    std::vector<HashJob> hashQueue;                // written by the poll, taken by the hasher
    std::map<std::string, Seen> hashing;           // path → the stat a queued or running hash is for (poll and hasher)
    std::map<std::string, Seen> otherContent;      // path → the stat at which its hash differed (hasher writes, poll reads)
    std::condition_variable hashWake;
    std::atomic<bool> stopHashing { false };       // set by the destructor, read between hash blocks
    std::atomic<uint64_t> generation { 0 }, polls { 0 }, hashes { 0 };
    std::thread hasher;                            // hashes same-size files whose time changed
    std::thread worker;                            // last: starts after everything it uses exists
};

const char* mediaWatchStateName (MediaWatch::State state);

} // namespace cuegrid
