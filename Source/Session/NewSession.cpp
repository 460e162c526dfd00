// CueGrid — GPL-3.0-or-later
#include "NewSession.h"

#include "AppFolders.h"
#include "Errors.h"
#include "MediaLoader.h"
#include "MediaRelink.h"
#include "MetadataDatabase.h"
#include "SessionManifest.h"

#include <cstdio>
#include <filesystem>

namespace cuegrid
{

namespace fs = std::filesystem;

Session emptySession (const std::string& name)
{
    Session session;
    session.name = name;
    session.master.limiterEnabled = true;
    Page page;
    page.name = "Page 1";
    for (int t = 1; t <= Page::maxTabs; ++t)
    {
        Tab tab;
        tab.name = "Tab " + std::to_string (t);
        page.tabs.push_back (tab);
    }
    session.pages.push_back (page);
    return session;
}

CreatedSession createSessionFiles (const std::string& sessionPath, const std::string& mediaFolder)
{
    const fs::path path (sessionPath);
    if (path.extension() != ".cuegrid" || path.stem().empty())
        throw InputError (sessionPath, 0, 0, "a session file's name ends in .cuegrid");
    std::error_code code;
    if (fs::exists (fs::symlink_status (path, code)))
        throw OutputError (sessionPath + ": already exists; a new session never replaces a file (nothing was written)");
    const auto folder = fs::absolute (path).parent_path();
    if (! fs::is_directory (folder, code))
        throw OutputError (sessionPath + ": folder " + folder.string() + " does not exist");

    CreatedSession created;
    created.session = emptySession (path.stem().string());
    if (! mediaFolder.empty())
    {
        const auto check = checkMediaFolder (mediaFolder);
        if (! check.usable)
            throw OutputError (check.problem);
        created.warnings = check.warnings;
        char line[96];
        std::snprintf (line, sizeof line, "%.1f GB free", (double) check.freeBytes / 1e9);
        created.mediaFolderSummary = line;
        if (! check.fileSystem.empty())
            created.mediaFolderSummary += ", " + check.fileSystem;
    }
    // The database first: one that cannot be used (newer, damaged) stops before the manifest exists.
    MetadataDatabase database (MetadataDatabase::pathForSession (sessionPath));
    if (! mediaFolder.empty())
        database.setSetting ("mediaFolder", sessionRelativePath (path, mediaFolder));
    SessionManifest::save (created.session, sessionPath);
    database.mirrorSession (created.session);
    return created;
}

std::string recordedMediaFolder (const std::string& sessionPath)
{
    try
    {
        const auto databasePath = MetadataDatabase::pathForSession (sessionPath);
        std::error_code code;
        if (! fs::is_regular_file (databasePath, code))
            return {};
        const MetadataDatabase database (databasePath);
        if (const auto recorded = database.getSetting ("mediaFolder"))
            return resolveMediaPath (sessionPath, *recorded).string();
    }
    catch (const std::exception&)
    {
    }
    return {};
}

void recordMediaFolder (const std::string& sessionPath, const std::string& mediaFolder)
{
    MetadataDatabase (MetadataDatabase::pathForSession (sessionPath))
        .setSetting ("mediaFolder", sessionRelativePath (sessionPath, mediaFolder));
}

} // namespace cuegrid
