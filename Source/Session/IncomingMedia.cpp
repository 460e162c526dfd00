// CueGrid — GPL-3.0-or-later
#include "IncomingMedia.h"

#include "Errors.h"
#include "MediaLoader.h"
#include "MediaRelink.h"
#include "MetadataDatabase.h"

#include <algorithm>
#include <set>

namespace cuegrid
{

namespace fs = std::filesystem;

void recordImport (MetadataDatabase& database, const LoadedExport& loaded, const std::map<std::string, std::string>& clipFor,
                   const std::string& detailsJson)
{
    std::vector<MetadataDatabase::MediaRecord> tagged;
    for (const auto& [exportedId, clipId] : clipFor)
    {
        const auto facts = loaded.descriptor.clips.find (exportedId);
        auto record = database.findMedia (clipId);
        if (facts == loaded.descriptor.clips.end() || ! record)
            continue;
        if (! facts->second.tags.empty() && record->tags != facts->second.tags)
        {
            record->tags = facts->second.tags;
            tagged.push_back (*record);
        }
        const auto existing = database.markers (clipId);
        for (const auto& [name, sec] : facts->second.warpMarkers)
        {
            const MetadataDatabase::Marker marker { clipId, MetadataDatabase::MarkerKind::warp, name, sec };
            if (std::find (existing.begin(), existing.end(), marker) == existing.end())
                database.addMarker (marker);
        }
    }
    database.putMedia (tagged);
    database.addAudit ("packageImport", detailsJson);
}

fs::path importMediaFolder (MetadataDatabase* database, const std::string& sessionPath)
{
    if (database != nullptr)
        if (const auto recorded = database->getSetting ("mediaFolder"); recorded && ! recorded->empty())
            return resolveMediaPath (sessionPath, *recorded);
    return fs::absolute (sessionPath).parent_path() / "media";
}

IncomingClips prepareIncomingClips (const LoadedExport& loaded, const std::string& sessionPath,
                                    const std::map<std::string, std::string>& targetFilesByHash, const fs::path& mediaFolder)
{
    IncomingClips incoming;
    incoming.exported = loaded.session;
    std::map<std::string, std::string> listed;   // export file → checksum
    for (const auto& entry : loaded.checksums)
        listed[entry.file] = entry.xxh3;
    std::map<std::string, std::string> done;     // export file → the target's `file` for it
    std::error_code code;

    for (auto& clip : incoming.exported.clips)
    {
        const auto facts = loaded.descriptor.clips.find (clip.id);
        const auto hash = facts != loaded.descriptor.clips.end() ? facts->second.contentHash : std::string();
        const auto known = hash.empty() ? targetFilesByHash.end() : targetFilesByHash.find (hash);
        const bool targetHasIt = known != targetFilesByHash.end()
                                 && fs::is_regular_file (resolveMediaPath (sessionPath, known->second), code);
        const fs::path file (clip.file);
        if (file.is_absolute())
        {
            if (fs::is_regular_file (file, code))
                clip.file = sessionRelativePath (sessionPath, file);
            else if (targetHasIt)
            {
                clip.file = known->second;
                ++incoming.reused;
            }
            else
                incoming.warnings.push_back ("clip '" + clip.id + "': " + clip.file + " not found and no clip of the session has its content; it will show MISSING");
            continue;
        }
        if (const auto already = done.find (clip.file); already != done.end())
        {
            clip.file = already->second;
            continue;
        }
        const auto exportFile = file.lexically_normal().generic_string();
        if (targetHasIt)
        {
            done[clip.file] = known->second;
            clip.file = known->second;
            ++incoming.reused;
            continue;
        }
        const auto expected = listed.find (exportFile);
        if (expected == listed.end())
            throw InputError ((loaded.folder / exportFile).string(), 0, 0, "not in " + std::string (PackageChecksums::fileName) + "; the export is incomplete");
        fs::create_directories (mediaFolder, code);
        if (code)
            throw OutputError (mediaFolder.string() + ": cannot be created: " + code.message());
        const auto source = loaded.folder / exportFile;
        const auto stem = source.stem().string(), extension = source.extension().string();
        auto destination = mediaFolder / source.filename();
        bool same = false;
        for (int n = 2; fs::exists (fs::symlink_status (destination, code)); ++n)
        {
            if (PackageChecksums::hashFile (destination) == expected->second)
            {
                same = true;   // already there (an earlier import of the same media)
                break;
            }
            destination = mediaFolder / (stem + "-" + std::to_string (n) + extension);
        }
        if (! same)
        {
            const auto hashCopied = PackageChecksums::copyAndHash (source, destination);
            if (hashCopied != expected->second)
            {
                fs::remove (destination, code);
                throw InputError (source.string(), 0, 0, "checksum mismatch (listed " + expected->second + ", found " + hashCopied + "): the file is damaged or was changed");
            }
            ++incoming.copied;
        }
        const auto stored = sessionRelativePath (sessionPath, destination);
        done[clip.file] = stored;
        clip.file = stored;
    }
    return incoming;
}

} // namespace cuegrid
