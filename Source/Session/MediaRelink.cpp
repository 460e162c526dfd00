// CueGrid — GPL-3.0-or-later
#include "MediaRelink.h"

#include "Analysis/ContentHash.h"
#include "MediaLoader.h"
#include "MetadataDatabase.h"
#include "SessionModel.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_map>

namespace cuegrid
{

std::string sessionRelativePath (const std::filesystem::path& sessionFile, const std::filesystem::path& file)
{
    std::error_code code;
    const auto folder = std::filesystem::weakly_canonical (std::filesystem::absolute (sessionFile).parent_path(), code);
    const auto target = std::filesystem::weakly_canonical (std::filesystem::absolute (file), code);
    const auto relative = target.lexically_relative (folder);
    if (! relative.empty() && *relative.begin() != "..")
        return relative.generic_string();
    return target.generic_string();
}

namespace
{
    bool hasAudioExtension (const std::filesystem::path& path)
    {
        auto extension = path.extension().string();
        std::transform (extension.begin(), extension.end(), extension.begin(), [] (unsigned char c) { return (char) std::tolower (c); });
        return extension == ".wav" || extension == ".aif" || extension == ".aiff" || extension == ".flac" || extension == ".ogg";
    }

    /** Regular audio files under `folder`, by size. Unreadable entries are skipped. */
    void collectBySize (const std::filesystem::path& folder, bool recursive, std::multimap<std::uintmax_t, std::filesystem::path>& found)
    {
        std::error_code code;
        std::filesystem::directory_iterator entries (folder, code);
        for (const std::filesystem::directory_iterator end; ! code && entries != end; entries.increment (code))
        {
            std::error_code entryCode;
            const auto status = entries->status (entryCode);
            if (entryCode)
                continue;
            if (std::filesystem::is_directory (status))
            {
                if (recursive && ! entries->is_symlink (entryCode))
                    collectBySize (entries->path(), recursive, found);
            }
            else if (std::filesystem::is_regular_file (status) && hasAudioExtension (entries->path()))
            {
                const auto size = entries->file_size (entryCode);
                if (! entryCode)
                    found.emplace (size, entries->path());
            }
        }
    }
} // namespace

std::vector<RelinkProposal> findMovedMedia (MetadataDatabase& database, const Session& session, const std::string& sessionPath,
                                            const std::vector<std::filesystem::path>& folders, bool recursive)
{
    std::unordered_map<std::string, MetadataDatabase::MediaRecord> recorded;
    for (auto& record : database.allMedia())
        recorded.emplace (record.clipId, std::move (record));

    // The clips to find: missing, with a hash and a size to find them by.
    std::vector<const MetadataDatabase::MediaRecord*> lost;
    for (const auto& clip : session.clips)
    {
        std::error_code code;
        if (std::filesystem::exists (resolveMediaPath (sessionPath, clip.file), code))
            continue;
        const auto found = recorded.find (clip.id);
        if (found != recorded.end() && found->second.contentHash && found->second.sizeBytes)
            lost.push_back (&found->second);
    }
    std::vector<RelinkProposal> proposals;
    if (lost.empty())
        return proposals;

    std::multimap<std::uintmax_t, std::filesystem::path> candidates;
    for (const auto& folder : folders)
        collectBySize (folder, recursive, candidates);
    std::map<std::filesystem::path, std::string> hashes;   // each candidate hashed at most once
    for (const auto* record : lost)
    {
        const auto [first, last] = candidates.equal_range ((std::uintmax_t) *record->sizeBytes);
        for (auto candidate = first; candidate != last; ++candidate)
        {
            auto hash = hashes.find (candidate->second);
            if (hash == hashes.end())
                hash = hashes.emplace (candidate->second, analysis::hashFileContent (candidate->second).value_or ("")).first;
            if (hash->second == *record->contentHash)
            {
                proposals.push_back ({ record->clipId, record->file, sessionRelativePath (sessionPath, candidate->second), hash->second });
                break;
            }
        }
    }
    return proposals;
}

void applyRelink (MetadataDatabase& database, Session& session, const std::vector<RelinkProposal>& proposals)
{
    const auto index = session.clipIndexById();
    std::vector<MetadataDatabase::MediaRecord> moved;
    for (const auto& proposal : proposals)
    {
        const auto clip = index.find (proposal.clipId);
        if (clip == index.end())
            continue;
        session.clips[(size_t) clip->second].file = proposal.newFile;
        if (auto record = database.findMedia (proposal.clipId))
        {
            if (proposal.evidence == "hash")
            {
                // The same content: the facts stay (a later refresh notes the new mtime).
                record->file = proposal.newFile;
                record->replacedJson.reset();
                moved.push_back (std::move (*record));
            }
            else
            {
                // Other content, taken on someone's word: measured again, the editor's tags kept.
                MetadataDatabase::MediaRecord fresh;
                fresh.clipId = record->clipId;
                fresh.file = proposal.newFile;
                fresh.tags = record->tags;
                moved.push_back (std::move (fresh));
            }
        }
    }
    database.putMedia (moved);
    for (const auto& proposal : proposals)
        if (index.count (proposal.clipId) != 0)
        {
            nlohmann::json details { { "clip", proposal.clipId }, { "from", proposal.oldFile }, { "to", proposal.newFile },
                                     { "contentHash", proposal.contentHash }, { "evidence", proposal.evidence },
                                     { "acceptedBy", proposal.acceptedBy } };
            for (const auto& [file, evidence] : proposal.alsoOffered)
                details["alsoOffered"].push_back ({ { "file", file }, { "evidence", evidence } });
            database.addAudit ("relink", details.dump());
        }
}

} // namespace cuegrid
