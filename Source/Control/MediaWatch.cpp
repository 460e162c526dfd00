// CueGrid — GPL-3.0-or-later
#include "MediaWatch.h"

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
    : intervalMs (pollIntervalMs), worker ([this] { run(); })
{
}

MediaWatch::~MediaWatch()
{
    {
        std::lock_guard<std::mutex> guard (lock);
        stopping = true;
    }
    wake.notify_all();
    worker.join();
}

void MediaWatch::watch (std::vector<Watched> newFiles)
{
    bool same = false;
    {
        std::lock_guard<std::mutex> guard (lock);
        same = newFiles.size() == files.size();
        for (size_t i = 0; same && i < files.size(); ++i)
            same = files[i].clipId == newFiles[i].clipId && files[i].path == newFiles[i].path;
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
        else if (known->second.size != seen.size || known->second.mtimeNs != seen.mtimeNs)
            state = State::changed;
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
