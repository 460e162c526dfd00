// CueGrid — GPL-3.0-or-later
#include "SessionMedia.h"

#include "SessionManifest.h"

#include <atomic>
#include <thread>

namespace cuegrid
{

std::vector<ClipAudioPtr> LoadedSession::audio() const
{
    std::vector<ClipAudioPtr> result;
    for (const auto& loaded : media)
        result.push_back (loaded.audio);
    return result;
}

std::vector<std::string> LoadedSession::mediaErrors() const
{
    std::vector<std::string> errors;
    for (size_t i = 0; i < media.size(); ++i)
        if (media[i].audio == nullptr)
            errors.push_back ("clip '" + session.clips[i].id + "' (" + session.clips[i].file + "): " + media[i].error);
    return errors;
}

std::vector<MediaLoadResult> loadClipMedia (const Session& session, const std::string& sessionPath,
                                            double sampleRate, int threads)
{
    std::vector<MediaLoadResult> results (session.clips.size());
    std::atomic<size_t> next { 0 };
    auto work = [&]
    {
        for (auto index = next++; index < results.size(); index = next++)
            results[index] = loadMedia (resolveMediaPath (sessionPath, session.clips[index].file), sampleRate);
    };
    std::vector<std::thread> workers;
    for (int i = 1; i < threads && (size_t) i < results.size(); ++i)
        workers.emplace_back (work);
    work();
    for (auto& worker : workers)
        worker.join();
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
