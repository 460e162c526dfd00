// CueGrid — GPL-3.0-or-later
// For manifest tests: the error a manifest text gives (header-only: cuegrid_test_support does not
// link the core library).
#pragma once

#include "Session/Errors.h"
#include "Session/SessionManifest.h"

#include <string>

namespace cuegrid::test
{

/** The error (file:line:column, path, what) SessionManifest::parse gives for `text` read as
    `fileName`, or "(no error)" when it parses. */
inline std::string manifestError (const std::string& text, const std::string& fileName = "show.cuegrid")
{
    try
    {
        SessionManifest::parse (text, fileName);
    }
    catch (const InputError& error)
    {
        return error.what();
    }
    return "(no error)";
}

} // namespace cuegrid::test
