// CueGrid — GPL-3.0-or-later
#include "CliFiles.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace cuegrid::cli
{

bool isAudioFile (const std::filesystem::path& path)
{
    auto extension = path.extension().string();
    std::transform (extension.begin(), extension.end(), extension.begin(), [] (unsigned char c) { return (char) std::tolower (c); });
    return extension == ".wav" || extension == ".aif" || extension == ".aiff" || extension == ".flac" || extension == ".ogg";
}

void collectAudioFolder (const std::filesystem::path& folder, bool recursive, std::vector<std::filesystem::path>& found)
{
    std::error_code code;
    std::filesystem::directory_iterator entries (folder, code);
    if (code)
    {
        found.push_back (folder);  // "cannot open FOLDER: Permission denied" in the report
        return;
    }
    std::vector<std::filesystem::path> subfolders;
    for (const std::filesystem::directory_iterator end; entries != end; entries.increment (code))
    {
        const auto& path = entries->path();
        std::error_code statusCode;
        const auto status = entries->status (statusCode);  // follows symlinks
        if (statusCode)
        {
            if (isAudioFile (path))
                found.push_back (path);  // a loop or dangling link: the opener says which
            continue;
        }
        std::error_code linkCode;
        if (std::filesystem::is_directory (status))
        {
            if (recursive && ! entries->is_symlink (linkCode))
                subfolders.push_back (path);
        }
        else if (isAudioFile (path))
            found.push_back (path);       // regular or not: a FIFO is reported, never opened blocking
    }
    if (code)
        found.push_back (folder);  // libstdc++ ends the iteration on a read error: report it too
    for (const auto& subfolder : subfolders)
        collectAudioFolder (subfolder, recursive, found);
}

} // namespace cuegrid::cli
