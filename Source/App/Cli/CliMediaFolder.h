// CueGrid — GPL-3.0-or-later
// `cuegrid media-folder` (docs/cli.md, docs/media.md "Media folder").
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace cuegrid::cli
{

struct MediaFolderOptions
{
    CLI::App* command = nullptr;
    std::string session, folder, mode = "copy";
    bool dryRun = false, json = false, recover = false;
};

/** Adds `media-folder` to the CLI, bound to `options`. */
void addMediaFolderCommand (CLI::App& app, MediaFolderOptions& options);

/** Runs it; returns the exit code (CliCommands.h ExitCode). */
int runMediaFolder (const MediaFolderOptions& options);

} // namespace cuegrid::cli
