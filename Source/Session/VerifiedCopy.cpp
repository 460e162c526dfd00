// CueGrid — GPL-3.0-or-later
#include "VerifiedCopy.h"

#include "Errors.h"
#include "MetadataDatabase.h"
#include "NewSession.h"

#include <xxhash.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace cuegrid
{

namespace fs = std::filesystem;

namespace
{
    constexpr size_t blockBytes = 1 << 20;

    using HashState = std::unique_ptr<XXH3_state_t, decltype (&XXH3_freeState)>;
    HashState newHashState()
    {
        HashState state (XXH3_createState(), &XXH3_freeState);
        XXH3_64bits_reset (state.get());
        return state;
    }

    std::optional<std::uint64_t> hashDescriptor (int fd, const std::atomic<bool>* cancel)
    {
        auto state = newHashState();
        std::vector<char> block (blockBytes);
        for (;;)
        {
            if (cancel != nullptr && cancel->load())
                return std::nullopt;
            const auto got = ::read (fd, block.data(), block.size());
            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0)
                return std::nullopt;
            if (got == 0)
                break;
            XXH3_64bits_update (state.get(), block.data(), (size_t) got);
        }
        return XXH3_64bits_digest (state.get());
    }

    std::string hex (std::uint64_t hash)
    {
        char text[20];
        std::snprintf (text, sizeof text, "%016llx", (unsigned long long) hash);
        return text;
    }

    void fsyncFolder (const fs::path& folder)
    {
        const int fd = ::open (folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0)
        {
            ::fsync (fd);
            ::close (fd);
        }
    }

    std::function<void (const fs::path&)>& testHook()
    {
        static std::function<void (const fs::path&)> hook;
        return hook;
    }
} // namespace

void setVerifiedCopyTestHook (std::function<void (const fs::path& part)> hook) { testHook() = std::move (hook); }

