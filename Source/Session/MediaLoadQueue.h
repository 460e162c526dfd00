// CueGrid — GPL-3.0-or-later
#pragma once

#include "SessionMedia.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cuegrid
{

/** Decodes clips' media on one background thread, so adding clips (an import, a paste, the
    undo of a delete) never decodes on the message thread. Requests are decoded in order,
    each with loadClipMedia (each file once: a long one streamed with its clips' heads pinned,
    a short one decoded within the media memory budget); the results are taken back on the
    control thread by polling. An opened session's media has its own loader
    (SessionMediaLoader: two threads, priorities).

    Threads: load(), takeFinished(), waitUntilIdle() on the one control thread (the
    ShowController's message thread); the worker decodes. Never throws from the worker. */
class MediaLoadQueue
{
public:
    struct Request
    {
        std::vector<ClipDefinition> clips;   // the clips to decode (their `file`)
        std::string sessionPath;             // files are resolved against its folder
        double sampleRate = 48000.0;         // Hz, of the decoded audio
    };

    struct Finished
    {
        uint64_t ticket = 0;
        std::vector<MediaLoadResult> media;  // one per Request::clips entry
        double seconds = 0.0;                // how long the decode took
    };

    MediaLoadQueue();
    /** Waits for the decode under way to finish; requests not started are dropped. */
    ~MediaLoadQueue();

    /** Queues a request; returns at once with its ticket (> 0). */
    uint64_t load (Request request);

    /** The requests decoded since the last call, in ticket order. */
    std::vector<Finished> takeFinished();

    /** Whether a request is queued or being decoded. */
    bool isBusy() const;

    /** Blocks until every request is decoded (tests, scripted starts); false after
        `timeoutSeconds`. */
    bool waitUntilIdle (double timeoutSeconds);

private:
    void run();

    mutable std::mutex lock;
    std::condition_variable wake, idle;
    // Guarded by `lock`: written by the control thread (load, the destructor) and the worker.
    std::deque<std::pair<uint64_t, Request>> pending;
    std::vector<Finished> finished;
    bool decoding = false, quitting = false;
    uint64_t nextTicket = 1;   // control thread only
    std::thread worker;
};

} // namespace cuegrid
