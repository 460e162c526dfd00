// CueGrid — GPL-3.0-or-later
#pragma once

#include "JsonDocument.h"
#include "SessionModel.h"

#include <string>

namespace cuegrid
{

/** Reads and writes the JSON session manifest (`*.cuegrid`, format "cuegrid.session";
    see docs/session-format.md). Reads versions 1 to 4, writes version 4 (its timecode
    fields in SessionManifestTimecode). Any thread; no
    shared state. */
namespace SessionManifest
{
    /** Parses and validates a manifest. Throws InputError naming file, line, column and
        the offending value (a newer version: "written by a newer CueGrid"). An older version
        is migrated: the fields later versions added keep their defaults (keys it did not know
        are ignored, as its own readers did). Media is not opened here. */
    Session load (const std::string& path);
    Session parse (const std::string& text, const std::string& fileName);
    Session fromDocument (const JsonDocument& document);

    /** The version 4 (Session::currentVersion) manifest. Optional fields are written only
        when set, and fields added after version 1 only when not at their default, so a
        migrated older session stays as small as it was; save → load → save gives the same
        bytes. */
    nlohmann::ordered_json toJson (const Session& session);

    /** Writes the manifest through a temporary file in the same folder and a rename, so a
        failed write never replaces a good file. Throws OutputError. */
    void save (const Session& session, const std::string& path);
}

} // namespace cuegrid
