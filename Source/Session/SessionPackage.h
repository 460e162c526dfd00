// CueGrid — GPL-3.0-or-later
#pragma once

#include "ExportDescriptor.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cuegrid
{

/** What importPackage did. */
struct PackageImportResult
{
    std::filesystem::path sessionFile;       // the imported manifest, in the destination
    int clips = 0;
    int files = 0;                           // files copied (manifest, database, media, package.json)
    std::uintmax_t bytes = 0;
    int playable = 0;                        // clips whose media opens as playback will open it
    std::vector<std::string> problems;       // clips that do not play, and why (none for a sound package)
};

/** Imports a session package (ExportKind::session) as a new session in `destination`, which
    must not exist or be an empty folder: every file the checksum list names is copied into
    `<destination>.partial-<pid>` and hashed as it is copied, then the folder is renamed to
    `destination`. Any file missing or not matching its checksum fails the import with every
    such file named ("media/kick.wav: checksum mismatch (listed …, found …)") and nothing is
    left behind. Then the copy's database is opened (refreshMediaFacts: every clip unchanged
    for a sound package), its audit trail gets a `packageImport` event, and each clip's media
    is checked as playback opens it.
    Throws InputError (not a session package, verification failed, destination not empty) or
    OutputError naming what could not be written. Reads and writes whole media files: not
    the message thread. */
PackageImportResult importPackage (const LoadedExport& package, const std::filesystem::path& destination);

/** A destination for importing `package` when none is given: `<sessionsRoot>/<package's
    session stem>`, then " (2)", " (3)" … while taken. */
std::filesystem::path defaultImportFolder (const LoadedExport& package, const std::filesystem::path& sessionsRoot);

} // namespace cuegrid
