// CueGrid — GPL-3.0-or-later
#pragma once

#include "AnalysisConfig.h"
#include "SessionAnalysis.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cuegrid
{
class AnalysisStore;
}

namespace cuegrid::analysis
{

/** Analyses media in the background for the app: worker threads at low priority (nice +10),
    never the audio or message thread. Of the files waiting, the largest is started first
    (a worker reads their sizes), so the last to finish is a short one. Each file is hashed (XXH3) first; a result stored
    under that hash and these settings is reused, so unchanged media is analysed once.
    Suspending (show mode) parks the workers between files. Results are collected by the
    message thread with takeResults(). */
class AnalysisQueue
{
public:
    struct Job
    {
        int clip = -1;                      // the caller's key (session clip index)
        std::filesystem::path file;
    };

    struct Result
    {
        int clip = -1;
        TrackAnalysis track;                // track.error says why a file could not be analysed
        std::string contentHash;            // empty when the file could not be read
        bool fromCache = false;
    };

    struct Progress
    {
        int queued = 0, finished = 0, analysed = 0, fromCache = 0;
        bool suspended = false;
        int notStored = 0;                  // results the session database could not keep (a full disk)
        std::string storeError;             // the first such failure, in words
    };

    /** `store` may be null (no cache). Starts `workers` threads. */
    AnalysisQueue (const AnalysisConfig& config, std::shared_ptr<AnalysisStore> store, int workers = 1);
    ~AnalysisQueue();   // stops after the files in progress, joins

    /** Adds jobs; any thread. */
    void enqueue (const std::vector<Job>& jobs);

    /** Show mode: while suspended no new file is started. Any thread. */
    void setSuspended (bool suspended);

    /** Results finished since the last call, in finishing order. Any thread (the app: message thread). */
    std::vector<Result> takeResults();

    Progress getProgress() const;

    /** Blocks until every queued job has finished or the timeout passes; true if idle. */
    bool waitUntilIdle (std::chrono::milliseconds timeout);

    /** True when the workers could lower their scheduling priority. */
    bool runsAtLowPriority() const noexcept { return lowPriority.load(); }

private:
    void work();
    Result analyse (const Job& job, std::string& storeError);

    const AnalysisConfig config;
    const std::string settingsKey;
    std::shared_ptr<AnalysisStore> store;   // written by workers; SQLite serialises them

    mutable std::mutex lock;                // guards everything below up to `threads`
    std::condition_variable wake, idle;
    struct Pending
    {
        Job job;
        int64_t bytes = -1;                 // file size; -1 until a worker has looked (never the caller's thread)
    };
    std::deque<Pending> jobs;               // written by enqueue(), sized and taken (largest first) by workers
    std::vector<Result> finished;           // written by workers, taken by takeResults()
    Progress progress;                      // written by enqueue()/workers, read by getProgress()
    int busy = 0;                           // jobs in progress
    bool stopping = false;

    std::atomic<bool> lowPriority { false };   // written by workers, read by any thread
    std::vector<std::thread> threads;
};

} // namespace cuegrid::analysis
