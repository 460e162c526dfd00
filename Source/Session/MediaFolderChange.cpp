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

namespace cuegrid
{

namespace fs = std::filesystem;
using namespace media_folder_detail;

namespace
{
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

} // namespace

fs::path mediaFolderJournalPath (const std::string& sessionPath) { return sessionPath + ".mediafolder.json"; }

void setMediaFolderTestHook (std::function<void (const std::string& at)> hook) { testHook() = std::move (hook); }

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

} // namespace cuegrid
