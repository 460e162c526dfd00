// CueGrid — GPL-3.0-or-later
#pragma once

#include "Session/AppFolders.h"
#include "Session/SessionStore.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cuegrid
{

class MediaFactsRefresher;
class ShowController;

/** The open session as a document: which file it is, its store (saves, backups, recovery
    points, run marker), its autosave, the user's preferences and recent sessions. The app's
    File menu (New, Open, Open Recent, Save As, Preferences) and its start-up go through it;
    the CLI does not (it never keeps a session open).

    Opening another session replaces the controller's session only once the new one has
    loaded: a manifest that fails leaves the open session, its store and its run marker as
    they were. Closing a session removes its run marker, except for a session recovered from
    a recovery point and never saved: its marker stays, so the next start offers the same
    recovery again rather than the older saved file.

    Message thread only. Nothing here waits on the audio thread; opening installs the session at
    once and ShowController::loadSession has its media read in the background. */
class SessionDocument
{
public:
    /** What to do when the session's last run did not close cleanly and a recovery point is
        newer than the saved file (`CueGrid SESSION --recover latest|none`; ask: the app
        asks in a bar while the saved session is open). */
    enum class Recovery { ask, latest, none };

    /** What open() did. */
    struct Opened
    {
        bool recovered = false;                // the recovery point was loaded (Recovery::latest)
        std::optional<RecoveryOffer> toAsk;    // Recovery::ask and a point is offered: ask, then recover()
        std::string problem;                   // for the status bar: a crash to ask about, another instance, …
    };

    /** `preferencesFile`: Preferences::defaultPath() in the app; tests pass their own. */
    SessionDocument (ShowController& controller, std::filesystem::path preferencesFile);
    ~SessionDocument();

    SessionDocument (const SessionDocument&) = delete;
    SessionDocument& operator= (const SessionDocument&) = delete;

    /** Opens `path` (made absolute) in the controller: loads its manifest (or its newest
        recovery point, see Recovery), closes the previous session (run marker) and writes
        this one's run marker, adds it to the recent sessions (except `exceptFromRecent`, the
        demo). Throws InputError as SessionManifest::load does, changing nothing. */
    Opened open (const std::string& path, Recovery recovery, const std::string& exceptFromRecent = {});

    /** Loads `point` as the open session (the next save writes its file) and notes it in the
        session database's audit trail. Throws InputError (the point is unreadable). */
    void recover (const RecoveryPoint& point);

    /** File > New: creates the session files (createSessionFiles: media folder checked, the
        database recording it, the manifest) and opens the new session. Returns the media
        folder's warnings. Throws InputError / OutputError naming the file; the open session
        then stays. */
    std::vector<std::string> create (const std::string& path, const std::string& mediaFolder);

    /** Save: through the store. Throws OutputError (the saved file stays as it was). */
    SessionStore::SaveResult save();

    /** Save As: the session with rebased media paths goes to `newPath`, which becomes the
        open session (controller, store, run marker, recent sessions). Throws OutputError. */
    void saveAs (const std::string& newPath);

    /** Autosave, from a timer about once a second (Autosaver::tick). "" or the failure. */
    std::string autosaveTick (double nowSeconds, bool unsaved, std::uint64_t changeCount);

    /** A recovery point now, before a risky operation (a media folder change, …). Throws OutputError. */
    void recoveryPointNow (const std::string& reason);

    /** The switch of a media folder move or copy (Session/MediaFolderChange.h): a recovery point
        of the session as it is, then `changed` (the open session with its clips' new paths, and
        any unsaved edits) saved through the store, then the open session's clips take the new
        paths and the controller follows them as an edit (clips keep their slots; playing voices
        play on). The caller clears the undo history (MainComponent::sessionChanged): an undo
        must not point a clip back at a file a move deleted. Throws OutputError: the saved file
        and the open session stay as they were. */
    void saveWithNewMediaPaths (const Session& changed);

    /** Closes the open session: its run marker goes (but see the class comment). */
    void close();

    /** The open session's store; nullptr before a session is open. */
    SessionStore* getStore() noexcept { return store.get(); }
    const std::string& getPath() const noexcept;

    /** The open session came from a recovery point and has not been saved since. */
    bool isRecoveredUnsaved() const noexcept { return recovered && (store == nullptr || store->getSaveCount() == 0); }

    /** The media folder recorded in the session database (absolute), or "". */
    std::string getMediaFolder() const;
    /** Records a new media folder after a recovery point ("before media folder change").
        The folder is checked (checkMediaFolder); returns its warnings. Throws OutputError. */
    std::vector<std::string> setMediaFolder (const std::string& folder);

    // --- Preferences ----------------------------------------------------------------------------
    const Preferences& getPreferences() const noexcept { return preferences; }
    /** Why the preferences file could not be read ("" when it was, or was absent). */
    const std::string& getPreferencesProblem() const noexcept { return preferencesProblem; }
    /** Saves new preferences and applies them (autosave interval, kept counts; a new home
        takes effect for sessions opened from now on). Throws OutputError naming the file. */
    void setPreferences (const Preferences& changed);
    /** The CueGrid home in effect (CUEGRID_HOME, else the preference, else the default). */
    std::filesystem::path getHome() const { return AppFolders (preferences).getHome(); }

    /** "2026-11-24 01:02:03" in local time, for questions about recovery points. */
    static std::string localTime (std::int64_t microsSince1970);

    /** The open session's media facts, refreshed on a worker thread since it opened
        (MediaFactsRefresher: missing and replaced files); nullptr when no session is open. */
    const MediaFactsRefresher* getMediaFacts() const noexcept { return mediaFacts.get(); }
    /** Measures the open session's media facts again on a new worker (after a decision that
        changed the database's facts: a replaced file kept). The previous worker is replaced only
        when it has finished (it stops after the file it reads otherwise: the message thread
        would wait for that file); returns whether it was. Message thread. */
    bool refreshMediaFacts();

private:
    StoreSettings storeSettings() const;
    void adopt (const std::string& path, std::string& problem, const std::string& exceptFromRecent);
    void addRecent (const std::string& path);

    ShowController& controller;
    std::filesystem::path preferencesFile;
    Preferences preferences;
    std::string preferencesProblem;
    std::unique_ptr<SessionStore> store;
    Autosaver autosaver;
    bool recovered = false;
    std::unique_ptr<MediaFactsRefresher> mediaFacts;   // message thread; its worker has its own database connection
};

} // namespace cuegrid
