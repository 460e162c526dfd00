// CueGrid — GPL-3.0-or-later
#pragma once

#include "Session/MediaFacts.h"

#include <string>
#include <vector>

namespace cuegrid::cli
{

/** What `info`, `render` and `play` do on opening a session (docs/media.md, "Detection"):
    when the session database exists at this CueGrid's version, its media facts are brought
    up to date (files present are hashed once, then recognised by size and time) and a clip
    whose file holds other content than recorded is warned about on stderr. A missing, older
    or newer database is left alone (these commands never create or migrate it). Returns the
    checks, empty when nothing was recorded. Never throws: a database problem is a warning. */
std::vector<MediaFactsCheck> recordMediaFacts (const Session& session, const std::string& sessionPath);

} // namespace cuegrid::cli
