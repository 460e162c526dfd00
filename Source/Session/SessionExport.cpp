// CueGrid — GPL-3.0-or-later
#include "SessionExport.h"

#include "AtomicFile.h"
#include "Errors.h"
#include "MediaFacts.h"
#include "MediaLoader.h"
#include "MetadataDatabase.h"
#include "SessionManifest.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <unordered_set>

namespace cuegrid
{

namespace
{
    namespace fs = std::filesystem;

    /** Keys of `keys` whose clip is in `ids`. */
    std::vector<ClipHotkey> keysOf (const std::vector<ClipHotkey>& keys, const std::unordered_set<std::string>& ids)
    {
        std::vector<ClipHotkey> kept;
        for (const auto& key : keys)
            if (ids.count (key.clip) != 0)
                kept.push_back (key);
        return kept;
    }

    /** A name usable as one path component: '/' and control characters become '-'. */
    std::string fileNamePart (std::string text)
    {
        for (auto& c : text)
            if (c == '/' || (unsigned char) c < 0x20)
                c = '-';
        if (text == "." || text == "..")
            text = "-";
        return text;
    }

    std::string exportName (const Session& session, const ExportRequest& request)
    {
        auto name = fs::path (request.sessionPath).stem().string() + " "
                    + (request.kind == ExportKind::session ? "package" : exportKindName (request.kind));
        if (request.kind == ExportKind::page || request.kind == ExportKind::tab)
            name += " " + session.pages[(size_t) request.page].name;
        if (request.kind == ExportKind::tab)
            name += " - " + session.pages[(size_t) request.page].tabs[(size_t) request.tab].name;
        return fileNamePart (name);
    }


    /** `VACUUM INTO`: a consistent, compact copy of a live WAL database (what the WAL holds
        included) as one standalone file. Throws OutputError. */
    void copyDatabase (const std::string& from, const fs::path& to)
    {
        sqlite3* raw = nullptr;
        const auto opened = sqlite3_open_v2 (from.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
        std::unique_ptr<sqlite3, decltype (&sqlite3_close)> database (raw, &sqlite3_close);
        if (opened != SQLITE_OK)
            throw OutputError (from + ": cannot be read for the package: " + (raw ? sqlite3_errmsg (raw) : "out of memory"));
        sqlite3_busy_timeout (raw, MetadataDatabase::busyTimeoutMs);
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2 (raw, "VACUUM INTO ?1", -1, &statement, nullptr) != SQLITE_OK)
            throw OutputError (from + ": cannot be copied: " + sqlite3_errmsg (raw));
        std::unique_ptr<sqlite3_stmt, decltype (&sqlite3_finalize)> finalizer (statement, &sqlite3_finalize);
        sqlite3_bind_text (statement, 1, to.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step (statement) != SQLITE_DONE)
            throw OutputError (to.string() + ": cannot be written: " + sqlite3_errmsg (raw));
    }

