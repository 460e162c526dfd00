// CueGrid — GPL-3.0-or-later
#include "SessionStore.h"

#include "AppFolders.h"
#include "AtomicFile.h"
#include "Errors.h"
#include "JsonDocument.h"
#include "MediaLoader.h"
#include "SessionManifest.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <unordered_map>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cuegrid
{

namespace fs = std::filesystem;

namespace
{
    constexpr const char* runMarkerName = "running.json";
    constexpr const char* recoveryKey = "recoveryPoint";

    std::int64_t nowMicros()
    {
        return std::chrono::duration_cast<std::chrono::microseconds> (
                   std::chrono::system_clock::now().time_since_epoch()).count();
    }

    /** "20261124T000256.123456Z": sorts by time, no ':' (FAT and SMB refuse it). */
    std::string fileTimeStamp (std::int64_t micros)
    {
        const auto seconds = (std::time_t) (micros / 1000000);
        std::tm utc {};
        ::gmtime_r (&seconds, &utc);
        char text[96];  // room for any int the compiler cannot rule out
        std::snprintf (text, sizeof text, "%04d%02d%02dT%02d%02d%02d.%06dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                       utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, (int) (micros % 1000000));
        return text;
    }

    /** "2026-11-24T00:02:56.123456Z" (ISO 8601, for people and JSON). */
    std::string isoTimeStamp (std::int64_t micros)
    {
        const auto seconds = (std::time_t) (micros / 1000000);
        std::tm utc {};
        ::gmtime_r (&seconds, &utc);
        char text[96];  // room for any int the compiler cannot rule out
        std::snprintf (text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                       utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, (int) (micros % 1000000));
        return text;
    }

    /** The time of a recovery point's file name, or nullopt if the name is not one. */
    std::optional<std::int64_t> parseFileTimeStamp (const std::string& name)
    {
        int year, month, day, hour, minute, second, micro;
        char zone = 0;
        int consumed = 0;
        if (name.size() != std::string ("20261124T000256.123456Z.cuegrid").size()
            || std::sscanf (name.c_str(), "%4d%2d%2dT%2d%2d%2d.%6d%c.cuegrid%n", &year, &month, &day, &hour, &minute,
                            &second, &micro, &zone, &consumed) != 8
            || zone != 'Z' || consumed != (int) name.size())
            return std::nullopt;
        std::tm utc {};
        utc.tm_year = year - 1900;
        utc.tm_mon = month - 1;
        utc.tm_mday = day;
        utc.tm_hour = hour;
        utc.tm_min = minute;
        utc.tm_sec = second;
        return (std::int64_t) ::timegm (&utc) * 1000000 + micro;
    }

    std::int64_t modificationMicros (const fs::path& path)
    {
        struct stat status {};
        if (::stat (path.c_str(), &status) != 0)
            return 0;
        return (std::int64_t) status.st_mtim.tv_sec * 1000000 + status.st_mtim.tv_nsec / 1000;
    }

    /** Which saved version of the manifest is on disk: device, inode, modification time (ns)
        and size. Every save renames a new file into place, so this changes with each save,
        where the modification time alone does not (it has the kernel's coarse clock tick,
        several ms, so a save right after a recovery point can carry an earlier time). "" when
        there is no file. */
    std::string manifestIdentity (const std::string& path)
    {
        struct stat status {};
        if (::stat (path.c_str(), &status) != 0)
            return {};
        return std::to_string (status.st_dev) + ":" + std::to_string (status.st_ino) + ":"
               + std::to_string (status.st_mtim.tv_sec) + "." + std::to_string (status.st_mtim.tv_nsec) + ":"
               + std::to_string (status.st_size);
    }

    std::uint32_t fnv1a (const std::string& text)
    {
        std::uint64_t hash = 0xcbf29ce484222325ull;
        for (const auto c : text)
        {
            hash ^= (unsigned char) c;
            hash *= 0x100000001b3ull;
        }
        return (std::uint32_t) (hash ^ (hash >> 32));
    }

    std::string hostName()
    {
        char name[256] = {};
        if (::gethostname (name, sizeof name - 1) != 0)
            return {};
        return name;
    }

    std::string systemError() { return std::strerror (errno); }

    /** A string member of a JSON object, or "" (hand-edited files: never a type_error). */
    std::string stringMember (const nlohmann::json& object, const char* key)
    {
        if (! object.is_object())
            return {};
        const auto member = object.find (key);
        return member != object.end() && member->is_string() ? member->get<std::string>() : std::string();
    }

    /** Keeps `from` also as `to` (replacing `to`): a hard link where the file system has
        them (no copy, instant), else a copy through an AtomicFile. Throws OutputError. */
    void keepCopy (const fs::path& from, const fs::path& to)
    {
        // Named after `from` (the session file), so markOpen finds it if a kill interrupts.
        const auto temporary = from.string() + ".link-tmp";
        ::unlink (temporary.c_str());
        if (::linkat (AT_FDCWD, from.c_str(), AT_FDCWD, temporary.c_str(), AT_SYMLINK_FOLLOW) == 0)
        {
            if (::rename (temporary.c_str(), to.c_str()) == 0)
                return;
            const auto error = systemError();
            ::unlink (temporary.c_str());
            throw OutputError (to.string() + ": cannot keep a copy of " + from.string() + ": " + error);
        }
        if (errno == EACCES || errno == EROFS || errno == ENOSPC || errno == EDQUOT)
            throw OutputError (to.string() + ": cannot keep a copy of " + from.string() + ": " + systemError());
        // No hard links here (FAT, some FUSE and network file systems): copy.
        writeFileAtomically (to.string(), JsonDocument::readTextFile (from.string()));
    }

    /** Removes `<name>.tmp-XXXXXX` files (AtomicFile temporaries) in `folder` whose name
        starts with `prefix` ("" for every one). */
    void removeTemporaries (const fs::path& folder, const std::string& prefix)
    {
        std::error_code code;
        for (const auto& entry : fs::directory_iterator (folder, code))
        {
            const auto name = entry.path().filename().string();
            const auto mark = name.rfind (".tmp-");
            const auto linkMark = name.rfind (".link-tmp");
            const bool temporary = (mark != std::string::npos && name.size() - mark == 11)
                                   || (linkMark != std::string::npos && linkMark + 9 == name.size());
            if (temporary && name.rfind (prefix, 0) == 0)
                fs::remove (entry.path(), code);
        }
    }

    /** Field 22 of /proc/<pid>/stat (the process's start time in clock ticks since boot):
        with the pid it names one process, even after the pid is reused. "" if unknown. */
    std::string processStart (const std::string& pid)
    {
        std::FILE* stat = std::fopen (("/proc/" + pid + "/stat").c_str(), "r");
        if (stat == nullptr)
            return {};
        char buffer[1024] = {};
        const auto length = std::fread (buffer, 1, sizeof buffer - 1, stat);
        std::fclose (stat);
        const std::string text (buffer, length);
        const auto close = text.rfind (')');  // the command name may hold spaces and parentheses
        if (close == std::string::npos)
            return {};
        std::string field;
        size_t position = close + 2;
        for (int index = 3; index <= 22 && position < text.size(); ++index)
        {
            const auto end = text.find (' ', position);
            field = text.substr (position, end - position);
            position = end == std::string::npos ? text.size() : end + 1;
        }
        return field;
    }

    /** The process named in a run marker is alive on this machine (and is not us). */
    bool markerProcessAlive (const nlohmann::json& marker)
    {
        if (! marker.is_object() || ! marker.contains ("pid") || ! marker["pid"].is_number_integer())
            return false;
        const auto pid = (pid_t) marker["pid"].get<long long>();
        if (pid <= 0 || pid == ::getpid() || stringMember (marker, "host") != hostName())
            return false;
        if (::kill (pid, 0) != 0 && errno != EPERM)
            return false;
        const auto recorded = stringMember (marker, "processStart");
        const auto current = processStart (std::to_string (pid));
        return recorded.empty() || current.empty() || recorded == current;
    }

    nlohmann::json readMarker (const fs::path& path, std::string& text)
    {
        try
        {
            text = JsonDocument::readTextFile (path.string());
        }
        catch (const InputError&)
        {
            return {};
        }
        return nlohmann::json::parse (text, nullptr, false);
    }
} // namespace

SessionStore::SessionStore (std::string path, StoreSettings storeSettings)
    : sessionPath (fs::absolute (path).lexically_normal().string()), settings (std::move (storeSettings))
{
}

SessionStore::~SessionStore()
{
    markClosed();
}

fs::path SessionStore::recoveryFolderFor (const std::string& path, const fs::path& autosaveRoot)
{
    std::error_code code;
    auto absolute = fs::weakly_canonical (fs::absolute (path), code);
    if (code)
        absolute = fs::absolute (path).lexically_normal();
    char hash[16];
    std::snprintf (hash, sizeof hash, "%08" PRIx32, fnv1a (absolute.string()));
    return autosaveRoot / (absolute.stem().string() + "-" + hash);
}

fs::path SessionStore::backupPath (const std::string& path, int n)
{
    return path + ".bak" + std::to_string (n);
}

fs::path SessionStore::migrationBackupPath (const std::string& path, int version)
{
    const fs::path file (path);
    return file.parent_path() / (file.stem().string() + ".v" + std::to_string (version) + file.extension().string());
}

int SessionStore::manifestVersionOnDisk (const std::string& path)
{
    std::string text;
    try
    {
        text = JsonDocument::readTextFile (path);
    }
    catch (const InputError&)
    {
        return 0;
    }
    const auto root = nlohmann::json::parse (text, nullptr, false);
    if (! root.is_object() || ! root.contains ("version") || ! root["version"].is_number())
        return 0;
    // Range first: casting a double outside int's range (1e300) is undefined.
    const auto version = root["version"].get<double>();
    return version >= 1 && version <= 1000000 && version == std::floor (version) ? (int) version : 0;
}

bool SessionStore::markOpen()
{
    const auto folder = getRecoveryFolder();
    std::error_code code;
    fs::create_directories (folder, code);
    if (code)
        throw OutputError (folder.string() + ": cannot create the recovery folder: " + code.message());

    std::string previous;
    const bool otherInstance = markerProcessAlive (readMarker (folder / runMarkerName, previous));
    if (otherInstance)
        return false;  // its marker stays: a crash of that instance must still be noticed
    removeTemporaries (fs::path (sessionPath).parent_path(), fs::path (sessionPath).filename().string() + ".");
    removeTemporaries (folder, "");
    nlohmann::ordered_json marker;
    marker["session"] = sessionPath;
    marker["pid"] = (long long) ::getpid();
    marker["processStart"] = processStart ("self");
    marker["host"] = hostName();
    marker["openedUtc"] = isoTimeStamp (nowMicros());
    writeFileAtomically ((folder / runMarkerName).string(), marker.dump (2) + "\n");
    markedOpen = true;
    return true;
}

void SessionStore::markClosed() noexcept
{
    if (! markedOpen)
        return;
    markedOpen = false;
    try
    {
        // Only our own marker: another instance may have taken over the session since.
        std::string text;
        const auto path = getRecoveryFolder() / runMarkerName;
        const auto marker = readMarker (path, text);
        if (marker.is_object() && marker.contains ("pid") && marker["pid"].is_number_integer()
            && marker["pid"].get<long long>() == (long long) ::getpid()
            && stringMember (marker, "processStart") == processStart ("self"))
        {
            std::error_code code;
            fs::remove (path, code);
        }
    }
    catch (...)  // never throws: a marker left behind only means one needless recovery question
    {
    }
}

void SessionStore::rotateBackups (SaveResult& result)
{
    std::error_code code;
    if (settings.backupsKept <= 0)
    {
        for (int n = 1; fs::exists (backupPath (sessionPath, n), code); ++n)
            fs::remove (backupPath (sessionPath, n), code);
        return;
    }
    // From the oldest kept up: also those a larger backupsKept left.
    for (int n = settings.backupsKept; fs::exists (backupPath (sessionPath, n), code); ++n)
        fs::remove (backupPath (sessionPath, n), code);
    for (int n = settings.backupsKept - 1; n >= 1; --n)
        if (fs::exists (backupPath (sessionPath, n), code))
            fs::rename (backupPath (sessionPath, n), backupPath (sessionPath, n + 1), code);
    try
    {
        keepCopy (sessionPath, backupPath (sessionPath, 1));
    }
    catch (const OutputError& error)
    {
        result.warnings.push_back (std::string ("no backup of the previous version kept: ") + error.what());
    }
}

SessionStore::SaveResult SessionStore::save (const Session& session)
{
    SaveResult result;
    const auto text = SessionManifest::toJson (session).dump (2) + "\n";
    // The new version is written and on disk before anything else changes: a full disk or an
    // unwritable folder throws here, and the saved file, its backups and copies stay as they were.
    AtomicFile file (sessionPath);
    file.write (text.data(), text.size());

    std::error_code code;
    const bool previousExists = fs::is_regular_file (sessionPath, code);
    if (previousExists && ! migrationChecked)
    {
        // The first save over an older version keeps the original, named by its version.
        const auto version = manifestVersionOnDisk (sessionPath);
        if (version >= 1 && version < Session::currentVersion)
        {
            const auto original = migrationBackupPath (sessionPath, version);
            if (! fs::exists (original, code))
            {
                keepCopy (sessionPath, original);  // throws: then nothing was replaced
                result.migrationBackup = original.string();
            }
        }
    }
    if (previousExists)
        rotateBackups (result);
    file.commit();
    migrationChecked = true;
    ++saveCount;
    return result;
}

Session SessionStore::rebaseMedia (const Session& session, const std::string& oldPath, const std::string& newPath)
{
    auto rebased = session;
    const auto newFolder = fs::absolute (newPath).lexically_normal().parent_path();
    for (auto& clip : rebased.clips)
    {
        if (fs::path (clip.file).is_absolute())
            continue;
        const auto media = resolveMediaPath (fs::absolute (oldPath), clip.file).lexically_normal();
        const auto relative = media.lexically_relative (newFolder);
        const bool inside = ! relative.empty() && relative.begin()->string() != "..";
        clip.file = inside ? relative.string() : media.string();
    }
    return rebased;
}

Session SessionStore::saveAs (const Session& session, const std::string& newPath, SaveResult* result)
{
    auto rebased = rebaseMedia (session, sessionPath, newPath);
    SessionStore target (newPath, settings);
    auto saved = target.save (rebased);  // throws: nothing here changed
    const bool wasOpen = markedOpen;
    if (wasOpen)
        markClosed();
    sessionPath = target.sessionPath;
    migrationChecked = true;
    ++saveCount;
    if (wasOpen)
    {
        try
        {
            markOpen();
        }
        catch (const OutputError& error)
        {
            saved.warnings.push_back (std::string ("no crash recovery for the new session: ") + error.what());
        }
    }
    if (result != nullptr)
        *result = std::move (saved);
    return rebased;
}

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

StoreSettings SessionStore::userSettings (std::string* problem)
{
    const auto preferences = Preferences::load (Preferences::defaultPath());
    if (problem != nullptr)
        *problem = preferences.problem;
    return { AppFolders (preferences.preferences).getHome() / "Autosave",
             preferences.preferences.backupsKept, preferences.preferences.recoveryPointsKept };
}

} // namespace cuegrid
