// CueGrid — GPL-3.0-or-later
#include "MetadataDatabase.h"

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

    std::string columnText (sqlite3_stmt* statement, int column)
    {
        const auto* text = sqlite3_column_text (statement, column);
        return text != nullptr ? std::string (reinterpret_cast<const char*> (text), (size_t) sqlite3_column_bytes (statement, column))
                               : std::string();
    }

    std::optional<std::string> optionalText (sqlite3_stmt* statement, int column)
    {
        if (sqlite3_column_type (statement, column) == SQLITE_NULL)
            return std::nullopt;
        return columnText (statement, column);
    }

    std::optional<int64_t> optionalInteger (sqlite3_stmt* statement, int column)
    {
        if (sqlite3_column_type (statement, column) == SQLITE_NULL)
            return std::nullopt;
        return (int64_t) sqlite3_column_int64 (statement, column);
    }

    std::optional<double> optionalReal (sqlite3_stmt* statement, int column)
    {
        if (sqlite3_column_type (statement, column) == SQLITE_NULL)
            return std::nullopt;
        return sqlite3_column_double (statement, column);
    }

    std::optional<MetadataDatabase::MarkerKind> markerKindFromName (const std::string& name)
    {
        using Kind = MetadataDatabase::MarkerKind;
        for (const auto kind : { Kind::cue, Kind::loop, Kind::warp })
            if (name == MetadataDatabase::markerKindName (kind))
                return kind;
        return std::nullopt;
    }

    /** The cue and loop markers the manifest gives a clip, in the order markers() returns. */
    std::vector<MetadataDatabase::Marker> manifestMarkers (const ClipDefinition& clip)
    {
        using Kind = MetadataDatabase::MarkerKind;
        std::vector<MetadataDatabase::Marker> result;
        if (clip.cueInSec) result.push_back ({ clip.id, Kind::cue, "in", *clip.cueInSec });
        if (clip.cueOutSec) result.push_back ({ clip.id, Kind::cue, "out", *clip.cueOutSec });
        if (clip.loop && clip.loop->inSec) result.push_back ({ clip.id, Kind::loop, "in", *clip.loop->inSec });
        if (clip.loop && clip.loop->outSec) result.push_back ({ clip.id, Kind::loop, "out", *clip.loop->outSec });
        return result;
    }

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

/** A cached statement in use: bound, stepped, and reset when it goes out of scope. */
class MetadataDatabase::Statement
{
public:
    Statement (const MetadataDatabase& owner, const char* sql) : database (owner), handle (owner.prepare (sql)) {}
    ~Statement()
    {
        sqlite3_reset (handle);
        sqlite3_clear_bindings (handle);
    }

