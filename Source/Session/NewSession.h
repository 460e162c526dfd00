// CueGrid — GPL-3.0-or-later
#pragma once

#include "SessionModel.h"

#include <string>
#include <vector>

namespace cuegrid
{

/** A new session as an editor starts one (the app's File > New and `cuegrid new`): named
    `name`, one page "Page 1" of 8 tabs "Tab 1" … "Tab 8" of 4 x 8 cells, limiter on, the
    manifest's current version. */
Session emptySession (const std::string& name);

/** What createSessionFiles made. */
struct CreatedSession
{
    Session session;
    std::vector<std::string> warnings;   // the media folder's (little space, removable or network storage)
    std::string mediaFolderSummary;      // "512.3 GB free, ext4"; "" without a media folder
};

/** Creates a new session at `sessionPath` (must end in .cuegrid and not exist; its folder
    must exist): the media folder first, when given (created if missing and checked by
    checkMediaFolder: writable, free space, not removable or network storage — warnings
    only), then the session database `<session>.db` recording the media folder (relative to
    the session's folder when inside it), then the manifest, written atomically. Never
    replaces a file. Throws InputError (a name not ending in .cuegrid) or OutputError (the file exists, the
    folder is missing or unwritable, an unusable media folder, a database that cannot be made),
    naming the file or folder; nothing is left half made but an empty media folder. Message
    thread is fine: a few small files and fsyncs. */
CreatedSession createSessionFiles (const std::string& sessionPath, const std::string& mediaFolder);

/** The session's media folder recorded in its database (absolute), or "" when none is
    recorded or the database cannot be read. Never throws. */
std::string recordedMediaFolder (const std::string& sessionPath);

/** Records `mediaFolder` as the session's media folder in its database (relative to the
    session's folder when inside it). Throws OutputError naming the database. */
void recordMediaFolder (const std::string& sessionPath, const std::string& mediaFolder);

} // namespace cuegrid
