// CueGrid — GPL-3.0-or-later
#include "AppFolders.h"

#include "AtomicFile.h"
#include "Errors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace cuegrid
{

namespace fs = std::filesystem;

namespace
{
    std::string environment (const char* name)
    {
        const char* value = std::getenv (name);
        return value != nullptr ? std::string (value) : std::string();
    }

    fs::path configHome()
    {
        const auto xdg = environment ("XDG_CONFIG_HOME");
        if (! xdg.empty() && fs::path (xdg).is_absolute())  // the spec ignores a relative one
            return xdg;
        return AppFolders::userHome() / ".config";
    }

    /** A value of user-dirs.dirs: "$HOME/Documents" or "/abs/path", shell-quoted. */
    fs::path expandUserDirValue (std::string value)
    {
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr (1, value.size() - 2);
        std::string unescaped;
        for (size_t i = 0; i < value.size(); ++i)
        {
            if (value[i] == '\\' && i + 1 < value.size())
                ++i;
            unescaped += value[i];
        }
        if (unescaped.rfind ("$HOME", 0) == 0)
            return fs::path (AppFolders::userHome().string() + unescaped.substr (5));
        if (unescaped.empty() || unescaped[0] != '/')
            return {};
        return unescaped;
    }

    std::string readWholeFile (const fs::path& file, std::string& error)
    {
        std::ifstream stream (file, std::ios::binary);
        if (! stream)
        {
            error = std::strerror (errno);
            return {};
        }
        std::ostringstream text;
        text << stream.rdbuf();
        if (stream.bad())
            error = "read failed";
        return text.str();
    }

    void appendProblem (std::string& problems, const std::string& problem)
    {
        problems += (problems.empty() ? "" : "; ") + problem;
    }

    /** A whole number member in [minimum, maximum]; otherwise `value` stays and a problem is noted. */
    void readCount (const nlohmann::json& root, const char* key, int minimum, int maximum, int& value, std::string& problems)
    {
        if (! root.contains (key))
            return;
        const auto& member = root[key];
        if (! member.is_number_integer() || member.get<long long>() < minimum || member.get<long long>() > maximum)
        {
            appendProblem (problems, std::string (key) + " must be a whole number from " + std::to_string (minimum)
                                         + " to " + std::to_string (maximum) + " (kept " + std::to_string (value) + ")");
            return;
        }
        value = (int) member.get<long long>();
    }

    // statfs f_type of file systems that are not a local disk (linux/magic.h and fs sources).
    struct FileSystemKind
    {
        unsigned long magic;
        const char* name;
        bool network;
    };
    constexpr FileSystemKind fileSystemKinds[] = {
        { 0x6969, "nfs", true },
        { 0x517B, "smb", true },
        { 0xFF534D42, "cifs", true },
        { 0xFE534D42, "smb2", true },
        { 0x65735546, "fuse", true },   // sshfs, rclone, gvfs, ntfs-3g, exfat-fuse: treated as not a local disk
        { 0x01021997, "9p", true },
        { 0x00C36400, "ceph", true },
        { 0x5346414F, "afs", true },
        { 0x6B414653, "afs", true },
        { 0x564C, "ncp", true },
        { 0x47504653, "gpfs", true },
        { 0x0BD00BD0, "lustre", true },
        { 0x01161970, "gfs2", true },
        { 0xEF53, "ext4", false },
        { 0x9123683E, "btrfs", false },
        { 0x58465342, "xfs", false },
        { 0x01021994, "tmpfs", false },
        { 0x4D44, "vfat", false },
        { 0x2011BAB0, "exfat", false },
        { 0x5346544E, "ntfs", false },
        { 0x794C7630, "overlayfs", false },
        { 0x2FC12FC1, "zfs", false },
        { 0xF2F52010, "f2fs", false },
    };

    /** The block device holding `folder` is removable (its own or its disk's
        /sys/.../removable is 1) or hangs off USB. */
    bool onRemovableDevice (const fs::path& folder)
    {
        struct stat status {};
        if (::stat (folder.c_str(), &status) != 0)
            return false;
        const auto sysDevice = "/sys/dev/block/" + std::to_string (major (status.st_dev)) + ":"
                               + std::to_string (minor (status.st_dev));
        std::error_code code;
        const auto device = fs::canonical (sysDevice, code);
        if (code)
            return false;  // not a block device (tmpfs, overlay, network): nothing to ask sysfs
        for (const auto& candidate : { device, device.parent_path() })  // a partition's disk is its parent
        {
            std::ifstream removable (candidate / "removable");
            int flag = 0;
            if (removable >> flag && flag == 1)
                return true;
        }
        return device.string().find ("/usb") != std::string::npos;
    }

    std::string formatBytes (std::uintmax_t bytes)
    {
        std::ostringstream text;
        text.precision (3);
        if (bytes >= (1ull << 30)) text << (double) bytes / (double) (1ull << 30) << " GiB";
        else text << (double) bytes / (double) (1ull << 20) << " MiB";
        return text.str();
    }
} // namespace

// --- Preferences ----------------------------------------------------------------------------

void Preferences::addRecentSession (const std::string& sessionPath)
{
    recentSessions.erase (std::remove (recentSessions.begin(), recentSessions.end(), sessionPath), recentSessions.end());
    recentSessions.insert (recentSessions.begin(), sessionPath);
    if (recentSessions.size() > maxRecentSessions)
        recentSessions.resize (maxRecentSessions);
}

fs::path Preferences::defaultPath()
{
    return configHome() / "cuegrid" / "preferences.json";
}

Preferences::LoadResult Preferences::load (const fs::path& file)
{
    LoadResult result;
    std::error_code code;
    if (! fs::exists (file, code))
        return result;  // first start: the defaults, nothing to report

    const auto name = file.string();
    std::string readError;
    const auto text = readWholeFile (file, readError);
    if (! readError.empty())
    {
        result.problem = name + ": cannot read (" + readError + "); using the default preferences";
        return result;
    }
    const auto root = nlohmann::json::parse (text, nullptr, false);
    if (root.is_discarded() || ! root.is_object())
    {
        result.problem = name + ": not a preferences file (malformed JSON); using the default preferences";
        return result;
    }
    if (const auto format = root.find ("format"); format == root.end() || ! format->is_string() || *format != formatName)
    {
        result.problem = name + ": format is not \"" + std::string (formatName) + "\"; using the default preferences";
        return result;
    }
    std::string problems;
    if (const auto version = root.find ("version"); version != root.end() && version->is_number()
                                                     && version->get<double>() > currentVersion)
        appendProblem (problems, "written by a newer CueGrid; reading what this one knows");

    auto& preferences = result.preferences;
    if (const auto home = root.find ("home"); home != root.end())
    {
        if (home->is_string() && (home->get<std::string>().empty() || fs::path (home->get<std::string>()).is_absolute()))
            preferences.homeOverride = home->get<std::string>();
        else
            appendProblem (problems, "home must be an absolute folder path (ignored)");
    }
    if (const auto recent = root.find ("recentSessions"); recent != root.end())
    {
        if (! recent->is_array())
            appendProblem (problems, "recentSessions must be a list of paths (ignored)");
        else
            for (const auto& entry : *recent)
                if (entry.is_string() && fs::is_regular_file (entry.get<std::string>(), code)
                    && preferences.recentSessions.size() < maxRecentSessions)
                    preferences.recentSessions.push_back (entry.get<std::string>());
    }
    readCount (root, "autosaveSeconds", 5, 3600, preferences.autosaveSeconds, problems);
    readCount (root, "backupsKept", 0, 100, preferences.backupsKept, problems);
    readCount (root, "recoveryPointsKept", 1, 1000, preferences.recoveryPointsKept, problems);
    readCount (root, "oscPort", 1024, 65535, preferences.oscPort, problems);
    readCount (root, "midiDebounceMs", 0, 10000, preferences.midiDebounceMs, problems);
    readCount (root, "oscDebounceMs", 0, 10000, preferences.oscDebounceMs, problems);
    for (auto [key, flag] : { std::pair<const char*, bool*> { "oscEnabled", &preferences.oscEnabled }, { "oscNetwork", &preferences.oscNetwork } })
        if (const auto value = root.find (key); value != root.end())
        {
            if (value->is_boolean())
                *flag = value->get<bool>();
            else
                appendProblem (problems, std::string (key) + " must be true or false (ignored)");
        }
    if (const auto passcode = root.find ("oscPasscode"); passcode != root.end())
    {
        if (passcode->is_string() && passcode->get<std::string>().size() <= 256)
            preferences.oscPasscode = passcode->get<std::string>();
        else
            appendProblem (problems, "oscPasscode must be text of at most 256 bytes (ignored)");
    }
    readCount (root, "mediaCacheMB", 0, 262144, preferences.mediaCacheMB, problems);
    if (const auto searchPaths = root.find ("mediaSearchPaths"); searchPaths != root.end())
    {
        if (! searchPaths->is_array())
            appendProblem (problems, "mediaSearchPaths must be a list of folders (ignored)");
        else
            for (const auto& entry : *searchPaths)
                if (entry.is_string() && fs::path (entry.get<std::string>()).is_absolute())
                    preferences.mediaSearchPaths.push_back (entry.get<std::string>());
                else
                    appendProblem (problems, "mediaSearchPaths: an entry is not an absolute folder path (ignored)");
    }
    if (const auto dual = root.find ("dualPageView"); dual != root.end())
    {
        if (dual->is_boolean())
            preferences.dualPageView = dual->get<bool>();
        else
            appendProblem (problems, "dualPageView must be true or false (ignored)");
    }
    if (const auto keymap = root.find ("keymap"); keymap != root.end())
    {
        std::string keymapProblem;
        preferences.keymap = keymapFromJson (*keymap, keymapProblem);
        if (! keymapProblem.empty())
            appendProblem (problems, keymapProblem);
    }
    if (const auto clock = root.find ("clock"); clock != root.end())
        preferences.clock = ClockPreferences::fromJson (*clock, problems);
    if (! problems.empty())
        result.problem = name + ": " + problems;
    return result;
}

void Preferences::save (const fs::path& file) const
{
    std::error_code code;
    fs::create_directories (file.parent_path(), code);
    if (code)
        throw OutputError (file.string() + ": cannot create folder " + file.parent_path().string() + ": " + code.message());
    nlohmann::ordered_json root;
    root["format"] = formatName;
    root["version"] = currentVersion;
    root["home"] = homeOverride;
    root["recentSessions"] = recentSessions;
    root["keymap"] = keymapToJson (keymap);
    root["autosaveSeconds"] = autosaveSeconds;
    root["backupsKept"] = backupsKept;
    root["recoveryPointsKept"] = recoveryPointsKept;
    root["dualPageView"] = dualPageView;
    root["oscEnabled"] = oscEnabled;
    root["oscPort"] = oscPort;
    root["oscNetwork"] = oscNetwork;
    root["oscPasscode"] = oscPasscode;
    root["midiDebounceMs"] = midiDebounceMs;
    root["oscDebounceMs"] = oscDebounceMs;
    root["mediaCacheMB"] = mediaCacheMB;
    root["mediaSearchPaths"] = mediaSearchPaths;
    root["clock"] = clock.toJson();
    writeFileAtomically (file.string(), root.dump (2) + "\n");
}

// --- AppFolders -----------------------------------------------------------------------------

fs::path AppFolders::userHome()
{
    if (const auto home = environment ("HOME"); ! home.empty())
        return home;
    if (const auto* entry = ::getpwuid (::getuid()); entry != nullptr && entry->pw_dir != nullptr)
        return entry->pw_dir;
    return "/";
}

fs::path AppFolders::documentsFolder()
{
    std::ifstream dirs (configHome() / "user-dirs.dirs");
    std::string line;
    while (std::getline (dirs, line))
    {
        const std::string key = "XDG_DOCUMENTS_DIR=";
        if (line.rfind (key, 0) != 0)
            continue;
        auto folder = expandUserDirValue (line.substr (key.size()));
        // xdg-user-dir answers $HOME for an unset or disabled folder: no documents folder then.
        if (folder.empty() || folder.lexically_normal() == userHome().lexically_normal()
            || (folder.lexically_normal() / "") == (userHome().lexically_normal() / ""))
            return {};
        return folder;
    }
    return {};
}

AppFolders::AppFolders (const Preferences& preferences)
{
    if (const auto fromEnvironment = environment ("CUEGRID_HOME"); ! fromEnvironment.empty())
        home = fs::absolute (fromEnvironment);
    else if (! preferences.homeOverride.empty())
        home = preferences.homeOverride;
    else if (const auto documents = documentsFolder(); ! documents.empty())
        home = documents / "CueGrid";
    else
        home = userHome() / "CueGrid";
}

fs::path AppFolders::ensure (const char* child) const
{
    const auto folder = home / child;
    std::error_code code;
    fs::create_directories (folder, code);
    if (code || ! fs::is_directory (folder))
        throw OutputError (folder.string() + ": cannot create the folder"
                           + (code ? ": " + code.message() : std::string (" (a file is in the way)")));
    return folder;
}

// --- Media folder check ---------------------------------------------------------------------

MediaFolderCheck checkMediaFolder (const fs::path& folder, bool create, std::uintmax_t minimumFreeBytes)
{
    MediaFolderCheck check;
    const auto name = folder.string();
    std::error_code code;
    const auto status = fs::status (folder, code);
    if (! fs::exists (status))
    {
        if (! create)
        {
            check.problem = name + ": the folder does not exist or cannot be reached";
            return check;
        }
        fs::create_directories (folder, code);
        if (code)
        {
            check.problem = name + ": cannot create the folder: " + code.message();
            return check;
        }
    }
    else if (! fs::is_directory (status))
    {
        check.problem = name + ": is not a folder";
        return check;
    }

    // Writable: a real file written and removed (access() is wrong on read-only mounts for root).
    auto pattern = (folder / ".cuegrid-write-test-XXXXXX").string();
    const auto descriptor = ::mkstemp (pattern.data());
    if (descriptor < 0)
    {
        check.problem = name + ": cannot write in the folder: " + std::strerror (errno);
        return check;
    }
    const char probe[] = "cuegrid";
    const bool written = ::write (descriptor, probe, sizeof probe) == (ssize_t) sizeof probe;
    const auto writeError = errno;
    ::close (descriptor);
    ::unlink (pattern.c_str());
    if (! written)
    {
        check.problem = name + ": cannot write in the folder: " + std::strerror (writeError);
        return check;
    }
    check.usable = true;

    if (struct statvfs space {}; ::statvfs (folder.c_str(), &space) == 0)
        check.freeBytes = (std::uintmax_t) space.f_bavail * (std::uintmax_t) space.f_frsize;
    if (check.freeBytes < minimumFreeBytes)
        check.warnings.push_back (name + ": only " + formatBytes (check.freeBytes) + " free");

    if (struct statfs kind {}; ::statfs (folder.c_str(), &kind) == 0)
        for (const auto& known : fileSystemKinds)
            if ((unsigned long) (unsigned int) kind.f_type == known.magic)
            {
                check.fileSystem = known.name;
                check.network = known.network;
            }
    if (check.network)
        check.warnings.push_back (name + ": is on network or FUSE storage (" + check.fileSystem
                                  + "): media may stall or vanish during a show; a local disk is safer");
    check.removable = onRemovableDevice (folder);
    if (check.removable)
        check.warnings.push_back (name + ": is on removable storage: the show stops if it is unplugged; a local disk is safer");
    return check;
}

} // namespace cuegrid
