// CueGrid — GPL-3.0-or-later
#pragma once

#include <filesystem>
#include <vector>

namespace cuegrid::cli
{

/** wav, aif, aiff, flac or ogg, in any case. */
bool isAudioFile (const std::filesystem::path& path);

/** Adds a folder's audio files (and, when recursive, its subfolders'), in listing order.
    Every entry that cannot be listed or read (permission, symlink loop, dangling link,
    special file) is added too, so the caller's opener reports it as that file's problem and
    goes on with the rest. Symlinked folders are not followed (no loops). */
void collectAudioFolder (const std::filesystem::path& folder, bool recursive, std::vector<std::filesystem::path>& found);

} // namespace cuegrid::cli
