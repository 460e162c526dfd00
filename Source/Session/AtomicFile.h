// CueGrid — GPL-3.0-or-later
#pragma once

#include <filesystem>
#include <string>
#include <system_error>

namespace cuegrid
{

/** A file written under a temporary name in the destination's folder and renamed over the
    destination only on commit(), so readers never see a partial file and a failed write
    (unwritable folder, full disk) never replaces good data. Destroying it uncommitted
    removes the temporary, and so does SIGINT/SIGTERM once removeTemporaryFilesOnSignals()
    ran. A replaced file keeps its permission bits; a destination that is a symlink keeps
    the link and gets its target replaced. One thread at a time. */
class AtomicFile
{
public:
    /** Creates the temporary next to `destination`. Throws OutputError naming the folder. */
    explicit AtomicFile (std::string destination);
    ~AtomicFile();

    AtomicFile (const AtomicFile&) = delete;
    AtomicFile& operator= (const AtomicFile&) = delete;

    const std::string& getTemporaryPath() const noexcept { return temporaryPath; }
    const std::string& getDestination() const noexcept { return destinationPath; }

    /** The open file descriptor of the temporary (for libraries that write to a descriptor). */
    int getDescriptor() const noexcept { return descriptor; }

    /** Writes all bytes; throws OutputError (e.g. disk full). */
    void write (const void* data, size_t size);

    /** Flushes to disk (fsync), closes, renames over the destination and fsyncs the folder
        (so the new name survives a power loss). Throws OutputError. */
    void commit();

private:
    std::string destinationPath, temporaryPath;
    std::string writePath;      // destinationPath with symlinks resolved: what the rename replaces
    int descriptor = -1;
    int registrySlot = -1;      // slot in the signal handler's list of temporaries
    bool committed = false;
};

/** Installs SIGINT, SIGTERM, SIGHUP and SIGQUIT handlers that remove every AtomicFile
    temporary still open, then die of the signal as before. For command-line programs whose
    work an interrupt simply ends (`cuegrid render`, `analyze`). */
void removeTemporaryFilesOnSignals();

/** Writes `contents` to `path` through an AtomicFile. Throws OutputError. */
void writeFileAtomically (const std::string& path, const std::string& contents);

/** A folder being filled under a temporary name ("….partial") and renamed into place when
    whole: removed with everything in it when it goes out of scope unless `keep` was set, so
    every failure path (a throw included) leaves nothing half made. The folder analogue of
    AtomicFile (exports, package imports). */
struct PartialFolder
{
    std::filesystem::path path;
    bool keep = false;

    ~PartialFolder()
    {
        if (! keep && ! path.empty())
        {
            std::error_code ignored;
            std::filesystem::remove_all (path, ignored);
        }
    }
};

} // namespace cuegrid
