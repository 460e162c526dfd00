// CueGrid — GPL-3.0-or-later
// MetadataDatabase's queries: clip media, markers, usage, the audit trail, settings, the
// analysis cache and the integrity check. Opening and migrating are in MetadataDatabase.cpp.
#include "MetadataDatabaseSql.h"

#include "Errors.h"
#include "SessionModel.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace cuegrid
{

using sqlrow::columnText;
using sqlrow::Transaction;

namespace
{
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
} // namespace

// --- Clip media -----------------------------------------------------------------------------

namespace
{
    /** A row of `SELECT clip_id, file, content_hash, size_bytes, modified_ns, duration_sec,
        sample_rate, channels, format, tags, bit_depth, name, last_good_path, replaced`. */
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
        if (const auto bits = optionalInteger (row, 10))
            record.bitDepth = (int) *bits;
        record.name = optionalText (row, 11);
        record.lastGoodPath = optionalText (row, 12);
        record.replacedJson = optionalText (row, 13);
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
                                 " sample_rate, channels, format, tags, bit_depth, name, last_good_path, replaced)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
                                 " ON CONFLICT (clip_id) DO UPDATE SET file = excluded.file, content_hash = excluded.content_hash,"
                                 " size_bytes = excluded.size_bytes, modified_ns = excluded.modified_ns,"
                                 " duration_sec = excluded.duration_sec, sample_rate = excluded.sample_rate,"
                                 " channels = excluded.channels, format = excluded.format, tags = excluded.tags,"
                                 " bit_depth = excluded.bit_depth, name = excluded.name, last_good_path = excluded.last_good_path,"
                                 " replaced = excluded.replaced,"
                                 " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
        upsert.text (1, record.clipId).text (2, record.file).text (3, record.contentHash).integer (4, record.sizeBytes)
            .integer (5, record.modifiedNs).real (6, record.durationSec).real (7, record.sampleRate)
            .integer (8, record.channels ? std::optional<int64_t> (*record.channels) : std::nullopt).text (9, record.format)
            .text (10, nlohmann::json (record.tags).dump())
            .integer (11, record.bitDepth ? std::optional<int64_t> (*record.bitDepth) : std::nullopt).text (12, record.name)
            .text (13, record.lastGoodPath).text (14, record.replacedJson);
        upsert.run ("cannot store the media of clip '" + record.clipId + "'");
    }
    transaction.commit();
}

std::optional<MetadataDatabase::MediaRecord> MetadataDatabase::findMedia (const std::string& clipId) const
{
    const std::lock_guard<std::recursive_mutex> guard (lock);
    Statement query (*this, "SELECT clip_id, file, content_hash, size_bytes, modified_ns, duration_sec, sample_rate,"
                            " channels, format, tags, bit_depth, name, last_good_path, replaced FROM media WHERE clip_id = ?1");
    query.text (1, clipId);
    if (! query.next())
        return std::nullopt;
    return mediaFromRow (query.get());
}

std::vector<MetadataDatabase::MediaRecord> MetadataDatabase::allMedia() const
{
    const std::lock_guard<std::recursive_mutex> guard (lock);
    Statement query (*this, "SELECT clip_id, file, content_hash, size_bytes, modified_ns, duration_sec, sample_rate,"
                            " channels, format, tags, bit_depth, name, last_good_path, replaced FROM media ORDER BY clip_id");
    return sqlrow::allRows<MediaRecord> (query, mediaFromRow);
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
    Statement query (*this, "SELECT clip_id, kind, name, position_sec FROM markers WHERE clip_id = ?1"
                            " ORDER BY CASE kind WHEN 'cue' THEN 0 WHEN 'loop' THEN 1 ELSE 2 END, position_sec, id");
    query.text (1, clipId);
    return sqlrow::allRows<Marker> (query, [] (sqlite3_stmt* row)
    {
        return Marker { columnText (row, 0), markerKindFromName (columnText (row, 1)).value_or (MarkerKind::warp),
                        columnText (row, 2), sqlite3_column_double (row, 3) };
    });
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
    Statement query (*this, "SELECT time, clip_id, content_hash, event, details FROM usage_history ORDER BY id");
    return sqlrow::allRows<UsageEntry> (query, [] (sqlite3_stmt* row)
    {
        return UsageEntry { columnText (row, 0), optionalText (row, 1), optionalText (row, 2), columnText (row, 3), columnText (row, 4) };
    });
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
                                         " bit_depth = NULL, name = NULL, last_good_path = NULL, replaced = NULL,"
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
    Statement query (*this, "SELECT id, time, kind, details FROM audit ORDER BY id");
    return sqlrow::allRows<AuditEntry> (query, [] (sqlite3_stmt* row)
    {
        return AuditEntry { sqlite3_column_int64 (row, 0), columnText (row, 1), columnText (row, 2), columnText (row, 3) };
    });
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
