// CueGrid — GPL-3.0-or-later
#include "MediaSearch.h"

#include "Analysis/ContentHash.h"
#include "MediaFacts.h"
#include "MediaFile.h"
#include "MediaLoader.h"
#include "MediaRelink.h"
#include "MetadataDatabase.h"
#include "SessionModel.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

namespace cuegrid
{

namespace fs = std::filesystem;

const char* mediaEvidenceName (MediaEvidence evidence)
{
    switch (evidence)
    {
        case MediaEvidence::hash: return "hash";
        case MediaEvidence::properties: return "properties";
        case MediaEvidence::name: return "name";
    }
    return "name";
}

const MediaCandidate* MissingClipSearch::certainCandidate() const
{
    for (const auto& candidate : candidates)
        if (candidate.certain)
            return &candidate;
    return nullptr;
}

double fileNameSimilarity (const std::string& a, const std::string& b)
{
    const auto stem = [] (const std::string& name)
    {
        auto text = fs::path (name).stem().string();
        std::transform (text.begin(), text.end(), text.begin(), [] (unsigned char c) { return (char) std::tolower (c); });
        return text;
    };
    const auto x = stem (a), y = stem (b);
    if (x.empty() && y.empty())
        return 1.0;
    std::vector<size_t> row (y.size() + 1);
    for (size_t j = 0; j <= y.size(); ++j)
        row[j] = j;
    for (size_t i = 1; i <= x.size(); ++i)
    {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= y.size(); ++j)
        {
            const auto above = row[j];
            row[j] = std::min ({ row[j] + 1, row[j - 1] + 1, diagonal + (x[i - 1] == y[j - 1] ? 0 : 1) });
            diagonal = above;
        }
    }
    return 1.0 - (double) row[y.size()] / (double) std::max (x.size(), y.size());
}

namespace
{
    constexpr double nameThreshold = 0.75;        // below this a name alone is no reason to offer a file
    constexpr double durationToleranceSec = 0.001;

    bool hasAudioExtension (const fs::path& path)
    {
        auto extension = path.extension().string();
        std::transform (extension.begin(), extension.end(), extension.begin(), [] (unsigned char c) { return (char) std::tolower (c); });
        return extension == ".wav" || extension == ".aif" || extension == ".aiff" || extension == ".flac" || extension == ".ogg";
    }

    std::string canonicalPath (const fs::path& path)
    {
        std::error_code code;
        const auto result = fs::weakly_canonical (fs::absolute (path), code);
        return (code ? fs::absolute (path).lexically_normal() : result).generic_string();
    }

    struct FoundFile
    {
        std::string path;       // canonical
        std::uintmax_t size = 0;
        size_t placeIndex = 0;  // into placesSearched: the search order
    };

    /** The search's progress and cancel flag (MediaSearchControl), on the search's thread. */
    struct Reporter
    {
        const MediaSearchControl& control;
        MediaSearchProgress progress;
        int64_t lastReported = -1;

        bool cancelled() const noexcept { return control.cancel != nullptr && control.cancel->load (std::memory_order_relaxed); }

        /** A new folder, or every 16 files (or `force`): the callback, if any. */
        void report (const std::string& folder, bool force = false)
        {
            const auto done = progress.listing ? progress.filesListed : progress.filesLookedAt;
            const bool newFolder = folder != progress.folder;
            if (! control.onProgress || (! force && ! newFolder && done - lastReported < 16))
                return;
            progress.folder = folder;
            lastReported = done;
            control.onProgress (progress);
        }
    };

    enum class Listed { done, cut, cancelled };

