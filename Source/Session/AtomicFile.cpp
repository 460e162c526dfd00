// CueGrid — GPL-3.0-or-later
#include "AtomicFile.h"

#include "Errors.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cuegrid
{

namespace
{
    std::string systemError() { return std::strerror (errno); }
}

AtomicFile::AtomicFile (std::string destination) : destinationPath (std::move (destination))
{
    const auto folder = std::filesystem::path (destinationPath).parent_path();
    const auto folderText = folder.empty() ? std::string (".") : folder.string();
    if (std::filesystem::is_directory (destinationPath))
        throw OutputError (destinationPath + ": is a folder, not a file");
    if (! std::filesystem::is_directory (folder.empty() ? "." : folder))
        throw OutputError (destinationPath + ": folder " + folderText + " does not exist");

    auto pattern = destinationPath + ".tmp-XXXXXX";
    std::vector<char> buffer (pattern.begin(), pattern.end());
    buffer.push_back ('\0');
    descriptor = ::mkstemp (buffer.data());
    if (descriptor < 0)
        throw OutputError (destinationPath + ": cannot write in folder " + folderText + ": " + systemError());
    temporaryPath = buffer.data();
    ::fchmod (descriptor, 0644);
}

AtomicFile::~AtomicFile()
{
    if (descriptor >= 0)
        ::close (descriptor);
    if (! committed && ! temporaryPath.empty())
        ::unlink (temporaryPath.c_str());
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
    if (::rename (temporaryPath.c_str(), destinationPath.c_str()) != 0)
        throw OutputError (destinationPath + ": cannot replace file: " + systemError());
    committed = true;
}

void writeFileAtomically (const std::string& path, const std::string& contents)
{
    AtomicFile file (path);
    file.write (contents.data(), contents.size());
    file.commit();
}

} // namespace cuegrid
