// CueGrid — GPL-3.0-or-later
#pragma once

#include "MetadataDatabase.h"

#include <string>
#include <vector>

namespace cuegrid
{

struct Session;

/** What refreshMediaFacts() found for one clip. */
struct MediaFactsCheck
{
    enum class State
    {
        unchanged,   // same file, size and modification time as recorded: not read again
        measured,    // no facts were recorded (a new clip, or its `file` changed): now they are
        remeasured,  // size or time changed but the content is the same (a copy, a touch)
        changed,     // another content than recorded (hash differs): analysis and cue points may not fit
        missing      // cannot be opened as media; the recorded facts are kept
    };
    std::string clipId;
    State state = State::unchanged;
    std::string detail;   // missing: why ("file not found: …"); changed: "content hash 1f2b… → 9a05…"
};

const char* mediaFactsStateName (MediaFactsCheck::State state);

/** Brings the session database's media facts up to date with the files on disk: mirrors the
    manifest first (MetadataDatabase::mirrorSession), then, for each clip, stats its file
    (resolved against `sessionPath`'s folder). A clip whose file, size and mtime match its row
    and that has a content hash is not read. Otherwise the file is hashed (XXH3, as the
    analysis cache) and its header read through openMediaFile; a file shared by several clips
    is read once. The rows that changed are written in one transaction. Returns one check per
    clip, in the session's clip order. Throws what MetadataDatabase throws. Any non-audio
    thread; reads whole files that changed, so not the message thread for large sessions. */
std::vector<MediaFactsCheck> refreshMediaFacts (MetadataDatabase& database, const Session& session, const std::string& sessionPath);

} // namespace cuegrid
