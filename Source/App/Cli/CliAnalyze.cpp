// CueGrid — GPL-3.0-or-later
#include "CliCommands.h"

#include "Analysis/AnalysisJson.h"
#include "Analysis/AnalysisReport.h"
#include "Analysis/ProcessedCopies.h"
#include "Analysis/SessionAnalysis.h"
#include "Session/AtomicFile.h"
#include "Session/Errors.h"
#include "Session/MediaLoader.h"
#include "Session/SessionManifest.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <unistd.h>
#include <iostream>
#include <set>

namespace cuegrid::cli
{

namespace
{
    bool isAudioFile (const std::filesystem::path& path)
    {
        auto extension = path.extension().string();
        std::transform (extension.begin(), extension.end(), extension.begin(), [] (unsigned char c) { return (char) std::tolower (c); });
        return extension == ".wav" || extension == ".aif" || extension == ".aiff" || extension == ".flac" || extension == ".ogg";
    }

    /** Files to analyse: files as given, folders' audio files (top level unless recursive),
        and the media of a .cuegrid session. Throws InputError. */
    std::vector<std::filesystem::path> collectFiles (const AnalyzeOptions& options)
    {
        std::vector<std::filesystem::path> files;
        std::set<std::filesystem::path> seen;
        auto add = [&] (const std::filesystem::path& path)
        {
            if (seen.insert (std::filesystem::absolute (path).lexically_normal()).second)
                files.push_back (path);
        };
        for (const auto& input : options.paths)
        {
            const std::filesystem::path path (input);
            std::error_code code;
            if (std::filesystem::is_directory (path, code))
            {
                std::vector<std::filesystem::path> found;
                if (options.recursive)
                {
                    for (const auto& entry : std::filesystem::recursive_directory_iterator (path, code))
                        if (entry.is_regular_file() && isAudioFile (entry.path())) found.push_back (entry.path());
                }
                else
                {
                    for (const auto& entry : std::filesystem::directory_iterator (path, code))
                        if (entry.is_regular_file() && isAudioFile (entry.path())) found.push_back (entry.path());
                }
                std::sort (found.begin(), found.end());
                for (const auto& file : found) add (file);
            }
            else if (path.extension() == ".cuegrid")
            {
                const auto session = SessionManifest::load (input);
                for (const auto& clip : session.clips)
                    add (resolveMediaPath (path, clip.file));
            }
            else if (std::filesystem::exists (path, code))
                add (path);
            else
                throw InputError (input, 0, 0, "no such file or folder");
        }
        return files;
    }

    std::string localTime()
    {
        const auto now = std::time (nullptr);
        std::tm local {};
        localtime_r (&now, &local);
        char buffer[32];
        std::strftime (buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &local);
        return buffer;
    }

    bool colourTerminal()
    {
        return isatty (fileno (stdout)) != 0 && std::getenv ("NO_COLOR") == nullptr;
    }
} // namespace

int runAnalyze (const AnalyzeOptions& options)
{
    std::vector<std::filesystem::path> files;
    try
    {
        files = collectFiles (options);
    }
    catch (const InputError& error)
    {
        std::cerr << "cuegrid: error: " << error.what() << "\n";
        return invalidInput;
    }

    auto config = options.config;
    config.classifier = options.classifier;
    const auto result = analysis::analyseFiles (files, config);
    std::string sources;
    for (const auto& path : options.paths)
        sources += (sources.empty() ? "" : " ") + path;
    analysis::ReportOptions report { localTime(), sources, options.classifier, colourTerminal() };
    std::cout << analysis::textReport (result, config, report) << std::flush;
    int exitCode = success;
    try
    {
        if (! options.json.empty())
            writeFileAtomically (options.json, analysis::toJson (result, config).dump (2) + "\n");
        if (! options.report.empty())
        {
            report.colour = false;
            writeFileAtomically (options.report, analysis::textReport (result, config, report));
        }
        if (! options.write.empty())
        {
            const auto written = analysis::writeProcessedCopies (result, config, options.write, sources);
            std::cout << "wrote " << written.written.size() << " processed file(s) and sessionprep.json to " << options.write << "\n";
            for (const auto& error : written.errors)
                std::cerr << "cuegrid: error: " << error << "\n";
            if (! written.errors.empty())
                exitCode = outputUnwritable;
        }
    }
    catch (const OutputError& error)
    {
        std::cerr << "cuegrid: error: " << error.what() << "\n";
        return outputUnwritable;
    }
    return exitCode;
}

} // namespace cuegrid::cli
