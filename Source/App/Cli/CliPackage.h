// CueGrid — GPL-3.0-or-later
// `cuegrid export` and `cuegrid import-package` (docs/cli.md, docs/media.md "Packages and exports").
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace cuegrid::cli
{

struct PackageOptions
{
    CLI::App* exportCommand = nullptr;
    CLI::App* importCommand = nullptr;

    // export
    std::string session, mode = "package", out;
    int page = 1, tab = 1;                   // 1-based
    std::vector<std::string> clips;          // --clips, in selection order
    bool noMedia = false, allowMissing = false;
    bool archive = false;                    // --archive: one .tar instead of the folder

    // import-package
    std::string package, into, merge, dest;
    int intoPage = 1, intoTab = 1;           // 1-based
};

/** Adds `export` and `import-package` to the CLI, bound to `options`. */
void addPackageCommands (CLI::App& app, PackageOptions& options);

/** Runs whichever of the two was parsed; returns the exit code (CliCommands.h ExitCode). */
int runPackageCommand (const PackageOptions& options);

} // namespace cuegrid::cli
