// CueGrid — GPL-3.0-or-later
#include "SessionMedia.h"

#include "SessionManifest.h"

#include "Limits.h"

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <map>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

namespace cuegrid
{

std::vector<ClipAudioPtr> LoadedSession::audio() const
{
    std::vector<ClipAudioPtr> result;
    for (const auto& loaded : media)
        result.push_back (loaded.audio);
    return result;
}

std::vector<std::string> LoadedSession::mediaWarnings() const
{
    std::vector<std::string> warnings;
    for (size_t i = 0; i < media.size(); ++i)
        if (media[i].audio != nullptr && ! media[i].warning.empty())
            warnings.push_back ("clip '" + session.clips[i].id + "' (" + session.clips[i].file + "): " + media[i].warning);
    return warnings;
}

std::vector<std::string> LoadedSession::mediaErrors() const
{
    std::vector<std::string> errors;
    for (size_t i = 0; i < media.size(); ++i)
        if (media[i].audio == nullptr)
            errors.push_back ("clip '" + session.clips[i].id + "' (" + session.clips[i].file + "): " + media[i].error);
    return errors;
}

int64_t mediaMemoryBudgetBytes()
{
    if (const char* megabytes = std::getenv ("CUEGRID_MEDIA_MEMORY_MB"); megabytes != nullptr && std::atoll (megabytes) > 0)
        return std::atoll (megabytes) * (int64_t) 1024 * 1024;
    const auto pages = ::sysconf (_SC_PHYS_PAGES), pageSize = ::sysconf (_SC_PAGE_SIZE);
    if (pages <= 0 || pageSize <= 0)
        return (int64_t) 4 << 30;
    return (int64_t) ((double) pages * (double) pageSize * limits::maxMediaMemoryFraction);
}

std::vector<MediaLoadResult> loadClipMedia (const Session& session, const std::string& sessionPath,
                                            double sampleRate, int threads)
{
    // Each media file is decoded once, however many clips use it: clips are grouped by the
    // file's identity (device and inode, so two paths to one file count once).
    struct Job
    {
        std::filesystem::path path;
        std::vector<size_t> clips;
    };
    std::vector<Job> jobs;
    {
        std::map<std::string, size_t> jobByIdentity;
        for (size_t clip = 0; clip < session.clips.size(); ++clip)
        {
            auto path = resolveMediaPath (sessionPath, session.clips[clip].file);
            struct stat status {};
            const auto identity = ::stat (path.c_str(), &status) == 0 && S_ISREG (status.st_mode)
                                      ? std::to_string (status.st_dev) + ":" + std::to_string (status.st_ino)
                                      : "path:" + path.string();
            const auto [found, isNew] = jobByIdentity.emplace (identity, jobs.size());
            if (isNew)
                jobs.push_back ({ std::move (path), {} });
            jobs[found->second].clips.push_back (clip);
        }
    }

    // A long file streams: the heads its clips start from (cue in, loop in) are pinned.
    auto headStarts = [&] (const std::vector<size_t>& clips)
    {
        std::vector<int64_t> starts;
        auto frame = [&] (double seconds) { return (int64_t) std::floor (std::max (0.0, seconds) * sampleRate); };
        for (const auto clip : clips)
        {
            const auto& definition = session.clips[clip];
            starts.push_back (frame (definition.cueInSec.value_or (0.0)));
            if (definition.loop.has_value())
                starts.push_back (frame (definition.loop->inSec.value_or (definition.cueInSec.value_or (0.0))));
        }
        return starts;
    };
    MediaMemoryBudget budget (mediaMemoryBudgetBytes());
    std::vector<MediaLoadResult> decoded (jobs.size());
    std::atomic<size_t> next { 0 };
    auto work = [&]
    {
        for (auto index = next++; index < jobs.size(); index = next++)
            decoded[index] = loadMediaForPlayback (jobs[index].path, sampleRate, &budget, headStarts (jobs[index].clips));  // never throws
    };
    std::vector<std::thread> workers;
    for (int i = 1; i < threads && (size_t) i < jobs.size(); ++i)
        workers.emplace_back (work);
    work();
    for (auto& worker : workers)
        worker.join();

    std::vector<MediaLoadResult> results (session.clips.size());
    for (size_t job = 0; job < jobs.size(); ++job)
        for (const auto clip : jobs[job].clips)
            results[clip] = decoded[job];  // shares the decoded audio
    return results;
}

LoadedSession loadSessionWithMedia (const std::string& path, double sampleRate, int threads)
{
    LoadedSession loaded;
    loaded.path = path;
    loaded.session = SessionManifest::load (path);
    loaded.media = loadClipMedia (loaded.session, path, sampleRate > 0 ? sampleRate : loaded.session.sampleRate, threads);
    return loaded;
}

} // namespace cuegrid
