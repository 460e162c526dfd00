// CueGrid — GPL-3.0-or-later
#include "AnalysisQueue.h"

#include "AnalysisJson.h"
#include "ContentHash.h"
#include "Session/AnalysisStore.h"
#include "Session/Errors.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace cuegrid::analysis
{

AnalysisQueue::AnalysisQueue (const AnalysisConfig& settings, std::shared_ptr<AnalysisStore> database, int workers)
    : config (settings), settingsKey (trackSettingsKey (settings)), store (std::move (database))
{
    for (int i = 0; i < std::max (1, workers); ++i)
        threads.emplace_back ([this] { work(); });
}

AnalysisQueue::~AnalysisQueue()
{
    {
        const std::lock_guard<std::mutex> guard (lock);
        stopping = true;
    }
    wake.notify_all();
    for (auto& thread : threads)
        thread.join();
}

void AnalysisQueue::enqueue (const std::vector<Job>& newJobs)
{
    {
        const std::lock_guard<std::mutex> guard (lock);
        for (const auto& job : newJobs)
            jobs.push_back ({ job, -1 });
        progress.queued += (int) newJobs.size();
    }
    wake.notify_all();
}

void AnalysisQueue::setSuspended (bool suspended)
{
    {
        const std::lock_guard<std::mutex> guard (lock);
        progress.suspended = suspended;
    }
    wake.notify_all();
}

std::vector<AnalysisQueue::Result> AnalysisQueue::takeResults()
{
    const std::lock_guard<std::mutex> guard (lock);
    return std::exchange (finished, {});
}

AnalysisQueue::Progress AnalysisQueue::getProgress() const
{
    const std::lock_guard<std::mutex> guard (lock);
    return progress;
}

bool AnalysisQueue::waitUntilIdle (std::chrono::milliseconds timeout)
{
    std::unique_lock<std::mutex> guard (lock);
    return idle.wait_for (guard, timeout, [this] { return jobs.empty() && busy == 0; });
}

void AnalysisQueue::work()
{
    // Below the app's own threads, far below the audio thread: nice +10 for this thread only.
    lowPriority = setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10) == 0;
    for (;;)
    {
        Job job;
        {
            std::unique_lock<std::mutex> guard (lock);
            wake.wait (guard, [this] { return stopping || (! progress.suspended && ! jobs.empty()); });
            if (stopping)
                return;
            ++busy;
            // Size the files nobody has looked at yet, outside the lock, then take the largest.
            std::vector<Pending> unsized;
            for (auto pending = jobs.begin(); pending != jobs.end();)
            {
                if (pending->bytes >= 0)
                {
                    ++pending;
                    continue;
                }
                unsized.push_back (*pending);
                pending = jobs.erase (pending);
            }
            if (! unsized.empty())
            {
                guard.unlock();
                for (auto& pending : unsized)
                {
                    std::error_code error;
                    const auto bytes = std::filesystem::file_size (pending.job.file, error);
                    pending.bytes = error ? 0 : (int64_t) bytes;
                }
                guard.lock();
                jobs.insert (jobs.end(), unsized.begin(), unsized.end());
                wake.notify_all();   // the other workers saw an empty queue while these were out
            }
            if (stopping || progress.suspended || jobs.empty())
            {
                --busy;
                guard.unlock();
                idle.notify_all();
                if (stopping)
                    return;
                continue;
            }
            auto largest = jobs.begin();
            for (auto pending = jobs.begin(); pending != jobs.end(); ++pending)
                if (pending->bytes > largest->bytes)
                    largest = pending;
            job = largest->job;
            jobs.erase (largest);
        }
        Result result;
        std::string storeError;
        try
        {
            result = analyse (job, storeError);
        }
        catch (const std::exception& error)
        {
            // A worker must never end the app (an exception leaving a std::thread terminates).
            result = {};
            result.clip = job.clip;
            result.track.path = job.file;
            result.track.fileName = job.file.filename().string();
            result.track.error = std::string ("analysis failed: ") + error.what();
        }
        {
            const std::lock_guard<std::mutex> guard (lock);
            ++progress.finished;
            ++(result.fromCache ? progress.fromCache : progress.analysed);
            if (! storeError.empty())
            {
                ++progress.notStored;
                if (progress.storeError.empty())
                    progress.storeError = storeError;
            }
            finished.push_back (std::move (result));
            --busy;
        }
        idle.notify_all();
    }
}

AnalysisQueue::Result AnalysisQueue::analyse (const Job& job, std::string& storeError)
{
    Result result;
    result.clip = job.clip;
    const auto hash = hashFileContent (job.file);
    if (hash && store)
    {
        result.contentHash = *hash;
        try
        {
            if (const auto stored = store->find (*hash, settingsKey))
            {
                result.track = trackFromJson (nlohmann::json::parse (*stored));
                result.track.path = job.file;
                result.track.fileName = job.file.filename().string();
                result.fromCache = true;
                return result;
            }
        }
        catch (const std::exception&)
        {
            // An unreadable cache entry is analysed again and replaced.
        }
    }
    result.track = analyseTrack (job.file, config);
    if (hash && store && result.track.ok())
    {
        try
        {
            store->store (*hash, settingsKey, result.track.fileName, trackToJson (result.track).dump());
        }
        catch (const OutputError& error)
        {
            // The result still reaches the app; only the cache misses it (reported in progress).
            storeError = error.what();
        }
    }
    return result;
}

} // namespace cuegrid::analysis
