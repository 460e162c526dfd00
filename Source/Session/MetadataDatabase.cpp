// CueGrid — GPL-3.0-or-later
#include "MetadataDatabase.h"
#include "MetadataDatabaseSql.h"

#include "Errors.h"
#include "SessionModel.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <unistd.h>

namespace cuegrid
{

namespace
{
    constexpr const char* utcNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

    /** Version 1. Version 0 had only `analysis` (same columns), so migrating from it adds the
        rest; every statement is IF NOT EXISTS for that reason. */
    std::string schemaVersion1()
    {
        const std::string now = utcNow;
        return "CREATE TABLE IF NOT EXISTS analysis ("
               " content_hash TEXT NOT NULL, settings_key TEXT NOT NULL, file_name TEXT,"
               " result_json TEXT NOT NULL, analysed_at TEXT DEFAULT CURRENT_TIMESTAMP,"
               " PRIMARY KEY (content_hash, settings_key));"
               "CREATE TABLE IF NOT EXISTS media ("
               " clip_id TEXT NOT NULL PRIMARY KEY, file TEXT NOT NULL, content_hash TEXT,"
               " size_bytes INTEGER, modified_ns INTEGER, duration_sec REAL, sample_rate REAL, channels INTEGER,"
               " format TEXT,"
               " tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid (tags) AND json_type (tags) = 'array'),"
               " updated_at TEXT NOT NULL DEFAULT (" + now + "));"
               "CREATE INDEX IF NOT EXISTS media_by_content_hash ON media (content_hash);"
               "CREATE TABLE IF NOT EXISTS markers ("
               " id INTEGER PRIMARY KEY,"
               " clip_id TEXT NOT NULL REFERENCES media (clip_id) ON DELETE CASCADE ON UPDATE CASCADE,"
               " kind TEXT NOT NULL CHECK (kind IN ('cue', 'loop', 'warp')),"
               " name TEXT NOT NULL DEFAULT '',"
               " position_sec REAL NOT NULL CHECK (position_sec >= 0));"
               "CREATE INDEX IF NOT EXISTS markers_by_clip ON markers (clip_id);"
               "CREATE TABLE IF NOT EXISTS usage_history ("
               " id INTEGER PRIMARY KEY, time TEXT NOT NULL DEFAULT (" + now + "),"
               " clip_id TEXT REFERENCES media (clip_id) ON DELETE SET NULL ON UPDATE CASCADE,"
               " content_hash TEXT, event TEXT NOT NULL,"
               " details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (details)));"
               "CREATE INDEX IF NOT EXISTS usage_by_clip ON usage_history (clip_id);"
               "CREATE TABLE IF NOT EXISTS audit ("
               " id INTEGER PRIMARY KEY, time TEXT NOT NULL DEFAULT (" + now + "), kind TEXT NOT NULL,"
               " details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (details) AND json_type (details) = 'object'));"
               "CREATE TABLE IF NOT EXISTS settings (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL);";
    }

    /** Version 2 (issue 13): what finds a missing file again and flags a replaced one. Plain
        ALTERs: existing rows keep their facts (the new columns are filled the next time the
        file is seen; name from `file` now). */
    const char* schemaVersion2 =
        "ALTER TABLE media ADD COLUMN bit_depth INTEGER;"
        "ALTER TABLE media ADD COLUMN name TEXT;"
        "ALTER TABLE media ADD COLUMN last_good_path TEXT;"
        "ALTER TABLE media ADD COLUMN replaced TEXT CHECK (replaced IS NULL OR (json_valid (replaced) AND json_type (replaced) = 'object'));"
        "CREATE INDEX IF NOT EXISTS media_by_name ON media (name);";

