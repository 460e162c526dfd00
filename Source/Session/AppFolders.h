// CueGrid — GPL-3.0-or-later
#pragma once

#include "Session/ClockPreferences.h"
#include "Hotkeys.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cuegrid
{

/** The user's preferences (`$XDG_CONFIG_HOME/cuegrid/preferences.json`, default
    `~/.config/cuegrid/preferences.json`). Plain data; one thread at a time.
    docs/session-format.md "Saving, backups and recovery" describes the file. */
struct Preferences
{
    static constexpr const char* formatName = "cuegrid.preferences";
    static constexpr int currentVersion = 1;
    static constexpr size_t maxRecentSessions = 10;

    std::string homeOverride;                 // the CueGrid home chosen in Preferences; "" = the default
    std::vector<std::string> recentSessions;  // absolute session paths, most recent first, at most 10
    GlobalKeymap keymap = GlobalKeymap::defaults();   // the global action keys (`keymap`; an action it omits keeps its default)
    int autosaveSeconds = 30;                 // 5 … 3600: a recovery point this often while there are unsaved changes
    int backupsKept = 5;                      // 0 … 100: previous versions kept beside a saved session (.bak1 … .bakN)
    int recoveryPointsKept = 20;              // 1 … 1000: recovery points kept per session in Autosave/
    bool dualPageView = false;                // the main window shows two pages side by side (this workstation's choice)
    // OSC (docs/osc.md): the server starts with the app when oscEnabled (`CueGrid --osc-port N` turns it on for one run).
    bool oscEnabled = false;
    int oscPort = 53100;                      // 1024 … 65535, UDP and TCP
    bool oscNetwork = false;                  // false: senders on this machine (loopback) only
    std::string oscPasscode;                  // "" = no /connect needed
    // Debounce, "minimum time between GOs" (docs/control.md): this machine's MIDI and OSC hardware,
    // 0 … 10000 ms, 0 = off. The keyboard's is the session's (hotkeys.debounceMs).
    int midiDebounceMs = 0;
    int oscDebounceMs = 0;
    int mediaCacheMB = 0;                     // 0 … 262144 MiB: the media cache's budget for streamed audio; 0 = min(2 GiB, RAM / 4)
    ClockPreferences clock;                   // the master clock (`clock`; ClockPreferences.h)
    std::vector<std::string> mediaSearchPaths;   // absolute folders where missing media is looked for (docs/media.md)

    /** Puts `sessionPath` first in recentSessions (moved if already listed), keeps 10. */
    void addRecentSession (const std::string& sessionPath);

    /** The file's location: $XDG_CONFIG_HOME/cuegrid/preferences.json, else
        $HOME/.config/cuegrid/preferences.json. */
    static std::filesystem::path defaultPath();

    struct LoadResult;

    /** Reads preferences. Never throws: a missing file gives the defaults silently; an
        unreadable or malformed file, or a value out of range, gives the defaults for what
        could not be read and a problem text naming the file. Recent sessions whose file no
        longer exists are dropped. */
    static LoadResult load (const std::filesystem::path& file);

    /** Writes atomically (temporary file, fsync, rename, fsync of the folder), creating the
        folder. Throws OutputError naming the file. */
    void save (const std::filesystem::path& file) const;
};

struct Preferences::LoadResult
{
    Preferences preferences;
    std::string problem;   // "" when the file was absent or read cleanly
};

/** Where CueGrid keeps its files: the CueGrid home with `Sessions/`, `Exports/`, `Logs/`
    and `Autosave/`. The home is, in order: the CUEGRID_HOME environment variable; the
    Preferences' home override; `<documents folder>/CueGrid` where the documents folder is
    XDG_DOCUMENTS_DIR of `$XDG_CONFIG_HOME/user-dirs.dirs` (what `xdg-user-dir DOCUMENTS`
    answers), when it is set and is not $HOME itself; else `~/CueGrid`.
    The environment is read at construction. Any thread; not shared while in use. */
class AppFolders
{
public:
    explicit AppFolders (const Preferences& preferences);

    const std::filesystem::path& getHome() const noexcept { return home; }

    /** Each folder of the home, created (with the home) on first use. Throw OutputError
        naming the folder when it cannot be created. */
    std::filesystem::path sessions() const { return ensure ("Sessions"); }
    std::filesystem::path exports() const { return ensure ("Exports"); }
    std::filesystem::path logs() const { return ensure ("Logs"); }
    std::filesystem::path autosave() const { return ensure ("Autosave"); }

    /** The user's documents folder as `xdg-user-dir DOCUMENTS` gives it, or "" when
        user-dirs.dirs does not set one (or sets it to $HOME). */
    static std::filesystem::path documentsFolder();

    /** $HOME, else the password database's home folder. */
    static std::filesystem::path userHome();

private:
    std::filesystem::path ensure (const char* child) const;
    std::filesystem::path home;
};

/** What a folder chosen for media is like (checkMediaFolder). */
struct MediaFolderCheck
{
    bool usable = false;              // exists (or was created), is a folder and a file could be written in it
    std::string problem;              // why not usable, naming the folder; "" when usable
    std::vector<std::string> warnings;  // usable, but: little free space, removable or network storage
    std::uintmax_t freeBytes = 0;     // available to this user (statvfs f_bavail × f_frsize)
    bool removable = false;           // on a removable block device (USB stick, SD card, …)
    bool network = false;             // on NFS, SMB/CIFS, a FUSE mount, 9p, …
    std::string fileSystem;           // the file system's name where known ("nfs", "fuse", "ext4", …)
};

/** Checks a media folder for a new session: creates it if `create` and missing, writes and
    removes a temporary file in it, reads its free space and warns below `minimumFreeBytes`,
    and warns when it lies on removable or network storage (a show's media should be on a
    local disk). Never throws. Message thread is fine: a few system calls (a hung network
    mount can block them, as any file access would). */
MediaFolderCheck checkMediaFolder (const std::filesystem::path& folder, bool create = true,
                                   std::uintmax_t minimumFreeBytes = 1024ull * 1024 * 1024);

} // namespace cuegrid
