// CueGrid — GPL-3.0-or-later
// What the media folder change's plan, job and recovery (MediaFolderChange*.cpp) share: paths made
// absolute, the lock a running change holds, and the record of a finished one. Not a public API.
#pragma once

#include "MediaFolderChange.h"
#include "MetadataDatabase.h"
#include "NewSession.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace cuegrid::media_folder_detail
{

namespace fs = std::filesystem;

inline fs::path normal (const fs::path& path) { return fs::absolute (path).lexically_normal(); }

inline fs::path lockPath (const std::string& sessionPath) { return sessionPath + ".mediafolder.lock"; }

/** An exclusive flock on the session's media folder lock file: held by a running change,
    so a second open does not "recover" a change that is still going. -1 when taken. */
inline int takeLock (const std::string& sessionPath)
{
    const int fd = ::open (lockPath (sessionPath).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    if (::flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
        ::close (fd);
        return -1;
    }
    return fd;
}

inline void releaseLock (int& fd, const std::string& sessionPath)
{
    if (fd < 0)
        return;
    std::error_code code;
    fs::remove (lockPath (sessionPath), code);   // still ours: removing it while holding the lock is safe
    ::close (fd);
    fd = -1;
}

/** The change is done: the session's recorded media folder is the new one, and the audit trail says how. */
inline void recordFolder (const std::string& sessionPath, const MediaFolderPlan& plan, size_t files, int clipsRepointed)
{
    recordMediaFolder (sessionPath, plan.newFolder.string());
    MetadataDatabase (MetadataDatabase::pathForSession (sessionPath))
        .addAudit ("mediaFolder", nlohmann::json ({ { "mode", mediaFolderModeName (plan.mode) },
                                                    { "from", plan.oldFolder.string() },
                                                    { "to", plan.newFolder.string() },
                                                    { "files", files },
                                                    { "clips", clipsRepointed } }).dump());
}

} // namespace cuegrid::media_folder_detail