    Statement& text (int index, const std::string& value)
    {
        sqlite3_bind_text (handle, index, value.c_str(), (int) value.size(), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& text (int index, const std::optional<std::string>& value)
    {
        return value ? text (index, *value) : null (index);
    }
    Statement& integer (int index, std::optional<int64_t> value)
    {
        if (value) sqlite3_bind_int64 (handle, index, (sqlite3_int64) *value); else null (index);
        return *this;
    }
    Statement& real (int index, std::optional<double> value)
    {
        if (value) sqlite3_bind_double (handle, index, *value); else null (index);
        return *this;
    }
    Statement& null (int index)
    {
        sqlite3_bind_null (handle, index);
        return *this;
    }

    /** True while a row is available. */
    bool next()
    {
        const auto code = sqlite3_step (handle);
        if (code == SQLITE_ROW)
            return true;
        if (code != SQLITE_DONE)
            database.fail ("cannot read the session database");
        return false;
    }

    void run (const std::string& what)
    {
        if (sqlite3_step (handle) != SQLITE_DONE)
            database.fail (what);
    }

    sqlite3_stmt* get() const noexcept { return handle; }

private:
    const MetadataDatabase& database;
    sqlite3_stmt* handle;
};

namespace
{
    /** BEGIN IMMEDIATE … COMMIT; rolled back if not committed (an exception). */
    class Transaction
    {
    public:
        Transaction (sqlite3* handle, std::function<void (const std::string&)> onError) : database (handle), fail (std::move (onError))
        {
            if (sqlite3_exec (database, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
                fail ("cannot start a transaction");
        }
        ~Transaction()
        {
            if (! committed)
                sqlite3_exec (database, "ROLLBACK", nullptr, nullptr, nullptr);
        }
        void commit()
        {
            if (sqlite3_exec (database, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
                fail ("cannot commit");
            committed = true;
        }

    private:
        sqlite3* database;
        std::function<void (const std::string&)> fail;
        bool committed = false;
    };
} // namespace

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
           && channels == other.channels && format == other.format && tags == other.tags;
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
    else if (tables != std::set<std::string> { "analysis" })
    {
        std::string names;
        for (const auto& table : tables)
            names += (names.empty() ? "" : ", ") + table;
        throw InputError (path, 0, 0, "not a CueGrid session database (version 0 with tables " + names + ")");
    }
    else
        openReport.backupPath = backupBeforeMigration (openReport.foundVersion);

    execute (schemaVersion1().c_str());
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

// --- Clip media -----------------------------------------------------------------------------

namespace
{
    /** A row of `SELECT clip_id, file, content_hash, size_bytes, modified_ns, duration_sec,
        sample_rate, channels, format, tags`. */
    MetadataDatabase::MediaRecord mediaFromRow (sqlite3_stmt* row)
    {
        MetadataDatabase::MediaRecord record;
        record.clipId = columnText (row, 0);
        record.file = columnText (row, 1);
        record.contentHash = optionalText (row, 2);
        record.sizeBytes = optionalInteger (row, 3);
        record.modifiedNs = optionalInteger (row, 4);
        record.durationSec = optionalReal (row, 5);
        record.sampleRate = optionalReal (row, 6);
        if (const auto channels = optionalInteger (row, 7))
            record.channels = (int) *channels;
        record.format = optionalText (row, 8);
        const auto tags = columnText (row, 9);
        if (tags != "[]")  // the common case, without a JSON parse
            for (const auto& tag : nlohmann::json::parse (tags, nullptr, false))
                if (tag.is_string())
                    record.tags.push_back (tag.get<std::string>());
        return record;
    }
} // namespace

void MetadataDatabase::putMedia (const std::vector<MediaRecord>& records)
{
    const std::lock_guard<std::recursive_mutex> guard (lock);
    Transaction transaction (database, [this] (const std::string& what) { fail (what); });
    for (const auto& record : records)
    {
        // An upsert, not INSERT OR REPLACE: a replaced row would take its markers with it.
        Statement upsert (*this, "INSERT INTO media (clip_id, file, content_hash, size_bytes, modified_ns, duration_sec,"
                                 " sample_rate, channels, format, tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                                 " ON CONFLICT (clip_id) DO UPDATE SET file = excluded.file, content_hash = excluded.content_hash,"
                                 " size_bytes = excluded.size_bytes, modified_ns = excluded.modified_ns,"
                                 " duration_sec = excluded.duration_sec, sample_rate = excluded.sample_rate,"
                                 " channels = excluded.channels, format = excluded.format, tags = excluded.tags,"
                                 " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
        upsert.text (1, record.clipId).text (2, record.file).text (3, record.contentHash).integer (4, record.sizeBytes)
            .integer (5, record.modifiedNs).real (6, record.durationSec).real (7, record.sampleRate)
            .integer (8, record.channels ? std::optional<int64_t> (*record.channels) : std::nullopt).text (9, record.format)
            .text (10, nlohmann::json (record.tags).dump());
        upsert.run ("cannot store the media of clip '" + record.clipId + "'");
    }
    transaction.commit();
}

std::optional<MetadataDatabase::MediaRecord> MetadataDatabase::findMedia (const std::string& clipId) const
{
    const std::lock_guard<std::recursive_mutex> guard (lock);
    Statement query (*this, "SELECT clip_id, file, content_hash, size_bytes, modified_ns, duration_sec, sample_rate,"
                            " channels, format, tags FROM media WHERE clip_id = ?1");
    query.text (1, clipId);
    if (! query.next())
        return std::nullopt;
    return mediaFromRow (query.get());
}

std::vector<MetadataDatabase::MediaRecord> MetadataDatabase::allMedia() const
{
    const std::lock_guard<std::recursive_mutex> guard (lock);
    std::vector<MediaRecord> records;
    Statement query (*this, "SELECT clip_id, file, content_hash, size_bytes, modified_ns, duration_sec, sample_rate,"
                            " channels, format, tags FROM media ORDER BY clip_id");
    while (query.next())
        records.push_back (mediaFromRow (query.get()));
    return records;
}

// --- Markers --------------------------------------------------------------------------------

void MetadataDatabase::addMarker (const Marker& marker)
{
    const std::lock_guard<std::recursive_mutex> guard (lock);
    Statement insert (*this, "INSERT INTO markers (clip_id, kind, name, position_sec) VALUES (?1, ?2, ?3, ?4)");
    insert.text (1, marker.clipId).text (2, std::string (markerKindName (marker.kind))).text (3, marker.name).real (4, marker.positionSec);
    insert.run ("cannot add a " + std::string (markerKindName (marker.kind)) + " marker to clip '" + marker.clipId + "'");
}

std::vector<MetadataDatabase::Marker> MetadataDatabase::markers (const std::string& clipId) const
{
    const std::lock_guard<std::recursive_mutex> guard (lock);
    std::vector<Marker> result;
    Statement query (*this, "SELECT clip_id, kind, name, position_sec FROM markers WHERE clip_id = ?1"
                            " ORDER BY CASE kind WHEN 'cue' THEN 0 WHEN 'loop' THEN 1 ELSE 2 END, position_sec, id");
    query.text (1, clipId);
    while (query.next())
        result.push_back ({ columnText (query.get(), 0), markerKindFromName (columnText (query.get(), 1)).value_or (MarkerKind::warp),
                            columnText (query.get(), 2), sqlite3_column_double (query.get(), 3) });
    return result;
}

void MetadataDatabase::renameClip (const std::string& oldId, const std::string& newId)
{
    const std::lock_guard<std::recursive_mutex> guard (lock);
    Statement update (*this, "UPDATE media SET clip_id = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE clip_id = ?1");
    update.text (1, oldId).text (2, newId);
    update.run ("cannot rename clip '" + oldId + "' to '" + newId + "'");
}

// --- Usage history --------------------------------------------------------------------------

void MetadataDatabase::addUsage (const std::string& clipId, const std::string& event, const std::string& detailsJson)
{
    const std::lock_guard<std::recursive_mutex> guard (lock);
    // The content hash as recorded now, so history follows the content through renames and relinks.
    Statement insert (*this, "INSERT INTO usage_history (clip_id, content_hash, event, details)"
                             " VALUES (?1, (SELECT content_hash FROM media WHERE clip_id = ?1), ?2, ?3)");
    insert.text (1, clipId).text (2, event).text (3, detailsJson);
    insert.run ("cannot record a '" + event + "' of clip '" + clipId + "'");
}

std::vector<MetadataDatabase::UsageEntry> MetadataDatabase::usageHistory() const
{
    const std::lock_guard<std::recursive_mutex> guard (lock);
    std::vector<UsageEntry> entries;
    Statement query (*this, "SELECT time, clip_id, content_hash, event, details FROM usage_history ORDER BY id");
    while (query.next())
        entries.push_back ({ columnText (query.get(), 0), optionalText (query.get(), 1), optionalText (query.get(), 2),
                             columnText (query.get(), 3), columnText (query.get(), 4) });
    return entries;
}

// --- Mirroring the manifest -----------------------------------------------------------------

int MetadataDatabase::mirrorSession (const Session& session)
{
    const std::lock_guard<std::recursive_mutex> guard (lock);
    Transaction transaction (database, [this] (const std::string& what) { fail (what); });

    // What the database holds now, in two queries; then only the differences are written.
    std::unordered_map<std::string, std::string> files;
    {
        Statement query (*this, "SELECT clip_id, file FROM media");
        while (query.next())
            files.emplace (columnText (query.get(), 0), columnText (query.get(), 1));
    }
    std::unordered_map<std::string, std::vector<Marker>> stored;
    {
        Statement query (*this, "SELECT clip_id, kind, name, position_sec FROM markers WHERE kind IN ('cue', 'loop')"
                                " ORDER BY clip_id, CASE kind WHEN 'cue' THEN 0 ELSE 1 END, CASE name WHEN 'in' THEN 0 WHEN 'out' THEN 1 ELSE 2 END, id");
        while (query.next())
        {
            auto clipId = columnText (query.get(), 0);
            stored[clipId].push_back ({ clipId, markerKindFromName (columnText (query.get(), 1)).value_or (MarkerKind::cue),
                                        columnText (query.get(), 2), sqlite3_column_double (query.get(), 3) });
        }
    }

    int written = 0;
    for (const auto& clip : session.clips)
    {
        bool changed = false;
        const auto file = files.find (clip.id);
        if (file == files.end())
        {
            Statement insert (*this, "INSERT INTO media (clip_id, file) VALUES (?1, ?2)");
            insert.text (1, clip.id).text (2, clip.file);
            insert.run ("cannot add clip '" + clip.id + "'");
            changed = true;
        }
        else
        {
            if (file->second != clip.file)
            {
                // Another file: what was measured belongs to the old one.
                Statement update (*this, "UPDATE media SET file = ?2, content_hash = NULL, size_bytes = NULL, modified_ns = NULL,"
                                         " duration_sec = NULL, sample_rate = NULL, channels = NULL, format = NULL,"
                                         " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE clip_id = ?1");
                update.text (1, clip.id).text (2, clip.file);
                update.run ("cannot update clip '" + clip.id + "'");
                changed = true;
            }
            files.erase (file);   // what remains afterwards is no longer in the session
        }

        const auto wanted = manifestMarkers (clip);
        const auto have = stored.find (clip.id);
        if (have == stored.end() ? wanted.empty() : have->second == wanted)
        {
            written += changed ? 1 : 0;
            continue;
        }
        if (have != stored.end())
        {
            Statement remove (*this, "DELETE FROM markers WHERE clip_id = ?1 AND kind IN ('cue', 'loop')");
            remove.text (1, clip.id);
            remove.run ("cannot update the markers of clip '" + clip.id + "'");
        }
        for (const auto& marker : wanted)
        {
            Statement insert (*this, "INSERT INTO markers (clip_id, kind, name, position_sec) VALUES (?1, ?2, ?3, ?4)");
            insert.text (1, marker.clipId).text (2, std::string (markerKindName (marker.kind))).text (3, marker.name)
                .real (4, marker.positionSec);
            insert.run ("cannot update the markers of clip '" + clip.id + "'");
        }
        ++written;
    }
    for (const auto& [clipId, file] : files)
    {
        Statement remove (*this, "DELETE FROM media WHERE clip_id = ?1");
        remove.text (1, clipId);
        remove.run ("cannot remove clip '" + clipId + "'");
        ++written;
    }
    transaction.commit();
    return written;
}

// --- Audit trail ----------------------------------------------------------------------------

void MetadataDatabase::addAudit (const std::string& kind, const std::string& detailsJson)
{
    const auto details = nlohmann::json::parse (detailsJson, nullptr, false);
    if (! details.is_object())
        throw InputError (path, 0, 0, "audit details of a '" + kind + "' event must be a JSON object");
    const std::lock_guard<std::recursive_mutex> guard (lock);
    Statement insert (*this, "INSERT INTO audit (kind, details) VALUES (?1, ?2)");
    insert.text (1, kind).text (2, details.dump());
    insert.run ("cannot record a '" + kind + "' event");
}

std::vector<MetadataDatabase::AuditEntry> MetadataDatabase::auditTrail() const
{
    const std::lock_guard<std::recursive_mutex> guard (lock);
    std::vector<AuditEntry> entries;
    Statement query (*this, "SELECT id, time, kind, details FROM audit ORDER BY id");
    while (query.next())
        entries.push_back ({ sqlite3_column_int64 (query.get(), 0), columnText (query.get(), 1), columnText (query.get(), 2),
                             columnText (query.get(), 3) });
    return entries;
}

// --- Settings -------------------------------------------------------------------------------

void MetadataDatabase::setSetting (const std::string& key, const std::string& value)
{
    const std::lock_guard<std::recursive_mutex> guard (lock);
    Statement upsert (*this, "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    upsert.text (1, key).text (2, value);
    upsert.run ("cannot store the setting '" + key + "'");
}

std::optional<std::string> MetadataDatabase::getSetting (const std::string& key) const
{
    const std::lock_guard<std::recursive_mutex> guard (lock);
    Statement query (*this, "SELECT value FROM settings WHERE key = ?1");
    query.text (1, key);
    if (! query.next())
        return std::nullopt;
    return columnText (query.get(), 0);
}

// --- Analysis cache -------------------------------------------------------------------------

std::optional<std::string> MetadataDatabase::findAnalysis (const std::string& contentHash, const std::string& settingsKey) const
{
    const std::lock_guard<std::recursive_mutex> guard (lock);
    Statement query (*this, "SELECT result_json FROM analysis WHERE content_hash = ?1 AND settings_key = ?2");
    query.text (1, contentHash).text (2, settingsKey);
    if (! query.next())
        return std::nullopt;
    return columnText (query.get(), 0);
}

void MetadataDatabase::storeAnalysis (const std::string& contentHash, const std::string& settingsKey, const std::string& fileName,
                                      const std::string& resultJson)
{
    const std::lock_guard<std::recursive_mutex> guard (lock);
    Statement insert (*this, "INSERT OR REPLACE INTO analysis (content_hash, settings_key, file_name, result_json)"
                             " VALUES (?1, ?2, ?3, ?4)");
    insert.text (1, contentHash).text (2, settingsKey).text (3, fileName).text (4, resultJson);
    insert.run ("cannot store an analysis result");
}

// --- Checks ---------------------------------------------------------------------------------

std::string MetadataDatabase::checkIntegrity() const
{
    const std::lock_guard<std::recursive_mutex> guard (lock);
    std::string problems;
    {
        Statement query (*this, "PRAGMA integrity_check");
        while (query.next())
        {
            const auto line = columnText (query.get(), 0);
            if (line != "ok")
                problems += (problems.empty() ? "" : "; ") + line;
        }
    }
    Statement query (*this, "PRAGMA foreign_key_check");
    while (query.next())
        problems += (problems.empty() ? "" : "; ") + std::string ("row ") + std::to_string (sqlite3_column_int64 (query.get(), 1))
                    + " of " + columnText (query.get(), 0) + " refers to a missing row of " + columnText (query.get(), 2);
    return problems.empty() ? "ok" : problems;
}

} // namespace cuegrid
