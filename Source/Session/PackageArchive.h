// CueGrid — GPL-3.0-or-later
#pragma once

#include <filesystem>

namespace cuegrid
{

/** A package as one file: an uncompressed tar of its folder (media is already compressed or
    does not compress well; tar keeps names, sizes and modification times), made and read with
    the system's GNU tar (`/usr/bin/tar`, always on Debian). The checksum list inside is what
    import verifies, so the archive needs no checksum of its own. Not the message thread. */
namespace PackageArchive
{
    /** Writes `<folder>.tar` (through `.tar.partial`, renamed when tar succeeded) holding the
        folder under its own name, and removes the folder. Returns the archive. Throws
        OutputError with tar's message. */
    std::filesystem::path pack (const std::filesystem::path& folder);

    /** True for a path ending in `.tar`. */
    bool isArchive (const std::filesystem::path& path);

    /** Extracts `archive` into a new folder under `scratch` (created) and returns the export
        folder inside it (the one top-level folder). Ownership and permissions are not taken
        from the archive; GNU tar strips `..` and leading `/` from member names. Throws
        InputError naming the archive (unreadable, not a tar, not one folder). The caller
        removes `scratch`. */
    std::filesystem::path unpack (const std::filesystem::path& archive, const std::filesystem::path& scratch);
}

} // namespace cuegrid
