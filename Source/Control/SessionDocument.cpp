// CueGrid — GPL-3.0-or-later
#include "SessionDocument.h"

#include "MediaFactsRefresher.h"
#include "ShowController.h"
#include "Session/Errors.h"
#include "Session/MediaCache.h"
#include "Session/MediaFolderChange.h"
#include "Session/MetadataDatabase.h"
#include "Session/NewSession.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>

namespace cuegrid
{

namespace fs = std::filesystem;

SessionDocument::SessionDocument (ShowController& showController, fs::path preferencesPath)
    : controller (showController), preferencesFile (std::move (preferencesPath))
{
    auto loaded = Preferences::load (preferencesFile);
    preferences = std::move (loaded.preferences);
    preferencesProblem = std::move (loaded.problem);
    autosaver.setInterval (preferences.autosaveSeconds);
    MediaCache::instance().setBudgetFromPreferences (preferences.mediaCacheMB);   // CUEGRID_MEDIA_CACHE_MB wins
}

SessionDocument::~SessionDocument()
{
    close();
}

const std::string& SessionDocument::getPath() const noexcept
{
    return controller.getSessionPath();
}

StoreSettings SessionDocument::storeSettings() const
{
    return { getHome() / "Autosave", preferences.backupsKept, preferences.recoveryPointsKept };
}

std::string SessionDocument::localTime (std::int64_t micros)
{
    const auto seconds = (std::time_t) (micros / 1000000);
    std::tm local {};
    localtime_r (&seconds, &local);
    char text[32];
    std::strftime (text, sizeof text, "%Y-%m-%d %H:%M:%S", &local);
    return text;
}

SessionDocument::Opened SessionDocument::open (const std::string& requestedPath, Recovery recovery, const std::string& exceptFromRecent)
{
    const auto path = fs::absolute (requestedPath).lexically_normal().string();
    const auto settings = storeSettings();
    SessionStore::pruneAutosave (settings.autosaveRoot);  // shows closed over 30 days ago
    const auto offer = SessionStore::findRecovery (path, settings.autosaveRoot);
    // A media folder change killed midway is finished or undone before the manifest is read.
    const auto mediaFolderRecovery = recoverMediaFolderChange (path);
    if (mediaFolderRecovery.found)
        std::fprintf (stderr, "CueGrid: %s\n", mediaFolderRecovery.message.c_str());

    Opened opened;
    std::optional<RecoveredSession> fromPoint;
    if (offer.point && recovery == Recovery::latest)
        fromPoint = SessionStore::loadRecoveryPoint (offer.point->path);  // throws before anything changes
    if (fromPoint)
        controller.loadSession (path, std::move (fromPoint->session));
    else
        controller.loadSession (path);  // throws before anything changes

    close();
    adopt (path, opened.problem, exceptFromRecent);
    // Content facts off the message thread: opening never waits for hashing (docs/media.md).
    mediaFacts = std::make_unique<MediaFactsRefresher> (controller.getSession(), path);
    if (fromPoint)
    {
        opened.recovered = true;
        recovered = true;
        std::fprintf (stderr, "CueGrid: recovered %s from the recovery point of %s (%s)\n", path.c_str(),
                      offer.point->createdUtc.c_str(), offer.point->path.c_str());
        try
        {
            MetadataDatabase (MetadataDatabase::pathForSession (path))
                .addAudit ("recovery", nlohmann::json ({ { "point", offer.point->path.string() }, { "createdUtc", offer.point->createdUtc },
                                                         { "reason", fromPoint->reason } }).dump());
        }
        catch (const std::exception& error)
        {
            std::fprintf (stderr, "CueGrid: the recovery is not in the session database: %s\n", error.what());
        }
    }
    else if (offer.point && recovery == Recovery::ask)
    {
        opened.toAsk = offer;
        opened.problem = "CueGrid did not close cleanly: a recovery point of " + localTime (offer.point->createdMicros)
                         + " is newer than the saved session (Recover in the bar above, or start with --recover latest).";
    }
    else if (recovery == Recovery::latest)
        std::fprintf (stderr, "CueGrid: --recover latest: no recovery point newer than the saved session\n");
    if (offer.otherInstanceRunning)
        opened.problem = "This session seems open in another CueGrid: " + offer.markerText;
    if (mediaFolderRecovery.found && opened.problem.empty())
        opened.problem = "Media folder: " + mediaFolderRecovery.message;
    for (auto& c : opened.problem)
        if (c == '\n')
            c = ' ';
    return opened;
}

void SessionDocument::adopt (const std::string& path, std::string& problem, const std::string& exceptFromRecent)
{
    store = std::make_unique<SessionStore> (path, storeSettings());
    recovered = false;
    autosaver = Autosaver (preferences.autosaveSeconds);
    try
    {
        store->markOpen();
    }
    catch (const OutputError& error)  // the store still saves; only crash detection is lost
    {
        std::fprintf (stderr, "CueGrid: no crash recovery for this session: %s\n", error.what());
        if (problem.empty())
            problem = std::string ("No crash recovery for this session: ") + error.what();
    }
    if (exceptFromRecent.empty() || fs::absolute (exceptFromRecent).lexically_normal().string() != path)
        addRecent (path);
}

void SessionDocument::addRecent (const std::string& path)
{
    // A preferences file that could not be read is left for the user to see, not overwritten.
    if (! preferencesProblem.empty())
        return;
    preferences.addRecentSession (path);
    try
    {
        preferences.save (preferencesFile);
    }
    catch (const OutputError& error)
    {
        std::fprintf (stderr, "CueGrid: recent sessions not kept: %s\n", error.what());
    }
}

void SessionDocument::recover (const RecoveryPoint& point)
{
    const auto path = getPath();
    auto fromPoint = SessionStore::loadRecoveryPoint (point.path);
    controller.loadSession (path, std::move (fromPoint.session));
    recovered = true;
    std::fprintf (stderr, "CueGrid: recovered %s from the recovery point of %s (%s)\n", path.c_str(), point.createdUtc.c_str(),
                  point.path.c_str());
    try
    {
        MetadataDatabase (MetadataDatabase::pathForSession (path))
            .addAudit ("recovery", nlohmann::json ({ { "point", point.path.string() }, { "createdUtc", point.createdUtc },
                                                     { "reason", fromPoint.reason } }).dump());
    }
    catch (const std::exception& error)
    {
        std::fprintf (stderr, "CueGrid: the recovery is not in the session database: %s\n", error.what());
    }
}

std::vector<std::string> SessionDocument::create (const std::string& requestedPath, const std::string& mediaFolder)
{
    const auto path = fs::absolute (requestedPath).lexically_normal().string();
    auto created = createSessionFiles (path, mediaFolder);
    open (path, Recovery::none);
    return created.warnings;
}

SessionStore::SaveResult SessionDocument::save()
{
    if (store == nullptr)
        throw OutputError ("no session is open");
    return store->save (controller.getSession());
}

void SessionDocument::saveAs (const std::string& requestedPath)
{
    if (store == nullptr)
        throw OutputError ("no session is open");
    const auto newPath = fs::absolute (requestedPath).lexically_normal().string();
    if (fs::path (newPath).extension() != ".cuegrid")
        throw OutputError (newPath + ": a session file's name ends in .cuegrid");
    auto rebased = store->saveAs (controller.getSession(), newPath);
    controller.loadSession (newPath, std::move (rebased));
    recovered = false;  // saved: the recovery is in a file now
    autosaver = Autosaver (preferences.autosaveSeconds);
    addRecent (newPath);
}

std::string SessionDocument::autosaveTick (double nowSeconds, bool unsaved, std::uint64_t changeCount)
{
    if (store == nullptr)
        return {};
    return autosaver.tick (nowSeconds, unsaved, changeCount, *store, controller.getSession());
}

void SessionDocument::recoveryPointNow (const std::string& reason)
{
    if (store != nullptr)
        store->recoveryPointNow (controller.getSession(), reason);
}

bool SessionDocument::refreshMediaFacts()
{
    if (store == nullptr || (mediaFacts != nullptr && ! mediaFacts->isDone()))
        return false;
    mediaFacts = std::make_unique<MediaFactsRefresher> (controller.getSession(), getPath());
    return true;
}

void SessionDocument::close()
{
    mediaFacts.reset();
    if (store == nullptr)
        return;
    if (isRecoveredUnsaved())
        store->keepRunMarker();
    store.reset();
    recovered = false;
}

std::string SessionDocument::getMediaFolder() const
{
    return getPath().empty() ? std::string() : recordedMediaFolder (getPath());
}

std::vector<std::string> SessionDocument::setMediaFolder (const std::string& folder)
{
    if (getPath().empty())
        throw OutputError ("no session is open");
    const auto check = checkMediaFolder (folder);
    if (! check.usable)
        throw OutputError (check.problem);
    recoveryPointNow ("before media folder change");
    recordMediaFolder (getPath(), folder);
    return check.warnings;
}

void SessionDocument::saveWithNewMediaPaths (const Session& changed)
{
    if (store == nullptr)
        throw OutputError ("no session is open");
    recoveryPointNow ("before media folder change");
    store->save (changed);
    // Only the paths change, in place: ClipSlots follows a changed file like an edit, so clips keep
    // their slots and a playing voice plays on from the media it has (no stopAll, unlike a reload).
    auto& session = controller.getEditableSession();
    const auto index = session.clipIndexById();
    for (const auto& clip : changed.clips)
        if (const auto found = index.find (clip.id); found != index.end())
            session.clips[(size_t) found->second].file = clip.file;
    SessionEditor::Change change;
    change.name = "Media folder";
    change.clipListChanged = true;
    controller.sessionEdited (change);
}

void SessionDocument::setPreferences (const Preferences& changed)
{
    changed.save (preferencesFile);
    preferences = changed;
    preferencesProblem.clear();
    autosaver.setInterval (preferences.autosaveSeconds);
    MediaCache::instance().setBudgetFromPreferences (preferences.mediaCacheMB);
}

} // namespace cuegrid
