// CueGrid — GPL-3.0-or-later
#include "SessionPackage.h"

#include "AtomicFile.h"
#include "Errors.h"
#include "MediaFacts.h"
#include "MediaImport.h"
#include "MediaLoader.h"
#include "MetadataDatabase.h"
#include "SessionManifest.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

namespace cuegrid
{

namespace fs = std::filesystem;

fs::path defaultImportFolder (const LoadedExport& package, const fs::path& sessionsRoot)
{
    const auto stem = fs::path (package.descriptor.manifest).stem().string();
    auto folder = sessionsRoot / stem;
    std::error_code code;
    for (int n = 2; fs::exists (fs::symlink_status (folder, code)); ++n)
        folder = sessionsRoot / (stem + " (" + std::to_string (n) + ")");
    return folder;
}

PackageImportResult importPackage (const LoadedExport& package, const fs::path& destination)
{
    const auto packageName = package.folder.string();
    if (package.descriptor.kind != ExportKind::session)
        throw InputError (packageName, 0, 0, std::string ("a ") + exportKindName (package.descriptor.kind)
                                                 + " export is imported into a session (--into SESSION), not as a session of its own");
    std::error_code code;
    const auto target = fs::absolute (destination).lexically_normal();
    if (fs::exists (fs::symlink_status (target, code)) && ! (fs::is_directory (target, code) && fs::is_empty (target, code)))
        throw InputError (target.string(), 0, 0, "exists and is not an empty folder; the package is imported into a new folder");
    fs::create_directories (target.parent_path(), code);
    if (code)
        throw OutputError (target.parent_path().string() + ": cannot be created: " + code.message());

    PartialFolder partial { target.string() + ".partial-" + std::to_string (::getpid()) };
    fs::remove_all (partial.path, code);
    if (! fs::create_directory (partial.path, code) || code)
        throw OutputError (partial.path.string() + ": cannot be created: " + (code ? code.message() : "exists"));

    // Copied and verified in one pass; every bad file is named before anything is kept.
    PackageImportResult result;
    std::vector<std::string> failures;
    for (const auto& entry : package.checksums)
    {
        const auto from = package.folder / entry.file;
        const auto to = partial.path / entry.file;
        if (! fs::exists (from, code))
        {
            failures.push_back (entry.file + ": missing from the package");
            continue;
        }
        fs::create_directories (to.parent_path(), code);
        if (code)
            throw OutputError (to.parent_path().string() + ": cannot be created: " + code.message());
        try
        {
            const auto hash = PackageChecksums::copyAndHash (from, to);
            if (hash != entry.xxh3)
                failures.push_back (entry.file + ": checksum mismatch (listed " + entry.xxh3 + ", found " + hash + "): the file is damaged or was changed");
            ++result.files;
            result.bytes += fs::file_size (to, code);
        }
        catch (const InputError& error)
        {
            failures.push_back (entry.file + ": " + error.message);
        }
    }
    for (const auto& required : { package.descriptor.manifest, package.descriptor.database })
        if (! fs::exists (partial.path / required, code))
            failures.push_back (required + ": not in " + PackageChecksums::fileName + "; the package is incomplete");
    for (const auto& clip : package.session.clips)
        if (! fs::path (clip.file).is_absolute() && fs::path (clip.file).lexically_normal().generic_string().rfind ("../", 0) == 0)
            failures.push_back (clip.file + ": clip '" + clip.id + "' points outside the package");
        else if (! fs::path (clip.file).is_absolute() && ! fs::exists (partial.path / clip.file, code))
            failures.push_back (clip.file + ": clip '" + clip.id + "' plays it but it is not in " + PackageChecksums::fileName);
    if (! failures.empty())
    {
        std::string text = "verification failed, nothing was imported: ";
        for (size_t i = 0; i < failures.size(); ++i)
            text += (i == 0 ? "" : "; ") + failures[i];
        throw InputError (packageName, 0, 0, text);
    }

    if (fs::exists (target, code))
        fs::remove (target, code);   // the empty folder given as the destination
    fs::rename (partial.path, target, code);
    if (code)
        throw OutputError (target.string() + ": cannot be renamed into place: " + code.message());
    partial.keep = true;

    result.sessionFile = target / package.descriptor.manifest;
    const auto sessionPath = result.sessionFile.string();
    const auto session = SessionManifest::load (sessionPath);
    result.clips = (int) session.clips.size();
    {
        MetadataDatabase database (MetadataDatabase::pathForSession (sessionPath));
        for (const auto& check : refreshMediaFacts (database, session, sessionPath))
            if (check.state == MediaFactsCheck::State::changed)
                result.problems.push_back ("clip '" + check.clipId + "': media " + check.detail);
        nlohmann::json details { { "package", package.folder.string() }, { "source", package.descriptor.source },
                                 { "files", result.files }, { "verified", true } };
        database.addAudit ("packageImport", details.dump());
    }
    for (const auto& clip : session.clips)
    {
        const auto check = checkImportFile (resolveMediaPath (sessionPath, clip.file));
        if (check.ok)
            ++result.playable;
        else
            result.problems.push_back ("clip '" + clip.id + "': " + check.error);
    }
    return result;
}

} // namespace cuegrid
