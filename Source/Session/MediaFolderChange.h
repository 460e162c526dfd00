// CueGrid — GPL-3.0-or-later
#pragma once

#include "SessionModel.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace cuegrid
{

/** Reassigning a session's media folder (docs/media.md "Media folder"): a plan, then a job on
    its own thread that copies and verifies, a switch of the clips' paths in the manifest done
    by the caller, and a finish that deletes the originals (move) or rolls the copies back.
    A journal beside the session (`<session>.mediafolder.json`) lets the next open finish or
    roll back a run that was killed. No GUI, no audio thread. */

enum class MediaFolderMode
{
    move,   // copy, verify, switch the clips' paths, then delete the originals inside the old folder
    copy,   // copy, verify, switch the clips' paths; the originals stay
    keep    // only record the new folder; no file moves, no clip changes
};

const char* mediaFolderModeName (MediaFolderMode mode) noexcept;
std::optional<MediaFolderMode> mediaFolderModeFromName (const std::string& name) noexcept;

/** One media file a move or copy takes (several clips may share it). */
struct MediaFolderFile
{
    std::filesystem::path source;        // absolute: the clips' media now
    std::filesystem::path target;        // absolute, in the new folder (the run may still pick "-2" on a clash)
    std::vector<std::string> clipIds;
    std::uintmax_t bytes = 0;
    bool insideOldFolder = true;         // false: collected (copied) but never deleted
    bool clash = false;                  // another file already has the target's name
    bool alreadyThere = false;           // source is the target (the file is in the new folder already)

    // Written by the job's worker as it copies (read by its owner from readyToSwitch on): the
    // source as it was when its copy was made, to tell at the switch that it changed since.
    bool copied = false;                 // a copy (or the same content already there) stands for the source
    std::uintmax_t copiedSize = 0;
    std::int64_t copiedModifiedNs = 0;   // st_mtim, ns since the epoch
    std::uint64_t copiedHash = 0;        // XXH3-64 of what the copy holds
};

/** What a change would do; made by planMediaFolderChange, shown before running. */
struct MediaFolderPlan
{
    std::string sessionPath;             // absolute
    std::filesystem::path oldFolder;     // absolute; empty: none recorded
    std::filesystem::path newFolder;     // absolute
    MediaFolderMode mode = MediaFolderMode::copy;
    std::vector<MediaFolderFile> files;  // to copy (none for keep)
    int clipCount = 0;                   // clips the change repoints
    int missingCount = 0;                // clips whose media is missing now: left as they are
    std::uintmax_t totalBytes = 0;       // of the files to copy
    std::uintmax_t freeBytes = 0;        // on the new folder's file system, for this user
    double estimatedSeconds = 0;         // copy + verify at estimatedBytesPerSecond, rough
    std::vector<std::string> problems;   // the change cannot run (no space, not writable, …)
    std::vector<std::string> warnings;   // it runs, but look (files outside the old folder, clashes, missing media)

    bool canRun() const noexcept { return problems.empty(); }

    static constexpr double estimatedBytesPerSecond = 150.0e6;   // copy + read-back verify, local disk
};

/** Plans reassigning the media folder of `session` (saved at `sessionPath`) to `newFolder`:
    stats every clip's media and the target folder; hashes nothing, writes nothing. Files
    inside the old folder keep their place below it in the new one; files outside it are
    collected into the new folder's top level. Any non-audio thread; a few system calls per
    file (keep it off the message thread for large sessions). Never throws. */
MediaFolderPlan planMediaFolderChange (const Session& session, const std::string& sessionPath,
                                       const std::filesystem::path& newFolder, MediaFolderMode mode);

/** The plan in lines for a person ("8 files, 41.2 MB, about 1 s", problems, warnings). */
std::vector<std::string> describeMediaFolderPlan (const MediaFolderPlan& plan);
nlohmann::json mediaFolderPlanToJson (const MediaFolderPlan& plan);

/** A clip's new `file`, as the manifest writes it (relative to the session's folder when inside it). */
struct MediaPathChange
{
    std::string clipId, newFile;
};

/** `session` with the changes applied (clips not named keep their file). */
Session withMediaPathChanges (Session session, const std::vector<MediaPathChange>& changes);

/** Runs a plan on its own thread: startCopy() copies each file to `<target>.part`, hashing it
    (XXH3-64) as it reads, fsyncs, drops it from the page cache, reads it back, and renames it
    into place only if the hashes agree; then the state is readyToSwitch with the clips' path
    changes. The caller writes the session with those changes (a recovery point first) and
    calls startFinish(true): the new folder is recorded in the session database (with an audit
    entry) and, for a move, the originals inside the old folder that no clip uses any more are
    deleted. startFinish(false) (the caller could not save) removes the copies made. A failure
    or cancel while copying removes the copies made; the manifest is untouched until the
    caller's switch, so every clip stays playable whatever happens.

    Thread: one owner thread (the message thread in the app) calls everything; the getters
    are safe from any thread. The destructor cancels and joins. */
class MediaFolderJob
{
public:
    enum class State { idle, copying, readyToSwitch, finishing, done, failed, cancelled };

    explicit MediaFolderJob (MediaFolderPlan plan);
    ~MediaFolderJob();

    MediaFolderJob (const MediaFolderJob&) = delete;
    MediaFolderJob& operator= (const MediaFolderJob&) = delete;

    /** Starts copying (idle only). A plan that cannot run fails at once. */
    void startCopy();
    /** After readyToSwitch: `switched` says the caller saved the session with getPathChanges(). */
    void startFinish (bool switched);
    /** Stops copying at the next block (the copies made go); ignored once switched. */
    void cancel() noexcept { cancelRequested = true; }

    State getState() const noexcept { return state.load (std::memory_order_acquire); }
    bool isBusy() const noexcept { const auto s = getState(); return s == State::copying || s == State::finishing; }
    const MediaFolderPlan& getPlan() const noexcept { return plan; }

    std::uintmax_t getBytesDone() const noexcept { return bytesDone.load(); }   // copied and verified so far
    int getFilesDone() const noexcept { return filesDone.load(); }
    double getProgress() const noexcept;                                         // 0 … 1
    double getCopySeconds() const noexcept { return copySeconds.load(); }       // wall time of the copy phase

    /** Valid from readyToSwitch on (the worker wrote them before it published the state): the
        path changes of the clips the plan was made for. */
    const std::vector<MediaPathChange>& getPathChanges() const noexcept { return changes; }
    /** The switch's path changes for the session as it is now: every clip of `current` whose
        media is one of the copied files (by resolved path, so a clip added or pasted since the
        plan follows too), pointed at its copy. From readyToSwitch on; owner thread. */
    std::vector<MediaPathChange> pathChangesFor (const Session& current) const;
    /** Right before the switch (owner thread, one stat per copied file, no reading): the first
        source whose size or modification time differs from when its copy was made (the worker
        already re-checked by hash and re-copied up to then), as a message naming the file;
        empty when none. A non-empty answer means: do not switch (startFinish (false)). */
    std::string findChangedSource() const;
    /** After failed (why) or done (what was left: originals that could not be deleted, …). */
    std::string getError() const;
    std::vector<std::string> getWarnings() const;

private:
    void copyAll();
    void finish (bool switched);
    bool copyOne (MediaFolderFile& file);
    bool recheckSources();
    void fail (const std::string& why);
    void join();

    MediaFolderPlan plan;                            // worker's while it runs, then read-only
    std::vector<MediaPathChange> changes;            // written by the worker before readyToSwitch
    std::vector<std::filesystem::path> created;      // copies this run made (worker)
    std::atomic<State> state { State::idle };        // worker writes, anyone reads
    int lockDescriptor = -1;                         // the session's change lock (flock), held from startCopy to the end
    std::atomic<bool> cancelRequested { false };     // owner writes, worker reads
    std::atomic<std::uintmax_t> bytesDone { 0 };     // worker writes, anyone reads
    std::atomic<int> filesDone { 0 };
    std::atomic<double> copySeconds { 0.0 };
    mutable std::mutex messages;                     // guards error and warnings (worker writes, owner reads)
    std::string error;
    std::vector<std::string> warnings;
    std::thread worker;
};

/** Test hook: called on the job's worker at "copied:N" (file N copied and verified) and at
    "checking:R" (before re-check round R of the sources); an empty function removes it. Tests
    only; set it before startCopy and clear it after the job ends. */
void setMediaFolderTestHook (std::function<void (const std::string& at)> hook);

/** `<session>.mediafolder.json`: written when a move or copy starts, removed when it ends. */
std::filesystem::path mediaFolderJournalPath (const std::string& sessionPath);

/** What recoverMediaFolderChange did. */
struct MediaFolderRecovery
{
    bool found = false;        // a journal was there
    bool busy = false;         // its run is still going (another process holds its lock): left alone
    bool finished = false;     // the manifest had been switched: the originals went (move), the folder was recorded
    bool rolledBack = false;   // it had not: the copies went, the session is as before
    std::string message;       // one line for the log or the status bar
};

/** At a session's open: finishes or rolls back a move or copy that was killed, as its journal
    and the manifest say (a manifest that points at the copies was switched). Deletes only files
    the journal names and no clip uses, and an original only when its copy has the same hash.
    Never throws (a problem goes into `message`, the journal stays for the next try). */
MediaFolderRecovery recoverMediaFolderChange (const std::string& sessionPath);

} // namespace cuegrid
