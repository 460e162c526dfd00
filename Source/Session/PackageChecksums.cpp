// CueGrid — GPL-3.0-or-later
#include "PackageChecksums.h"

#include "Errors.h"
#include "VerifiedCopy.h"

#include <xxhash.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <set>
#include <sstream>

namespace cuegrid
{

namespace
{
    namespace fs = std::filesystem;

    std::string hex (XXH64_hash_t hash)
    {
        char text[17];
        std::snprintf (text, sizeof text, "%016llx", (unsigned long long) hash);
        return text;
    }

    using HashState = std::unique_ptr<XXH3_state_t, decltype (&XXH3_freeState)>;
    HashState newState()
    {
        HashState state (XXH3_createState(), &XXH3_freeState);
        XXH3_64bits_reset (state.get());
        return state;
    }

    /** Closes a descriptor on every path out. */
    struct Descriptor
    {
        int fd = -1;
        ~Descriptor() { if (fd >= 0) ::close (fd); }
    };

    bool isSafeRelative (const std::string& file)
    {
        if (file.empty() || file.front() == '/')
            return false;
        for (const auto& part : fs::path (file))
            if (part == ".." || part == ".")
                return false;
        return true;
    }
} // namespace

std::string PackageChecksums::format (std::vector<PackageChecksum> entries)
{
    std::sort (entries.begin(), entries.end(), [] (const auto& a, const auto& b) { return a.file < b.file; });
    std::string text;
    for (const auto& entry : entries)
        text += "XXH3 (" + entry.file + ") = " + entry.xxh3 + "\n";
    return text;
}

std::vector<PackageChecksum> PackageChecksums::parse (const std::string& text, const std::string& listFile)
{
    std::vector<PackageChecksum> entries;
    std::set<std::string> seen;
    std::istringstream lines (text);
    int lineNumber = 0;
    for (std::string line; std::getline (lines, line);)
    {
        ++lineNumber;
        if (line.empty())
            continue;
        // The hash is the text after the last ") = ", so a name holding one still parses.
        const auto close = line.rfind (") = ");
        if (line.rfind ("XXH3 (", 0) != 0 || close == std::string::npos || close < 6)
            throw InputError (listFile, lineNumber, 1, "not a checksum line (expected \"XXH3 (FILE) = 16 hex digits\")");
        PackageChecksum entry;
        entry.file = line.substr (6, close - 6);
        entry.xxh3 = line.substr (close + 4);
        if (entry.xxh3.size() != 16 || entry.xxh3.find_first_not_of ("0123456789abcdef") != std::string::npos)
            throw InputError (listFile, lineNumber, (int) close + 5, "the checksum of " + entry.file + " is not 16 lower-case hex digits");
        if (! isSafeRelative (entry.file))
            throw InputError (listFile, lineNumber, 7, entry.file + ": a package file must be a relative path inside the package");
        if (! seen.insert (entry.file).second)
            throw InputError (listFile, lineNumber, 7, entry.file + ": listed twice");
        entries.push_back (std::move (entry));
    }
    return entries;
}

std::string PackageChecksums::hashFile (const fs::path& file)
{
    Descriptor in { ::open (file.c_str(), O_RDONLY | O_CLOEXEC) };
    if (in.fd < 0)
        throw InputError (file.string(), 0, 0, std::string ("cannot be read: ") + std::strerror (errno));
    auto state = newState();
    std::vector<char> block (1 << 20);
    for (;;)
    {
        const auto got = ::read (in.fd, block.data(), block.size());
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            throw InputError (file.string(), 0, 0, std::string ("read failed: ") + std::strerror (errno));
        if (got == 0)
            break;
        XXH3_64bits_update (state.get(), block.data(), (size_t) got);
    }
    return hex (XXH3_64bits_digest (state.get()));
}

std::string PackageChecksums::copyAndHash (const fs::path& from, const fs::path& to)
{
    {
        Descriptor in { ::open (from.c_str(), O_RDONLY | O_CLOEXEC) };
        if (in.fd < 0)
            throw InputError (from.string(), 0, 0, std::string ("cannot be read: ") + std::strerror (errno));
        struct stat info {};
        if (::fstat (in.fd, &info) != 0 || ! S_ISREG (info.st_mode))
            throw InputError (from.string(), 0, 0, "not a regular file");
    }
    // The media folder's verified copy: hashed as read, fsynced, read back from the disk and
    // hashed again before it takes its name, so a copy damaged on the way is never kept.
    const std::atomic<bool> never { false };
    std::uint64_t hash = 0;
    copyMediaFileVerified (from, to, never, nullptr, &hash, true);
    return hex (hash);
}

} // namespace cuegrid
