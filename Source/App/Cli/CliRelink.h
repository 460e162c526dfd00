// CueGrid — GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

namespace CLI { class App; }

namespace cuegrid::cli
{

/** `cuegrid relink` (docs/cli.md, docs/media.md). */
struct RelinkOptions
{
    std::string session;
    std::vector<std::string> folders;   // the old positional form: FOLDER... (an alias of --search, applies certain unless --dry-run)
    std::vector<std::string> search;    // --search DIR, repeatable: folders the user adds
    std::string apply;                  // "certain" or "none"; "" = the form's default (see docs/cli.md)
    std::string jsonOut;                // --json OUT: the report as JSON ("-" = stdout)
    std::vector<std::string> acceptReplaced;   // --accept-replaced CLIP: keep a replaced file as the clip's media (audited, acceptedBy "cli")
    bool recursive = false;             // the positional form only: --search folders are always searched recursively
    bool dryRun = false;                // = --apply none
};

/** Adds the `relink` subcommand to `app`, filling `options`. Returns it. */
CLI::App* addRelinkCommand (CLI::App& app, RelinkOptions& options);

int runRelink (const RelinkOptions& options);

} // namespace cuegrid::cli
