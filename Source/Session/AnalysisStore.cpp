// CueGrid — GPL-3.0-or-later
#include "AnalysisStore.h"

#include "Errors.h"

#include <sqlite3.h>

namespace cuegrid
{

namespace
{
    struct Statement
    {
        Statement (sqlite3* database, const char* sql, const std::string& path)
        {
            if (sqlite3_prepare_v2 (database, sql, -1, &handle, nullptr) != SQLITE_OK)
                throw OutputError (path + ": " + sqlite3_errmsg (database));
        }
        ~Statement() { sqlite3_finalize (handle); }
        void bind (int index, const std::string& text) { sqlite3_bind_text (handle, index, text.c_str(), (int) text.size(), SQLITE_TRANSIENT); }
        sqlite3_stmt* handle = nullptr;
    };
} // namespace

AnalysisStore::AnalysisStore (const std::string& databasePath) : path (databasePath)
{
    if (sqlite3_open_v2 (path.c_str(), &database, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK)
    {
        const std::string message = database != nullptr ? sqlite3_errmsg (database) : "out of memory";
        sqlite3_close (database);
        database = nullptr;
        throw OutputError (path + ": cannot open the session database: " + message);
    }
    sqlite3_busy_timeout (database, 5000);
    char* error = nullptr;
    const auto* schema = "PRAGMA journal_mode=WAL;"
                         "CREATE TABLE IF NOT EXISTS analysis ("
                         " content_hash TEXT NOT NULL, settings_key TEXT NOT NULL, file_name TEXT,"
                         " result_json TEXT NOT NULL, analysed_at TEXT DEFAULT CURRENT_TIMESTAMP,"
                         " PRIMARY KEY (content_hash, settings_key));";
    if (sqlite3_exec (database, schema, nullptr, nullptr, &error) != SQLITE_OK)
    {
        const std::string message = error != nullptr ? error : "unknown error";
        sqlite3_free (error);
        sqlite3_close (database);
        database = nullptr;
        throw OutputError (path + ": cannot prepare the session database: " + message);
    }
}

AnalysisStore::~AnalysisStore()
{
    sqlite3_close (database);
}

std::optional<std::string> AnalysisStore::find (const std::string& contentHash, const std::string& settingsKey) const
{
    Statement query (database, "SELECT result_json FROM analysis WHERE content_hash = ?1 AND settings_key = ?2", path);
    query.bind (1, contentHash);
    query.bind (2, settingsKey);
    if (sqlite3_step (query.handle) != SQLITE_ROW)
        return std::nullopt;
    return std::string (reinterpret_cast<const char*> (sqlite3_column_text (query.handle, 0)));
}

void AnalysisStore::store (const std::string& contentHash, const std::string& settingsKey, const std::string& fileName,
                           const std::string& resultJson)
{
    Statement insert (database, "INSERT OR REPLACE INTO analysis (content_hash, settings_key, file_name, result_json)"
                                " VALUES (?1, ?2, ?3, ?4)", path);
    insert.bind (1, contentHash);
    insert.bind (2, settingsKey);
    insert.bind (3, fileName);
    insert.bind (4, resultJson);
    if (sqlite3_step (insert.handle) != SQLITE_DONE)
        throw OutputError (path + ": cannot store an analysis result: " + sqlite3_errmsg (database));
}

} // namespace cuegrid