    void syncFile (const std::string& file)
    {
        const int descriptor = ::open (file.c_str(), O_RDONLY | O_CLOEXEC);
        if (descriptor >= 0)
        {
            ::fsync (descriptor);
            ::close (descriptor);
        }
    }
} // namespace

std::string sqlrow::columnText (sqlite3_stmt* statement, int column)
{
    const auto* text = sqlite3_column_text (statement, column);
    return text != nullptr ? std::string (reinterpret_cast<const char*> (text), (size_t) sqlite3_column_bytes (statement, column))
                           : std::string();
}

using sqlrow::columnText;
using sqlrow::Transaction;

const char* MetadataDatabase::markerKindName (MarkerKind kind)
{
    switch (kind)
    {
        case MarkerKind::cue: return "cue";
        case MarkerKind::loop: return "loop";
        case MarkerKind::warp: return "warp";
    }
    return "cue";
}

bool MetadataDatabase::MediaRecord::operator== (const MediaRecord& other) const
{
    return clipId == other.clipId && file == other.file && contentHash == other.contentHash && sizeBytes == other.sizeBytes
           && modifiedNs == other.modifiedNs && durationSec == other.durationSec && sampleRate == other.sampleRate
           && channels == other.channels && format == other.format && tags == other.tags && bitDepth == other.bitDepth
           && name == other.name && lastGoodPath == other.lastGoodPath && replacedJson == other.replacedJson;
}

MetadataDatabase::MetadataDatabase (const std::string& databasePath) : path (databasePath)
{
    try
    {
        open();
        migrate();
    }
    catch (...)
    {
        for (auto& [sql, statement] : statements)
            sqlite3_finalize (statement);
        statements.clear();
        sqlite3_close (database);
        database = nullptr;
        throw;
    }
}

MetadataDatabase::~MetadataDatabase()
{
    for (auto& [sql, statement] : statements)
        sqlite3_finalize (statement);
    sqlite3_close (database);
}

void MetadataDatabase::fail (const std::string& what) const
{
    const auto code = database != nullptr ? sqlite3_errcode (database) : SQLITE_NOMEM;
    const std::string reason = database != nullptr ? sqlite3_errmsg (database) : "out of memory";
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
        throw InputError (path, 0, 0, what + ": " + reason);
    throw OutputError (path + ": " + what + ": " + reason);
}

sqlite3_stmt* MetadataDatabase::prepare (const char* sql) const
{
    const auto found = statements.find (sql);
    if (found != statements.end())
        return found->second;
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3 (database, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) != SQLITE_OK)
        fail ("cannot prepare a statement");
    statements.emplace (sql, statement);
    return statement;
}

void MetadataDatabase::execute (const char* sql) const
{
    char* error = nullptr;
    if (sqlite3_exec (database, sql, nullptr, nullptr, &error) != SQLITE_OK)
    {
        sqlite3_free (error);
        fail ("cannot update the session database");
    }
}