    /** Audio files under `folder`; cut at `limit`. Unreadable entries are skipped. */
    Listed collect (const fs::path& folder, bool recursive, size_t limit, size_t placeIndex, std::set<std::string>& seen,
                    std::vector<FoundFile>& found, size_t& count, Reporter& reporter)
    {
        std::error_code code;
        fs::directory_iterator entries (folder, code);
        reporter.report (folder.generic_string());
        for (const fs::directory_iterator end; ! code && entries != end; entries.increment (code))
        {
            if (reporter.cancelled())
                return Listed::cancelled;
            std::error_code entryCode;
            const auto status = entries->status (entryCode);
            if (entryCode)
                continue;
            if (fs::is_directory (status))
            {
                if (recursive && ! entries->is_symlink (entryCode))
                    if (const auto listed = collect (entries->path(), recursive, limit, placeIndex, seen, found, count, reporter);
                        listed != Listed::done)
                        return listed;
            }
            else if (fs::is_regular_file (status) && hasAudioExtension (entries->path()))
            {
                if (count >= limit)
                    return Listed::cut;
                ++count;
                const auto size = entries->file_size (entryCode);
                auto path = canonicalPath (entries->path());
                if (! entryCode && seen.insert (path).second)
                {
                    found.push_back ({ std::move (path), size, placeIndex });
                    reporter.progress.filesListed = (int64_t) found.size();
                    reporter.report (folder.generic_string());
                }
            }
        }
        return Listed::done;
    }

    struct Header
    {
        bool ok = false;
        double sampleRate = 0;
        int channels = 0;
        std::optional<int> bitDepth;
        double durationSec = 0;
    };

    std::string formatRate (double rate)
    {
        return rate == std::floor (rate) ? std::to_string ((int64_t) rate) : std::to_string (rate);
    }
} // namespace

