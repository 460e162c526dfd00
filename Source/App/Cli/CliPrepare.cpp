// CueGrid — GPL-3.0-or-later
// `cuegrid new` and `cuegrid import`: preparing a show from a script (docs/cli.md).
#include "CliCommands.h"
#include "CliReport.h"
#include "CliFiles.h"

#include "Analysis/AnalysisQueue.h"
#include "Analysis/ContentHash.h"
#include "Analysis/LoudnessTarget.h"
#include "Session/AnalysisStore.h"
#include "Session/AppFolders.h"
#include "Session/Errors.h"
#include "Session/Limits.h"
#include "Session/MediaFacts.h"
#include "Session/MediaFile.h"
#include "Session/MediaImport.h"
#include "Session/MediaLoader.h"
#include "Session/MediaRelink.h"
#include "Session/MetadataDatabase.h"
#include "Session/NewSession.h"
#include "Session/SessionManifest.h"
#include "Session/SessionStore.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_set>

namespace cuegrid::cli
{

namespace
{
    namespace fs = std::filesystem;


    std::string formatDb (double value)
    {
        char text[32];
        std::snprintf (text, sizeof text, "%+.1f dB", value);
        return text;
    }

    /** "kick", "kick-2", …: unique among `taken`, which it joins. */
    std::string uniqueClipId (const std::string& stem, std::unordered_set<std::string>& taken)
    {
        auto id = stem.empty() ? std::string ("clip") : stem;
        for (int n = 2; taken.count (id) != 0; ++n)
            id = (stem.empty() ? std::string ("clip") : stem) + "-" + std::to_string (n);
        taken.insert (id);
        return id;
    }

    struct Candidate
    {
        fs::path file;
        SF_INFO info {};
    };

