// CueGrid — GPL-3.0-or-later
// SessionStore's recovery side: recovery points (writing, listing, pruning), what a crash left
// to offer, reading a point back, and the Autosaver that decides when to write one. Saving,
// backups and the run marker are in SessionStore.cpp.
#include "SessionStore.h"

#include "AtomicFile.h"
#include "Errors.h"
#include "JsonDocument.h"
#include "MediaLoader.h"
#include "SessionManifest.h"
#include "SessionStoreFiles.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <unordered_map>

namespace cuegrid
{

namespace fs = std::filesystem;
using namespace storefiles;

fs::path SessionStore::recoveryPointNow (const Session& session, const std::string& reason)
{
    const auto folder = getRecoveryFolder();
    std::error_code code;
    fs::create_directories (folder, code);
    if (code)
        throw OutputError (folder.string() + ": cannot create the recovery folder: " + code.message());

    auto micros = nowMicros();
    auto path = folder / (fileTimeStamp (micros) + ".cuegrid");
    while (fs::exists (path, code))  // two points in one microsecond: the next free one
        path = folder / (fileTimeStamp (++micros) + ".cuegrid");

    // Self-contained: media paths absolute, so the point opens from where it is.
    auto json = SessionManifest::toJson (session);
    nlohmann::json originalFiles = nlohmann::json::object();  // a std::map: ordered_json's member lookup is linear
    // Media sits in a few folders: each folder is resolved and normalised once (lexically_normal
    // per clip was a third of a 4096-clip point).
    std::unordered_map<std::string, std::string> absoluteFolders;
    for (auto& clip : json["clips"])
    {
        const auto file = clip["file"].get<std::string>();
        const auto slash = file.rfind ('/');
        const auto folderPart = slash == std::string::npos ? std::string() : file.substr (0, slash + 1);
        auto known = absoluteFolders.find (folderPart);
        if (known == absoluteFolders.end())
            known = absoluteFolders.emplace (folderPart, (resolveMediaPath (sessionPath, folderPart + "x").parent_path()
                                                          .lexically_normal() / "").string()).first;
        const auto absolute = known->second + file.substr (folderPart.size());
        if (absolute != file)
        {
            originalFiles[clip["id"].get<std::string>()] = file;
            clip["file"] = absolute;
        }
    }
    nlohmann::ordered_json note;
    note["session"] = sessionPath;
    note["createdUtc"] = isoTimeStamp (micros);
    note["reason"] = reason;
    note["basedOn"] = manifestIdentity (sessionPath);  // the saved version these changes are on top of
    note["files"] = nlohmann::ordered_json (originalFiles);
    json[recoveryKey] = std::move (note);
    writeFileAtomically (path.string(), json.dump (2) + "\n");
    dropOldRecoveryPoints (folder);
    return path;
}

void SessionStore::dropOldRecoveryPoints (const fs::path& folder) const
{
    const auto points = listRecoveryPoints (folder);
    const auto kept = (size_t) std::max (1, settings.recoveryPointsKept);
    std::error_code code;
    for (size_t i = 0; i + kept < points.size(); ++i)
        fs::remove (points[i].path, code);
}

std::vector<RecoveryPoint> SessionStore::listRecoveryPoints (const fs::path& folder)
{
    std::vector<RecoveryPoint> points;
    std::error_code code;
    for (const auto& entry : fs::directory_iterator (folder, code))
    {
        if (! entry.is_regular_file (code))
            continue;
        if (const auto micros = parseFileTimeStamp (entry.path().filename().string()))
            points.push_back ({ entry.path(), *micros, isoTimeStamp (*micros) });
    }
    std::sort (points.begin(), points.end(), [] (const auto& a, const auto& b) { return a.createdMicros < b.createdMicros; });
    return points;
}

int SessionStore::pruneAutosave (const fs::path& autosaveRoot, double maxAgeDays)
{
    const auto oldest = nowMicros() - (std::int64_t) (maxAgeDays * 86400.0 * 1e6);
    int removed = 0;
    std::error_code code;
    for (const auto& entry : fs::directory_iterator (autosaveRoot, code))
    {
        std::error_code entryCode;
        if (! entry.is_directory (entryCode) || fs::exists (entry.path() / runMarkerName, entryCode))
            continue;
        const auto points = listRecoveryPoints (entry.path());
        if (! points.empty() && points.back().createdMicros >= oldest)
            continue;
        // Only what CueGrid writes there: recovery points and their temporaries.
        for (const auto& point : points)
            fs::remove (point.path, entryCode);
        removeTemporaries (entry.path(), "");
        if (fs::remove (entry.path(), entryCode))  // only if empty now
            ++removed;
    }
    return removed;
}

RecoveryOffer SessionStore::findRecovery (const std::string& path, const fs::path& autosaveRoot)
{
    RecoveryOffer offer;
    const auto folder = recoveryFolderFor (path, autosaveRoot);
    std::error_code code;
    if (! fs::exists (folder / runMarkerName, code))
        return offer;
    offer.crashed = true;
    const auto marker = readMarker (folder / runMarkerName, offer.markerText);
    offer.otherInstanceRunning = markerProcessAlive (marker);
    offer.savedMicros = modificationMicros (path);
    if (offer.otherInstanceRunning)
        return offer;
    // A point holds unsaved work when it was made on top of the manifest that is on disk now
    // (its basedOn note names this very file version); a point without the note counts when
    // it is newer than the manifest's modification time.
    const auto current = manifestIdentity (path);
    const auto points = listRecoveryPoints (folder);
    for (auto point = points.rbegin(); point != points.rend(); ++point)
    {
        try
        {
            const auto document = JsonDocument::fromFile (point->path.string());
            const auto& root = document.root();
            const auto note = root.is_object() && root.contains (recoveryKey) ? root[recoveryKey] : nlohmann::json();
            const auto basedOn = note.is_object() && note.contains ("basedOn") && note["basedOn"].is_string();
            const bool newer = basedOn ? note["basedOn"].get<std::string>() == current
                                       : point->createdMicros > offer.savedMicros;
            if (! newer)
                break;  // older points are older still
            loadRecoveryPoint (point->path);  // written atomically: only a hand-edited one fails
            offer.point = *point;
            break;
        }
        catch (const std::exception&)  // InputError, or anything a hand-edited file provokes
        {
        }
    }
    return offer;
}

RecoveredSession SessionStore::loadRecoveryPoint (const fs::path& path)
{
    const auto document = JsonDocument::fromFile (path.string());
    RecoveredSession recovered { SessionManifest::fromDocument (document), {}, {}, {} };
    const auto& root = document.root();
    if (! root.contains (recoveryKey) || ! root[recoveryKey].is_object())
        document.fail ("", "not a recovery point (no \"recoveryPoint\" note)");
    const auto& note = root[recoveryKey];
    if (! note.contains ("session") || ! note["session"].is_string())
        document.fail ("/recoveryPoint", "the note names no session file");
    recovered.sessionPath = note["session"].get<std::string>();
    recovered.createdUtc = stringMember (note, "createdUtc");
    recovered.reason = stringMember (note, "reason");
    if (note.contains ("files") && note["files"].is_object())
    {
        const auto index = recovered.session.clipIndexById();
        for (const auto& [id, file] : note["files"].items())
            if (const auto clip = index.find (id); clip != index.end() && file.is_string())
                recovered.session.clips[(size_t) clip->second].file = file.get<std::string>();
    }
    return recovered;
}

// --- Autosaver ------------------------------------------------------------------------------

bool Autosaver::isDue (double nowSeconds, bool unsaved, std::uint64_t changeCount) noexcept
{
    if (! unsaved || writtenCount == changeCount)
    {
        pendingSince.reset();  // saved, or every change is in the last point
        return false;
    }
    if (! pendingSince)
        pendingSince = nowSeconds;
    const auto since = std::max (*pendingSince, lastFailure.value_or (*pendingSince));
    return nowSeconds - since >= interval;
}

void Autosaver::written (double nowSeconds, std::uint64_t changeCount) noexcept
{
    writtenCount = changeCount;
    pendingSince.reset();
    lastFailure.reset();
    (void) nowSeconds;
}

std::string Autosaver::tick (double nowSeconds, bool unsaved, std::uint64_t changeCount, SessionStore& store,
                             const Session& session)
{
    if (! isDue (nowSeconds, unsaved, changeCount))
        return {};
    try
    {
        store.recoveryPointNow (session, "autosave");
    }
    catch (const std::exception& error)
    {
        lastFailure = nowSeconds;  // tried again one interval later, not at every tick
        return error.what();
    }
    written (nowSeconds, changeCount);
    return {};
}

} // namespace cuegrid