std::optional<std::uint64_t> hashMediaFile (const fs::path& file, const std::atomic<bool>* cancel)
{
    const int fd = ::open (file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    const auto hash = hashDescriptor (fd, cancel);
    ::close (fd);
    return hash;
}

bool copyMediaFileVerified (const fs::path& source, const fs::path& target, const std::atomic<bool>& cancel,
                            std::atomic<std::uintmax_t>* bytesDone, std::uint64_t* hash, bool keepModificationTime)
{
    std::error_code code;
    fs::create_directories (target.parent_path(), code);
    if (code)
        throw OutputError (target.parent_path().string() + ": cannot be created: " + code.message());
    const auto part = fs::path (target.string() + ".part");
    const int in = ::open (source.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0)
        throw OutputError (source.string() + ": cannot be read: " + std::strerror (errno));
    const int out = ::open (part.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (out < 0)
    {
        const auto why = std::string (std::strerror (errno));
        ::close (in);
        throw OutputError (part.string() + ": cannot be written: " + why);
    }

    // Copy, hashing what was read.
    auto state = newHashState();
    std::vector<char> block (blockBytes);
    std::string problem;
    std::uintmax_t copied = 0;
    for (;;)
    {
        if (cancel)
            break;
        const auto got = ::read (in, block.data(), block.size());
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
        {
            problem = source.string() + ": read failed: " + std::strerror (errno);
            break;
        }
        if (got == 0)
            break;
        XXH3_64bits_update (state.get(), block.data(), (size_t) got);
        for (ssize_t written = 0; written < got && problem.empty();)
        {
            const auto put = ::write (out, block.data() + written, (size_t) (got - written));
            if (put < 0 && errno == EINTR)
                continue;
            if (put < 0)
                problem = part.string() + ": write failed: " + std::strerror (errno);
            else
                written += put;
        }
        if (! problem.empty())
            break;
        copied += (std::uintmax_t) got;
        if (bytesDone != nullptr)
            *bytesDone += (std::uintmax_t) got / 2;   // half for the copy, half for the read-back
    }
    struct stat sourceInfo {};
    if (problem.empty() && keepModificationTime && ::fstat (in, &sourceInfo) == 0)
    {
        const struct timespec times[2] = { sourceInfo.st_atim, sourceInfo.st_mtim };
        if (::futimens (out, times) != 0)
            problem = part.string() + ": cannot set its modification time: " + std::strerror (errno);
    }
    ::close (in);
    if (problem.empty() && ! cancel && ::fsync (out) != 0)
        problem = part.string() + ": fsync failed: " + std::strerror (errno);
    if (problem.empty() && ! cancel)
        if (auto& hook = testHook())
            hook (part);
    // The read-back comes from the disk, not from the page cache the copy just filled.
    ::posix_fadvise (out, 0, 0, POSIX_FADV_DONTNEED);
    ::close (out);
    auto dropPart = [&part] { std::error_code ignored; fs::remove (part, ignored); };
    if (! problem.empty())
    {
        dropPart();
        throw OutputError (problem);
    }
    if (cancel)
    {
        dropPart();
        return false;
    }

    const auto sourceHash = XXH3_64bits_digest (state.get());
    const auto copyHash = hashMediaFile (part, &cancel);
    if (cancel)
    {
        dropPart();
        return false;
    }
    if (! copyHash || *copyHash != sourceHash)
    {
        dropPart();
        throw OutputError (target.string() + ": the copy of " + source.string() + " does not read back as written (XXH3 "
                           + hex (sourceHash) + " written, " + (copyHash ? hex (*copyHash) : std::string ("unreadable"))
                           + " read back from the disk): damaged on its way to the disk; the copy was removed");
    }
    if (bytesDone != nullptr)
        *bytesDone += copied - copied / 2;

    // link + unlink: never replaces a file that appeared at the target meanwhile.
    if (::link (part.c_str(), target.c_str()) != 0)
    {
        const auto why = std::string (std::strerror (errno));
        dropPart();
        throw OutputError (target.string() + ": cannot be created: " + why);
    }
    dropPart();
    fsyncFolder (target.parent_path());
    if (hash != nullptr)
        *hash = sourceHash;
    return true;
}

fs::path collectMediaFile (const fs::path& fileGiven, const fs::path& folderGiven)
{
    const auto file = fs::absolute (fileGiven).lexically_normal(), folder = fs::absolute (folderGiven).lexically_normal();
    const auto relative = file.lexically_relative (folder);
    if (! relative.empty() && *relative.begin() != "..")
        return file;   // already collected
    const auto stem = file.stem().string(), extension = file.extension().string();
    auto target = folder / file.filename();
    std::error_code code;
    for (int n = 2; fs::exists (fs::symlink_status (target, code)); ++n)
    {
        if (fs::file_size (target, code) == fs::file_size (file, code) && hashMediaFile (target) == hashMediaFile (file))
            return target;   // the same content is there already (a second import of the file)
        target = folder / (stem + "-" + std::to_string (n) + extension);
    }
    const std::atomic<bool> never { false };
    copyMediaFileVerified (file, target, never);
    return target;
}

fs::path collectOnImportFolder (const std::string& sessionPath)
{
    try
    {
        if (sessionPath.empty() || ! fs::is_regular_file (MetadataDatabase::pathForSession (sessionPath)))
            return {};
        const MetadataDatabase database (MetadataDatabase::pathForSession (sessionPath));
        if (database.getSetting ("collectOnImport").value_or ("") != "1")
            return {};
    }
    catch (const std::exception&)
    {
        return {};
    }
    return recordedMediaFolder (sessionPath);
}

void setCollectOnImport (const std::string& sessionPath, bool collect)
{
    MetadataDatabase (MetadataDatabase::pathForSession (sessionPath)).setSetting ("collectOnImport", collect ? "1" : "0");
}

} // namespace cuegrid
