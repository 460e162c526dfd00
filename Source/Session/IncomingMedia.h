// CueGrid — GPL-3.0-or-later
#pragma once

#include "ExportDescriptor.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace cuegrid
{

class MetadataDatabase;

/** The clips of an export with their media made the target session's (IncomingMedia). */
struct IncomingClips
{
    Session exported;                        // the export's session, clip files as the target will store them
    int copied = 0;                          // files copied into the media folder
    int reused = 0;                          // clips pointed at media the target already has (same content)
    std::vector<std::string> warnings;       // media found nowhere: the clip keeps its path and shows MISSING
};

/** Prepares a tab, page or clip list export for merging into the session at `sessionPath`:
    - media inside the export (`media/…`): a file whose content (XXH3) a clip of the target
      already plays is not copied, the clip uses that file; else it is copied into the
      target's media folder (the database's `mediaFolder` setting, else `media/` beside the
      session), "-2", "-3" … on a name taken by other content, and verified by its hash;
    - references (absolute paths): used where they are when the file exists; else a target
      clip with the same content hash lends its file; else kept, with a warning.
    `targetFilesByHash`: content hash → the target clip's `file` (from its database).
    Throws InputError (a media file of the export fails its checksum), OutputError (the
    media folder cannot be written). Copies files: not the message thread. */
IncomingClips prepareIncomingClips (const LoadedExport& loaded, const std::string& sessionPath,
                                    const std::map<std::string, std::string>& targetFilesByHash,
                                    const std::filesystem::path& mediaFolder);

/** After an import into a session whose database rows are up to date (refreshMediaFacts with the
    saved or edited session): each exported clip's tags and warp markers go onto the row of the
    clip it became (`clipFor`: export id → id in the session; markers already there are not
    added twice), and a `packageImport` audit event with `detailsJson` (a JSON object) is added.
    Throws what MetadataDatabase throws. Not the message thread. */
void recordImport (MetadataDatabase& database, const LoadedExport& loaded, const std::map<std::string, std::string>& clipFor,
                   const std::string& detailsJson);

/** The media folder imports copy into: the database's `mediaFolder` setting resolved
    against the session's folder, else `<session folder>/media`. */
std::filesystem::path importMediaFolder (MetadataDatabase* database, const std::string& sessionPath);

} // namespace cuegrid
