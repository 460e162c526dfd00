// CueGrid — GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace cuegrid
{

struct Session;

/** The session's metadata database, `<session>.cuegrid.db` beside the manifest (SQLite, WAL,
    foreign keys on; schema in docs/session-format.md): clip media facts, markers, usage
    history, the recovery and relink audit trail, session settings and the analysis cache.

    The manifest is the source of truth: everything here is either derived from it and the
    media (media facts, cue and loop markers, analysis results) or history (usage, audit), so
    a lost database costs time and history, never the show.

    Versions are `PRAGMA user_version`. Opening migrates an older database in place, inside
    one transaction, after copying it to `<database>.v<old>.bak` (a free name is found if that
    exists); version 0 is the analysis-only database of CueGrid before issue 9. A newer
    version is refused with InputError naming the file and both versions.

    Threads: one connection per object. The connection is serialised (SQLite FULLMUTEX plus a
    lock around each call), so an object may be shared by worker threads for single calls
    (AnalysisStore); a transaction belongs to the thread that runs mirrorSession() or
    putMedia(). Another connection (thread or process) waits up to busyTimeoutMs for a lock.

    Errors: OutputError when the file cannot be opened, created or written (a read-only
    folder, a full disk); InputError when it is not a CueGrid database, is damaged, or is
    newer than this CueGrid. */
class MetadataDatabase
{
public:
    /** 2 (issue 13): media rows gained bit_depth, name, last_good_path and replaced. */
    static constexpr int currentVersion = 2;
    static constexpr int busyTimeoutMs = 5000;

    /** `show.cuegrid` → `show.cuegrid.db`. */
    static std::string pathForSession (const std::string& sessionPath) { return sessionPath + ".db"; }

    /** What a database file holds, without creating, migrating or changing it (`cuegrid
        info`, checks after a crash). Never throws. */
    struct Inspection
    {
        bool exists = false;
        int version = 0;                       // user_version
        std::string integrity;                 // "ok" or the problems (integrity_check, foreign_key_check)
        int64_t mediaRows = 0, markerRows = 0, analysisRows = 0, auditRows = 0;   // of the tables it has
        std::string error;                     // non-empty: could not be read (not a database, …)
    };
    static Inspection inspect (const std::string& path);

    /** Opens (creating or migrating) the database at `path`. */
    explicit MetadataDatabase (const std::string& path);
    ~MetadataDatabase();

    MetadataDatabase (const MetadataDatabase&) = delete;
    MetadataDatabase& operator= (const MetadataDatabase&) = delete;

    const std::string& getPath() const noexcept { return path; }

    /** What opening did: the version found (0 for a fresh file too) and, after a migration,
        the backup of the original. */
    struct OpenReport
    {
        int foundVersion = 0;
        bool created = false;          // a new, empty database
        std::string backupPath;        // non-empty: migrated from foundVersion, original copied here
    };
    const OpenReport& getOpenReport() const noexcept { return openReport; }

    // --- Clip media ---------------------------------------------------------------------
    /** Facts about one clip's media file, as last seen. Unknown facts are unset. */
    struct MediaRecord
    {
        std::string clipId;                    // the manifest's clip id
        std::string file;                      // the clip's `file`, as written in the manifest
        std::optional<std::string> contentHash;// XXH3-64, 16 hex digits (as the analysis cache)
        std::optional<int64_t> sizeBytes;
        std::optional<int64_t> modifiedNs;     // mtime, ns since the Unix epoch
        std::optional<double> durationSec;     // of the file at its own rate
        std::optional<double> sampleRate;      // Hz, of the file
        std::optional<int> channels;
        std::optional<std::string> format;     // describeMediaFormat(), e.g. "WAV 24-bit"
        std::vector<std::string> tags;         // free words, stored as a JSON array
        // Version 2: what finds the file again when it goes missing (MediaSearch.h).
        std::optional<int> bitDepth;           // bits per sample (PCM 8/16/24/32, float 32, double 64); unset for compressed
        std::optional<std::string> name;       // the file's name when it was last present ("kick.wav")
        std::optional<std::string> lastGoodPath;   // absolute path where it was last present with contentHash
        /** Set while the clip's file holds other content or another format than recorded
            (the facts above are what the clip expects): a JSON object of what the file holds,
            {"contentHash", "sizeBytes", "modifiedNs", "durationSec", "sampleRate", "channels",
            "bitDepth", "format", "detail"}. Cleared when the file is what was recorded again or
            the change is accepted (acceptReplacedMedia). */
        std::optional<std::string> replacedJson;

        bool operator== (const MediaRecord& other) const;
    };

    /** Inserts or replaces the rows of these clips in one transaction. Markers and usage of
        a replaced clip are kept. */
    void putMedia (const std::vector<MediaRecord>& records);
    std::optional<MediaRecord> findMedia (const std::string& clipId) const;
    std::vector<MediaRecord> allMedia() const;            // ordered by clip id

    // --- Markers ------------------------------------------------------------------------
    enum class MarkerKind { cue, loop, warp };
    static const char* markerKindName (MarkerKind kind);

    struct Marker
    {
        std::string clipId;                    // must have a media row (foreign key)
        MarkerKind kind = MarkerKind::cue;
        std::string name;                      // "in", "out" for cue and loop markers; free for warp
        double positionSec = 0.0;              // seconds of the media file, >= 0

        bool operator== (const Marker& other) const
        {
            return clipId == other.clipId && kind == other.kind && name == other.name && positionSec == other.positionSec;
        }
    };

    /** Adds one marker (warp markers: the manifest holds none). Throws OutputError when the
        clip has no media row (foreign key) or the position is negative. */
    void addMarker (const Marker& marker);
    std::vector<Marker> markers (const std::string& clipId) const;   // by kind, then position

    /** A clip's id changed in the manifest: its media row, markers and usage history follow
        (foreign keys ON UPDATE CASCADE) instead of being dropped and started again by
        mirrorSession(). Throws OutputError if `newId` already has a row; no-op without `oldId`. */
    void renameClip (const std::string& oldId, const std::string& newId);

    // --- Usage history (written by the logging issue) ----------------------------------------
    struct UsageEntry
    {
        std::string time;                      // UTC, as the audit trail
        std::optional<std::string> clipId;     // unset once the clip left the session
        std::optional<std::string> contentHash;
        std::string event;                     // "trigger", "stop", …
        std::string detailsJson;               // JSON
    };
    /** Appends a use of a clip (which must have a media row). `contentHash` is taken from it. */
    void addUsage (const std::string& clipId, const std::string& event, const std::string& detailsJson = "{}");
    std::vector<UsageEntry> usageHistory() const;          // oldest first

    // --- Mirroring the manifest ---------------------------------------------------------
    /** Makes the database agree with the manifest, in one transaction, writing only what
        differs: a media row for every clip (a clip whose `file` changed loses its media
        facts until they are measured again), rows of clips no longer in the session removed
        (their markers go with them), and each clip's cue and loop markers equal to its
        cueInSec/cueOutSec and loop inSec/outSec. Warp markers, tags, usage and audit rows
        are kept. Returns how many clips had rows added, changed or removed. */
    int mirrorSession (const Session& session);

    // --- Audit trail --------------------------------------------------------------------
    struct AuditEntry
    {
        int64_t id = 0;
        std::string time;                      // UTC, "2026-11-24T00:12:03.123Z"
        std::string kind;                      // "migration", "recovery", "relink", …
        std::string detailsJson;               // a JSON object
    };
    /** Appends an event. Throws InputError if `detailsJson` is not a JSON object. */
    void addAudit (const std::string& kind, const std::string& detailsJson);
    std::vector<AuditEntry> auditTrail() const;           // oldest first

    // --- Session settings (preferences of this session; never needed to play it) ----------
    void setSetting (const std::string& key, const std::string& value);
    std::optional<std::string> getSetting (const std::string& key) const;

    // --- Analysis cache (AnalysisStore's table) ------------------------------------------
    std::optional<std::string> findAnalysis (const std::string& contentHash, const std::string& settingsKey) const;
    void storeAnalysis (const std::string& contentHash, const std::string& settingsKey, const std::string& fileName,
                        const std::string& resultJson);

    // --- Checks -------------------------------------------------------------------------
    /** `PRAGMA integrity_check` and `foreign_key_check`: "ok", or the problems found. */
    std::string checkIntegrity() const;
    int getVersion() const;                               // user_version

private:
    class Statement;
    sqlite3_stmt* prepare (const char* sql) const;        // cached for the connection's life
    void execute (const char* sql) const;
    void open();
    void configure();
    void migrate();
    void createSchema();
    std::string backupBeforeMigration (int fromVersion);
    [[noreturn]] void fail (const std::string& what) const;

    std::string path;
    sqlite3* database = nullptr;
    OpenReport openReport;
    mutable std::recursive_mutex lock;                    // guards the statement cache and multi-statement calls
    mutable std::unordered_map<const char*, sqlite3_stmt*> statements;
};

} // namespace cuegrid
