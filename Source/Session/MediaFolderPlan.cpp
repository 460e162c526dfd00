// CueGrid — GPL-3.0-or-later
#include "MediaFolderChange.h"
#include "MediaFolderChangeShared.h"

#include "AtomicFile.h"
#include "Errors.h"
#include "MediaLoader.h"
#include "MediaRelink.h"
#include "MetadataDatabase.h"
#include "NewSession.h"
#include "SessionManifest.h"
#include "VerifiedCopy.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

// The plan of a media folder change: what would be copied, where, and what stops it. Any thread.
namespace cuegrid
{

namespace fs = std::filesystem;
using namespace media_folder_detail;

namespace
{
    /** `path` lies below `folder` (both normal, absolute). */
    bool isInside (const fs::path& path, const fs::path& folder)
    {
        if (folder.empty())
            return false;
        const auto relative = path.lexically_relative (folder);
        return ! relative.empty() && *relative.begin() != ".." && relative != ".";
    }

    std::string megabytes (std::uintmax_t bytes)
    {
        char text[32];
        std::snprintf (text, sizeof text, "%.1f MB", (double) bytes / 1e6);
        return text;
    }

    /** The nearest folder of `path` (itself or a parent) that exists. */
    fs::path existingAncestor (fs::path path)
    {
        std::error_code code;
        while (! path.empty() && ! fs::exists (path, code) && path != path.root_path())
            path = path.parent_path();
        return path;
    }
} // namespace

const char* mediaFolderModeName (MediaFolderMode mode) noexcept
{
    switch (mode)
    {
        case MediaFolderMode::move: return "move";
        case MediaFolderMode::copy: return "copy";
        case MediaFolderMode::keep: return "keep";
    }
    return "copy";
}

std::optional<MediaFolderMode> mediaFolderModeFromName (const std::string& name) noexcept
{
    if (name == "move") return MediaFolderMode::move;
    if (name == "copy") return MediaFolderMode::copy;
    if (name == "keep") return MediaFolderMode::keep;
    return std::nullopt;
}

// --- Plan -------------------------------------------------------------------------------------

MediaFolderPlan planMediaFolderChange (const Session& session, const std::string& sessionPath,
                                       const fs::path& newFolder, MediaFolderMode mode)
{
    MediaFolderPlan plan;
    plan.sessionPath = normal (sessionPath).string();
    plan.mode = mode;
    plan.newFolder = normal (newFolder);
    if (const auto recorded = recordedMediaFolder (plan.sessionPath); ! recorded.empty())
        plan.oldFolder = normal (recorded);

    std::error_code code;
    if (fs::exists (mediaFolderJournalPath (plan.sessionPath), code))
        plan.problems.push_back ("an earlier media folder change of this session was interrupted; open the session "
                                 "(or run cuegrid media-folder SESSION --recover) to finish or undo it first");
    if (fs::exists (plan.newFolder, code) && ! fs::is_directory (plan.newFolder, code))
        plan.problems.push_back (plan.newFolder.string() + ": not a folder");
    if (plan.newFolder == plan.oldFolder)
        plan.problems.push_back (plan.newFolder.string() + " is already the session's media folder");

    // Free space and permission where the folder is or will be made.
    const auto existing = existingAncestor (plan.newFolder);
    if (existing != plan.newFolder && fs::exists (existing, code) && ! fs::is_directory (existing, code))
        plan.problems.push_back (plan.newFolder.string() + ": cannot be made: " + existing.string() + " is a file, not a folder");
    if (const auto space = fs::space (existing, code); ! code)
        plan.freeBytes = space.available;
    if (::access (existing.c_str(), W_OK) != 0)
        plan.problems.push_back (existing.string() + ": not writable (" + std::strerror (errno) + ")");
    if (plan.oldFolder.empty() && mode == MediaFolderMode::move)
        plan.warnings.push_back ("no media folder was recorded: every file is outside it, so it is copied and the original stays");

    // Each media file once, with the clips that use it, in clip order.
    std::map<fs::path, size_t> fileIndex;
    std::set<fs::path> claimed;   // targets the plan gives out
    for (const auto& clip : session.clips)
    {
        const auto source = normal (resolveMediaPath (plan.sessionPath, clip.file));
        if (! fs::is_regular_file (source, code))
        {
            ++plan.missingCount;
            plan.warnings.push_back ("clip '" + clip.id + "': " + clip.file + " is missing; the clip is left as it is");
            continue;
        }
        if (mode == MediaFolderMode::keep)
            continue;
        if (const auto found = fileIndex.find (source); found != fileIndex.end())
        {
            plan.files[found->second].clipIds.push_back (clip.id);
            ++plan.clipCount;
            continue;
        }
        MediaFolderFile file;
        file.source = source;
        file.clipIds.push_back (clip.id);
        file.bytes = fs::file_size (source, code);
        file.insideOldFolder = isInside (source, plan.oldFolder);
        file.alreadyThere = isInside (source, plan.newFolder);
        if (file.alreadyThere)
            file.target = source;
        else
        {
            file.target = plan.newFolder / (file.insideOldFolder ? source.lexically_relative (plan.oldFolder) : source.filename());
            const auto stem = file.target.stem().string(), extension = file.target.extension().string();
            const auto folder = file.target.parent_path();
            auto candidate = file.target;
            for (int n = 2; claimed.count (candidate) != 0; ++n)
                candidate = folder / (stem + "-" + std::to_string (n) + extension);
            if (fs::exists (fs::symlink_status (candidate, code)))
            {
                file.clash = true;
                plan.warnings.push_back (candidate.string() + " exists: used if its content is the same (hash), else "
                                         + source.filename().string() + " is copied under another name");
            }
            file.target = candidate;
            plan.totalBytes += file.bytes;
            if (! file.insideOldFolder && ! plan.oldFolder.empty())
                plan.warnings.push_back (source.string() + " is outside the old media folder: copied"
                                         + (mode == MediaFolderMode::move ? std::string (", the original stays") : std::string()));
        }
        claimed.insert (file.target);
        if (mode == MediaFolderMode::move && file.insideOldFolder && ! file.alreadyThere
            && ::access (source.parent_path().c_str(), W_OK) != 0)
            plan.warnings.push_back (source.parent_path().string() + ": not writable, so " + source.filename().string()
                                     + " cannot be deleted after the move (it stays)");
        fileIndex[source] = plan.files.size();
        plan.files.push_back (std::move (file));
        ++plan.clipCount;
    }
    if (mode != MediaFolderMode::keep && plan.totalBytes > plan.freeBytes)
        plan.problems.push_back ("not enough space in " + existing.string() + ": " + megabytes (plan.totalBytes) + " to copy ("
                                 + std::to_string (plan.files.size()) + " file(s) into " + plan.newFolder.string() + "), "
                                 + megabytes (plan.freeBytes) + " free");
    plan.estimatedSeconds = (double) plan.totalBytes / MediaFolderPlan::estimatedBytesPerSecond + 0.005 * (double) plan.files.size();
    return plan;
}

std::vector<std::string> describeMediaFolderPlan (const MediaFolderPlan& plan)
{
    std::vector<std::string> lines;
    char line[256];
    lines.push_back (std::string ("Mode: ") + mediaFolderModeName (plan.mode) + ", from "
                     + (plan.oldFolder.empty() ? std::string ("(none recorded)") : plan.oldFolder.string()) + " to " + plan.newFolder.string());
    if (plan.mode == MediaFolderMode::keep)
        lines.push_back ("Only the folder is recorded: no file is copied and every clip keeps its file.");
    else
    {
        int toCopy = 0;
        for (const auto& file : plan.files)
            toCopy += file.alreadyThere ? 0 : 1;
        std::snprintf (line, sizeof line, "%d file(s) for %d clip(s), %d to copy, %s, about %.0f s; %s free there", (int) plan.files.size(),
                       plan.clipCount, toCopy, megabytes (plan.totalBytes).c_str(), plan.estimatedSeconds + 0.5, megabytes (plan.freeBytes).c_str());
        lines.push_back (line);
    }
    for (const auto& problem : plan.problems)
        lines.push_back ("Problem: " + problem);
    for (const auto& warning : plan.warnings)
        lines.push_back ("Warning: " + warning);
    return lines;
}

nlohmann::json mediaFolderPlanToJson (const MediaFolderPlan& plan)
{
    auto files = nlohmann::json::array();
    for (const auto& file : plan.files)
        files.push_back ({ { "source", file.source.string() }, { "target", file.target.string() }, { "bytes", file.bytes },
                           { "clips", file.clipIds }, { "insideOldFolder", file.insideOldFolder }, { "clash", file.clash },
                           { "alreadyThere", file.alreadyThere } });
    return { { "session", plan.sessionPath }, { "mode", mediaFolderModeName (plan.mode) }, { "oldFolder", plan.oldFolder.string() },
             { "newFolder", plan.newFolder.string() }, { "clips", plan.clipCount }, { "missing", plan.missingCount },
             { "totalBytes", plan.totalBytes }, { "freeBytes", plan.freeBytes }, { "estimatedSeconds", plan.estimatedSeconds },
             { "problems", plan.problems }, { "warnings", plan.warnings }, { "files", files } };
}

Session withMediaPathChanges (Session session, const std::vector<MediaPathChange>& changes)
{
    const auto index = session.clipIndexById();
    for (const auto& change : changes)
        if (const auto found = index.find (change.clipId); found != index.end())
            session.clips[(size_t) found->second].file = change.newFile;
    return session;
}

} // namespace cuegrid
