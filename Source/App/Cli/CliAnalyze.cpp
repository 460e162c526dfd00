// CueGrid — GPL-3.0-or-later
#include "CliCommands.h"
#include "CliFiles.h"

#include "Analysis/AnalysisJson.h"
#include "Analysis/AnalysisReport.h"
#include "Analysis/LoudnessTarget.h"
#include "Analysis/ProcessedCopies.h"
#include "Analysis/SessionAnalysis.h"
#include "Session/AtomicFile.h"
#include "Session/Errors.h"
#include "Session/MediaLoader.h"
#include "Session/OutputGuard.h"
#include "Session/SessionManifest.h"

#include <algorithm>
#include <cmath>
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
    /** Files to analyse: files as given, folders' audio files (top level unless recursive),
        and the media of a .cuegrid session. Throws InputError. */
    std::vector<std::filesystem::path> collectFiles (const AnalyzeOptions& options, OutputGuard& guard)
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
                collectAudioFolder (path, options.recursive, found);
                std::sort (found.begin(), found.end());
                for (const auto& file : found) add (file);
            }
            else if (path.extension() == ".cuegrid")
            {
                const auto session = SessionManifest::load (input);
                guard.protectSession (input, session);
                for (const auto& clip : session.clips)
                    add (resolveMediaPath (path, clip.file));
            }
            else if (std::filesystem::exists (std::filesystem::symlink_status (path, code)))
                add (path);
            else
                throw InputError (input, 0, 0, "no such file or folder");
        }
        for (const auto& file : files)
            guard.protectInput (file, "an analysed file");
        return files;
    }

    /** Claims every output before anything is analysed or written: a conflict is exit 4 with
        nothing written. */
    void claimOutputs (const AnalyzeOptions& options, const std::vector<std::filesystem::path>& files, OutputGuard& guard)
    {
        if (! options.json.empty())
            guard.claimOutput (options.json, "--json");
        if (! options.report.empty())
            guard.claimOutput (options.report, "--report");
        if (options.write.empty())
            return;
        const std::filesystem::path folder (options.write);
        // Target mode's copies carry the loudness gain, so its plan goes beside them, not SessionPrep's.
        guard.claimOutput (folder / (std::isnan (options.targetLufs) ? "sessionprep.json" : "loudness_target.json"), "--write");
        std::set<std::string> names;  // two analysed files of one name: ProcessedCopies reports the second
        for (const auto& file : files)
            if (names.insert (file.filename().string()).second)
                guard.claimOutput (folder / file.filename(), "--write");
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
    OutputGuard guard;
    try
    {
        files = collectFiles (options, guard);
    }
    catch (const InputError& error)
    {
        std::cerr << "cuegrid: error: " << error.what() << "\n";
        return invalidInput;
    }
    try
    {
        claimOutputs (options, files, guard);
    }
    catch (const ProtectedOutputError& error)
    {
        std::cerr << "cuegrid: error: " << error.what() << "\n";
        return outputUnwritable;
    }

    auto config = options.config;
    config.classifier = options.classifier;
    auto result = analysis::analyseFiles (files, config, options.jobs);
    if (! std::isnan (options.targetLufs))
        analysis::planLoudnessTarget (result, { options.targetLufs, options.truePeakCeilingDbtp });
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
        if (! options.write.empty() && ! std::isnan (options.targetLufs))
        {
            const auto written = analysis::writeGainedCopies (result, options.write, [] (const analysis::TrackAnalysis& track)
                                                              { return track.loudnessGain ? track.loudnessGain->gainDb : 0.0; }, options.jobs);
            writeFileAtomically ((std::filesystem::path (options.write) / "loudness_target.json").string(),
                                 analysis::loudnessTargetFileJson (result).dump (4) + "\n");
            std::cout << "wrote " << written.written.size() << " loudness-gained file(s) and loudness_target.json to " << options.write << "\n";
            for (const auto& error : written.errors)
                std::cerr << "cuegrid: error: " << error << "\n";
            if (! written.errors.empty())
                exitCode = outputUnwritable;
        }
        else if (! options.write.empty())
        {
            const auto written = analysis::writeProcessedCopies (result, config, options.write, sources, options.jobs);
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
