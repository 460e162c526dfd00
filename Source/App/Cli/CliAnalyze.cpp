// CueGrid — GPL-3.0-or-later
#include "CliCommands.h"

#include "Analysis/AnalysisJson.h"
#include "Analysis/SessionAnalysis.h"
#include "Session/AtomicFile.h"
#include "Session/Errors.h"
#include "Session/MediaLoader.h"
#include "Session/SessionManifest.h"

#include <algorithm>
#include <cstdio>
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

    std::string number (const char* pattern, double value)
    {
        char buffer[64];
        std::snprintf (buffer, sizeof buffer, pattern, value);
        return buffer;
    }

    void printReport (const analysis::SessionAnalysisResult& result, std::ostream& out)
    {
        out << "TRACK                                   CLASS        PEAK   ANCHOR  CREST  DECAY    GAIN   FADER\n";
        for (const auto& track : result.tracks)
        {
            auto name = track.fileName.substr (0, 38);
            name.resize (40, ' ');
            if (! track.ok())
            {
                out << name << "ERROR: " << track.error << "\n";
                continue;
            }
            auto label = track.classification.label.substr (0, 11);
            label.resize (11, ' ');
            out << name << label << number ("%7.1f", track.metrics.peakDb) << number ("%9.1f", track.metrics.rmsAnchorDb)
                << number ("%7.1f", track.metrics.crestDb) << number ("%7.1f", std::min (track.metrics.decayDb, 999.9))
                << number ("%+8.1f", track.gainDb) << number ("%+8.1f", track.faderOffsetDb) << "\n";
        }
        const std::pair<analysis::Severity, const char*> buckets[] = {
            { analysis::Severity::problem, "PROBLEMS" }, { analysis::Severity::attention, "ATTENTION" }, { analysis::Severity::information, "INFORMATION" } };
        for (const auto& [severity, title] : buckets)
        {
            std::vector<std::string> items;
            for (const auto& track : result.tracks)
            {
                if (! track.ok() && severity == analysis::Severity::problem)
                    items.push_back (track.fileName + ": " + track.error);
                for (const auto& [id, detector] : track.detectors)
                    if (detector.severity == severity)
                        items.push_back (track.fileName + ": " + detector.summary);
            }
            out << "\n" << title << " (" << items.size() << ")\n";
            for (const auto& item : items)
                out << "  * " << item << "\n";
            if (items.empty())
                out << "  - None\n";
        }
        for (const auto& warning : result.warnings)
            out << "warning: " << warning << "\n";
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
    if (options.classifier != "sessionprep")
        std::cerr << "cuegrid: warning: the cuegrid classifier is not built yet; using the sessionprep rule\n";

    const auto result = analysis::analyseFiles (files, options.config);
    printReport (result, std::cout);
    try
    {
        if (! options.json.empty())
            writeFileAtomically (options.json, analysis::toJson (result, options.config).dump (2) + "\n");
    }
    catch (const OutputError& error)
    {
        std::cerr << "cuegrid: error: " << error.what() << "\n";
        return outputUnwritable;
    }
    return success;
}

} // namespace cuegrid::cli
