// CueGrid — GPL-3.0-or-later
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace cuegrid
{

/** XXH3-64 of a file's bytes; nullopt when it cannot be read (or `cancel` was set). Any non-audio thread. */
std::optional<std::uint64_t> hashMediaFile (const std::filesystem::path& file, const std::atomic<bool>* cancel = nullptr);

/** Copies `source` to `target` so that `target` exists only whole and verified: written to
    `<target>.part` (created, never replacing one), hashed (XXH3-64) while it is read, fsynced,
    dropped from the page cache, read back from the disk and hashed again, then linked to
    `target` (a link never replaces a file that appeared meanwhile) and the folder fsynced.
    `bytesDone` (if given) grows by half the size as the copy is written and the rest once it
    verifies. `hash` (if given) gets the XXH3-64 of the bytes copied (what the copy holds).
    `keepModificationTime`: the copy gets the source's modification time (package exports and
    imports: the media table's size + time check stays valid).
    Returns false when `cancel` was set (the part file removed). Throws OutputError
    naming the file (unreadable, disk full, a copy that reads back differently: "<target>: the
    copy of <source> does not read back as written …", a target that exists); the part file is
    removed. Any non-audio thread; no shared state. */
bool copyMediaFileVerified (const std::filesystem::path& source, const std::filesystem::path& target,
                            const std::atomic<bool>& cancel, std::atomic<std::uintmax_t>* bytesDone = nullptr,
                            std::uint64_t* hash = nullptr, bool keepModificationTime = false);

/** Test hook (fault injection): called with the part file after it is written and fsynced,
    before it is read back, on the copying thread; a test damages it there. Empty: none. Set it
    before the copies start and clear it after. */
void setVerifiedCopyTestHook (std::function<void (const std::filesystem::path& part)> hook);

/** Import's "collect": `file` copied into `folder` (copyMediaFileVerified) and the copy's path
    returned; `file` itself when it already lies inside `folder`. A file of the same name there
    with the same content (hash) is used as it is; another content gets "-2", "-3", … Throws
    OutputError (the folder cannot be made, a failed copy). Any non-audio thread. */
std::filesystem::path collectMediaFile (const std::filesystem::path& file, const std::filesystem::path& folder);

/** The folder imports of this session collect into: its media folder when the session
    database's `collectOnImport` setting is "1" (File > Media Folder's "Copy imported files
    into the media folder"), else empty. Never throws. */
std::filesystem::path collectOnImportFolder (const std::string& sessionPath);

/** Sets `collectOnImport` in the session's database. Throws OutputError. Message thread is fine. */
void setCollectOnImport (const std::string& sessionPath, bool collect);

} // namespace cuegrid
