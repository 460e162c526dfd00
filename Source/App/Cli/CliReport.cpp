// CueGrid — GPL-3.0-or-later
#include "CliReport.h"

#include "Session/Errors.h"
#include "Session/SessionManifest.h"

#include <iostream>

namespace cuegrid::cli
{

void printError (const std::string& message)   { std::cerr << "cuegrid: error: " << message << "\n"; }
void printWarning (const std::string& message) { std::cerr << "cuegrid: warning: " << message << "\n"; }

std::optional<Session> loadSessionOrReport (const std::string& path)
{
    try
    {
        return SessionManifest::load (path);
    }
    catch (const InputError& error)
    {
        printError (error.what());
        return std::nullopt;
    }
}

} // namespace cuegrid::cli
