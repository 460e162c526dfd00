// CueGrid — GPL-3.0-or-later
#pragma once

#include "JsonDocument.h"
#include "SessionModel.h"

#include <string>

namespace cuegrid
{

/** Reads and writes the JSON session manifest (`*.cuegrid`, format "cuegrid.session",
    version 1; see docs/session-format.md). Any thread; no shared state. */
namespace SessionManifest
{
    /** Parses and validates a manifest. Throws InputError naming file, line, column and
        the offending value. Media is not opened here. */
    Session load (const std::string& path);
    Session parse (const std::string& text, const std::string& fileName);
    Session fromDocument (const JsonDocument& document);

    nlohmann::ordered_json toJson (const Session& session);

    /** Writes the manifest through a temporary file in the same folder and a rename, so a
        failed write never replaces a good file. Throws OutputError. */
    void save (const Session& session, const std::string& path);
}

} // namespace cuegrid
