// CueGrid — GPL-3.0-or-later
#include "CliMediaFolder.h"

#include "CliCommands.h"
#include "CliReport.h"

#include "Session/Errors.h"
#include "Session/MediaFolderChange.h"
#include "Session/SessionManifest.h"
#include "Session/SessionStore.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

namespace cuegrid::cli
{

namespace
{

    /** Waits for the job to leave `busy`, printing a progress line each file (not with --json). */
    void follow (MediaFolderJob& job, bool quiet)
    {
        int shown = -1;
        const auto files = (int) job.getPlan().files.size();
        while (job.isBusy())
        {
            if (! quiet && job.getFilesDone() != shown && job.getState() == MediaFolderJob::State::copying)
            {
                shown = job.getFilesDone();
                std::printf ("  copied and verified %d of %d file(s), %.0f %%\n", shown, files, 100.0 * job.getProgress());
                std::fflush (stdout);
            }
            std::this_thread::sleep_for (std::chrono::milliseconds (20));
        }
    }
} // namespace

void addMediaFolderCommand (CLI::App& app, MediaFolderOptions& options)
{
    options.command = app.add_subcommand ("media-folder", "Reassign a session's media folder: move, copy or keep its media");
    options.command->add_option ("SESSION", options.session, "Session manifest (*.cuegrid)")->required();
    options.command->add_option ("FOLDER", options.folder, "The new media folder (created if missing)");
    options.command->add_option ("--mode", options.mode, "move: copy, verify, repoint, delete the originals; copy: the originals stay; "
                                                        "keep: only record the folder")
        ->check (CLI::IsMember ({ "move", "copy", "keep" }));
    options.command->add_flag ("--dry-run", options.dryRun, "Only print the plan");
    options.command->add_flag ("--json", options.json, "Print the plan and the result as JSON on stdout");
    options.command->add_flag ("--recover", options.recover, "Only finish or undo an interrupted change");
}

int runMediaFolder (const MediaFolderOptions& options)
{
    auto loaded = loadSessionOrReport (options.session);
    if (! loaded)
        return invalidInput;
    auto& session = *loaded;

    // A change killed earlier is finished or undone first, as the app does when it opens the session.
    const auto recovery = recoverMediaFolderChange (options.session);
    if (recovery.found)
    {
        if (recovery.finished || recovery.rolledBack)
            std::cerr << "cuegrid: " << recovery.message << "\n";
        else
            printWarning (recovery.message);
        if (recovery.finished)
            session = SessionManifest::load (options.session);
    }
    if (options.recover)
        return recovery.busy || (recovery.found && ! recovery.finished && ! recovery.rolledBack) ? outputUnwritable : success;
    if (options.folder.empty())
    {
        printError ("media-folder: FOLDER is required (or --recover)");
        return invalidInput;
    }

    const auto mode = *mediaFolderModeFromName (options.mode);
    const auto plan = planMediaFolderChange (session, options.session, options.folder, mode);
    auto json = mediaFolderPlanToJson (plan);
    if (! options.json)
        for (const auto& line : describeMediaFolderPlan (plan))
            std::cout << line << "\n";
    if (! plan.canRun())
    {
        if (options.json)
            std::cout << json.dump (1) << "\n";
        printError ("media folder not changed: " + plan.problems.front());
        return outputUnwritable;
    }
    if (options.dryRun)
    {
        if (options.json)
            std::cout << json.dump (1) << "\n";
        else
            std::cout << "cuegrid: dry run: nothing changed\n";
        return success;
    }

    MediaFolderJob job (plan);
    job.startCopy();
    follow (job, options.json);
    if (job.getState() != MediaFolderJob::State::readyToSwitch)
    {
        printError ("media folder not changed: " + job.getError() + " (the copies made were removed; the session is as it was)");
        return outputUnwritable;
    }

    // The switch: a recovery point, then the manifest with the new paths in one atomic save.
    bool switched = false;
    if (const auto changed = job.findChangedSource(); ! changed.empty())
    {
        job.startFinish (false);
        follow (job, true);
        printError ("media folder not changed: " + changed + " (the copies were removed; the session is as it was)");
        return outputUnwritable;
    }
    if (! job.getPathChanges().empty())
    {
        try
        {
            SessionStore store (options.session, SessionStore::userSettings());
            try
            {
                store.recoveryPointNow (session, "before media folder change");
            }
            catch (const OutputError& error)
            {
                printWarning (std::string ("no recovery point before the media folder change: ") + error.what());
            }
            store.save (withMediaPathChanges (session, job.pathChangesFor (session)));
            switched = true;
        }
        catch (const OutputError& error)
        {
            job.startFinish (false);
            follow (job, true);
            printError ("media folder not changed: " + std::string (error.what()) + " (the copies were removed; the session is as it was)");
            return outputUnwritable;
        }
    }
    else
        switched = true;   // keep, or nothing to repoint: only the folder is recorded
    job.startFinish (switched);
    follow (job, true);
    for (const auto& warning : job.getWarnings())
        printWarning (warning);

    const auto seconds = job.getCopySeconds();
    const auto rate = seconds > 0 ? (double) plan.totalBytes / 1e6 / seconds : 0.0;
    if (options.json)
    {
        json["result"] = { { "clipsRepointed", job.getPathChanges().size() }, { "copySeconds", seconds }, { "megabytesPerSecond", rate },
                           { "warnings", job.getWarnings() } };
        std::cout << json.dump (1) << "\n";
    }
    else
    {
        char line[200];
        std::snprintf (line, sizeof line, "cuegrid: media folder is now %s (%s): %d clip(s) repointed, %.1f MB copied and verified in %.2f s (%.0f MB/s)\n",
                       plan.newFolder.string().c_str(), mediaFolderModeName (mode), (int) job.getPathChanges().size(),
                       (double) plan.totalBytes / 1e6, seconds, rate);
        std::cout << line;
    }
    return success;   // originals that could not be deleted are warnings: every clip plays from the new folder
}

} // namespace cuegrid::cli
