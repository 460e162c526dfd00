// CueGrid — GPL-3.0-or-later
#pragma once

#include "SessionModel.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cuegrid
{

/** How a SessionStore keeps copies (from Preferences and AppFolders). */
struct StoreSettings
{
    std::filesystem::path autosaveRoot;  // the CueGrid home's Autosave/ folder
    int backupsKept = 5;                 // previous saved versions kept as <session>.bak1 … .bakN; 0 = none
    int recoveryPointsKept = 20;         // recovery points kept in Autosave/<session>/ (at least 1)
};

/** One recovery point file: `Autosave/<session>-<id>/<UTC time>.cuegrid`. */
struct RecoveryPoint
{
    std::filesystem::path path;
    std::int64_t createdMicros = 0;      // UTC, microseconds since 1970, from the file name
    std::string createdUtc;              // "2026-11-24T00:02:56.123456Z"
};

/** What findRecovery found for a session about to be opened. */
struct RecoveryOffer
{
    bool crashed = false;                // a run marker was left: the last run did not close cleanly
    bool otherInstanceRunning = false;   // the marker's process is still alive on this machine
    std::string markerText;              // the marker's contents (pid, host, when opened), for messages
    std::int64_t savedMicros = 0;        // the saved manifest's modification time (0: no manifest)
    std::optional<RecoveryPoint> point;  // the newest loadable recovery point made on top of the manifest
                                         // now on disk (so newer than it), offered only when crashed and
                                         // no other instance runs
};

/** A recovery point read back: the session as it was, its media paths as the session file
    wrote them (relative to the original session's folder where they were). */
struct RecoveredSession
{
    Session session;
    std::string sessionPath;             // the session file the point was made from
    std::string createdUtc;
    std::string reason;                  // "autosave", "before media folder change", …
};

/** Saving, backups, recovery points and the run marker of one session file (`*.cuegrid`).
    docs/session-format.md "Saving, backups and recovery" describes the files.

    - save(): the manifest is written to a temporary file beside it, fsynced, renamed over
      the old one and the folder fsynced; the old version is kept as `<session>.bak1`
      (older ones shift to .bak2 … .bakN). An older version's file (1 or 2) saved for the
      first time is also kept as `<stem>.v<version>.cuegrid` (`show.v1.cuegrid`,
      `show.v2.cuegrid`). Any failure throws OutputError naming the file and leaves the
      saved file as it was.
    - recoveryPointNow(): a self-contained copy (media paths absolute, the original session
      path noted) in `Autosave/<stem>-<8 hex digits of the path's hash>/`, last N kept.
    - markOpen()/markClosed(): the run marker `running.json` in that folder. A marker found
      at the next open means the app did not close cleanly: findRecovery() offers the newest
      recovery point newer than the saved manifest. "Newer" is decided by the saved version a
      point notes it was made on top of (device, inode, mtime in ns, size of the manifest then),
      not by clocks: the file's mtime has the kernel's coarse tick, several ms.

    Message thread (or any one thread at a time). Costs are measured in Tests/Tools/save_stress
    (`bench`): a save or recovery point of 4096 clips is a few ms plus the disk's fsyncs. */
class SessionStore
{
public:
    SessionStore (std::string sessionPath, StoreSettings settings);

    /** Removes the run marker (as markClosed) if markOpen was called: destroying the store
        is the clean close. A crash (kill -9, power loss) leaves it. */
    ~SessionStore();

    SessionStore (const SessionStore&) = delete;
    SessionStore& operator= (const SessionStore&) = delete;

    const std::string& getSessionPath() const noexcept { return sessionPath; }
    std::filesystem::path getRecoveryFolder() const { return recoveryFolderFor (sessionPath, settings.autosaveRoot); }

    /** Writes the run marker (pid, process start, host, time) and removes temporaries a
        killed save or autosave left beside the session and in its recovery folder. Returns
        false, writing and removing nothing, when the marker names another live process on
        this machine (the session is open there; its marker must stay to catch its crash).
        Throws OutputError when the marker cannot be written. */
    bool markOpen();

    /** Removes the run marker if this store wrote it and it is still ours: the session closed
        cleanly. Never throws. */
    void markClosed() noexcept;

    struct SaveResult
    {
        std::vector<std::string> warnings;   // a backup that could not be kept (the save itself succeeded)
        std::string migrationBackup;         // the `.v1.cuegrid` / `.v2.cuegrid` copy written by this save, if any
    };

    /** Saves the manifest (Session::currentVersion) over the session file, keeping backups. Throws
        OutputError naming the file (unwritable folder, full disk): the saved file, its
        backups and its migration copy are then as they were, byte for byte. */
    SaveResult save (const Session& session);

    /** The session with its relative media paths rewritten for a manifest at `newPath`: a
        file inside newPath's folder stays relative to it, any other becomes absolute; absolute
        paths stay. */
    static Session rebaseMedia (const Session& session, const std::string& oldPath, const std::string& newPath);

    /** Save As: saves rebaseMedia (session, this path, newPath) to `newPath` (backups and the
        migration copy as in save(); a file already there becomes its .bak1), then the store
        belongs to newPath: its run marker moves to newPath's recovery folder. Returns the
        rebased session, which the caller installs as the open session. Throws OutputError
        naming newPath; the store then still belongs to the old path. */
    Session saveAs (const Session& session, const std::string& newPath, SaveResult* result = nullptr);

    /** How many saves (save, saveAs) succeeded through this store. */
    int getSaveCount() const noexcept { return saveCount; }

    /** Leaves the run marker in place when the store is destroyed: the next open offers the
        newest recovery point again (for a session recovered and never saved). */
    void keepRunMarker() noexcept { markedOpen = false; }

    /** Writes a recovery point now (every autosave, and before a risky operation: media
        folder change, relink, package import, grid shrink) and drops the oldest beyond
        recoveryPointsKept. `reason` is noted in it. Returns its path. Throws OutputError. */
    std::filesystem::path recoveryPointNow (const Session& session, const std::string& reason = "autosave");

    // --- Without a store (before opening) ---------------------------------------------------

    /** The user's settings: the CueGrid home's Autosave/ folder and the kept counts from the
        preferences (AppFolders, Preferences). Never throws; a preferences problem is put in
        `problem` when given, and the defaults are used. */
    static StoreSettings userSettings (std::string* problem = nullptr);

    /** `<autosaveRoot>/<stem>-<hash>`: the hash (FNV-1a of the absolute, normalised path, 8 hex
        digits) keeps two `show.cuegrid` in different folders apart. */
    static std::filesystem::path recoveryFolderFor (const std::string& sessionPath, const std::filesystem::path& autosaveRoot);

    /** The recovery points in `folder`, oldest first (files named like a recovery point only). */
    static std::vector<RecoveryPoint> listRecoveryPoints (const std::filesystem::path& folder);

    /** Was the session left open by a run that did not end cleanly, and what can be offered?
        Never throws. */
    static RecoveryOffer findRecovery (const std::string& sessionPath, const std::filesystem::path& autosaveRoot);

    /** Reads a recovery point. Throws InputError (malformed, or not a recovery point). */
    static RecoveredSession loadRecoveryPoint (const std::filesystem::path& path);

    /** Removes the recovery folders in `autosaveRoot` that no run marker holds and whose
        newest recovery point is older than `maxAgeDays` (sessions long closed, renamed or
        deleted): their recovery points and temporaries, then the folder if that emptied it.
        Returns how many folders went. Never throws; a cheap directory scan for app start. */
    static int pruneAutosave (const std::filesystem::path& autosaveRoot, double maxAgeDays = 30.0);

    /** `<session>.bak<n>` (n from 1, the newest). */
    static std::filesystem::path backupPath (const std::string& sessionPath, int n);

    /** `show.cuegrid` → `show.v1.cuegrid` for version 1, `show.v2.cuegrid` for version 2. */
    static std::filesystem::path migrationBackupPath (const std::string& sessionPath, int version);

    /** The `"version"` of the manifest at `path`, or 0 when it cannot be read or is not a
        whole number from 1 up. */
    static int manifestVersionOnDisk (const std::string& path);

private:
    void rotateBackups (SaveResult& result);
    void dropOldRecoveryPoints (const std::filesystem::path& folder) const;

    std::string sessionPath;
    StoreSettings settings;
    bool markedOpen = false;
    bool migrationChecked = false;
    int saveCount = 0;
};

/** Decides when to write a recovery point: when the session has unsaved changes that no
    recovery point holds yet, `intervalSeconds` after the first of them. So at most one interval
    of work is lost, and a session left idle with unsaved changes writes no identical points
    (which would roll the useful ones out). Call tick() from the app's timer (about once a
    second); it writes on the calling thread (no thread needed: a 4096-clip point takes about
    27 ms, see docs/architecture.md). Message thread; `nowSeconds` from a monotonic clock. */
class Autosaver
{
public:
    explicit Autosaver (double intervalSeconds = 30.0) : interval (intervalSeconds) {}

    void setInterval (double seconds) noexcept { interval = seconds; }

    /** `unsaved`: the session differs from its file (SessionEditor::hasUnsavedChanges());
        `changeCount`: grows at every edit, undo and redo (SessionEditor::getChangeCount()).
        True when a recovery point is due. */
    bool isDue (double nowSeconds, bool unsaved, std::uint64_t changeCount) noexcept;

    /** A recovery point holding the session at `changeCount` was written at `nowSeconds`. */
    void written (double nowSeconds, std::uint64_t changeCount) noexcept;

    /** isDue, then store.recoveryPointNow (session, "autosave"). Returns "" or the failure
        (an OutputError's text; a failed point is tried again one interval later). Never throws. */
    std::string tick (double nowSeconds, bool unsaved, std::uint64_t changeCount, SessionStore& store,
                      const Session& session);

private:
    double interval;
    std::optional<std::uint64_t> writtenCount;   // the change count the last point holds
    std::optional<double> pendingSince;          // when a change no point holds was first seen
    std::optional<double> lastFailure;
};

} // namespace cuegrid
