// CueGrid — GPL-3.0-or-later
#include "MediaFolderChange.h"

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

namespace cuegrid
{

namespace fs = std::filesystem;

namespace
{
    fs::path normal (const fs::path& path) { return fs::absolute (path).lexically_normal(); }

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

    fs::path lockPath (const std::string& sessionPath) { return sessionPath + ".mediafolder.lock"; }

    /** An exclusive flock on the session's media folder lock file: held by a running change,
        so a second open does not "recover" a change that is still going. -1 when taken. */
    int takeLock (const std::string& sessionPath)
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

    void releaseLock (int& fd, const std::string& sessionPath)
    {
        if (fd < 0)
            return;
        std::error_code code;
        fs::remove (lockPath (sessionPath), code);   // still ours: removing it while holding the lock is safe
        ::close (fd);
        fd = -1;
    }

    /** Test hook (the interrupted-move test): CUEGRID_MEDIA_FOLDER_TEST_PAUSE=files:N pauses the
        copy after N files, =switched pauses after the switch before any original is deleted. The
        pause says so on stderr and lasts until cancelled or killed. */
    void testPause (const std::string& at, const std::atomic<bool>& cancel)
    {
        const char* wanted = std::getenv ("CUEGRID_MEDIA_FOLDER_TEST_PAUSE");
        if (wanted == nullptr || at != wanted)
            return;
        std::fprintf (stderr, "cuegrid: test hook: media folder change paused at %s\n", at.c_str());
        std::fflush (stderr);
        while (! cancel)
            std::this_thread::sleep_for (std::chrono::milliseconds (20));
    }

    std::function<void (const std::string&)>& testHook()
    {
        static std::function<void (const std::string&)> hook;
        return hook;
    }
    void callTestHook (const std::string& at)
    {
        if (auto& hook = testHook())
            hook (at);
    }

    /** What stat says of a source: enough to tell it changed since its copy was made. */
    struct SourceStamp
    {
        bool present = false;
        std::uintmax_t size = 0;
        std::int64_t modifiedNs = 0;
    };
    SourceStamp stampOf (const fs::path& file)
    {
        struct stat info {};
        if (::stat (file.c_str(), &info) != 0)
            return {};
        return { true, (std::uintmax_t) info.st_size, (std::int64_t) info.st_mtim.tv_sec * 1000000000 + info.st_mtim.tv_nsec };
    }
    bool sameAsCopied (const SourceStamp& stamp, const MediaFolderFile& file)
    {
        return stamp.present && stamp.size == file.copiedSize && stamp.modifiedNs == file.copiedModifiedNs;
    }
    void recordCopied (MediaFolderFile& file, const SourceStamp& stamp, std::uint64_t hash)
    {
        file.copied = true;
        file.copiedSize = stamp.size;
        file.copiedModifiedNs = stamp.modifiedNs;
        file.copiedHash = hash;
    }

    constexpr int copyAttempts = 3;   // a source that changes while it is copied, or after, this many times stops the change

    nlohmann::json readJournal (const fs::path& path)
    {
        std::ifstream in (path);
        std::stringstream text;
        text << in.rdbuf();
        return nlohmann::json::parse (text.str());
    }

