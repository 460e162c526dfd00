// CueGrid — GPL-3.0-or-later
#pragma once

#include "ExportDescriptor.h"

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace cuegrid
{

/** What to export (docs/media.md "Packages and exports"). */
struct ExportRequest
{
    ExportKind kind = ExportKind::session;
    std::string sessionPath;                 // the session file: relative media and its database are found from it
    std::filesystem::path outFolder;         // the export is made inside it (created); defaultExportFolder() by default
    int page = 0, tab = 0;                   // tab and page exports: which one, 0-based
    std::vector<std::string> clipIds;        // clip lists: the clips, in selection order
    bool withMedia = true;                   // tab, page and clip list: copy the media in (else refer to it where it is).
                                             // A session package always carries its media, a metadata export never.
    bool allowMissing = false;               // export even when some exported clip's media is missing
};

struct ExportResult
{
    std::filesystem::path folder;            // the export made
    int clips = 0;
    int mediaFiles = 0;                      // files copied into media/
    std::uintmax_t mediaBytes = 0;
    std::vector<std::string> warnings;       // a database that could not be read, missing media let through
};

/** Exported clips whose media is missing (and allowMissing was not given). CLI exit code 3. */
class MissingMediaError : public std::runtime_error
{
public:
    MissingMediaError (std::string text, std::vector<std::string> clipIds)
        : std::runtime_error (std::move (text)), clips (std::move (clipIds)) {}
    const std::vector<std::string> clips;
};

/** Writes an export of `session` (the open session, which may have unsaved changes; its files
    are resolved against request.sessionPath) into a new folder in request.outFolder named
    `<session stem> <kind>[ <page>[ - <tab>]]` (" (2)", " (3)" … when taken). It is built
    as `<name>.partial` and renamed when complete, so a folder without that suffix is a whole
    export. Media is copied and hashed in one pass; every file is listed in checksums.xxh3.

    The session database (beside the session) is brought up to date first (refreshMediaFacts,
    as `cuegrid info` does): it gives each clip's content hash, tags and warp markers. A
    session package gets a copy of it (VACUUM INTO) with the media rows pointing at media/.

    Throws InputError (no such page, tab or clip; the manifest or database is unreadable),
    MissingMediaError, OutputError naming the file that could not be written (the partial
    folder is removed). Reads and copies whole media files: not the message thread. */
ExportResult exportSession (const Session& session, const ExportRequest& request);

/** The subset of `session` an export of this kind holds (before media paths are rewritten):
    session-wide settings kept, the clips of the tab, page or list (in session order, a clip
    list in selection order), the tab or page as page 1, and the keys of those clips (the
    page's keys as page 1's, and the global ones). Throws InputError for a page, tab or clip
    that does not exist. */
Session exportedSubset (const Session& session, const ExportRequest& request);

} // namespace cuegrid
