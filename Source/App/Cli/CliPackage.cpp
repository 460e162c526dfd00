// CueGrid — GPL-3.0-or-later
#include "CliPackage.h"
#include "CliCommands.h"
#include "CliReport.h"

#include "Session/AppFolders.h"
#include "Session/Errors.h"
#include "Session/IncomingMedia.h"
#include "Session/MediaFacts.h"
#include "Session/MetadataDatabase.h"
#include "Session/PackageArchive.h"
#include "Session/SessionExport.h"
#include "Session/SessionManifest.h"
#include "Session/SessionMerge.h"
#include "Session/SessionPackage.h"
#include "Session/SessionStore.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

namespace cuegrid::cli
{

namespace
{
    namespace fs = std::filesystem;


    std::string megabytes (std::uintmax_t bytes)
    {
        char text[32];
        std::snprintf (text, sizeof text, "%.1f MB", (double) bytes / 1e6);
        return text;
    }

    AppFolders userFolders()
    {
        return AppFolders (Preferences::load (Preferences::defaultPath()).preferences);
    }

    /** The session's database, or nullptr with a warning (the manifest still holds the show). */
    std::unique_ptr<MetadataDatabase> openDatabase (const std::string& sessionPath)
    {
        try
        {
            return std::make_unique<MetadataDatabase> (MetadataDatabase::pathForSession (sessionPath));
        }
        catch (const std::exception& error)
        {
            printWarning (std::string ("the session database is not used: ") + error.what());
            return nullptr;
        }
    }

    int runExport (const PackageOptions& options)
    {
        auto loaded = loadSessionOrReport (options.session);
        if (! loaded)
            return invalidInput;
        auto& session = *loaded;
        ExportRequest request;
        request.kind = options.mode == "package" ? ExportKind::session : *exportKindFromName (options.mode);
        request.sessionPath = options.session;
        request.page = options.page - 1;
        request.tab = options.tab - 1;
        request.clipIds = options.clips;
        request.withMedia = ! options.noMedia;
        request.allowMissing = options.allowMissing;
        try
        {
            request.outFolder = options.out.empty() ? defaultExportFolder (userFolders().exports(), options.session) : fs::path (options.out);
            const auto result = exportSession (session, request);
            for (const auto& warning : result.warnings)
                printWarning (warning);
            const auto made = options.archive ? PackageArchive::pack (result.folder) : result.folder;
            std::cout << "cuegrid: exported " << (request.kind == ExportKind::session ? "a session package" : "a " + options.mode + " export")
                      << " of \"" << session.name << "\" to " << made.string() << ": " << result.clips << " clip(s), "
                      << result.mediaFiles << " media file(s) copied (" << megabytes (result.mediaBytes) << "), checksums in "
                      << PackageChecksums::fileName << "\n";
            return success;
        }
        catch (const MissingMediaError& error)
        {
            printError (std::string (error.what()) + "; nothing was exported");
            return missingMedia;
        }
        catch (const InputError& error)
        {
            printError (std::string (error.what()) + "; nothing was exported");
            return invalidInput;
        }
        catch (const OutputError& error)
        {
            printError (std::string (error.what()) + "; nothing was exported");
            return outputUnwritable;
        }
    }

    int importAsSession (const PackageOptions& options, const LoadedExport& loaded)
    {
        const auto destination = options.dest.empty() ? defaultImportFolder (loaded, userFolders().sessions()) : fs::path (options.dest);
        const auto result = importPackage (loaded, destination);
        for (const auto& problem : result.problems)
            printError (problem);
        std::cout << "cuegrid: imported the package of \"" << loaded.session.name << "\" as " << result.sessionFile.string() << ": "
                  << result.files << " file(s) verified (" << megabytes (result.bytes) << "), " << result.playable << " of "
                  << result.clips << " clip(s) playable\n";
        return result.playable == result.clips ? success : missingMedia;
    }

