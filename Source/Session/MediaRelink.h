// CueGrid — GPL-3.0-or-later
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace cuegrid
{

class MetadataDatabase;
struct Session;

/** How a session refers to `file`: relative to the session file's folder when the file is
    inside it (the show moves with its folder), else absolute. Generic ('/') separators. */
std::string sessionRelativePath (const std::filesystem::path& sessionFile, const std::filesystem::path& file);

/** A clip whose media is missing, found again by its content. */
struct RelinkProposal
{
    std::string clipId;
    std::string oldFile;        // the clip's `file` now
    std::string newFile;        // as the manifest would write it (sessionRelativePath)
    std::string contentHash;    // the recorded hash the found file has
};

/** Looks for the media of every clip whose file is missing, by the content hash recorded in
    the session database (media table): the audio files (wav, aif, aiff, flac, ogg) under
    `folders` (subfolders too when `recursive`; symlinked folders not followed) that have the
    recorded size are hashed, and one whose XXH3 matches is proposed. Renamed and moved files
    are found; changed ones are not. A clip with no recorded hash cannot be recognised and is
    left out. Reads only candidate files of the right size. Any non-audio thread. */
std::vector<RelinkProposal> findMovedMedia (MetadataDatabase& database, const Session& session, const std::string& sessionPath,
                                            const std::vector<std::filesystem::path>& folders, bool recursive = true);

/** Points the clips at their found files (clip.file), keeps their media rows (the same
    content: facts, tags, markers and usage stay), and records each in the audit trail as a
    `relink` event with details {"clip", "from", "to", "contentHash"}. The caller saves the
    manifest (an editor takes a recovery point first). Throws what MetadataDatabase throws. */
void applyRelink (MetadataDatabase& database, Session& session, const std::vector<RelinkProposal>& proposals);

} // namespace cuegrid
