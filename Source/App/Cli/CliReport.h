// CueGrid — GPL-3.0-or-later
// How every `cuegrid` subcommand reports on stderr and opens its session (docs/cli.md).
#pragma once

#include "Session/SessionModel.h"

#include <optional>
#include <string>

namespace cuegrid::cli
{

/** "cuegrid: error: MESSAGE" on stderr. */
void printError (const std::string& message);

/** "cuegrid: warning: MESSAGE" on stderr. */
void printWarning (const std::string& message);

/** The session manifest at `path`, or nothing after printing its InputError (file, line,
    column, what) with printError: the caller exits with invalidInput. */
std::optional<Session> loadSessionOrReport (const std::string& path);

} // namespace cuegrid::cli
