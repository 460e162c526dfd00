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

// Recovery of a media folder change a killed process left: finished or undone at the next open.
namespace cuegrid
{

namespace fs = std::filesystem;
using namespace media_folder_detail;

namespace
{
    nlohmann::json readJournal (const fs::path& path)
    {
        std::ifstream in (path);
        std::stringstream text;
        text << in.rdbuf();
        return nlohmann::json::parse (text.str());
    }
} // namespace

// --- Recovery ---------------------------------------------------------------------------------

MediaFolderRecovery recoverMediaFolderChange (const std::string& sessionPathGiven)
{
    MediaFolderRecovery recovery;
    const auto sessionPath = normal (sessionPathGiven).string();
    const auto journalPath = mediaFolderJournalPath (sessionPath);
    std::error_code code;
    if (! fs::exists (journalPath, code))
        return recovery;
    recovery.found = true;
    int lock = takeLock (sessionPath);
    if (lock < 0)
    {
        recovery.busy = true;
        recovery.message = "a media folder change of this session is running in another process";
        return recovery;
    }
    try
    {
        const auto journal = readJournal (journalPath);
        const auto session = SessionManifest::load (sessionPath);
        std::set<fs::path> used;
        for (const auto& clip : session.clips)
            used.insert (normal (resolveMediaPath (sessionPath, clip.file)));
        const auto& files = journal.at ("files");
        bool switched = false;
        for (const auto& file : files)
            switched = switched || (file.at ("source") != file.at ("target") && used.count (fs::path (file.at ("target").get<std::string>())) != 0);

        int removed = 0;
        std::vector<std::string> kept;
        if (switched)
        {
            MediaFolderPlan plan;
            plan.sessionPath = sessionPath;
            plan.mode = mediaFolderModeFromName (journal.at ("mode").get<std::string>()).value_or (MediaFolderMode::copy);
            plan.oldFolder = journal.at ("oldFolder").get<std::string>();
            plan.newFolder = journal.at ("newFolder").get<std::string>();
            recordFolder (sessionPath, plan, files.size(), -1);   // clips: not known any more
            if (plan.mode == MediaFolderMode::move)
                for (const auto& file : files)
                {
                    const fs::path source = file.at ("source").get<std::string>(), target = file.at ("target").get<std::string>();
                    if (! file.at ("inside").get<bool>() || source == target || used.count (source) != 0 || ! fs::exists (source, code))
                        continue;
                    // Only an original whose copy is whole goes.
                    const auto sourceHash = hashMediaFile (source);
                    if (sourceHash && sourceHash == hashMediaFile (target) && fs::remove (source, code))
                        ++removed;
                    else
                        kept.push_back (source.string());
                }
            recovery.finished = true;
            recovery.message = "an interrupted media folder " + journal.at ("mode").get<std::string>() + " to "
                               + plan.newFolder.string() + " was finished (" + std::to_string (removed) + " original(s) deleted)";
        }
        else
        {
            for (const auto& file : files)
            {
                if (! file.at ("create").get<bool>())
                    continue;
                const fs::path target = file.at ("target").get<std::string>();
                fs::remove (target.string() + ".part", code);
                if (used.count (target) == 0 && fs::remove (target, code))
                    ++removed;
            }
            recovery.rolledBack = true;
            recovery.message = "an interrupted media folder change to " + journal.at ("newFolder").get<std::string>()
                               + " was undone (" + std::to_string (removed) + (removed == 1 ? " copy" : " copies") + " removed; the clips use their original files)";
        }
        if (! kept.empty())
            recovery.message += "; kept (copy not verified): " + kept.front() + (kept.size() > 1 ? " …" : "");
        fs::remove (journalPath, code);
    }
    catch (const std::exception& failure)
    {
        recovery.message = std::string ("an interrupted media folder change could not be finished or undone: ") + failure.what();
    }
    releaseLock (lock, sessionPath);
    return recovery;
}

} // namespace cuegrid
