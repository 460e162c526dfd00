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
    A file seen present is remembered with its size and modification time; `changed` means
    these differ later (stat cannot tell a touch from new content: the database's content hash,
    MediaFactsRefresher, says which at the next open). A file never seen present is `missing`.
    Threads: watch() and getWarnings() from the message thread (or any non-audio thread); the
    poll runs on the watch's own thread. The destructor stops and joins it (at most one poll). */
class MediaWatch
{
public:
    enum class State { present, missing, changed };

    struct Watched
    {
        std::string clipId;
        std::string path;   // absolute
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

private:
    struct Seen { bool present = false; int64_t size = 0; int64_t mtimeNs = 0; };
    void run();
    void pollOnce();

    const int intervalMs;
    mutable std::mutex lock;                       // guards everything below but the atomics and worker
    std::condition_variable wake;
    bool stopping = false;
    std::vector<Watched> files;                    // written by watch() (message thread), read by the poll
    std::map<std::string, Seen> baseline;          // path → first seen present; poll thread (reset() clears)
    std::map<std::string, State> warnings;         // written by the poll, read by getWarnings()
    std::atomic<uint64_t> generation { 0 }, polls { 0 };
    std::thread worker;                            // last: starts after everything it uses exists
};

const char* mediaWatchStateName (MediaWatch::State state);

} // namespace cuegrid
