// CueGrid — GPL-3.0-or-later
#pragma once

#include <memory>
#include <optional>
#include <string>

namespace cuegrid
{

class MetadataDatabase;

/** The analysis cache of the session database (`<session>.cuegrid.db`, see MetadataDatabase):
    analysis results keyed by media content hash and the analysis settings, so unchanged
    media is never analysed twice, whatever its name or folder. Results are opaque JSON text
    to this class. A view of its own MetadataDatabase connection, which opening creates or
    migrates. Shared by analysis workers (each call is serialised); SQLite serialises writers
    of other connections. Throws OutputError when the database cannot be opened (also when it
    is damaged or newer than this CueGrid: the message says so) or written; the caller keeps
    working without a cache. */
class AnalysisStore
{
public:
    explicit AnalysisStore (const std::string& databasePath);
    ~AnalysisStore();

    AnalysisStore (const AnalysisStore&) = delete;
    AnalysisStore& operator= (const AnalysisStore&) = delete;

    /** The stored result JSON for this content and settings, if any. */
    std::optional<std::string> find (const std::string& contentHash, const std::string& settingsKey) const;

    /** Stores (or replaces) a result. `fileName` is informational. */
    void store (const std::string& contentHash, const std::string& settingsKey, const std::string& fileName,
                const std::string& resultJson);

    const std::string& getPath() const noexcept { return path; }

    /** The whole database, through the same connection. */
    MetadataDatabase& getDatabase() noexcept { return *database; }

private:
    std::string path;
    std::unique_ptr<MetadataDatabase> database;
};

} // namespace cuegrid
