// CueGrid — GPL-3.0-or-later
#pragma once

#include <sndfile.h>

#include <filesystem>
#include <string>
#include <vector>

namespace cuegrid
{

/** One file offered for import (a drop from a file manager, Import…, `cuegrid import`),
    checked as playback will open it: openMediaFile's checks (a regular file, a rate and
    channel count playback accepts, a header libsndfile reads), without decoding — it opens
    the file and reads its header only, so it is quick whatever the file's length. Never
    throws. Any non-audio thread. */
struct ImportCheck
{
    bool ok = false;
    std::string error;     // why not: "file not found: …", "File contains data in an unknown format." …
    std::string warning;   // a truncated WAV/AIFF: "truncated, 1.2 s of audio missing" (it still imports)
    SF_INFO info {};       // the header's facts when ok
};
ImportCheck checkImportFile (const std::filesystem::path& file);

/** What import makes of a file name: "kick_drum.wav" → "kick drum". */
std::string importLabel (const std::filesystem::path& file);

/** `paths` as import takes them: files as they are, a folder as its audio files (wav, aif,
    aiff, flac, ogg; top level only, sorted by name), each file once, in the order given. */
std::vector<std::filesystem::path> expandImportPaths (const std::vector<std::filesystem::path>& paths);

} // namespace cuegrid