    int importIntoSession (const PackageOptions& options, const LoadedExport& loaded)
    {
        const auto kind = loaded.descriptor.kind;
        const auto problems = verifyExport (loaded);
        if (! problems.empty())
        {
            for (const auto& problem : problems)
                printError (loaded.folder.string() + ": " + problem);
            printError ("verification failed; " + options.into + " is unchanged");
            return invalidInput;
        }
        Session target;
        try
        {
            target = SessionManifest::load (options.into);
        }
        catch (const InputError& error)
        {
            printError (error.what());
            return invalidInput;
        }
        auto database = openDatabase (options.into);
        std::map<std::string, std::string> hashById, fileByHash;
        if (database)
        {
            refreshMediaFacts (*database, target, options.into);
            for (const auto& record : database->allMedia())
                if (record.contentHash)
                {
                    hashById[record.clipId] = *record.contentHash;
                    fileByHash.emplace (*record.contentHash, record.file);
                }
        }

        Session merged;
        std::map<std::string, std::string> clipFor;   // export id → id in the session
        nlohmann::json audit { { "package", loaded.folder.string() }, { "kind", exportKindName (kind) }, { "source", loaded.descriptor.source } };
        if (kind == ExportKind::metadata)
        {
            auto applied = applyMetadata (target, hashById, loaded.session, loaded.descriptor.clips);
            for (const auto& match : applied.applied)
            {
                clipFor[match.exportedId] = match.targetId;
                std::cout << "  " << match.targetId << " <- " << match.exportedId << (match.byHash ? " (same content)" : " (same id, " + match.note + ")") << "\n";
            }
            for (const auto& id : applied.ambiguous)
                printWarning ("clip '" + id + "': several exported clips have its content and none its id; not changed");
            std::cout << "cuegrid: metadata of " << applied.applied.size() << " clip(s) applied (" << applied.changed << " changed), "
                      << applied.unmatched.size() << " clip(s) of the session matched nothing\n";
            audit["applied"] = applied.applied.size();
            audit["changed"] = applied.changed;
            audit["unmatched"] = applied.unmatched;
            merged = std::move (applied.session);
        }
        else
        {
            if (options.merge.empty())
            {
                printError ("--merge empty|replace|append is needed to import a " + std::string (exportKindName (kind)) + " export");
                return invalidInput;
            }
            MergeTarget where { *mergeModeFromName (options.merge), options.intoPage - 1, options.intoTab - 1 };
            // Refusals (a full tab, no such page) are found before any media is copied.
            if (const auto trial = mergeExport (target, loaded.session, kind, where); ! trial.refusal.empty())
            {
                printError (trial.refusal + "; " + options.into + " is unchanged");
                return invalidInput;
            }
            auto incoming = prepareIncomingClips (loaded, options.into, fileByHash, importMediaFolder (database.get(), options.into));
            for (const auto& warning : incoming.warnings)
                printWarning (warning);
            auto result = mergeExport (target, incoming.exported, kind, where);
            for (const auto& [from, to] : result.renamed)
                printWarning ("clip id '" + from + "' is taken in the session: imported as '" + to + "'");
            for (const auto& key : result.droppedKeys)
                printWarning ("key " + key);
            for (const auto& id : result.removedClips)
                std::cout << "  removed '" << id << "' (its cells were replaced)\n";
            for (size_t i = 0; i < incoming.exported.clips.size() && i < result.addedClips.size(); ++i)
                clipFor[incoming.exported.clips[i].id] = result.addedClips[i];
            std::cout << "cuegrid: imported " << result.addedClips.size() << " clip(s) into " << result.where << " (--merge "
                      << options.merge << "; " << incoming.copied << " media file(s) copied, " << incoming.reused << " already in the session, "
                      << result.renamed.size() << " id(s) renamed, " << result.droppedKeys.size() << " key(s) not kept)\n";
            audit["merge"] = options.merge;
            audit["where"] = result.where;
            audit["added"] = result.addedClips;
            audit["removed"] = result.removedClips;
            audit["renamed"] = nlohmann::json::object();
            for (const auto& [from, to] : result.renamed)
                audit["renamed"][from] = to;
            audit["droppedKeys"] = result.droppedKeys;
            merged = std::move (result.session);
        }

        try
        {
            SessionStore store (options.into, SessionStore::userSettings());
            store.recoveryPointNow (target, "before package import");
            store.save (merged);
        }
        catch (const OutputError& error)
        {
            printError (std::string (error.what()) + "; " + options.into + " is unchanged");
            return outputUnwritable;
        }
        if (database)
        {
            try
            {
                refreshMediaFacts (*database, merged, options.into);
                recordImport (*database, loaded, clipFor, audit.dump());
            }
            catch (const std::exception& error)
            {
                printWarning (std::string ("the session database was not updated: ") + error.what());
            }
        }
        return success;
    }

