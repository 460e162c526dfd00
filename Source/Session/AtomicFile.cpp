// CueGrid — GPL-3.0-or-later
#include "AtomicFile.h"

#include "Errors.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cuegrid
{

namespace
{
    std::string systemError() { return std::strerror (errno); }

    /** Temporaries alive now, so a signal handler can remove them (async-signal-safe: fixed
        storage, atomics, unlink). A slot is 0 free, 1 being filled, 2 holding a path.
        Written by the thread that owns the AtomicFile; read by the signal handler. */
    constexpr int temporarySlotCount = 64;
    std::atomic<int> temporarySlotState[temporarySlotCount];
    char temporarySlotPath[temporarySlotCount][4096];

    int registerTemporary (const std::string& path)
    {
        if (path.size() >= sizeof temporarySlotPath[0])
            return -1;
        for (int slot = 0; slot < temporarySlotCount; ++slot)
        {
            int expected = 0;
            if (temporarySlotState[slot].compare_exchange_strong (expected, 1))
            {
                std::memcpy (temporarySlotPath[slot], path.c_str(), path.size() + 1);
                temporarySlotState[slot].store (2);
                return slot;
            }
        }
        return -1;  // more than 64 at once: that one is only removed by its destructor
    }

    void unregisterTemporary (int slot)
    {
        if (slot >= 0)
            temporarySlotState[slot].store (0);
    }

    extern "C" void removeTemporariesAndReraise (int signalNumber)
    {
        for (int slot = 0; slot < temporarySlotCount; ++slot)
            if (temporarySlotState[slot].load() == 2)
                ::unlink (temporarySlotPath[slot]);
        ::signal (signalNumber, SIG_DFL);
        ::raise (signalNumber);
    }

    /** The process umask, read without changing it (Linux 4.7+ reports it in /proc). */
    mode_t currentUmask()
    {
        if (auto* status = std::fopen ("/proc/self/status", "r"))
        {
            char line[256];
            unsigned int mask = 022;
            bool found = false;
            while (! found && std::fgets (line, sizeof line, status) != nullptr)
                found = std::sscanf (line, "Umask: %o", &mask) == 1;
            std::fclose (status);
            if (found)
                return (mode_t) mask;
        }
        return 022;
    }

    /** A destination that is a symlink is written through: the link stays, its target is
        replaced. */
    std::string resolveSymlinks (const std::string& destination)
    {
        std::error_code code;
        if (! std::filesystem::is_symlink (std::filesystem::symlink_status (destination, code)))
            return destination;
        const auto target = std::filesystem::weakly_canonical (destination, code);
        if (code)  // a loop, or a folder on the way we may not read: never replace the link itself
            throw OutputError (destination + ": cannot follow the symlink: " + code.message());
        return target.string();
    }

    const char* nonRegularKind (mode_t mode)
    {
        if (S_ISCHR (mode)) return "a character device";
        if (S_ISBLK (mode)) return "a block device";
        if (S_ISFIFO (mode)) return "a FIFO (named pipe)";
        if (S_ISSOCK (mode)) return "a socket";
        return "not a regular file";
    }
}

void removeTemporaryFilesOnSignals()
{
    for (const auto signalNumber : { SIGINT, SIGTERM, SIGHUP, SIGQUIT })
    {
        // A signal the caller ignores (nohup, a background job of a script) stays ignored.
        struct sigaction current {};
        if (::sigaction (signalNumber, nullptr, &current) == 0 && current.sa_handler == SIG_IGN)
            continue;
        ::signal (signalNumber, removeTemporariesAndReraise);
    }
}

AtomicFile::AtomicFile (std::string destination) : destinationPath (std::move (destination))
{
    writePath = resolveSymlinks (destinationPath);
    const auto folder = std::filesystem::path (writePath).parent_path();
    const auto folderText = folder.empty() ? std::string (".") : folder.string();
    if (std::filesystem::is_directory (destinationPath))
        throw OutputError (destinationPath + ": is a folder, not a file");
    // A device, FIFO or socket is never renamed over (as root, /dev/null would become a file).
    if (struct stat target {}; ::stat (writePath.c_str(), &target) == 0 && ! S_ISREG (target.st_mode))
        throw OutputError (destinationPath + ": is " + nonRegularKind (target.st_mode)
                           + ", not a file (outputs are written to a temporary file and renamed into place)");
    if (! std::filesystem::is_directory (folder.empty() ? "." : folder))
        throw OutputError (destinationPath + ": folder " + folderText + " does not exist");

    auto pattern = writePath + ".tmp-XXXXXX";
    std::vector<char> buffer (pattern.begin(), pattern.end());
    buffer.push_back ('\0');
    descriptor = ::mkstemp (buffer.data());
    if (descriptor < 0)
        throw OutputError (destinationPath + ": cannot write in folder " + folderText + ": " + systemError());
    temporaryPath = buffer.data();
    registrySlot = registerTemporary (temporaryPath);

    // A replaced file keeps its permissions (and owner, where allowed); a new one gets the
    // usual 0666 less the umask, as any program's new file would.
    struct stat existing {};
    if (::stat (writePath.c_str(), &existing) == 0)
    {
        ::fchmod (descriptor, existing.st_mode & 07777);
        if (::fchown (descriptor, existing.st_uid, existing.st_gid) != 0) {}  // not ours to change: keep ours
    }
    else
        ::fchmod (descriptor, 0666 & ~currentUmask());
}

AtomicFile::~AtomicFile()
{
    if (descriptor >= 0)
        ::close (descriptor);
    if (! committed && ! temporaryPath.empty())
        ::unlink (temporaryPath.c_str());
    unregisterTemporary (registrySlot);
}

void AtomicFile::write (const void* data, size_t size)
{
    const auto* bytes = static_cast<const char*> (data);
    while (size > 0)
    {
        const auto written = ::write (descriptor, bytes, size);
        if (written < 0)
        {
            if (errno == EINTR)
                continue;
            throw OutputError (destinationPath + ": write failed: " + systemError());
        }
        bytes += written;
        size -= (size_t) written;
    }
}

void AtomicFile::commit()
{
    if (::fsync (descriptor) != 0)
        throw OutputError (destinationPath + ": write failed: " + systemError());
    const auto result = ::close (descriptor);
    descriptor = -1;
    if (result != 0)
        throw OutputError (destinationPath + ": write failed: " + systemError());
    if (::rename (temporaryPath.c_str(), writePath.c_str()) != 0)
        throw OutputError (destinationPath + ": cannot replace file: " + systemError());
    committed = true;
    unregisterTemporary (std::exchange (registrySlot, -1));
    // The rename is a change to the folder: without its fsync a power loss can bring back the
    // old name (or neither). Best effort: some file systems refuse fsync on a folder (EINVAL),
    // and the file is in place already, so a failure here is not a failed write.
    const auto folder = std::filesystem::path (writePath).parent_path();
    const auto folderDescriptor = ::open (folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folderDescriptor >= 0)
    {
        ::fsync (folderDescriptor);
        ::close (folderDescriptor);
    }
}

void writeFileAtomically (const std::string& path, const std::string& contents)
{
    AtomicFile file (path);
    file.write (contents.data(), contents.size());
    file.commit();
}

} // namespace cuegrid
