// CueGrid — GPL-3.0-or-later
#include "PackageArchive.h"

#include "Errors.h"

#include <juce_core/juce_core.h>

namespace cuegrid
{

namespace
{
    namespace fs = std::filesystem;

    /** Runs tar with `arguments`; returns "" or what it printed when it failed. */
    std::string runTar (const juce::StringArray& arguments)
    {
        juce::StringArray command { "tar" };
        command.addArray (arguments);
        juce::ChildProcess tar;
        if (! tar.start (command, juce::ChildProcess::wantStdOut | juce::ChildProcess::wantStdErr))
            return "tar could not be started";
        const auto output = tar.readAllProcessOutput();
        if (! tar.waitForProcessToFinish (-1) || tar.getExitCode() != 0)
            return output.trim().toStdString() + " (tar exit code " + std::to_string (tar.getExitCode()) + ")";
        return {};
    }

    juce::String text (const fs::path& path) { return juce::String::fromUTF8 (path.c_str()); }
}

fs::path PackageArchive::pack (const fs::path& folder)
{
    const auto archive = fs::path (folder.string() + ".tar");
    const auto partial = fs::path (archive.string() + ".partial");
    std::error_code code;
    if (fs::exists (archive, code))
        throw OutputError (archive.string() + ": exists");
    if (const auto problem = runTar ({ "-cf", text (partial), "-C", text (folder.parent_path()), "--", text (folder.filename()) });
        ! problem.empty())
    {
        fs::remove (partial, code);
        throw OutputError (archive.string() + ": cannot be written: " + problem);
    }
    fs::rename (partial, archive, code);
    if (code)
        throw OutputError (archive.string() + ": cannot be renamed into place: " + code.message());
    fs::remove_all (folder, code);
    return archive;
}

bool PackageArchive::isArchive (const fs::path& path)
{
    return path.extension() == ".tar";
}

fs::path PackageArchive::unpack (const fs::path& archive, const fs::path& scratch)
{
    std::error_code code;
    if (! fs::is_regular_file (archive, code))
        throw InputError (archive.string(), 0, 0, "no such file");
    fs::create_directories (scratch, code);
    if (code)
        throw OutputError (scratch.string() + ": cannot be created: " + code.message());
    if (const auto problem = runTar ({ "-xf", text (archive), "-C", text (scratch), "--no-same-owner", "--no-same-permissions" });
        ! problem.empty())
        throw InputError (archive.string(), 0, 0, "not a readable tar archive: " + problem);
    std::vector<fs::path> top;
    for (const auto& entry : fs::directory_iterator (scratch, code))
        top.push_back (entry.path());
    if (top.size() != 1 || ! fs::is_directory (fs::symlink_status (top[0], code)))
        throw InputError (archive.string(), 0, 0, "not a CueGrid package (it should hold one folder, the export)");
    return top[0];
}

} // namespace cuegrid