    void recordFolder (const std::string& sessionPath, const MediaFolderPlan& plan, size_t files, int clipsRepointed)
    {
        recordMediaFolder (sessionPath, plan.newFolder.string());
        MetadataDatabase (MetadataDatabase::pathForSession (sessionPath))
            .addAudit ("mediaFolder", nlohmann::json ({ { "mode", mediaFolderModeName (plan.mode) },
                                                        { "from", plan.oldFolder.string() },
                                                        { "to", plan.newFolder.string() },
                                                        { "files", files },
                                                        { "clips", clipsRepointed } }).dump());
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

fs::path mediaFolderJournalPath (const std::string& sessionPath) { return sessionPath + ".mediafolder.json"; }

void setMediaFolderTestHook (std::function<void (const std::string& at)> hook) { testHook() = std::move (hook); }

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

// --- The job ----------------------------------------------------------------------------------

MediaFolderJob::MediaFolderJob (MediaFolderPlan planToRun) : plan (std::move (planToRun)) {}

MediaFolderJob::~MediaFolderJob()
{
    cancel();
    join();
    if (getState() == State::readyToSwitch)   // dropped before the switch: the session still uses the originals
        finish (false);
    releaseLock (lockDescriptor, plan.sessionPath);
}

void MediaFolderJob::join()
{
    if (worker.joinable())
        worker.join();
}

double MediaFolderJob::getProgress() const noexcept
{
    const auto s = getState();
    if (s == State::readyToSwitch || s == State::finishing || s == State::done)
        return 1.0;
    return plan.totalBytes == 0 ? 0.0 : std::min (1.0, (double) bytesDone.load() / (double) plan.totalBytes);
}

std::string MediaFolderJob::getError() const
{
    const std::lock_guard<std::mutex> lock (messages);
    return error;
}

std::vector<std::string> MediaFolderJob::getWarnings() const
{
    const std::lock_guard<std::mutex> lock (messages);
    return warnings;
}

void MediaFolderJob::fail (const std::string& why)
{
    {
        const std::lock_guard<std::mutex> lock (messages);
        error = why;
    }
    for (const auto& file : created)
    {
        std::error_code code;
        fs::remove (file, code);
    }
    created.clear();
    std::error_code code;
    fs::remove (mediaFolderJournalPath (plan.sessionPath), code);
    releaseLock (lockDescriptor, plan.sessionPath);
    state.store (cancelRequested ? State::cancelled : State::failed, std::memory_order_release);
}

void MediaFolderJob::startCopy()
{
    if (getState() != State::idle)
        return;
    if (! plan.canRun())
    {
        fail (plan.problems.front());
        return;
    }
    lockDescriptor = takeLock (plan.sessionPath);
    if (lockDescriptor < 0)
    {
        fail ("another media folder change of this session is running");
        return;
    }
    state.store (State::copying, std::memory_order_release);
    worker = std::thread ([this] { copyAll(); });
}

void MediaFolderJob::copyAll()
{
    const auto started = std::chrono::steady_clock::now();
    std::error_code code;
    fs::create_directories (plan.newFolder, code);
    if (code)
        return fail (plan.newFolder.string() + ": cannot be created: " + code.message());
    if (plan.mode == MediaFolderMode::keep)
    {
        state.store (State::readyToSwitch, std::memory_order_release);
        return;
    }

    // Clashes decided now, by content: a file already there with the same hash is used as it is.
    std::set<fs::path> claimed;
    for (auto& file : plan.files)
    {
        if (file.alreadyThere)
            continue;
        const auto stem = file.target.stem().string(), extension = file.target.extension().string();
        const auto folder = file.target.parent_path();
        for (int n = 2;; ++n)
        {
            if (cancelRequested)
                return fail ("cancelled");
            if (claimed.count (file.target) == 0 && ! fs::exists (fs::symlink_status (file.target, code))
                && ! fs::exists (fs::symlink_status (file.target.string() + ".part", code)))
                break;
            if (claimed.count (file.target) == 0 && fs::file_size (file.target, code) == file.bytes)
            {
                const auto stamp = stampOf (file.source);
                const auto sourceHash = hashMediaFile (file.source);
                if (sourceHash && sourceHash == hashMediaFile (file.target))
                {
                    file.alreadyThere = true;   // the same content: nothing to copy
                    recordCopied (file, stamp, *sourceHash);
                    break;
                }
            }
            file.target = folder / (stem + "-" + std::to_string (n) + extension);
        }
        claimed.insert (file.target);
    }

    // The journal before the first byte: what this run may create, so a kill is undone or finished.
    auto entries = nlohmann::json::array();
    for (const auto& file : plan.files)
        entries.push_back ({ { "source", file.source.string() }, { "target", file.target.string() },
                             { "create", ! file.alreadyThere && file.source != file.target }, { "inside", file.insideOldFolder } });
    try
    {
        writeFileAtomically (mediaFolderJournalPath (plan.sessionPath).string(),
                             nlohmann::json ({ { "format", "cuegrid.mediaFolderChange" }, { "version", 1 },
                                               { "mode", mediaFolderModeName (plan.mode) }, { "oldFolder", plan.oldFolder.string() },
                                               { "newFolder", plan.newFolder.string() }, { "pid", (long) ::getpid() },
                                               { "files", entries } }).dump (1) + "\n");
    }
    catch (const OutputError& failure)
    {
        return fail (failure.what());
    }

    int n = 0;
    for (auto& file : plan.files)
    {
        if (! file.alreadyThere)
        {
            try
            {
                copyOne (file);
            }
            catch (const OutputError& failure)
            {
                return fail (failure.what());
            }
            if (cancelRequested)
                return fail ("cancelled");
        }
        filesDone = ++n;
        callTestHook ("copied:" + std::to_string (n));
        testPause ("files:" + std::to_string (n), cancelRequested);
        if (cancelRequested)
            return fail ("cancelled");
        for (const auto& clipId : file.clipIds)
        {
            MediaPathChange change;
            change.clipId = clipId;
            change.newFile = sessionRelativePath (plan.sessionPath, file.target);
            changes.push_back (change);
        }
    }
    if (! recheckSources())
        return;
    copySeconds = std::chrono::duration<double> (std::chrono::steady_clock::now() - started).count();
    state.store (State::readyToSwitch, std::memory_order_release);
}

bool MediaFolderJob::copyOne (MediaFolderFile& file)
{
    // A source written to while it is read makes a copy of neither version: copied again.
    for (int attempt = 1;; ++attempt)
    {
        const auto before = stampOf (file.source);
        std::uint64_t hash = 0;
        // The part file is the journal's to clean up if this process dies; a failure removes it itself.
        if (! copyMediaFileVerified (file.source, file.target, cancelRequested, &bytesDone, &hash))
            return false;
        created.push_back (file.target);
        const auto after = stampOf (file.source);
        if (before.present && after.present && before.size == after.size && before.modifiedNs == after.modifiedNs)
        {
            recordCopied (file, before, hash);
            return true;
        }
        std::error_code code;
        fs::remove (file.target, code);
        created.pop_back();
        if (attempt == copyAttempts)
            throw OutputError (file.source.string() + ": changed while it was being copied, " + std::to_string (copyAttempts)
                               + " times; nothing was switched (run the change again when it is no longer written to)");
    }
}

bool MediaFolderJob::recheckSources()
{
    // After the last copy, before the switch: a source changed since its copy was made (stat says
    // so and its hash now differs from the copy's) is copied again; a touch with the same content is not.
    for (int round = 1;; ++round)
    {
        callTestHook ("checking:" + std::to_string (round));
        std::vector<MediaFolderFile*> changed;
        for (auto& file : plan.files)
        {
            if (cancelRequested)
            {
                fail ("cancelled");
                return false;
            }
            if (! file.copied)
                continue;
            const auto now = stampOf (file.source);
            if (! now.present || sameAsCopied (now, file))
                continue;   // gone since: the copy holds what the clip had, and the clip is pointed at it
            const auto hash = hashMediaFile (file.source, &cancelRequested);
            if (hash && *hash == file.copiedHash)
                recordCopied (file, now, *hash);   // touched, same content
            else
                changed.push_back (&file);
        }
        if (changed.empty())
            return true;
        const auto& first = *changed.front();
        if (round == copyAttempts)
        {
            fail (first.source.string() + ": changed after it was copied, " + std::to_string (copyAttempts)
                  + " times; nothing was switched (run the change again when it is no longer written to)");
            return false;
        }
        for (auto* file : changed)
        {
            if (file->alreadyThere)   // the same content was in the new folder, not ours to replace
            {
                fail (file->source.string() + ": changed after it was checked against " + file->target.string()
                      + ", which held the same content; nothing was switched (run the change again)");
                return false;
            }
            std::error_code code;
            fs::remove (file->target, code);
            created.erase (std::remove (created.begin(), created.end(), file->target), created.end());
            file->copied = false;
            try
            {
                if (! copyOne (*file))
                {
                    fail ("cancelled");
                    return false;
                }
            }
            catch (const OutputError& failure)
            {
                fail (failure.what());
                return false;
            }
            const std::lock_guard<std::mutex> lock (messages);
            warnings.push_back (file->source.string() + " changed while the media folder change ran: copied again");
        }
    }
}

std::vector<MediaPathChange> MediaFolderJob::pathChangesFor (const Session& current) const
{
    std::map<fs::path, const MediaFolderFile*> bySource;
    for (const auto& file : plan.files)
        bySource[file.source] = &file;
    std::vector<MediaPathChange> result;
    for (const auto& clip : current.clips)
        if (const auto found = bySource.find (normal (resolveMediaPath (plan.sessionPath, clip.file))); found != bySource.end())
            result.push_back ({ clip.id, sessionRelativePath (plan.sessionPath, found->second->target) });
    return result;
}

std::string MediaFolderJob::findChangedSource() const
{
    if (getState() != State::readyToSwitch)
        return {};
    for (const auto& file : plan.files)
        if (const auto now = stampOf (file.source); file.copied && now.present && ! sameAsCopied (now, file))
            return file.source.string() + " changed after it was copied (its size or modification time differs): "
                   "the switch is refused, nothing changed; run the change again";
    return {};
}

void MediaFolderJob::startFinish (bool switched)
{
    if (getState() != State::readyToSwitch)
        return;
    join();
    state.store (State::finishing, std::memory_order_release);
    worker = std::thread ([this, switched] { finish (switched); });
}

void MediaFolderJob::finish (bool switched)
{
    std::vector<std::string> left;
    if (! switched)
    {
        for (const auto& file : created)
        {
            std::error_code code;
            fs::remove (file, code);
        }
        created.clear();
    }
    else
    {
        try
        {
            recordFolder (plan.sessionPath, plan, plan.files.size(), (int) changes.size());
        }
        catch (const std::exception& failure)   // the clips are switched and play; only the record is missing
        {
            left.push_back (std::string ("the new folder is not recorded in the session database: ") + failure.what());
        }
        testPause ("switched", cancelRequested);
        // A clip the switch did not repoint (its file changed under it, or the caller's session
        // differed) keeps its original: what the saved manifest still uses is never deleted.
        std::set<fs::path> used;
        if (plan.mode == MediaFolderMode::move)
        {
            try
            {
                for (const auto& clip : SessionManifest::load (plan.sessionPath).clips)
                    used.insert (normal (resolveMediaPath (plan.sessionPath, clip.file)));
            }
            catch (const std::exception& failure)
            {
                left.push_back (std::string ("no original was deleted: the session cannot be read back: ") + failure.what());
                used.insert (fs::path());   // marks "unknown": delete nothing
            }
        }
        if (plan.mode == MediaFolderMode::move)
            for (const auto& file : plan.files)
            {
                if (! file.insideOldFolder || file.source == file.target || used.count (fs::path()) != 0)
                    continue;
                if (used.count (file.source) != 0)
                {
                    left.push_back (file.source.string() + " is still used by a clip: not deleted");
                    continue;
                }
                if (file.copied && ! sameAsCopied (stampOf (file.source), file))
                {
                    left.push_back (file.source.string() + " changed after its copy was made: not deleted");
                    continue;
                }
                std::error_code code;
                if (! fs::remove (file.source, code) && code)
                    left.push_back (file.source.string() + " was not deleted: " + code.message());
            }
    }
    std::error_code code;
    fs::remove (mediaFolderJournalPath (plan.sessionPath), code);
    releaseLock (lockDescriptor, plan.sessionPath);
    {
        const std::lock_guard<std::mutex> lock (messages);
        warnings.insert (warnings.end(), left.begin(), left.end());
    }
    state.store (switched ? State::done : State::cancelled, std::memory_order_release);
}

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
