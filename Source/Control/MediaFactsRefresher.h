// CueGrid — GPL-3.0-or-later
#pragma once

#include "Session/MediaFacts.h"
#include "Session/SessionModel.h"

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cuegrid
{

/** The app's half of "facts recorded whenever a session is opened" (docs/media.md): refreshes
    the session database's media facts (refreshMediaFacts: hashes new or changed files, flags
    replaced ones) on its own thread, so opening a session never waits for the disk. The
    results (each clip's MediaFactsCheck: missing, changed, …) are for the relink panel and the
    buttons' warnings to read.

    Threads: constructed and destroyed on the message thread; the worker owns its own
    MetadataDatabase connection. The destructor asks the worker to stop after the file it is
    reading and joins it (at most one file's hash). */
class MediaFactsRefresher
{
public:
    /** Starts at once on a copy of `session`. */
    MediaFactsRefresher (Session session, std::string sessionPath);
    ~MediaFactsRefresher();

    MediaFactsRefresher (const MediaFactsRefresher&) = delete;
    MediaFactsRefresher& operator= (const MediaFactsRefresher&) = delete;

    /** True once the worker has finished (or failed). Any thread. */
    bool isDone() const noexcept { return done.load(); }

    /** One check per clip once done (empty before, or after a failure). Any thread. */
    std::vector<MediaFactsCheck> getChecks() const;

    /** Why the facts could not be recorded ("" when they were). Any thread. */
    std::string getError() const;

    /** Blocks until done or `timeoutMs` passed; true when done. Tests and shutdown only. */
    bool waitUntilDone (int timeoutMs) const;

private:
    void run();

    const Session session;
    const std::string sessionPath;
    std::atomic<bool> stopRequested { false };   // written by the message thread, read by the worker
    std::atomic<bool> done { false };            // written by the worker, read by anyone
    mutable std::mutex lock;                     // guards checks and error: written once by the worker, read by anyone
    std::vector<MediaFactsCheck> checks;
    std::string error;
    std::thread worker;                          // last: starts after everything it reads exists
};

} // namespace cuegrid
