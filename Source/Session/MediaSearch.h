// CueGrid — GPL-3.0-or-later
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cuegrid
{

class MetadataDatabase;
struct Session;

/** Where searchMissingMedia() looks, besides what the session and its database say (the
    session folder, the media folder and its siblings, each missing file's last known good
    folder). */
struct MediaSearchPlaces
{
    std::vector<std::filesystem::path> alternatePaths;   // Preferences::mediaSearchPaths, in order
    std::vector<std::filesystem::path> userFolders;      // added by the user (`relink --search DIR`, the panel's Add folder)
    bool recursive = true;                               // descend into subfolders (symlinked folders never)
    size_t maxFilesPerPlace = 50000;                     // a place holding more audio files is cut there (a sibling that is a whole disk)
};

/** Why a file is offered for a missing clip, strongest first. Only `hash` is certain. */
enum class MediaEvidence
{
    hash,         // XXH3 of the file equals the recorded content hash: the same bytes
    properties,   // rate, channels, duration (within 1 ms) and bit depth equal; other bytes or none recorded
    name          // only the name is alike (same name, or similar enough); other content
};
const char* mediaEvidenceName (MediaEvidence evidence);

struct MediaCandidate
{
    std::string path;            // absolute, generic separators
    std::string file;            // as the manifest would write it (sessionRelativePath)
    std::string place;           // the search place that found it: "session folder", "media folder", "media folder sibling",
                                 // "search path", "last known good", "added folder"
    MediaEvidence evidence = MediaEvidence::name;
    bool certain = false;        // evidence == hash
    double nameSimilarity = 0;   // 0 … 1 between the file's name and the missing one's (case-insensitive, extension ignored)
    std::optional<std::string> contentHash;   // hashed only when its size equals the recorded one
    double sampleRate = 0;
    int channels = 0;
    std::optional<int> bitDepth;
    double durationSec = 0;
    bool channelsAsExpected = true;           // false: stereo where the clip expects mono, or the reverse
    std::vector<std::string> notes;           // what differs: "2 ch (the clip expects 1)", "48000 Hz (expected 44100)", …
};

/** One missing clip and what could be its media, best first: certain ones, then properties
    equal, then name only; within each, by name similarity, then the search order. */
struct MissingClipSearch
{
    std::string clipId;
    std::string file;                  // the clip's `file`
    bool recorded = false;             // its content hash was recorded: a certain match is possible
    std::optional<int> expectedChannels;
    std::vector<MediaCandidate> candidates;

    const MediaCandidate* certainCandidate() const;   // the best certain one, or nullptr
};

struct MediaSearchResult
{
    std::vector<MissingClipSearch> clips;                              // the missing clips, in session order
    std::vector<std::pair<std::string, std::string>> placesSearched;   // (place, folder), in search order, each folder once
    std::vector<std::string> placesCut;                                // folders that held over maxFilesPerPlace files
    int64_t filesExamined = 0;                                         // audio files seen
    int64_t filesHashed = 0, bytesHashed = 0;
    double seconds = 0;                                                // wall time of the search
    bool cancelled = false;                                            // stopped by MediaSearchControl::cancel: the candidates found so far
};

/** How far a search is, for a progress bar. Two steps: listing the places' audio files (the
    count to look at is not known yet: 0), then looking at each file (its header, its hash when
    its size is a recorded one) for every missing clip. */
struct MediaSearchProgress
{
    bool listing = true;            // still listing the places
    int64_t filesListed = 0;        // audio files found so far
    int64_t filesLookedAt = 0;      // files examined for every missing clip (after the listing)
    int64_t filesToLookAt = 0;      // 0 while listing
    std::string folder;             // the folder being listed or whose file is examined (absolute)
    /** 0 … 1; 0 while listing, never going back. */
    double fraction() const noexcept
    {
        return listing || filesToLookAt <= 0 ? (listing ? 0.0 : 1.0) : (double) filesLookedAt / (double) filesToLookAt;
    }
};

/** Progress and cancellation of a search. The callback is called on the search's thread,
    at most every 16 files and at each new folder, and once at the end (filesLookedAt ==
    filesToLookAt) unless cancelled; keep it short (store and return). `cancel` is read between
    files and between the 1 MiB blocks of a hash: a cancelled search returns within one block
    with what it found so far (MediaSearchResult::cancelled). */
struct MediaSearchControl
{
    std::function<void (const MediaSearchProgress&)> onProgress;
    const std::atomic<bool>* cancel = nullptr;
};

/** Finds candidates for every clip whose file is missing. Reads the database's media rows
    (facts as refreshMediaFacts recorded them) and the `mediaFolder` setting; writes nothing.
    Search order (docs/media.md): the session folder, the media folder, the media folder's
    siblings, `places.alternatePaths`, each missing clip's last known good folder, then
    `places.userFolders`; a folder is searched once. Audio files (wav, aif, aiff, flac, ogg)
    are listed; a file whose size equals a missing clip's recorded size is hashed (once), and
    every file's header is read for the property comparison. A same-named file with other
    content is never certain. Any non-audio thread; reads files, so never the message thread. */
MediaSearchResult searchMissingMedia (MetadataDatabase& database, const Session& session, const std::string& sessionPath,
                                      const MediaSearchPlaces& places, const MediaSearchControl& control = {});

/** 0 … 1: how alike two file names are (Levenshtein over the lower-cased names without their
    extension, 1 = equal). */
double fileNameSimilarity (const std::string& a, const std::string& b);

} // namespace cuegrid
