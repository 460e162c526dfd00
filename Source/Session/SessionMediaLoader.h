// CueGrid — GPL-3.0-or-later
#pragma once

#include "MediaLoader.h"
#include "SessionModel.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cuegrid
{

/** Loads the media of a whole session in the background when a show is opened, so the window
    appears at once and no clip's media is read on the message thread.

    - Each media file is loaded once (by device and inode, as loadClipMedia), whatever number
      of clips use it, with loadMediaForPlayback: a long file comes back streamed with the heads
      its clips start from (cue in, loop in) pinned, a short one resident. Resident media is
      bounded by one MediaMemoryBudget for the whole session (mediaMemoryBudgetBytes()).
    - Files are loaded in the order asked (the grid's order: page by page, tab by tab), on
      `threads` worker threads; prioritise() moves the files of some clips (the tab on screen)
      ahead of every file not started yet.
    - Each file's result is handed back, with the clips it is for, as soon as it is loaded
      (takeLoaded), so a clip is playable as soon as its head is in memory.

    Threads: start(), prioritise(), cancel(), takeLoaded(), waitUntilIdle() on one control
    thread (ShowController's message thread); the workers stat, open and read. getProgress()
    any thread. Never throws from a worker. */
class SessionMediaLoader
{
public:
    struct Request
    {
        std::vector<ClipDefinition> clips;   // the clips; one with an empty `file` is skipped
        std::vector<int> order;              // clip indices in the order to load; clips not named come last
        std::string sessionPath;             // files are resolved against its folder
        double sampleRate = 48000.0;         // Hz, of the loaded audio (the engine's)
    };

    /** One file's media and the clips (indices into Request::clips) that use it. */
    struct Loaded
    {
        uint64_t generation = 0;
        std::vector<int> clips;
        MediaLoadResult media;
    };

    /** What is done of the current request. */
    struct Progress
    {
        uint64_t generation = 0;
        int clipsLoaded = 0, clipsTotal = 0;   // clips whose file is loaded (or failed), of all with a file
        int filesLoaded = 0, filesTotal = 0;   // filesTotal is 0 until the files are grouped
        double seconds = 0.0;                  // since start(), or the whole load once done
        bool done = true;
    };

    explicit SessionMediaLoader (int threads = 2);
    /** Waits for the files being read to finish; the rest are dropped. */
    ~SessionMediaLoader();

    /** Starts loading `request`, dropping what is left of the previous one (a file being read
        finishes, its result is dropped). Returns the request's generation (> 0). */
    uint64_t start (Request request);

    /** Drops what is left of the current request. */
    void cancel();

    /** The files of these clips (indices into the current Request::clips) are loaded before
        any other not started yet; the latest call goes first. */
    void prioritise (const std::vector<int>& clips);

    /** Files loaded since the last call, in the order they finished (this generation only). */
    std::vector<Loaded> takeLoaded();

    Progress getProgress() const;

    /** Blocks until every file of the current request is loaded (tests, scripted starts); false
        after `timeoutSeconds`. The results are still to be taken. */
    bool waitUntilIdle (double timeoutSeconds);

private:
    struct Job
    {
        std::string path;                // resolved
        std::vector<int> clips;
        enum class State { waiting, reading, done } state = State::waiting;
    };

    void run();
    /** Groups the request's clips into jobs (one per file identity). Called unlocked by the
        worker that took the request; the files are stat'ed here, never on the control thread. */
    void group (uint64_t generation);
    bool idleLocked() const { return ! grouping && grouped && readingJobs == 0 && waitingJobs == 0; }
    std::vector<int64_t> headStarts (const std::vector<int>& clips) const;

    mutable std::mutex lock;
    std::condition_variable wake, idle;
    // Guarded by `lock` (written by the control thread and the workers):
    Request request;
    uint64_t generation = 0;
    bool grouped = true, grouping = false, quitting = false;
    std::vector<Job> jobs;
    std::vector<int> jobOfClip;          // per clip, -1 without a file
    std::deque<int> urgent, normal;      // job indices to read, urgent first
    std::vector<int> prioritisedClips;   // asked before the files were grouped
    int readingJobs = 0, waitingJobs = 0;
    std::vector<Loaded> loaded;
    std::shared_ptr<MediaMemoryBudget> budget;   // the request's resident media; a read keeps its own alive
    double startedAt = 0.0, finishedAt = 0.0;

    // Progress, read by any thread.
    std::atomic<uint64_t> progressGeneration { 0 };
    std::atomic<int> clipsLoaded { 0 }, clipsTotal { 0 }, filesLoaded { 0 }, filesTotal { 0 };

    std::vector<std::thread> workers;
};

} // namespace cuegrid
