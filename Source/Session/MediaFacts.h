// CueGrid — GPL-3.0-or-later
#pragma once

#include "MetadataDatabase.h"

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace cuegrid
{

struct Session;

/** What refreshMediaFacts() found for one clip: the clip's media status the app and the CLI
    show (docs/media.md, "Detection"). */
struct MediaFactsCheck
{
    enum class State
    {
        unchanged,   // same file, size and modification time as recorded: not read again
        measured,    // no facts were recorded (a new clip, or its `file` changed): now they are
        remeasured,  // size or time changed but the content is the same (a copy, a touch)
        changed,     // the file holds other content than recorded (hash differs): flagged until the
                     // file is put back or the change accepted (acceptReplacedMedia); cue points may not fit
        missing      // cannot be opened as media; the recorded facts are kept
    };
    std::string clipId;
    State state = State::unchanged;
    std::string detail;   // missing: why ("file not found: …"); changed: "content hash 1f2b… → 9a05…; 44100 Hz → 48000 Hz; 1 ch → 2 ch"
    bool formatChanged = false;   // changed: the rate or the channel count differs too (mono/stereo swapped, resampled)
    std::string file;             // the clip's `file` this check is for
    std::string contentHash;      // the content the clip expects (recorded, or measured now); "" unknown. MediaWatch
                                  // compares a touched file with it
};

const char* mediaFactsStateName (MediaFactsCheck::State state);

/** Bits per sample of a libsndfile format: PCM 8/16/24/32, float 32, double 64; unset for
    compressed formats (FLAC is PCM_16/24 in libsndfile's terms, so it has one). */
std::optional<int> bitDepthOfFormat (int libsndfileFormat);

/** Brings the session database's media facts up to date with the files on disk: mirrors the
    manifest first (MetadataDatabase::mirrorSession), then, for each clip, stats its file
    (resolved against `sessionPath`'s folder). A clip whose file, size and mtime match its row
    and that has a content hash is not read (only the header, once, when a version 1 row lacks
    the bit depth). Otherwise the file is hashed (XXH3, as the analysis cache) and its header
    read through openMediaFile; a file shared by several clips is read once.
    A file whose content differs from the recorded one is NOT taken as the clip's new media:
    the row keeps what the clip expects and `replaced` holds what the file is (size and mtime
    included, so it is not hashed again while it stands); the check says `changed` at every
    refresh until the file is what it was or acceptReplacedMedia() is called.
    Present files also get their name and absolute path (last_good_path) recorded. The rows
    that changed are written in one transaction. Returns one check per clip, in the session's
    clip order; when `stop` becomes true it stops after the file it is reading, writes what it
    measured and returns the checks so far (fewer than the clips). Throws what MetadataDatabase throws. Any non-audio thread; reads whole files
    that changed, so never the message thread (the app runs it on MediaFactsRefresher's thread). */
std::vector<MediaFactsCheck> refreshMediaFacts (MetadataDatabase& database, const Session& session, const std::string& sessionPath,
                                                const std::atomic<bool>* stop = nullptr);

/** The operator keeps a replaced file (a new mix of the same cue): the facts of what the
    file holds become the clip's, and the decision goes to the audit trail as an
    `accept-replaced` event {"clip", "from", "to", "evidence", "acceptedBy"} with acceptedBy
    "user" or "cli". Returns false (nothing written) if the clip's row has no `replaced`.
    Throws what MetadataDatabase throws. Any non-audio thread. */
bool acceptReplacedMedia (MetadataDatabase& database, const std::string& clipId, const std::string& acceptedBy);

/** What keepReplacedMedia() did. */
struct KeptReplacedMedia
{
    bool kept = false;     // the file's facts are the clip's now, audited
    std::string detail;    // kept: what changed ("content hash 1f2b… → 9a05…; …"); else why nothing was kept
};

/** The relink panel's "Keep this file" and `cuegrid relink --accept-replaced` in one call:
    the facts are brought up to date first (refreshMediaFacts over the whole `session`: a file
    replaced after the session opened, seen only at runtime, is hashed now), then the clip's
    replaced file is accepted (acceptReplacedMedia, audited with `acceptedBy`). Nothing is
    kept when the file holds what was recorded (a touch), is missing, or the clip is not in
    `session`. Reads the clip's file when it changed: any non-audio thread but the message
    thread. Throws what MetadataDatabase throws. */
KeptReplacedMedia keepReplacedMedia (MetadataDatabase& database, const Session& session, const std::string& sessionPath,
                                     const std::string& clipId, const std::string& acceptedBy);

} // namespace cuegrid
