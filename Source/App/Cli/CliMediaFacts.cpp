// CueGrid — GPL-3.0-or-later
#include "CliMediaFacts.h"

#include "Session/MetadataDatabase.h"
#include "Session/SessionModel.h"

#include <iostream>

namespace cuegrid::cli
{

std::vector<MediaFactsCheck> recordMediaFacts (const Session& session, const std::string& sessionPath)
{
    const auto path = MetadataDatabase::pathForSession (sessionPath);
    const auto inspection = MetadataDatabase::inspect (path);
    if (! inspection.exists || ! inspection.error.empty() || inspection.version != MetadataDatabase::currentVersion)
        return {};
    try
    {
        MetadataDatabase database (path);
        auto checks = refreshMediaFacts (database, session, sessionPath);
        const auto index = session.clipIndexById();
        for (const auto& check : checks)
            if (check.state == MediaFactsCheck::State::changed)
                std::cerr << "cuegrid: warning: clip '" << check.clipId << "' (" << session.clips[(size_t) index.at (check.clipId)].file
                          << "): the file holds other content than recorded (" << check.detail << ")\n";
        return checks;
    }
    catch (const std::exception& error)
    {
        std::cerr << "cuegrid: warning: media facts not recorded: " << error.what() << "\n";
        return {};
    }
}

} // namespace cuegrid::cli
