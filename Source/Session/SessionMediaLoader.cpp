// CueGrid — GPL-3.0-or-later
#include "SessionMediaLoader.h"

#include "SessionMedia.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <utility>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace cuegrid
{

namespace
{
    double nowSeconds()
    {
        return std::chrono::duration<double> (std::chrono::steady_clock::now().time_since_epoch()).count();
    }
}

SessionMediaLoader::SessionMediaLoader (int threads)
{
    for (int i = 0; i < std::max (1, threads); ++i)
        workers.emplace_back ([this] { run(); });
}

SessionMediaLoader::~SessionMediaLoader()
{
    {
        const std::lock_guard<std::mutex> guard (lock);
        quitting = true;
    }
    wake.notify_all();
    for (auto& worker : workers)
        worker.join();
}

uint64_t SessionMediaLoader::start (Request newRequest)
{
    int withFile = 0;
    for (const auto& clip : newRequest.clips)
        withFile += clip.file.empty() ? 0 : 1;
    {
        const std::lock_guard<std::mutex> guard (lock);
        request = std::move (newRequest);
        ++generation;
        jobs.clear();
        jobOfClip.clear();
        urgent.clear();
        normal.clear();
        prioritisedClips.clear();
        loaded.clear();
        waitingJobs = 0;        // jobs being read finish; their results are dropped (old generation)
        grouped = false;        // a worker groups the files (stat) first
        budget = std::make_shared<MediaMemoryBudget> (mediaMemoryBudgetBytes());
        startedAt = nowSeconds();
        finishedAt = 0.0;
        progressGeneration = generation;
        clipsLoaded = 0;
        clipsTotal = withFile;
        filesLoaded = 0;
        filesTotal = 0;
    }
    wake.notify_all();
    return progressGeneration.load();
}

void SessionMediaLoader::cancel()
{
    const std::lock_guard<std::mutex> guard (lock);
    ++generation;
    request = {};
    jobs.clear();
    jobOfClip.clear();
    urgent.clear();
    normal.clear();
    loaded.clear();
    waitingJobs = 0;
    grouped = true;
    progressGeneration = generation;
    clipsLoaded = clipsTotal = filesLoaded = filesTotal = 0;
    finishedAt = startedAt = nowSeconds();
    if (idleLocked())
        idle.notify_all();
}

void SessionMediaLoader::prioritise (const std::vector<int>& clips)
{
    const std::lock_guard<std::mutex> guard (lock);
    if (! grouped)
    {
        prioritisedClips = clips;   // applied once the files are grouped
        return;
    }
    // In reverse, so the first clip asked ends up first.
    for (auto clip = clips.rbegin(); clip != clips.rend(); ++clip)
        if (*clip >= 0 && *clip < (int) jobOfClip.size() && jobOfClip[(size_t) *clip] >= 0
            && jobs[(size_t) jobOfClip[(size_t) *clip]].state == Job::State::waiting)
            urgent.push_front (jobOfClip[(size_t) *clip]);   // a job listed twice is read once (state)
}

std::vector<SessionMediaLoader::Loaded> SessionMediaLoader::takeLoaded()
{
    const std::lock_guard<std::mutex> guard (lock);
    return std::exchange (loaded, {});
}

SessionMediaLoader::Progress SessionMediaLoader::getProgress() const
{
    const std::lock_guard<std::mutex> guard (lock);
    Progress progress;
    progress.generation = generation;
    progress.clipsLoaded = clipsLoaded;
    progress.clipsTotal = clipsTotal;
    progress.filesLoaded = filesLoaded;
    progress.filesTotal = filesTotal;
    progress.done = idleLocked();
    progress.seconds = (progress.done && finishedAt > 0.0 ? finishedAt : nowSeconds()) - startedAt;
    return progress;
}

bool SessionMediaLoader::waitUntilIdle (double timeoutSeconds)
{
    std::unique_lock<std::mutex> guard (lock);
    return idle.wait_for (guard, std::chrono::duration<double> (timeoutSeconds), [this] { return idleLocked(); });
}

void SessionMediaLoader::group (uint64_t forGeneration)
{
    std::vector<std::string> paths;
    {
        const std::lock_guard<std::mutex> guard (lock);
        for (const auto& clip : request.clips)
            paths.push_back (clip.file.empty() ? std::string() : resolveMediaPath (request.sessionPath, clip.file).string());
    }
    // Each file once, by identity (device and inode: two paths to one file count once).
    std::vector<Job> newJobs;
    std::vector<int> jobOf (paths.size(), -1);
    std::map<std::string, int> byIdentity;
    for (size_t clip = 0; clip < paths.size(); ++clip)
    {
        if (paths[clip].empty())
            continue;
        struct stat status {};
        const auto identity = ::stat (paths[clip].c_str(), &status) == 0 && S_ISREG (status.st_mode)
                                  ? std::to_string (status.st_dev) + ":" + std::to_string (status.st_ino)
                                  : "path:" + paths[clip];
        const auto [found, isNew] = byIdentity.emplace (identity, (int) newJobs.size());
        if (isNew)
            newJobs.push_back ({ paths[clip], {}, Job::State::waiting });
        newJobs[(size_t) found->second].clips.push_back ((int) clip);
        jobOf[clip] = found->second;
    }

    const std::lock_guard<std::mutex> guard (lock);
    if (forGeneration != generation)
        return;   // a newer request came meanwhile: it groups its own
    jobs = std::move (newJobs);
    jobOfClip = std::move (jobOf);
    // The order asked (the grid's), then every other file in clip order.
    std::vector<char> queued (jobs.size(), 0);
    auto queue = [&] (int clip)
    {
        if (clip < 0 || clip >= (int) jobOfClip.size() || jobOfClip[(size_t) clip] < 0 || queued[(size_t) jobOfClip[(size_t) clip]])
            return;
        queued[(size_t) jobOfClip[(size_t) clip]] = 1;
        normal.push_back (jobOfClip[(size_t) clip]);
    };
    for (const auto clip : request.order)
        queue (clip);
    for (int clip = 0; clip < (int) jobOfClip.size(); ++clip)
        queue (clip);
    waitingJobs = (int) jobs.size();
    filesTotal = (int) jobs.size();
    grouped = true;
    grouping = false;
    const auto asked = std::exchange (prioritisedClips, {});
    for (auto clip = asked.rbegin(); clip != asked.rend(); ++clip)
        if (*clip >= 0 && *clip < (int) jobOfClip.size() && jobOfClip[(size_t) *clip] >= 0)
            urgent.push_front (jobOfClip[(size_t) *clip]);
}

std::vector<int64_t> SessionMediaLoader::headStarts (const std::vector<int>& clips) const
{
    // As loadClipMedia: each clip's head from cue in, and from loop in when it loops.
    std::vector<int64_t> starts;
    auto frame = [&] (double seconds) { return (int64_t) std::floor (std::max (0.0, seconds) * request.sampleRate); };
    for (const auto clip : clips)
    {
        const auto& definition = request.clips[(size_t) clip];
        starts.push_back (frame (definition.cueInSec.value_or (0.0)));
        if (definition.loop.has_value())
            starts.push_back (frame (definition.loop->inSec.value_or (definition.cueInSec.value_or (0.0))));
    }
    return starts;
}

void SessionMediaLoader::run()
{
    // Below the message thread (nice 5): on a 2-core machine the window and the operator's
    // clicks come first; the media cache's reader threads, which feed playing voices, are not
    // these.
    ::setpriority (PRIO_PROCESS, (id_t) ::syscall (SYS_gettid), 5);
    std::unique_lock<std::mutex> guard (lock);
    for (;;)
    {
        wake.wait (guard, [this] { return quitting || (! grouped && ! grouping) || ! urgent.empty() || ! normal.empty(); });
        if (quitting)
            return;
        if (! grouped && ! grouping)
        {
            grouping = true;
            const auto forGeneration = generation;
            guard.unlock();
            group (forGeneration);
            guard.lock();
            grouping = false;   // a newer request, if one came, is grouped on the next turn
            wake.notify_all();
            if (idleLocked())
            {
                finishedAt = nowSeconds();
                idle.notify_all();
            }
            continue;
        }

        // The next file: urgent first; entries of files already taken are skipped.
        int job = -1;
        for (auto* queue : { &urgent, &normal })
            while (job < 0 && ! queue->empty())
            {
                const auto candidate = queue->front();
                queue->pop_front();
                if (jobs[(size_t) candidate].state == Job::State::waiting)
                    job = candidate;
            }
        if (job < 0)
            continue;
        auto& taken = jobs[(size_t) job];
        taken.state = Job::State::reading;
        --waitingJobs;
        ++readingJobs;
        const auto forGeneration = generation;
        const auto path = taken.path;
        const auto clips = taken.clips;
        const auto starts = headStarts (clips);
        const auto rate = request.sampleRate;
        const auto memory = budget;   // the request's; kept alive by this read if a newer one starts
        guard.unlock();

        MediaLoadResult media;
        try
        {
            media = loadMediaForPlayback (path, rate, memory.get(), starts);  // never throws for a file
        }
        catch (const std::exception& error)   // e.g. out of memory outside a decode
        {
            media.error = std::string ("not loaded: ") + error.what();
        }

        guard.lock();
        --readingJobs;
        if (forGeneration == generation)
        {
            jobs[(size_t) job].state = Job::State::done;
            loaded.push_back ({ forGeneration, clips, std::move (media) });
            clipsLoaded += (int) clips.size();
            ++filesLoaded;
        }
        if (idleLocked())
        {
            finishedAt = nowSeconds();
            idle.notify_all();
        }
    }
}

} // namespace cuegrid
