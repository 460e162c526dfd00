// CueGrid — GPL-3.0-or-later
#include "AnalysisStore.h"

#include "Errors.h"
#include "MetadataDatabase.h"

namespace cuegrid
{

AnalysisStore::AnalysisStore (const std::string& databasePath) : path (databasePath)
{
    try
    {
        database = std::make_unique<MetadataDatabase> (path);
    }
    catch (const InputError& error)
    {
        // A damaged or newer database: for the cache's users it is one they cannot use.
        throw OutputError (error.what());
    }
}

AnalysisStore::~AnalysisStore() = default;

std::optional<std::string> AnalysisStore::find (const std::string& contentHash, const std::string& settingsKey) const
{
    try
    {
        return database->findAnalysis (contentHash, settingsKey);
    }
    catch (const InputError& error)
    {
        throw OutputError (error.what());
    }
}

void AnalysisStore::store (const std::string& contentHash, const std::string& settingsKey, const std::string& fileName,
                           const std::string& resultJson)
{
    try
    {
        database->storeAnalysis (contentHash, settingsKey, fileName, resultJson);
    }
    catch (const InputError& error)
    {
        throw OutputError (error.what());
    }
}

} // namespace cuegrid
