// CueGrid — GPL-3.0-or-later
#include "MediaFacts.h"

#include "Analysis/ContentHash.h"
#include "MediaFile.h"
#include "MediaLoader.h"
#include "SessionModel.h"

#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <unordered_map>

namespace cuegrid
{

const char* mediaFactsStateName (MediaFactsCheck::State state)
{
    switch (state)
    {
        case MediaFactsCheck::State::unchanged: return "unchanged";
        case MediaFactsCheck::State::measured: return "measured";
        case MediaFactsCheck::State::remeasured: return "remeasured";
        case MediaFactsCheck::State::changed: return "changed";
        case MediaFactsCheck::State::missing: return "missing";
    }
    return "unchanged";
}

namespace
{
    /** One file's facts, measured once however many clips use it. */
    struct Measured
    {
        std::string error;   // non-empty: missing or not media
        MetadataDatabase::MediaRecord facts;
    };

    Measured measure (const std::filesystem::path& file, int64_t sizeBytes, int64_t modifiedNs)
    {
        Measured result;
        auto media = openMediaFile (file);
        if (! media)
        {
            result.error = media.error;
            return result;
        }
        const auto hash = analysis::hashFileContent (file);
        if (! hash)
        {
            result.error = "cannot read " + file.string();
            return result;
        }
        auto& facts = result.facts;
        facts.contentHash = *hash;
        facts.sizeBytes = sizeBytes;
        facts.modifiedNs = modifiedNs;
        facts.sampleRate = (double) media.info.samplerate;
        facts.channels = media.info.channels;
        facts.format = describeMediaFormat (media.info.format);
        facts.durationSec = (double) media.info.frames / media.info.samplerate;   // libsndfile counts what a truncated file holds
        return result;
    }
} // namespace

std::vector<MediaFactsCheck> refreshMediaFacts (MetadataDatabase& database, const Session& session, const std::string& sessionPath)
{
    database.mirrorSession (session);
    std::unordered_map<std::string, MetadataDatabase::MediaRecord> recorded;
    for (auto& record : database.allMedia())
        recorded.emplace (record.clipId, std::move (record));

    std::map<std::filesystem::path, Measured> measuredFiles;
    std::vector<MediaFactsCheck> checks;
    std::vector<MetadataDatabase::MediaRecord> updates;
    checks.reserve (session.clips.size());
    for (const auto& clip : session.clips)
    {
        MediaFactsCheck check;
        check.clipId = clip.id;
        const auto path = resolveMediaPath (sessionPath, clip.file);
        const auto found = recorded.find (clip.id);
        MetadataDatabase::MediaRecord record;
        if (found != recorded.end())
            record = found->second;
        else
        {
            record.clipId = clip.id;
            record.file = clip.file;
        }

        struct stat status {};
        const bool exists = ::stat (path.c_str(), &status) == 0;
        const auto sizeBytes = (int64_t) status.st_size;
        const auto modifiedNs = (int64_t) status.st_mtim.tv_sec * 1000000000 + status.st_mtim.tv_nsec;
        if (exists && record.contentHash && record.sizeBytes == sizeBytes && record.modifiedNs == modifiedNs)
        {
            checks.push_back (std::move (check));   // unchanged: not read
            continue;
        }

        auto measuredFile = measuredFiles.find (path);
        if (measuredFile == measuredFiles.end())
        {
            Measured result;
            if (exists)
                result = measure (path, sizeBytes, modifiedNs);
            else
                result.error = "file not found: " + path.string();
            measuredFile = measuredFiles.emplace (path, std::move (result)).first;
        }
        const auto& result = measuredFile->second;
        if (! result.error.empty())
        {
            check.state = MediaFactsCheck::State::missing;
            check.detail = result.error;
            checks.push_back (std::move (check));
            continue;
        }
        if (! record.contentHash)
            check.state = MediaFactsCheck::State::measured;
        else if (*record.contentHash == *result.facts.contentHash)
            check.state = MediaFactsCheck::State::remeasured;
        else
        {
            check.state = MediaFactsCheck::State::changed;
            check.detail = "content hash " + *record.contentHash + " → " + *result.facts.contentHash;
        }
        auto updated = result.facts;
        updated.clipId = clip.id;
        updated.file = clip.file;
        updated.tags = record.tags;   // the editor's, not the file's
        updates.push_back (std::move (updated));
        checks.push_back (std::move (check));
    }
    if (! updates.empty())
        database.putMedia (updates);
    return checks;
}

} // namespace cuegrid
