// CueGrid — GPL-3.0-or-later
// SessionStore's saving side: the atomic save with its backups and migration copy, Save As,
// and the run marker. Recovery points and the Autosaver are in SessionStoreRecovery.cpp.
#include "SessionStore.h"

#include "AppFolders.h"
#include "AtomicFile.h"
#include "Errors.h"
#include "JsonDocument.h"
#include "MediaLoader.h"
#include "SessionManifest.h"
#include "SessionStoreFiles.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace cuegrid
{

namespace fs = std::filesystem;
using namespace storefiles;

namespace
{
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

    std::string systemError() { return std::strerror (errno); }

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

StoreSettings SessionStore::userSettings (std::string* problem)
{
    const auto preferences = Preferences::load (Preferences::defaultPath());
    if (problem != nullptr)
        *problem = preferences.problem;
    return { AppFolders (preferences.preferences).getHome() / "Autosave",
             preferences.preferences.backupsKept, preferences.preferences.recoveryPointsKept };
}

} // namespace cuegrid
