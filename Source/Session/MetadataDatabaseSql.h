// CueGrid — GPL-3.0-or-later
// MetadataDatabase's own SQL helpers, shared by its schema side (MetadataDatabase.cpp: open,
// migrate, back up, inspect) and its queries (MetadataDatabaseQueries.cpp). Not a public header.
#pragma once

#include "MetadataDatabase.h"

#include <sqlite3.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cuegrid
{

namespace sqlrow
{
    /** A text column (empty for NULL). */
    std::string columnText (sqlite3_stmt* statement, int column);

    /** Every row `query` (a MetadataDatabase::Statement, bound) returns, each made by
        `make (sqlite3_stmt*)`. */
    template <typename Row, typename Query, typename Make>
    std::vector<Row> allRows (Query& query, Make&& make)
    {
        std::vector<Row> rows;
        while (query.next())
            rows.push_back (make (query.get()));
        return rows;
    }
} // namespace sqlrow

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

namespace sqlrow
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
} // namespace sqlrow

} // namespace cuegrid