    std::int64_t modifiedNs (const fs::path& file)
    {
        struct stat info {};
        if (::stat (file.c_str(), &info) != 0)
            return 0;
        return (std::int64_t) info.st_mtim.tv_sec * 1000000000 + info.st_mtim.tv_nsec;
    }
} // namespace

Session exportedSubset (const Session& session, const ExportRequest& request)
{
    Session subset = session;
    subset.pages.clear();
    subset.hotkeys = {};
    subset.hotkeys.debounceMs = 0.0;
    subset.midi = {};
    const auto& path = request.sessionPath;

    std::vector<std::string> ids;
    const auto addCellsOf = [&] (const Page& page)
    {
        std::unordered_set<std::string> seen (ids.begin(), ids.end());
        for (const auto& tab : page.tabs)
            for (const auto& slot : tab.slots)
                if (seen.insert (slot.clip).second)
                    ids.push_back (slot.clip);
    };

    switch (request.kind)
    {
        case ExportKind::session:
            return session;
        case ExportKind::metadata:
            for (const auto& clip : session.clips)
                ids.push_back (clip.id);
            break;
        case ExportKind::tab:
        case ExportKind::page:
        {
            if (request.page < 0 || (size_t) request.page >= session.pages.size())
                throw InputError (path, 0, 0, "page " + std::to_string (request.page + 1) + ": the session has "
                                                  + std::to_string (session.pages.size()) + " page(s)");
            const auto& page = session.pages[(size_t) request.page];
            Page exported { page.name, {} };
            if (request.kind == ExportKind::tab)
            {
                if (request.tab < 0 || (size_t) request.tab >= page.tabs.size())
                    throw InputError (path, 0, 0, "tab " + std::to_string (request.tab + 1) + " of page \"" + page.name + "\": the page has "
                                                      + std::to_string (page.tabs.size()) + " tab(s) with a name or clips");
                exported.tabs.push_back (page.tabs[(size_t) request.tab]);
            }
            else
                exported.tabs = page.tabs;
            addCellsOf (exported);
            subset.pages.push_back (std::move (exported));
            break;
        }
        case ExportKind::clips:
        {
            std::unordered_set<std::string> seen;
            std::vector<std::string> unknown;
            for (const auto& id : request.clipIds)
            {
                if (session.findClip (id) < 0)
                    unknown.push_back (id);
                else if (seen.insert (id).second)
                    ids.push_back (id);
            }
            if (! unknown.empty() || ids.empty())
            {
                std::string list;
                for (const auto& id : unknown)
                    list += (list.empty() ? "" : ", ") + id;
                throw InputError (path, 0, 0, unknown.empty() ? std::string ("no clips chosen for the clip list")
                                                               : "no such clip(s): " + list);
            }
            break;
        }
    }

    // The clips: a clip list in selection order, the others in session order.
    const std::unordered_set<std::string> chosen (ids.begin(), ids.end());
    subset.clips.clear();
    if (request.kind == ExportKind::clips)
        for (const auto& id : ids)
            subset.clips.push_back (session.clips[(size_t) session.findClip (id)]);
    else
        for (const auto& clip : session.clips)
            if (chosen.count (clip.id) != 0)
                subset.clips.push_back (clip);

    if (request.kind != ExportKind::metadata)
    {
        subset.hotkeys.global = keysOf (session.hotkeys.global, chosen);
        if (! subset.pages.empty() && (size_t) request.page < session.hotkeys.pages.size())
            subset.hotkeys.pages.push_back (keysOf (session.hotkeys.pages[(size_t) request.page], chosen));
    }
    return subset;
}

ExportResult exportSession (const Session& session, const ExportRequest& request)
{
    auto subset = exportedSubset (session, request);
    const bool withMedia = request.kind == ExportKind::session || (request.withMedia && request.kind != ExportKind::metadata);
    ExportResult result;
    result.clips = (int) subset.clips.size();

    // Facts from the session database, measured now where they are not up to date.
    ExportDescriptor descriptor;
    descriptor.kind = request.kind;
    descriptor.createdUtc = exportTimeUtc();
    descriptor.source = fs::absolute (request.sessionPath).lexically_normal().string();
    descriptor.sessionName = session.name;
    descriptor.withMedia = withMedia;
    if (request.kind == ExportKind::tab || request.kind == ExportKind::page)
        descriptor.page = request.page;
    if (request.kind == ExportKind::tab)
        descriptor.tab = request.tab;

    const auto sourceDatabase = MetadataDatabase::pathForSession (request.sessionPath);
    std::unique_ptr<MetadataDatabase> database;
    std::set<std::string> missing;
    try
    {
        database = std::make_unique<MetadataDatabase> (sourceDatabase);
        for (const auto& check : refreshMediaFacts (*database, session, request.sessionPath))
            if (check.state == MediaFactsCheck::State::missing)
                missing.insert (check.clipId);
    }
    catch (const std::exception& error)
    {
        // The manifest holds the show: export it, hashing the files here instead.
        database.reset();
        result.warnings.push_back (std::string ("the session database was not used: ") + error.what());
    }

    std::vector<std::string> missingHere;
    for (const auto& clip : subset.clips)
    {
        ExportedClipFacts facts;
        facts.originalFile = clip.file;
        const auto file = resolveMediaPath (request.sessionPath, clip.file);
        std::error_code code;
        const bool present = database ? missing.count (clip.id) == 0 : fs::is_regular_file (file, code);
        if (! present)
            missingHere.push_back (clip.id);
        if (database)
        {
            if (const auto record = database->findMedia (clip.id))
            {
                facts.contentHash = record->contentHash.value_or ("");
                facts.sizeBytes = record->sizeBytes.value_or (-1);
                facts.tags = record->tags;
            }
            for (const auto& marker : database->markers (clip.id))
                if (marker.kind == MetadataDatabase::MarkerKind::warp)
                    facts.warpMarkers.emplace_back (marker.name, marker.positionSec);
        }
        else if (present)
        {
            facts.contentHash = PackageChecksums::hashFile (file);
            facts.sizeBytes = (std::int64_t) fs::file_size (file, code);
        }
        descriptor.clips[clip.id] = std::move (facts);
    }
    if (! missingHere.empty() && ! request.allowMissing)
    {
        std::string list;
        for (const auto& id : missingHere)
            list += (list.empty() ? "'" : ", '") + id + "'";
        throw MissingMediaError ("the media of " + std::to_string (missingHere.size()) + " clip(s) is missing: " + list
                                     + " (cuegrid info SESSION says why; --allow-missing exports without it)",
                                 missingHere);
    }
    for (const auto& id : missingHere)
        result.warnings.push_back ("clip '" + id + "': media missing; exported with its path as it was");

    // Enough space for the media and the database, else refused before anything is written.
    {
        std::set<fs::path> sources;
        std::uintmax_t needed = 64 * 1024;   // manifest, package.json, checksums
        std::error_code sizeCode;
        if (withMedia)
            for (const auto& clip : subset.clips)
                if (std::find (missingHere.begin(), missingHere.end(), clip.id) == missingHere.end())
                    if (const auto source = fs::absolute (resolveMediaPath (request.sessionPath, clip.file)).lexically_normal();
                        sources.insert (source).second)
                        needed += fs::file_size (source, sizeCode);
        if (request.kind == ExportKind::session && database)
            needed += fs::file_size (sourceDatabase, sizeCode);
        auto existing = fs::absolute (request.outFolder).lexically_normal();
        while (! existing.empty() && ! fs::exists (existing, sizeCode) && existing != existing.root_path())
            existing = existing.parent_path();
        if (const auto space = fs::space (existing, sizeCode); ! sizeCode && space.available < needed)
        {
            char amounts[160];
            std::snprintf (amounts, sizeof amounts, "%.1f MB to write (%d media file(s) and the session), %.1f MB free",
                           (double) needed / 1e6, (int) sources.size(), (double) space.available / 1e6);
            throw OutputError ("not enough space in " + existing.string() + " for the export: " + amounts);
        }
    }

    // The folder, made whole under a temporary name.
    std::error_code code;
    fs::create_directories (request.outFolder, code);
    if (code)
        throw OutputError (request.outFolder.string() + ": cannot be created: " + code.message());
    const auto name = exportName (session, request);
    auto finalFolder = request.outFolder / name;
    for (int n = 2; fs::exists (fs::symlink_status (finalFolder, code)) || fs::exists (finalFolder.string() + ".partial"); ++n)
        finalFolder = request.outFolder / (name + " (" + std::to_string (n) + ")");
    PartialFolder partial { finalFolder.string() + ".partial" };
    if (! fs::create_directory (partial.path, code) || code)
        throw OutputError (partial.path.string() + ": cannot be created: " + (code ? code.message() : "exists"));

    std::vector<PackageChecksum> checksums;
    std::map<fs::path, std::string> copied;     // source file (absolute, normal) → its path in the export
    std::set<std::string> mediaNames;
    for (auto& clip : subset.clips)
    {
        const auto source = fs::absolute (resolveMediaPath (request.sessionPath, clip.file)).lexically_normal();
        const bool isMissing = std::find (missingHere.begin(), missingHere.end(), clip.id) != missingHere.end();
        if (! withMedia || isMissing)
        {
            clip.file = source.generic_string();   // a reference: the file where it is
            continue;
        }
        if (const auto found = copied.find (source); found != copied.end())
        {
            clip.file = found->second;
            continue;
        }
        if (result.mediaFiles == 0)
        {
            fs::create_directory (partial.path / "media", code);
            if (code)
                throw OutputError ((partial.path / "media").string() + ": cannot be created: " + code.message());
        }
        // Flat media/: a second file of the same name gets "-2", "-3", …
        const auto stem = source.stem().string(), extension = source.extension().string();
        auto mediaName = source.filename().string();
        for (int n = 2; mediaNames.count (mediaName) != 0; ++n)
            mediaName = stem + "-" + std::to_string (n) + extension;
        mediaNames.insert (mediaName);
        const auto relative = "media/" + mediaName;
        const auto hash = PackageChecksums::copyAndHash (source, partial.path / relative);
        const auto size = fs::file_size (partial.path / relative, code);
        checksums.push_back ({ relative, hash, size });
        ++result.mediaFiles;
        result.mediaBytes += size;
        copied[source] = relative;
        clip.file = relative;
        auto& facts = descriptor.clips[clip.id];
        if (facts.contentHash.empty())
            facts.contentHash = hash;
        else if (facts.contentHash != hash)
            result.warnings.push_back ("clip '" + clip.id + "': its media changed since it was measured (" + facts.contentHash + " → " + hash + ")");
        facts.contentHash = hash;
        facts.sizeBytes = (std::int64_t) size;
    }
    // The manifest, and a session package's database.
    const auto stem = fs::path (request.sessionPath).stem().string();
    descriptor.manifest = request.kind == ExportKind::session ? stem + ".cuegrid" : "export.cuegrid";
    const auto manifestPath = partial.path / descriptor.manifest;
    SessionManifest::save (subset, manifestPath.string());

    if (request.kind == ExportKind::session)
    {
        descriptor.database = descriptor.manifest + ".db";
        const auto databasePath = partial.path / descriptor.database;
        if (database != nullptr)
            copyDatabase (sourceDatabase, databasePath);
        {
            MetadataDatabase packaged (databasePath.string());
            // The rows follow the clips to media/: same content, so facts, markers and usage stay.
            std::vector<MetadataDatabase::MediaRecord> moved;
            for (const auto& clip : subset.clips)
            {
                auto record = packaged.findMedia (clip.id);
                if (! record || fs::path (clip.file).is_absolute())
                    continue;
                record->file = clip.file;
                record->modifiedNs = modifiedNs (partial.path / clip.file);
                record->sizeBytes = descriptor.clips[clip.id].sizeBytes;
                record->contentHash = descriptor.clips[clip.id].contentHash;
                moved.push_back (*record);
            }
            packaged.putMedia (moved);
            refreshMediaFacts (packaged, subset, manifestPath.string());
            packaged.setSetting ("mediaFolder", "media");
            nlohmann::json details { { "source", descriptor.source }, { "clips", result.clips }, { "mediaFiles", result.mediaFiles } };
            packaged.addAudit ("packageExport", details.dump());
        }
        // The last connection's close checkpoints and removes the WAL; never ship one.
        for (const auto* suffix : { "-wal", "-shm" })
            fs::remove (databasePath.string() + suffix, code);
        checksums.push_back ({ descriptor.database, PackageChecksums::hashFile (databasePath), fs::file_size (databasePath, code) });
    }
    checksums.push_back ({ descriptor.manifest, PackageChecksums::hashFile (manifestPath), fs::file_size (manifestPath, code) });

    const auto descriptorPath = partial.path / ExportDescriptor::fileName;
    writeFileAtomically (descriptorPath.string(), descriptor.toJson());
    checksums.push_back ({ ExportDescriptor::fileName, PackageChecksums::hashFile (descriptorPath), fs::file_size (descriptorPath, code) });
    writeFileAtomically ((partial.path / PackageChecksums::fileName).string(), PackageChecksums::format (checksums));

    fs::rename (partial.path, finalFolder, code);
    if (code)
        throw OutputError (finalFolder.string() + ": cannot be renamed into place: " + code.message());
    partial.keep = true;
    result.folder = finalFolder;
    return result;
}

} // namespace cuegrid
