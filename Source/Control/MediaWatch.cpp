// CueGrid — GPL-3.0-or-later
#include "MediaWatch.h"

#include "Analysis/ContentHash.h"

#include <sys/stat.h>

namespace cuegrid
{

const char* mediaWatchStateName (MediaWatch::State state)
{
    switch (state)
    {
        case MediaWatch::State::present: return "present";
        case MediaWatch::State::missing: return "missing";
        case MediaWatch::State::changed: return "changed";
    }
    return "present";
}

MediaWatch::MediaWatch (int pollIntervalMs)
    : intervalMs (pollIntervalMs), hasher ([this] { runHasher(); }), worker ([this] { run(); })
{
}

MediaWatch::~MediaWatch()
{
    {
        std::lock_guard<std::mutex> guard (lock);
        stopping = true;
    }
    stopHashing = true;
    wake.notify_all();
    hashWake.notify_all();
    worker.join();
    hasher.join();
}

void MediaWatch::runHasher()
{
    std::unique_lock<std::mutex> guard (lock);
    while (! stopping)
    {
        if (hashQueue.empty())
        {
            hashWake.wait (guard);
            continue;
        }
        const auto job = hashQueue.front();
        hashQueue.erase (hashQueue.begin());
        guard.unlock();
        const auto hash = analysis::hashFileContent (job.path, &stopHashing);   // outside the lock: watch() never waits for it
        ++hashes;
        guard.lock();
        if (stopping)
            break;
        if (const auto running = hashing.find (job.path); running != hashing.end() && running->second == job.seen)
            hashing.erase (running);
        else
            continue;   // reset() or a newer stat meanwhile: this verdict is stale
        if (hash && *hash == job.contentHash)
        {
            // A touch: the same content. Its new time is the one to compare with from now on.
            if (auto known = baseline.find (job.path); known != baseline.end() && known->second.size == job.seen.size)
                known->second = job.seen;
            otherContent.erase (job.path);
        }
        else
            otherContent[job.path] = job.seen;   // other content (or unreadable): CHANGED
        wake.notify_all();   // the poll shows the verdict now, not a whole interval later
    }
}

void MediaWatch::watch (std::vector<Watched> newFiles)
{
    bool same = false;
    {
        std::lock_guard<std::mutex> guard (lock);
        same = newFiles.size() == files.size();
        for (size_t i = 0; same && i < files.size(); ++i)
            same = files[i].clipId == newFiles[i].clipId && files[i].path == newFiles[i].path
                   && files[i].contentHash == newFiles[i].contentHash;
        if (! same)
            files = std::move (newFiles);
    }
    if (! same)
        wake.notify_all();   // a newly shown page is checked at once, not after a whole interval
}

void MediaWatch::reset()
{
    {
        std::lock_guard<std::mutex> guard (lock);
        baseline.clear();
        warnings.clear();
        hashQueue.clear();
        hashing.clear();
        otherContent.clear();
    }
    ++generation;
    wake.notify_all();
}

std::map<std::string, MediaWatch::State> MediaWatch::getWarnings() const
{
    std::lock_guard<std::mutex> guard (lock);
    return warnings;
}

void MediaWatch::run()
{
    std::unique_lock<std::mutex> guard (lock);
    while (! stopping)
    {
        guard.unlock();
        pollOnce();
        guard.lock();
        if (! stopping)
            wake.wait_for (guard, std::chrono::milliseconds (intervalMs));
    }
}

void MediaWatch::pollOnce()
{
    std::vector<Watched> toPoll;
    {
        std::lock_guard<std::mutex> guard (lock);
        toPoll = files;
    }
    // stat() outside the lock: a slow network disk never holds up watch() on the message thread.
    std::map<std::string, Seen> now;
    for (const auto& file : toPoll)
    {
        if (now.count (file.path) != 0)
            continue;
        struct stat info {};
        Seen seen;
        if (::stat (file.path.c_str(), &info) == 0 && S_ISREG (info.st_mode))
            seen = { true, (int64_t) info.st_size, (int64_t) info.st_mtim.tv_sec * 1000000000 + info.st_mtim.tv_nsec };
        now[file.path] = seen;
    }
    std::lock_guard<std::mutex> guard (lock);
    std::map<std::string, State> found;
    for (const auto& file : toPoll)
    {
        const auto& seen = now[file.path];
        auto state = State::present;
        if (! seen.present)
            state = State::missing;
        else if (const auto known = baseline.find (file.path); known == baseline.end())
            baseline[file.path] = seen;
        else if (known->second.size != seen.size)
            state = State::changed;   // another length: other content for sure
        else if (known->second.mtimeNs != seen.mtimeNs)
        {
            // The same size, a new time: a touch or new content. Its hash decides, off this thread.
            if (file.contentHash.empty())
                state = State::changed;
            else if (const auto verdict = otherContent.find (file.path); verdict != otherContent.end() && verdict->second == seen)
                state = State::changed;
            else
            {
                if (const auto running = hashing.find (file.path); running == hashing.end() || ! (running->second == seen))
                {
                    hashing[file.path] = seen;
                    hashQueue.push_back ({ file.path, file.contentHash, seen });
                    hashWake.notify_all();
                }
                // Being hashed: what it showed stays until the hash says (a touch never warns;
                // a file flagged CHANGED does not blink while it is read again).
                if (const auto shown = warnings.find (file.clipId); shown != warnings.end() && shown->second == State::changed)
                    state = State::changed;
            }
        }
        if (state != State::present)
            found[file.clipId] = state;
    }
    if (found != warnings)
    {
        warnings = std::move (found);
        ++generation;
    }
    ++polls;
}

} // namespace cuegrid
