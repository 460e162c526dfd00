// CueGrid — GPL-3.0-or-later
#include "OutputGuard.h"

#include <set>

#include "MediaLoader.h"

#include <sys/stat.h>

namespace cuegrid
{

OutputGuard::Entry OutputGuard::identify (const std::filesystem::path& path, const std::string& description)
{
    Entry entry;
    entry.description = description;
    entry.given = path;
    std::error_code code;
    entry.canonicalPath = std::filesystem::weakly_canonical (std::filesystem::absolute (path, code), code).string();
    if (code)
        entry.canonicalPath = std::filesystem::absolute (path).lexically_normal().string();
    struct stat status {};
    if (::stat (path.c_str(), &status) == 0)  // follows symlinks: the file a write would replace
    {
        entry.hasIdentity = true;
        entry.device = (unsigned long long) status.st_dev;
        entry.inode = (unsigned long long) status.st_ino;
    }
    return entry;
}

bool OutputGuard::same (const Entry& a, const Entry& b)
{
    if (a.hasIdentity && b.hasIdentity)
        return a.device == b.device && a.inode == b.inode;
    return a.canonicalPath == b.canonicalPath;
}

void OutputGuard::protectSession (const std::string& sessionPath, const Session& session)
{
    protectInput (sessionPath, "the session");
    protectInput (sessionPath + ".db", "the session database");
    // A file under many clips is looked up once: a 4096-clip show over 200 files resolves
    // 200 paths, not 4096, before its window appears.
    std::set<std::string> seen;
    for (const auto& clip : session.clips)
        if (seen.insert (clip.file).second)
            protectInput (resolveMediaPath (sessionPath, clip.file), "the media of clip '" + clip.id + "'");
}

void OutputGuard::protectInput (const std::filesystem::path& path, const std::string& description)
{
    inputs.push_back (identify (path, description));
}

std::string OutputGuard::conflictOf (const std::filesystem::path& output) const
{
    const auto candidate = identify (output, {});
    for (const auto& input : inputs)
        if (same (candidate, input))
            return "it is " + input.description + " (" + input.given.string() + ")";
    for (const auto& other : outputs)
        if (same (candidate, other))
            return "it is also the output of " + other.description + " (" + other.given.string() + ")";
    return {};
}

void OutputGuard::claimOutput (const std::filesystem::path& output, const std::string& option)
{
    if (const auto conflict = conflictOf (output); ! conflict.empty())
        throw ProtectedOutputError (output.string() + ": refused as the output of " + option + ": " + conflict
                                    + "; nothing was written");
    outputs.push_back (identify (output, option));
}

} // namespace cuegrid