void MetadataDatabase::open()
{
    if (sqlite3_open_v2 (path.c_str(), &database, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK)
    {
        const std::string message = database != nullptr ? sqlite3_errmsg (database) : "out of memory";
        throw OutputError (path + ": cannot open the session database: " + message);
    }
    sqlite3_extended_result_codes (database, 0);
    sqlite3_busy_timeout (database, busyTimeoutMs);
    // Reading the schema is the first access to the file: a file that is not SQLite fails here.
    execute ("SELECT count(*) FROM sqlite_master");
    execute ("PRAGMA foreign_keys = ON");
}

void MetadataDatabase::configure()
{
    // WAL: readers never block the writer (analysis workers, the message thread, the CLI);
    // FULL syncs the log at each commit, so a committed audit row survives a power loss.
    // After the version check: setting WAL writes the file header, and a newer file is left alone.
    execute ("PRAGMA journal_mode = WAL");
    execute ("PRAGMA synchronous = FULL");
}

int MetadataDatabase::getVersion() const
{
    const std::lock_guard<std::recursive_mutex> guard (lock);
    Statement query (*this, "PRAGMA user_version");
    return query.next() ? sqlite3_column_int (query.get(), 0) : 0;
}

void MetadataDatabase::migrate()
{
    const auto newerMessage = [] (int found)
    {
        return "database version " + std::to_string (found) + " was written by a newer CueGrid (this one reads versions 0 to "
               + std::to_string (currentVersion) + ")";
    };
    openReport.foundVersion = getVersion();
    if (openReport.foundVersion > currentVersion)
        throw InputError (path, 0, 0, newerMessage (openReport.foundVersion));
    configure();
    if (openReport.foundVersion == currentVersion)
        return;

    // The write lock first, then the version again: another connection may have migrated
    // while this one waited, and only one of them may back up and migrate.
    Transaction transaction (database, [this] (const std::string& what) { fail (what); });
    openReport.foundVersion = getVersion();
    if (openReport.foundVersion == currentVersion)
        return transaction.commit();
    if (openReport.foundVersion > currentVersion)
        throw InputError (path, 0, 0, newerMessage (openReport.foundVersion));

    std::set<std::string> tables;
    {
        Statement query (*this, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
        while (query.next())
            tables.insert (columnText (query.get(), 0));
    }
    if (tables.empty())
        openReport.created = true;
    else if (openReport.foundVersion == 0 && tables != std::set<std::string> { "analysis" })
    {
        std::string names;
        for (const auto& table : tables)
            names += (names.empty() ? "" : ", ") + table;
        throw InputError (path, 0, 0, "not a CueGrid session database (version 0 with tables " + names + ")");
    }
    else
        openReport.backupPath = backupBeforeMigration (openReport.foundVersion);

    // Each step from the version found; a fresh file takes them all.
    if (openReport.foundVersion < 1)
        execute (schemaVersion1().c_str());
    if (openReport.foundVersion < 2)
    {
        execute (schemaVersion2);
        // A row's name from its manifest path: search by name works before the file is seen again.
        std::vector<std::pair<std::string, std::string>> names;
        {
            Statement query (*this, "SELECT clip_id, file FROM media");
            while (query.next())
                names.emplace_back (columnText (query.get(), 0),
                                    std::filesystem::path (columnText (query.get(), 1)).filename().string());
        }
        for (const auto& [clip, name] : names)
        {
            Statement update (*this, "UPDATE media SET name = ?2 WHERE clip_id = ?1");
            update.text (1, clip).text (2, name);
            update.run ("cannot migrate the media of clip '" + clip + "'");
        }
    }
    if (! openReport.created)
    {
        nlohmann::json details { { "from", openReport.foundVersion }, { "to", currentVersion }, { "backup", openReport.backupPath } };
        Statement insert (*this, "INSERT INTO audit (kind, details) VALUES ('migration', ?1)");
        insert.text (1, details.dump());
        insert.run ("cannot record the migration");
    }
    execute (("PRAGMA user_version = " + std::to_string (currentVersion)).c_str());
    transaction.commit();
}

std::string MetadataDatabase::backupBeforeMigration (int fromVersion)
{
    // Never over an older backup: a second migration of a restored file gets its own name.
    const auto stem = path + ".v" + std::to_string (fromVersion);
    std::string backup = stem + ".bak";
    for (int n = 1; std::filesystem::exists (backup); ++n)
        backup = stem + "." + std::to_string (n) + ".bak";

    // The online backup API copies what this connection sees, WAL content included, which a
    // plain copy of the main file would miss after a crash.
    // A temporary left by a migration that was killed is incomplete: only the holder of the
    // write lock (this connection) makes one, so it can go.
    const auto temporary = backup + ".tmp";
    std::error_code staleCode;
    std::filesystem::remove (temporary, staleCode);
    sqlite3* copy = nullptr;
    const auto failCopy = [&] (const std::string& reason)
    {
        sqlite3_close (copy);
        std::error_code ignored;
        std::filesystem::remove (temporary, ignored);
        throw OutputError (path + ": cannot back up the database before migrating it to " + backup + ": " + reason);
    };
    // This connection holds the write lock (a writer cannot be a backup's source), so a
    // second one reads: in WAL it sees the last commit, the old version, while we wait.
    sqlite3* source = nullptr;
    const auto opened = sqlite3_open_v2 (path.c_str(), &source, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_busy_timeout (source, busyTimeoutMs);
    if (opened != SQLITE_OK)
    {
        const std::string reason = source != nullptr ? sqlite3_errmsg (source) : "out of memory";
        sqlite3_close (source);
        failCopy (reason);
    }
    if (sqlite3_open_v2 (temporary.c_str(), &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
    {
        sqlite3_close (source);
        failCopy (copy != nullptr ? sqlite3_errmsg (copy) : "out of memory");
    }
    auto* backupJob = sqlite3_backup_init (copy, "main", source, "main");
    if (backupJob == nullptr)
    {
        sqlite3_close (source);
        failCopy (sqlite3_errmsg (copy));
    }
    const auto stepped = sqlite3_backup_step (backupJob, -1);
    sqlite3_backup_finish (backupJob);
    sqlite3_close (source);
    if (stepped != SQLITE_DONE)
        failCopy (sqlite3_errstr (stepped));
    // The copy is a standalone file: no -wal beside it.
    sqlite3_exec (copy, "PRAGMA journal_mode = DELETE", nullptr, nullptr, nullptr);
    if (sqlite3_close (copy) != SQLITE_OK)
        failCopy ("cannot close the copy");
    copy = nullptr;
    syncFile (temporary);
    std::error_code code;
    std::filesystem::rename (temporary, backup, code);
    if (code)
        failCopy (code.message());
    syncFile (std::filesystem::path (backup).parent_path().empty() ? "." : std::filesystem::path (backup).parent_path().string());
    return backup;
}

MetadataDatabase::Inspection MetadataDatabase::inspect (const std::string& databasePath)
{
    Inspection inspection;
    std::error_code code;
    inspection.exists = std::filesystem::exists (databasePath, code);
    if (! inspection.exists)
        return inspection;
    // Read-write without CREATE, though nothing is written: a read-only connection to a WAL
    // database leaves its -wal and -shm behind; the last read-write one removes them on close.
    // A read-only file or folder is read read-only.
    sqlite3* handle = nullptr;
    if (sqlite3_open_v2 (databasePath.c_str(), &handle, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
    {
        sqlite3_close (handle);
        handle = nullptr;
        sqlite3_open_v2 (databasePath.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr);
    }
    if (handle == nullptr || sqlite3_errcode (handle) != SQLITE_OK)
    {
        inspection.error = handle != nullptr ? sqlite3_errmsg (handle) : "out of memory";
        sqlite3_close (handle);
        return inspection;
    }
    sqlite3_busy_timeout (handle, busyTimeoutMs);
    // Each query's rows as text; false (and `error` set) when it fails.
    const auto rows = [&] (const std::string& sql, std::vector<std::string>& out)
    {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2 (handle, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK)
        {
            inspection.error = sqlite3_errmsg (handle);
            return false;
        }
        int result;
        while ((result = sqlite3_step (statement)) == SQLITE_ROW)
        {
            std::string row;
            for (int column = 0; column < sqlite3_column_count (statement); ++column)
                row += (column > 0 ? " " : "") + columnText (statement, column);
            out.push_back (row);
        }
        sqlite3_finalize (statement);
        if (result != SQLITE_DONE)
            inspection.error = sqlite3_errmsg (handle);
        return result == SQLITE_DONE;
    };
    std::vector<std::string> version, tables, integrity, foreignKeys;
    if (rows ("PRAGMA user_version", version) && rows ("SELECT name FROM sqlite_master WHERE type = 'table'", tables)
        && rows ("PRAGMA integrity_check", integrity) && rows ("PRAGMA foreign_key_check", foreignKeys))
    {
        inspection.version = version.empty() ? 0 : std::atoi (version[0].c_str());
        std::string problems;
        for (const auto& line : integrity)
            if (line != "ok")
                problems += (problems.empty() ? "" : "; ") + line;
        for (const auto& line : foreignKeys)
            problems += (problems.empty() ? "" : "; ") + std::string ("foreign key: ") + line;
        inspection.integrity = problems.empty() ? "ok" : problems;
        const std::pair<const char*, int64_t*> counts[] { { "media", &inspection.mediaRows }, { "markers", &inspection.markerRows },
                                                          { "analysis", &inspection.analysisRows }, { "audit", &inspection.auditRows } };
        for (const auto& [table, count] : counts)
        {
            std::vector<std::string> result;
            if (std::find (tables.begin(), tables.end(), table) != tables.end()
                && rows ("SELECT count(*) FROM " + std::string (table), result) && ! result.empty())
                *count = std::atoll (result[0].c_str());
        }
    }
    sqlite3_close (handle);
    return inspection;
}

} // namespace cuegrid
