// CueGrid — GPL-3.0-or-later
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

/** What SessionStore's saving (SessionStore.cpp) and its recovery (SessionStoreRecovery.cpp)
    both read in the files they keep: time stamps in recovery point names, which saved version
    of the manifest is on disk, the run marker and its process, temporaries a kill left. For
    those two files only. Any thread; none throws. */
namespace cuegrid::storefiles
{

constexpr const char* runMarkerName = "running.json";   // in the session's recovery folder
constexpr const char* recoveryKey = "recoveryPoint";    // a recovery point's note, in its manifest

/** UTC now, microseconds since 1970. */
std::int64_t nowMicros();

/** "20261124T000256.123456Z": sorts by time, no ':' (FAT and SMB refuse it). */
std::string fileTimeStamp (std::int64_t micros);

/** "2026-11-24T00:02:56.123456Z" (ISO 8601, for people and JSON). */
std::string isoTimeStamp (std::int64_t micros);

/** The time of a recovery point's file name, or nullopt if the name is not one. */
std::optional<std::int64_t> parseFileTimeStamp (const std::string& name);

/** The file's modification time, microseconds since 1970 (0 when there is no file). */
std::int64_t modificationMicros (const std::filesystem::path& path);

/** Which saved version of the manifest is on disk ("" when there is no file). */
std::string manifestIdentity (const std::string& path);

std::string hostName();

/** A string member of a JSON object, or "" (hand-edited files: never a type_error). */
std::string stringMember (const nlohmann::json& object, const char* key);

/** Removes AtomicFile and hard-link temporaries in `folder` whose name starts with `prefix`. */
void removeTemporaries (const std::filesystem::path& folder, const std::string& prefix);

/** The start time of process `pid` ("self" for this one), "" if unknown. */
std::string processStart (const std::string& pid);

/** The process named in a run marker is alive on this machine (and is not us). */
bool markerProcessAlive (const nlohmann::json& marker);

/** The run marker at `path` (its text in `text`); a discarded json when it cannot be read. */
nlohmann::json readMarker (const std::filesystem::path& path, std::string& text);

} // namespace cuegrid::storefiles