    int runImportPackage (const PackageOptions& options)
    {
        // An archive is unpacked into a scratch folder first, removed on every way out.
        struct Scratch
        {
            fs::path path;
            ~Scratch() { if (! path.empty()) { std::error_code ignored; fs::remove_all (path, ignored); } }
        } scratch;
        try
        {
            auto folder = fs::path (options.package);
            if (PackageArchive::isArchive (folder))
            {
                scratch.path = fs::temp_directory_path() / ("cuegrid-package-" + std::to_string (::getpid()));
                fs::remove_all (scratch.path);
                folder = PackageArchive::unpack (folder, scratch.path);
            }
            const auto loaded = readExport (folder);
            if (loaded.descriptor.kind == ExportKind::session)
            {
                if (! options.into.empty())
                {
                    printError ("a session package is imported as a session of its own (--dest DIR), not into another session");
                    return invalidInput;
                }
                return importAsSession (options, loaded);
            }
            if (options.into.empty())
            {
                printError (std::string ("a ") + exportKindName (loaded.descriptor.kind) + " export is imported into a session: --into SESSION");
                return invalidInput;
            }
            return importIntoSession (options, loaded);
        }
        catch (const InputError& error)
        {
            printError (error.what());
            return invalidInput;
        }
        catch (const OutputError& error)
        {
            printError (error.what());
            return outputUnwritable;
        }
    }
} // namespace

void addPackageCommands (CLI::App& app, PackageOptions& options)
{
    options.exportCommand = app.add_subcommand ("export", "Export a session package, its metadata, a tab, a page or a clip list (into the Exports folder)");
    auto* command = options.exportCommand;
    command->add_option ("SESSION", options.session, "Session manifest (*.cuegrid)")->required();
    command->add_option ("--mode", options.mode, "package (default), metadata, tab, page or clips")
        ->check (CLI::IsMember ({ "package", "metadata", "tab", "page", "clips" }));
    command->add_option ("--page", options.page, "tab, page: the page, from 1 (default 1)")->check (CLI::Range (1, 1000));
    command->add_option ("--tab", options.tab, "tab: the tab on the page, 1-8 (default 1)")->check (CLI::Range (1, 8));
    command->add_option ("--clips", options.clips, "clips: clip ids in order (comma-separated or repeated)")->delimiter (',');
    command->add_flag ("--no-media", options.noMedia, "tab, page, clips: refer to the media where it is instead of copying it");
    command->add_flag ("--allow-missing", options.allowMissing, "Export even when some clip's media is missing");
    command->add_option ("--out", options.out, "Folder to make the export in (default: the Exports folder, by date and session)");
    command->add_flag ("--archive", options.archive, "Make one .tar of the export (GNU tar) instead of the folder");

    options.importCommand = app.add_subcommand ("import-package", "Import an export: a session package as a new session, the others into a session");
    command = options.importCommand;
    command->add_option ("PACKAGE", options.package, "The export's folder (holding package.json), or its .tar (export --archive)")->required();
    command->add_option ("--into", options.into, "metadata, tab, page, clips: the session to import into");
    command->add_option ("--merge", options.merge, "tab, page, clips: empty, replace or append")->check (CLI::IsMember ({ "empty", "replace", "append" }));
    command->add_option ("--page", options.intoPage, "The target page, from 1 (default 1)")->check (CLI::Range (1, 1001));
    command->add_option ("--tab", options.intoTab, "The target tab, 1-8 (default 1)")->check (CLI::Range (1, 8));
    command->add_option ("--dest", options.dest, "session package: the new session's folder (default: Sessions/<name> in the CueGrid home)");
}

int runPackageCommand (const PackageOptions& options)
{
    if (options.exportCommand != nullptr && options.exportCommand->parsed())
        return runExport (options);
    return runImportPackage (options);
}

} // namespace cuegrid::cli