MediaSearchResult searchMissingMedia (MetadataDatabase& database, const Session& session, const std::string& sessionPath,
                                      const MediaSearchPlaces& places, const MediaSearchControl& control)
{
    const auto started = std::chrono::steady_clock::now();
    MediaSearchResult result;
    Reporter reporter { control, {} };
    std::unordered_map<std::string, MetadataDatabase::MediaRecord> recorded;
    for (auto& record : database.allMedia())
        recorded.emplace (record.clipId, std::move (record));

    std::vector<const MetadataDatabase::MediaRecord*> records;   // parallel to result.clips; nullptr: no row
    for (const auto& clip : session.clips)
    {
        std::error_code code;
        if (fs::exists (resolveMediaPath (sessionPath, clip.file), code))
            continue;
        MissingClipSearch missing;
        missing.clipId = clip.id;
        missing.file = clip.file;
        const auto found = recorded.find (clip.id);
        const auto* record = found != recorded.end() ? &found->second : nullptr;
        missing.recorded = record != nullptr && record->contentHash && record->sizeBytes;
        if (record != nullptr)
            missing.expectedChannels = record->channels;
        result.clips.push_back (std::move (missing));
        records.push_back (record);
    }
    if (result.clips.empty())
        return result;

    // The places, in order; a folder already listed (or inside a recursive one) adds nothing new.
    const auto sessionFolder = fs::absolute (sessionPath).parent_path();
    std::vector<std::pair<std::string, fs::path>> order { { "session folder", sessionFolder } };
    if (const auto mediaFolder = database.getSetting ("mediaFolder"))
    {
        const auto folder = resolveMediaPath (sessionPath, *mediaFolder);
        order.emplace_back ("media folder", folder);
        std::error_code code;
        fs::directory_iterator siblings (fs::absolute (folder).parent_path(), code);
        std::vector<fs::path> found;
        for (const fs::directory_iterator end; ! code && siblings != end; siblings.increment (code))
        {
            std::error_code entryCode;
            if (siblings->is_directory (entryCode) && ! siblings->is_symlink (entryCode) && siblings->path() != folder)
                found.push_back (siblings->path());
        }
        std::sort (found.begin(), found.end());
        for (const auto& sibling : found)
            order.emplace_back ("media folder sibling", sibling);
    }
    for (const auto& folder : places.alternatePaths)
        order.emplace_back ("search path", folder);
    for (const auto* record : records)
        if (record != nullptr && record->lastGoodPath)
            order.emplace_back ("last known good", fs::path (*record->lastGoodPath).parent_path());
    for (const auto& folder : places.userFolders)
        order.emplace_back ("added folder", folder);

    std::set<std::string> folders, seenFiles;
    std::vector<FoundFile> files;
    for (const auto& [place, folder] : order)
    {
        std::error_code code;
        const auto folderPath = canonicalPath (folder);
        const auto inside = [&] (const std::string& searched)
        {
            return places.recursive && folderPath.size() > searched.size() && folderPath.compare (0, searched.size(), searched) == 0
                   && (searched.back() == '/' || folderPath[searched.size()] == '/');
        };
        if (! fs::is_directory (folder, code) || std::any_of (folders.begin(), folders.end(), inside) || ! folders.insert (folderPath).second)
            continue;
        const auto placeIndex = result.placesSearched.size();
        result.placesSearched.emplace_back (place, canonicalPath (folder));
        size_t count = 0;
        const auto listed = collect (folder, places.recursive, places.maxFilesPerPlace, placeIndex, seenFiles, files, count, reporter);
        if (listed == Listed::cut)
            result.placesCut.push_back (canonicalPath (folder));
        if (listed == Listed::cancelled)
        {
            result.cancelled = true;
            files.clear();   // nothing examined yet: no candidate
            break;
        }
    }
    result.filesExamined = (int64_t) files.size();
    reporter.progress.listing = false;
    reporter.progress.filesToLookAt = (int64_t) files.size();

    // Hash only files of a recorded size; read every header once.
    std::set<std::uintmax_t> recordedSizes;
    for (const auto* record : records)
        if (record != nullptr && record->sizeBytes)
            recordedSizes.insert ((std::uintmax_t) *record->sizeBytes);
    std::unordered_map<std::string, std::optional<std::string>> hashes;
    std::unordered_map<std::string, Header> headers;
    const auto hashOf = [&] (const FoundFile& file) -> const std::optional<std::string>&
    {
        auto known = hashes.find (file.path);
        if (known == hashes.end())
        {
            known = hashes.emplace (file.path, recordedSizes.count (file.size) != 0 ? analysis::hashFileContent (file.path, control.cancel)
                                                                                    : std::nullopt).first;
            if (known->second)
            {
                ++result.filesHashed;
                result.bytesHashed += (int64_t) file.size;
            }
        }
        return known->second;
    };
    const auto headerOf = [&] (const FoundFile& file) -> const Header&
    {
        auto known = headers.find (file.path);
        if (known == headers.end())
        {
            Header header;
            if (const auto media = openMediaFile (file.path))
            {
                header.ok = true;
                header.sampleRate = media.info.samplerate;
                header.channels = media.info.channels;
                header.bitDepth = bitDepthOfFormat (media.info.format);
                header.durationSec = (double) media.info.frames / media.info.samplerate;
            }
            known = headers.emplace (file.path, header).first;
        }
        return known->second;
    };

    // File by file (each missing clip looks at it), so progress and a cancel go by files: a
    // cancelled search keeps the candidates among the files looked at. Each clip's candidates
    // are in the files' search order until sorted below, as one clip at a time had them.
    std::vector<std::string> missingNames;
    for (size_t c = 0; c < result.clips.size(); ++c)
        missingNames.push_back (records[c] != nullptr && records[c]->name ? *records[c]->name
                                                                          : fs::path (result.clips[c].file).filename().string());
    for (const auto& file : files)
    {
        if (reporter.cancelled())
        {
            result.cancelled = true;
            break;
        }
        reporter.report (fs::path (file.path).parent_path().generic_string());
        for (size_t c = 0; c < result.clips.size(); ++c)
        {
            auto& missing = result.clips[c];
            const auto* record = records[c];
            const auto& missingName = missingNames[c];
            MediaCandidate candidate;
            candidate.path = file.path;
            candidate.nameSimilarity = fileNameSimilarity (missingName, fs::path (file.path).filename().string());
            if (missing.recorded && file.size == (std::uintmax_t) *record->sizeBytes)
            {
                candidate.contentHash = hashOf (file);
                if (! candidate.contentHash && reporter.cancelled())
                {
                    result.cancelled = true;   // the hash was cut short: not evidence of other content
                    break;
                }
                if (candidate.contentHash == record->contentHash)
                {
                    candidate.evidence = MediaEvidence::hash;
                    candidate.certain = true;
                }
            }
            const bool nameAlike = candidate.nameSimilarity >= nameThreshold;
            // Properties need recorded ones; without them only a name can point at a file.
            const bool canCompare = record != nullptr && record->sampleRate && record->channels && record->durationSec;
            if (! candidate.certain && ! nameAlike && ! canCompare)
                continue;
            const auto& header = headerOf (file);
            if (! header.ok)
                continue;   // not media libsndfile opens: never offered
            candidate.sampleRate = header.sampleRate;
            candidate.channels = header.channels;
            candidate.bitDepth = header.bitDepth;
            candidate.durationSec = header.durationSec;
            if (! candidate.certain)
            {
                const bool propertiesEqual = canCompare && *record->sampleRate == header.sampleRate && *record->channels == header.channels
                                             && std::abs (*record->durationSec - header.durationSec) <= durationToleranceSec
                                             && (! record->bitDepth || ! header.bitDepth || *record->bitDepth == *header.bitDepth);
                if (propertiesEqual)
                    candidate.evidence = MediaEvidence::properties;
                else if (nameAlike)
                    candidate.evidence = MediaEvidence::name;
                else
                    continue;
            }
            if (record != nullptr && record->channels && *record->channels != header.channels)
            {
                candidate.channelsAsExpected = false;
                candidate.notes.push_back (std::to_string (header.channels) + " ch (the clip expects " + std::to_string (*record->channels) + ")");
            }
            if (record != nullptr && record->sampleRate && *record->sampleRate != header.sampleRate)
                candidate.notes.push_back (formatRate (header.sampleRate) + " Hz (expected " + formatRate (*record->sampleRate) + ")");
            if (record != nullptr && record->durationSec && std::abs (*record->durationSec - header.durationSec) > durationToleranceSec)
            {
                char text[96];
                std::snprintf (text, sizeof text, "%.3f s (expected %.3f s)", header.durationSec, *record->durationSec);
                candidate.notes.push_back (text);
            }
            if (record != nullptr && record->bitDepth && header.bitDepth && *record->bitDepth != *header.bitDepth)
                candidate.notes.push_back (std::to_string (*header.bitDepth) + "-bit (expected " + std::to_string (*record->bitDepth) + ")");
            if (missing.recorded && candidate.evidence != MediaEvidence::hash)
                candidate.notes.push_back ("other content than recorded");
            candidate.place = result.placesSearched[file.placeIndex].first;
            candidate.file = sessionRelativePath (sessionPath, file.path);
            missing.candidates.push_back (std::move (candidate));
        }
        if (result.cancelled)
            break;
        ++reporter.progress.filesLookedAt;
    }
    if (! result.cancelled)
        reporter.report (reporter.progress.folder, true);   // 100 %
    for (auto& missing : result.clips)
    {
        std::stable_sort (missing.candidates.begin(), missing.candidates.end(), [] (const MediaCandidate& a, const MediaCandidate& b)
        {
            if (a.evidence != b.evidence)
                return a.evidence < b.evidence;
            if (a.channelsAsExpected != b.channelsAsExpected)
                return a.channelsAsExpected;
            return a.nameSimilarity > b.nameSimilarity;   // ties keep the search order
        });
    }
    result.seconds = std::chrono::duration<double> (std::chrono::steady_clock::now() - started).count();
    return result;
}

} // namespace cuegrid
