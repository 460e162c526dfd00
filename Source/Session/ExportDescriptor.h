// CueGrid — GPL-3.0-or-later
#pragma once

#include "PackageChecksums.h"
#include "SessionModel.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cuegrid
{

/** The four export modes of issue 13 (docs/media.md "Packages and exports"); a tab and a page
    are one mode with two scopes. */
enum class ExportKind { session, metadata, tab, page, clips };
const char* exportKindName (ExportKind kind);                       // "session", "metadata", …
std::optional<ExportKind> exportKindFromName (const std::string& name);

/** What an exported clip's media was in its session: how another session recognises it
    (content hash) and the database's own metadata that the manifest does not hold. */
struct ExportedClipFacts
{
    std::string contentHash;                 // XXH3-64, 16 hex digits; "" when unknown (media missing and never measured)
    std::int64_t sizeBytes = -1;             // -1: unknown
    std::string originalFile;                // the clip's `file` as its session wrote it
    std::vector<std::string> tags;           // the media table's tags
    std::vector<std::pair<std::string, double>> warpMarkers;   // name, seconds of the media file
};

/** An export folder: `package.json` (this), a manifest, `checksums.xxh3`, and for a session
    package its database and `media/`. package.json:
    {"format": "cuegrid.export", "version": 1, "kind": "tab", "createdUtc": "…", "source": "/…/show.cuegrid",
     "sessionName": "Show", "manifest": "show.cuegrid", "database": "show.cuegrid.db", "withMedia": true,
     "scope": {"page": 0, "tab": 1}, "clips": {"kick": {"contentHash": "…", "sizeBytes": 1234, "file": "media/kick.wav",
     "tags": [], "warpMarkers": [{"name": "beat", "sec": 1.5}]}}}
    The manifest is a session manifest (docs/session-format.md) holding only what was exported;
    its clips' files are relative (`media/…`, inside the export) or absolute (references). */
struct ExportDescriptor
{
    static constexpr const char* fileName = "package.json";
    static constexpr const char* formatName = "cuegrid.export";
    static constexpr int currentVersion = 1;

    ExportKind kind = ExportKind::session;
    std::string createdUtc;                  // "2026-11-24T08:12:03Z"
    std::string source;                      // the exported session file (absolute)
    std::string sessionName;
    std::string manifest;                    // the manifest's name inside the export
    std::string database;                    // session packages: the database's name inside the export; else ""
    bool withMedia = false;                  // the media is inside the export (media/)
    int page = -1, tab = -1;                 // tab and page exports: where it came from (0-based)
    std::map<std::string, ExportedClipFacts> clips;   // by clip id

    std::string toJson() const;
    /** Throws InputError naming `file` (line, column) on a malformed descriptor or another format. */
    static ExportDescriptor parse (const std::string& text, const std::string& file);
};

/** An export read back: descriptor, manifest and checksum list. */
struct LoadedExport
{
    std::filesystem::path folder;
    ExportDescriptor descriptor;
    Session session;                         // the export's manifest, clip files as written there
    std::vector<PackageChecksum> checksums;

    /** A clip's media as a path: inside the export for relative files, else as written. */
    std::filesystem::path mediaPath (const ClipDefinition& clip) const;
};

/** Reads an export folder (package.json, checksums.xxh3, the manifest). Throws InputError
    naming the file at fault. Nothing is verified here: verifyExport. */
LoadedExport readExport (const std::filesystem::path& folder);

/** Hashes every file the checksum list names and compares. Returns the problems, one per file
    ("media/kick.wav: checksum mismatch (listed 1f2b…, found 9a05…)", "media/snare.wav: missing"),
    empty when everything matches; the manifest and package.json must be listed. Reads every
    file: not the message thread. */
std::vector<std::string> verifyExport (const LoadedExport& loaded);

/** `<exportsRoot>/<YYYY-MM-DD, local date>/<session file stem>`: where exports of a session
    go by default (AppFolders::exports() is the root). Not created here. */
std::filesystem::path defaultExportFolder (const std::filesystem::path& exportsRoot, const std::string& sessionPath);

/** UTC now as "2026-11-24T08:12:03Z". */
std::string exportTimeUtc();

} // namespace cuegrid
