// CueGrid — GPL-3.0-or-later
#pragma once

#include <filesystem>
#include <string>
#include <utility>
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
    std::string contentHash;    // the recorded hash the found file has ("" when not a hash match)
    std::string evidence = "hash";   // mediaEvidenceName(): "hash" (certain), "properties" or "name" (confirmed by someone)
    std::string acceptedBy = "cli";  // who decided: "cli", "user" (the relink panel), "auto-certain" (applied unasked, hash only)
    std::vector<std::pair<std::string, std::string>> alsoOffered;   // (file, evidence) of the candidates not taken
};

/** Looks for the media of every clip whose file is missing, by the content hash recorded in
    the session database (media table): the audio files (wav, aif, aiff, flac, ogg) under
    `folders` (subfolders too when `recursive`; symlinked folders not followed) that have the
    recorded size are hashed, and one whose XXH3 matches is proposed. Renamed and moved files
    are found; changed ones are not. A clip with no recorded hash cannot be recognised and is
    left out. Reads only candidate files of the right size. Any non-audio thread. */
std::vector<RelinkProposal> findMovedMedia (MetadataDatabase& database, const Session& session, const std::string& sessionPath,
                                            const std::vector<std::filesystem::path>& folders, bool recursive = true);

/** Points the clips at their found files (clip.file) and records each in the audit trail as
    a `relink` event with details {"clip", "from", "to", "contentHash", "evidence",
    "acceptedBy"} and, when other candidates were offered, "alsoOffered": [{"file", "evidence"}]. A hash match keeps the clip's media row (the same content: facts, tags,
    markers and usage stay); a file accepted on weaker evidence is other content, so its facts
    are cleared (measured at the next refreshMediaFacts) while tags, markers and usage stay.
    The caller saves the manifest first (with a recovery point before). Throws what
    MetadataDatabase throws. */
void applyRelink (MetadataDatabase& database, Session& session, const std::vector<RelinkProposal>& proposals);

} // namespace cuegrid
