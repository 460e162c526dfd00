// CueGrid — GPL-3.0-or-later
// The manifest's version 4 fields (issue 12): the show's `timecode` object and each clip's
// `timecode` trigger and `chase`. Used by SessionManifest only; docs/session-format.md.
#pragma once

#include "JsonDocument.h"
#include "SessionModel.h"

#include <string>

namespace cuegrid::manifesttimecode
{
    /** The show's `timecode` object (optional): {"fps": "25"}. Read before the clips (their
        triggers are at its fps). Throws InputError (file:line:column, path) for a bad value. */
    void parseShow (const JsonDocument& document, Session& session);

    /** A clip's `timecode` ("HH:MM:SS:FF", or ";FF" at 29.97 drop-frame) and `chase` (bool; needs
        `timecode`). Throws InputError for a bad value. */
    void parseClip (const JsonDocument& document, const std::string& clipPointer, const Session& session,
                    ClipDefinition& clip);

    /** Each only when not the default, so a migrated older session saves as small as it was. */
    void addShow (nlohmann::ordered_json& root, const Session& session);
    void addClip (nlohmann::ordered_json& json, const ClipDefinition& clip);
}