    /** --copy: each file into the session's media folder (the database's `mediaFolder`
        setting, relative to the session's folder), renamed into place whole. A file of the
        same name and content there is used as it is; another content gets "-2", "-3", … The
        candidates then point at the copies. Throws InputError (no media folder recorded) or
        OutputError (unusable folder, a failed copy). */
    void copyIntoMediaFolder (MetadataDatabase& database, const std::string& sessionPath, std::vector<Candidate>& candidates)
    {
        const auto recorded = database.getSetting ("mediaFolder");
        if (! recorded)
            throw InputError (sessionPath, 0, 0, "--copy: the session has no media folder (cuegrid new --media-folder DIR records one)");
        const fs::path folder = resolveMediaPath (sessionPath, *recorded);
        const auto check = checkMediaFolder (folder);
        if (! check.usable)
            throw OutputError (check.problem);
        for (const auto& warning : check.warnings)
            printWarning (warning);
        for (auto& candidate : candidates)
        {
            const auto hash = analysis::hashFileContent (candidate.file);
            const auto stem = candidate.file.stem().string(), extension = candidate.file.extension().string();
            auto target = folder / candidate.file.filename();
            bool reuse = false;
            for (int n = 2;; ++n)
            {
                std::error_code code;
                if (! fs::exists (fs::symlink_status (target, code)))
                    break;
                if (hash && analysis::hashFileContent (target) == hash)
                {
                    reuse = true;   // already there (a second import of the same file)
                    break;
                }
                target = folder / (stem + "-" + std::to_string (n) + extension);
            }
            if (! reuse)
            {
                const auto partial = fs::path (target.string() + ".part");
                std::error_code code;
                fs::copy_file (candidate.file, partial, fs::copy_options::overwrite_existing, code);
                if (! code)
                    fs::rename (partial, target, code);
                if (code)
                {
                    std::error_code ignored;
                    fs::remove (partial, ignored);
                    throw OutputError (target.string() + ": cannot copy " + candidate.file.string() + " there: " + code.message());
                }
                std::cout << "cuegrid: copied " << candidate.file.string() << " to " << target.string() << "\n";
            }
            candidate.file = target;
        }
    }
} // namespace

int runNew (const NewOptions& options)
{
    try
    {
        const auto created = createSessionFiles (options.session, options.mediaFolder);
        for (const auto& warning : created.warnings)
            printWarning (warning);
        std::cout << "cuegrid: created " << options.session << " (\"" << created.session.name << "\": 1 page, 8 tabs of 4 x 8, limiter on at "
                  << created.session.master.limiterCeilingDb << " dBFS, " << created.session.sampleRate << " Hz)";
        if (! options.mediaFolder.empty())
            std::cout << "; media folder " << options.mediaFolder << " (" << created.mediaFolderSummary << ")";
        std::cout << "\n";
    }
    catch (const InputError& error)
    {
        printError (error.what());
        return invalidInput;
    }
    catch (const OutputError& error)
    {
        printError (error.what());
        return outputUnwritable;
    }
    return success;
}

int runImport (const ImportOptions& options)
{
    auto loaded = loadSessionOrReport (options.session);
    if (! loaded)
        return invalidInput;
    auto& session = *loaded;
    if (options.page < 1 || (size_t) options.page > session.pages.size())
    {
        printError ("--page " + std::to_string (options.page) + ": session \"" + session.name + "\" has "
                    + std::to_string (session.pages.size()) + " page(s)");
        return invalidInput;
    }
    auto& page = session.pages[(size_t) options.page - 1];
    while ((int) page.tabs.size() < options.tab)
    {
        Tab tab;
        tab.name = "Tab " + std::to_string (page.tabs.size() + 1);
        page.tabs.push_back (tab);
    }
    const auto tabIndex = (size_t) options.tab - 1;

    // Every file, folders expanded; each opened and checked as playback will open it.
    std::vector<fs::path> files;
    std::set<fs::path> seen;
    int rejected = 0;
    for (const auto& input : options.paths)
    {
        std::error_code code;
        std::vector<fs::path> found;
        if (fs::is_directory (input, code))
        {
            collectAudioFolder (input, options.recursive, found);
            std::sort (found.begin(), found.end());
            if (found.empty())
                printWarning (input + ": no audio files (wav, aif, aiff, flac, ogg)" + (options.recursive ? "" : " at its top level"));
        }
        else
            found.push_back (input);
        for (const auto& file : found)
            if (seen.insert (fs::absolute (file).lexically_normal()).second)
                files.push_back (file);
    }
    std::vector<Candidate> candidates;
    for (const auto& file : files)
    {
        // The same check as the app's drop and Import… (Session/MediaImport): the header only.
        const auto check = checkImportFile (file);
        if (! check.ok)
        {
            printError (file.string() + ": not imported: " + check.error);
            ++rejected;
            continue;
        }
        if (! check.warning.empty())
            printWarning (file.string() + ": " + check.warning + " (imported)");
        candidates.push_back ({ file, check.info });
    }

    // Empty cells row by row from the first; all files fit, or nothing is imported.
    auto& tab = page.tabs[tabIndex];
    std::vector<std::pair<int, int>> freeCells;
    for (int row = 0; row < tab.rows; ++row)
        for (int column = 0; column < tab.columns; ++column)
            if (tab.slotAt (row, column) == nullptr)
                freeCells.emplace_back (row, column);
    if (candidates.size() > freeCells.size())
    {
        printError ("tab \"" + tab.name + "\" of page \"" + page.name + "\" has " + std::to_string (freeCells.size())
                    + " empty cell(s) for " + std::to_string (candidates.size()) + " file(s); nothing was imported");
        return invalidInput;
    }
    if (session.clips.size() + candidates.size() > limits::maxClips)
    {
        printError ("a session holds at most " + std::to_string (limits::maxClips) + " clips; nothing was imported");
        return invalidInput;
    }
    if (candidates.empty())
    {
        printError ("no audio file to import; " + options.session + " is unchanged");
        return rejected > 0 ? missingMedia : invalidInput;
    }

    const auto databasePath = MetadataDatabase::pathForSession (options.session);
    std::unique_ptr<MetadataDatabase> database;
    try
    {
        database = std::make_unique<MetadataDatabase> (databasePath);
        if (const auto& report = database->getOpenReport(); ! report.backupPath.empty())
            std::cout << "cuegrid: migrated the session database " << databasePath << " from version " << report.foundVersion
                      << " to " << MetadataDatabase::currentVersion << " (the original is kept as " << report.backupPath << ")\n";
    }
    catch (const InputError& error)
    {
        printError (std::string (error.what()) + "; " + options.session + " is unchanged");
        return invalidInput;
    }
    catch (const OutputError& error)
    {
        printError (std::string (error.what()) + "; " + options.session + " is unchanged");
        return outputUnwritable;
    }

    if (options.copy)
    {
        try
        {
            copyIntoMediaFolder (*database, options.session, candidates);
        }
        catch (const InputError& error)
        {
            printError (error.what());
            return invalidInput;
        }
        catch (const OutputError& error)
        {
            printError (std::string (error.what()) + "; " + options.session + " is unchanged");
            return outputUnwritable;
        }
    }

    // The new clips.
    std::unordered_set<std::string> ids;
    for (const auto& clip : session.clips)
        ids.insert (clip.id);
    const auto group = groupFromLetter (options.group).value_or (0);
    const auto firstNew = session.clips.size();
    for (size_t i = 0; i < candidates.size(); ++i)
    {
        ClipDefinition clip;
        clip.id = uniqueClipId (candidates[i].file.stem().string(), ids);
        clip.file = sessionRelativePath (options.session, candidates[i].file);
        clip.label = importLabel (candidates[i].file);
        clip.group = group;
        tab.slots.push_back ({ freeCells[i].first, freeCells[i].second, clip.id });
        session.clips.push_back (std::move (clip));
    }

    // The app's analysis: the same queue, settings and cache (the session database).
    analysis::AnalysisConfig config;
    config.classifier = "cuegrid";
    std::map<size_t, analysis::AnalysisQueue::Result> results;
    std::string storeProblem;
    {
        std::shared_ptr<AnalysisStore> store;
        try
        {
            store = std::make_shared<AnalysisStore> (databasePath);
        }
        catch (const OutputError& error)
        {
            storeProblem = error.what();
        }
        analysis::AnalysisQueue queue (config, store, (int) std::max (1u, std::thread::hardware_concurrency()));
        std::vector<analysis::AnalysisQueue::Job> jobs;
        for (size_t i = 0; i < candidates.size(); ++i)
            jobs.push_back ({ (int) i, candidates[i].file });
        queue.enqueue (jobs);
        while (! queue.waitUntilIdle (std::chrono::seconds (1))) {}
        for (auto& result : queue.takeResults())
            results[(size_t) result.clip] = std::move (result);
        if (storeProblem.empty())
            storeProblem = queue.getProgress().storeError;
    }
    if (! storeProblem.empty())
        printWarning ("analysis results not kept in the session database: " + storeProblem);

    // Gains and fader offsets over the imported files together, as `cuegrid analyze` plans them.
    analysis::SessionAnalysisResult plan;
    for (const auto& [index, result] : results)
        if (result.track.ok())
            plan.tracks.push_back (result.track);
    analysis::planSession (plan, config);
    const bool loudnessMode = ! std::isnan (options.targetLufs);
    if (loudnessMode)
        analysis::planLoudnessTarget (plan, { options.targetLufs, options.truePeakCeilingDbtp });
    std::map<fs::path, const analysis::TrackAnalysis*> planned;
    for (const auto& track : plan.tracks)
        planned[track.path] = &track;

    std::cout << "cuegrid: importing " << candidates.size() << " file(s) into page \"" << page.name << "\", tab \"" << tab.name
              << "\", group " << options.group << "\n";
    int analysed = 0, fromCache = 0;
    for (size_t i = 0; i < candidates.size(); ++i)
    {
        auto& clip = session.clips[firstNew + i];
        const auto& candidate = candidates[i];
        std::cout << "  " << std::left << std::setw (24) << clip.id << std::right << " row " << freeCells[i].first + 1 << " col "
                  << std::setw (2) << freeCells[i].second + 1 << "  " << describeMediaFormat (candidate.info.format) << ", " << candidate.info.channels
                  << " ch, " << candidate.info.samplerate << " Hz";
        const auto result = results.find (i);
        const auto track = result != results.end() ? planned.find (result->second.track.path) : planned.end();
        if (result == results.end() || ! result->second.track.ok() || track == planned.end())
        {
            std::cout << "  (not analysed)\n";
            printWarning (clip.id + ": analysis failed: " + (result != results.end() ? result->second.track.error : "no result"));
        }
        else
        {
            ++(result->second.fromCache ? fromCache : analysed);
            const auto& analysedTrack = *track->second;
            std::cout << "  " << analysedTrack.classification.label << ", gain " << formatDb (analysedTrack.gainDb) << ", fader "
                      << formatDb (analysedTrack.faderOffsetDb);
            if (loudnessMode && analysedTrack.loudnessGain)
                std::cout << ", loudness gain " << formatDb (analysedTrack.loudnessGain->gainDb) << " (" << analysedTrack.loudnessGain->method << ")";
            std::cout << (result->second.fromCache ? " (from the session database)" : "") << "\n";
            if (options.applyGain && loudnessMode)
            {
                // The loudness target mode: the clip lands at the target loudness; no balance to restore.
                clip.gainDb = std::clamp (analysedTrack.loudnessGain ? analysedTrack.loudnessGain->gainDb : 0.0, limits::minGainDb, limits::maxGainDb);
                clip.levelTrimDb = 0.0;
            }
            else if (options.applyGain)
            {
                clip.gainDb = std::clamp (analysedTrack.gainDb, limits::minGainDb, limits::maxGainDb);
                clip.levelTrimDb = std::clamp (analysedTrack.faderOffsetDb, limits::minGainDb, limits::maxGainDb);
            }
        }
    }

    try
    {
        // Through the store: the previous manifest is kept as .bak1 (and an older version's file as .v1.cuegrid / .v2.cuegrid).
        SessionStore (options.session, SessionStore::userSettings()).save (session);
    }
    catch (const OutputError& error)
    {
        printError (std::string (error.what()) + "; " + options.session + " is unchanged");
        return outputUnwritable;
    }
    try
    {
        // Every clip's media facts: the new clips measured, the others checked by size and time.
        for (const auto& check : refreshMediaFacts (*database, session, options.session))
            if (check.state == MediaFactsCheck::State::changed || check.state == MediaFactsCheck::State::missing)
                printWarning ("clip '" + check.clipId + "': media " + mediaFactsStateName (check.state) + ": " + check.detail);
    }
    catch (const std::exception& error)
    {
        // The manifest holds the show; the database's media rows are measured again later.
        printWarning (std::string ("the session database was not updated: ") + error.what());
    }
    std::cout << "cuegrid: imported " << candidates.size() << " clip(s) into " << options.session << " (" << analysed
              << " analysed, " << fromCache << " from the session database; gains " << (options.applyGain ? (loudnessMode ? "applied (loudness target)" : "applied") : "not applied")
              << ")";
    if (rejected > 0)
        std::cout << "; " << rejected << " file(s) not imported";
    std::cout << "\n";
    return rejected > 0 ? missingMedia : success;
}

} // namespace cuegrid::cli
