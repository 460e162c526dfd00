// CueGrid — GPL-3.0-or-later
#pragma once

#include <memory>
#include <optional>
#include <string>

struct sqlite3;

namespace cuegrid
{

/** The session's metadata database (SQLite, `<session>.db` beside the manifest): analysis
    results keyed by media content hash and the analysis settings, so unchanged media is
    never analysed twice, whatever its name or folder. Results are opaque JSON text to this
    class. One connection per thread; SQLite serialises writers. Throws OutputError when the
    database cannot be opened or written (the caller keeps working without a cache). */
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

private:
    std::string path;
    sqlite3* database = nullptr;
};

} // namespace cuegrid
