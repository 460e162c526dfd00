// CueGrid — GPL-3.0-or-later
// The app's background analysis: results equal the CLI's, the session database (SQLite,
// keyed by XXH3 content hash) means unchanged media is never analysed twice, changed media
// is, show mode suspends the workers, and the workers run at low priority.
#include "Analysis/AnalysisQueue.h"
#include "Session/AnalysisStore.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

using namespace cuegrid;
using namespace cuegrid::analysis;
using namespace cuegrid::test;

namespace
{
    std::vector<AnalysisQueue::Job> corpusJobs (const std::filesystem::path& folder)
    {
        std::vector<AnalysisQueue::Job> jobs;
        int clip = 0;
        for (const auto& entry : std::filesystem::directory_iterator (dataPath ("corpus")))
            if (entry.path().extension() == ".wav")
            {
                const auto copy = folder / entry.path().filename();
                std::filesystem::copy_file (entry.path(), copy, std::filesystem::copy_options::overwrite_existing);
                jobs.push_back ({ clip++, copy });
            }
        return jobs;
    }

    std::vector<AnalysisQueue::Result> runAll (AnalysisQueue& queue, const std::vector<AnalysisQueue::Job>& jobs)
    {
        queue.enqueue (jobs);
        REQUIRE (queue.waitUntilIdle (std::chrono::seconds (60)));
        return queue.takeResults();
    }
} // namespace

TEST_CASE ("Background analysis caches by content hash in the session database", "[analysis][queue]")
{
    TemporaryFolder work ("analysis-queue");
    const auto jobs = corpusJobs (work.path);
    REQUIRE (jobs.size() == 11);
    AnalysisConfig config;
    config.classifier = "cuegrid";
    auto store = std::make_shared<AnalysisStore> ((work / "show.cuegrid.db").string());

    std::map<int, TrackAnalysis> first;
    {
        AnalysisQueue queue (config, store, 2);
        for (auto& result : runAll (queue, jobs))
        {
            CHECK_FALSE (result.fromCache);
            CHECK (result.contentHash.size() == 16);
            first[result.clip] = result.track;
        }
        CHECK (queue.getProgress().analysed == 11);
        CHECK (queue.runsAtLowPriority());
    }
    REQUIRE (first.size() == 11);
    for (const auto& [clip, track] : first)
    {
        const auto direct = analyseTrack (jobs[(size_t) clip].file, config);   // what the CLI computes
        INFO (track.fileName);
        CHECK (track.classification.label == direct.classification.label);
        CHECK (track.gainIndividualDb == Approx (direct.gainIndividualDb).margin (1e-12));
    }

    // Same media, one file renamed and one replaced: only the replaced one is analysed again.
    auto changed = jobs;
    std::filesystem::rename (changed[0].file, work / "renamed.wav");
    changed[0].file = work / "renamed.wav";
    std::filesystem::copy_file (dataPath ("synthetic/01_Kick.wav"), changed[1].file, std::filesystem::copy_options::overwrite_existing);
    AnalysisQueue again (config, store, 1);
    int cached = 0;
    for (auto& result : runAll (again, changed))
    {
        INFO (result.track.fileName);
        CHECK (result.fromCache == (result.clip != 1));
        cached += result.fromCache ? 1 : 0;
        if (result.fromCache)
        {
            CHECK (result.track.classification.label == first[result.clip].classification.label);
            CHECK (result.track.gainIndividualDb == Approx (first[result.clip].gainIndividualDb).margin (1e-9));
            CHECK (result.track.metrics.rmsAnchorDb == Approx (first[result.clip].metrics.rmsAnchorDb).margin (1e-9));
        }
    }
    CHECK (cached == 10);
    CHECK (again.getProgress().analysed == 1);

    // The cached tracks plan a session exactly as freshly analysed ones.
    SessionAnalysisResult fromCache, fresh;
    for (const auto& job : changed)
        fresh.tracks.push_back (analyseTrack (job.file, config));
    AnalysisQueue third (config, store, 1);
    for (auto& result : runAll (third, changed))
    {
        CHECK (result.fromCache);
        fromCache.tracks.push_back (result.track);
    }
    planSession (fresh, config);
    planSession (fromCache, config);
    REQUIRE (fresh.tracks.size() == fromCache.tracks.size());
    for (size_t i = 0; i < fresh.tracks.size(); ++i)
        CHECK (fromCache.tracks[i].faderOffsetDb == Approx (fresh.tracks[i].faderOffsetDb).margin (1e-9));
}

TEST_CASE ("Show mode suspends background analysis", "[analysis][queue]")
{
    TemporaryFolder work ("analysis-suspend");
    const auto jobs = corpusJobs (work.path);
    AnalysisQueue queue (AnalysisConfig {}, nullptr, 1);
    queue.setSuspended (true);
    queue.enqueue (jobs);
    CHECK_FALSE (queue.waitUntilIdle (std::chrono::milliseconds (500)));
    CHECK (queue.getProgress().finished == 0);
    CHECK (queue.getProgress().suspended);
    queue.setSuspended (false);
    CHECK (queue.waitUntilIdle (std::chrono::seconds (60)));
    CHECK (queue.getProgress().finished == 11);
    CHECK (queue.takeResults().size() == 11);
}

TEST_CASE ("An unwritable session database is an OutputError naming it", "[analysis][queue][errors]")
{
    CHECK_THROWS_WITH (AnalysisStore ("/proc/no-such-folder/show.cuegrid.db"), Catch::Contains ("/proc/no-such-folder/show.cuegrid.db"));
}

TEST_CASE ("Background analysis starts the largest waiting file first", "[analysis][queue]")
{
    TemporaryFolder work ("analysis-queue-order");
    const auto jobs = corpusJobs (work.path);
    REQUIRE (jobs.size() == 11);
    AnalysisConfig config;
    std::vector<int> finished;
    {
        // One worker, suspended while the jobs go in: it then sees them all at once.
        AnalysisQueue queue (config, nullptr, 1);
        queue.setSuspended (true);
        queue.enqueue (jobs);
        queue.setSuspended (false);
        REQUIRE (queue.waitUntilIdle (std::chrono::seconds (60)));
        for (const auto& result : queue.takeResults())
            finished.push_back (result.clip);
    }
    REQUIRE (finished.size() == jobs.size());
    for (size_t i = 1; i < finished.size(); ++i)
    {
        const auto before = std::filesystem::file_size (jobs[(size_t) finished[i - 1]].file);
        const auto after = std::filesystem::file_size (jobs[(size_t) finished[i]].file);
        INFO (jobs[(size_t) finished[i - 1]].file.filename().string() << " before " << jobs[(size_t) finished[i]].file.filename().string());
        CHECK (before >= after);
    }
}
