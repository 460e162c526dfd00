// CueGrid — GPL-3.0-or-later
#include "MediaImport.h"

#include "MediaFile.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace cuegrid
{

ImportCheck checkImportFile (const std::filesystem::path& file)
{
    ImportCheck check;
    auto media = openMediaFile (file);
    if (! media)
    {
        check.error = media.error;
        return check;
    }
    check.ok = true;
    check.info = media.info;
    if (media.missingFrames > 0)
        check.warning = "truncated, " + std::to_string (media.missingSeconds()) + " s of audio missing; it plays what it holds";
    return check;
}

std::string importLabel (const std::filesystem::path& file)
{
    auto label = file.stem().string();
    std::replace (label.begin(), label.end(), '_', ' ');
    return label;
}

std::vector<std::filesystem::path> expandImportPaths (const std::vector<std::filesystem::path>& paths)
{
    namespace fs = std::filesystem;
    auto isAudio = [] (const fs::path& path)
    {
        auto extension = path.extension().string();
        std::transform (extension.begin(), extension.end(), extension.begin(), [] (unsigned char c) { return (char) std::tolower (c); });
        return extension == ".wav" || extension == ".aif" || extension == ".aiff" || extension == ".flac" || extension == ".ogg";
    };
    std::vector<fs::path> files;
    std::set<fs::path> seen;
    auto add = [&] (const fs::path& file)
    {
        if (seen.insert (fs::absolute (file).lexically_normal()).second)
            files.push_back (file);
    };
    for (const auto& path : paths)
    {
        std::error_code code;
        if (! fs::is_directory (path, code))
        {
            add (path);   // checkImportFile says what is wrong with it, if anything
            continue;
        }
        std::vector<fs::path> found;
        for (const auto& entry : fs::directory_iterator (path, fs::directory_options::skip_permission_denied, code))
            if (entry.is_regular_file (code) && isAudio (entry.path()))
                found.push_back (entry.path());
        std::sort (found.begin(), found.end());
        for (const auto& file : found)
            add (file);
    }
    return files;
}

} // namespace cuegrid
