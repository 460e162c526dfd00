// CueGrid — GPL-3.0-or-later
#include "MediaFactsRefresher.h"

#include "Session/MetadataDatabase.h"

#include <chrono>
#include <cstdio>

namespace cuegrid
{

MediaFactsRefresher::MediaFactsRefresher (Session sessionToCheck, std::string path)
    : session (std::move (sessionToCheck)), sessionPath (std::move (path)), worker ([this] { run(); })
{
}

MediaFactsRefresher::~MediaFactsRefresher()
{
    stopRequested = true;
    if (worker.joinable())
        worker.join();
}

void MediaFactsRefresher::run()
{
    std::vector<MediaFactsCheck> found;
    std::string problem;
    try
    {
        MetadataDatabase database (MetadataDatabase::pathForSession (sessionPath));
        found = refreshMediaFacts (database, session, sessionPath, &stopRequested);
    }
    catch (const std::exception& failure)
    {
        problem = failure.what();
        std::fprintf (stderr, "CueGrid: media facts not recorded: %s\n", problem.c_str());
    }
    {
        const std::lock_guard<std::mutex> guard (lock);
        checks = std::move (found);
        error = std::move (problem);
    }
    done = true;
}

std::vector<MediaFactsCheck> MediaFactsRefresher::getChecks() const
{
    const std::lock_guard<std::mutex> guard (lock);
    return checks;
}

std::string MediaFactsRefresher::getError() const
{
    const std::lock_guard<std::mutex> guard (lock);
    return error;
}

bool MediaFactsRefresher::waitUntilDone (int timeoutMs) const
{
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds (timeoutMs);
    while (! done.load())
    {
        if (std::chrono::steady_clock::now() >= until)
            return false;
        std::this_thread::sleep_for (std::chrono::milliseconds (5));
    }
    return true;
}

} // namespace cuegrid
