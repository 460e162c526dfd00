// CueGrid — GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cuegrid
{

/** One file of an export folder and its content hash. */
struct PackageChecksum
{
    std::string file;       // relative to the export folder, '/' separators ("media/kick.wav")
    std::string xxh3;       // XXH3-64 of the bytes, 16 lower-case hex digits (as the media table)
    std::uintmax_t sizeBytes = 0;
};

/** The checksum list of an export folder: `checksums.xxh3`, one line per file in the BSD tag
    form `XXH3 (media/kick.wav) = 1f2b4326fa5ce567`, sorted by path, UTF-8, '\n' ends.
    Package import verifies every file against it before anything is written. */
namespace PackageChecksums
{
    constexpr const char* fileName = "checksums.xxh3";

    /** The list's text for `entries` (sorted by file here). */
    std::string format (std::vector<PackageChecksum> entries);

    /** Reads the list. Throws InputError naming `listFile` and the line on a malformed line,
        an absolute path, a `..` component or a file listed twice. sizeBytes stays 0. */
    std::vector<PackageChecksum> parse (const std::string& text, const std::string& listFile);

    /** XXH3-64 of a file, streamed in 1 MiB blocks. Throws InputError naming the file when it
        cannot be read. Any non-audio thread. */
    std::string hashFile (const std::filesystem::path& file);

    /** Copies `from` to `to` (which must not exist) with copyMediaFileVerified (VerifiedCopy.h):
        through `to`.part, hashing the bytes read on the way, fsynced, read back from the disk
        and hashed again, then linked into place; the copy keeps `from`'s modification time (so
        recorded media facts stay valid). Returns the hash of what was copied. Throws InputError
        naming `from` when it cannot be opened, OutputError naming `to` when it cannot be written
        or reads back differently (the .part is removed, `to` not made). */
    std::string copyAndHash (const std::filesystem::path& from, const std::filesystem::path& to);
}

} // namespace cuegrid
