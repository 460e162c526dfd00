// CueGrid — GPL-3.0-or-later
#include "SessionStoreFiles.h"

#include "Errors.h"
#include "JsonDocument.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>

#include <sys/stat.h>
#include <unistd.h>

namespace cuegrid::storefiles
{

namespace fs = std::filesystem;

namespace
{
    /** `micros` as UTC date and time: `iso` "2026-11-24T00:02:56.123456Z", else "20261124T000256.123456Z". */
    std::string utcTimeStamp (std::int64_t micros, bool iso)
    {
        const auto seconds = (std::time_t) (micros / 1000000);
        std::tm utc {};
        ::gmtime_r (&seconds, &utc);
        char text[96];  // room for any int the compiler cannot rule out
        std::snprintf (text, sizeof text, iso ? "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ" : "%04d%02d%02dT%02d%02d%02d.%06dZ",
                       utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                       (int) (micros % 1000000));
        return text;
    }
} // namespace

std::int64_t nowMicros()
{
    return std::chrono::duration_cast<std::chrono::microseconds> (
               std::chrono::system_clock::now().time_since_epoch()).count();
}

/** "20261124T000256.123456Z": sorts by time, no ':' (FAT and SMB refuse it). */
std::string fileTimeStamp (std::int64_t micros) { return utcTimeStamp (micros, false); }

/** "2026-11-24T00:02:56.123456Z" (ISO 8601, for people and JSON). */
std::string isoTimeStamp (std::int64_t micros) { return utcTimeStamp (micros, true); }

/** The time of a recovery point's file name, or nullopt if the name is not one. */
std::optional<std::int64_t> parseFileTimeStamp (const std::string& name)
{
    int year, month, day, hour, minute, second, micro;
    char zone = 0;
    int consumed = 0;
    if (name.size() != std::string ("20261124T000256.123456Z.cuegrid").size()
        || std::sscanf (name.c_str(), "%4d%2d%2dT%2d%2d%2d.%6d%c.cuegrid%n", &year, &month, &day, &hour, &minute,
                        &second, &micro, &zone, &consumed) != 8
        || zone != 'Z' || consumed != (int) name.size())
        return std::nullopt;
    std::tm utc {};
    utc.tm_year = year - 1900;
    utc.tm_mon = month - 1;
    utc.tm_mday = day;
    utc.tm_hour = hour;
    utc.tm_min = minute;
    utc.tm_sec = second;
    return (std::int64_t) ::timegm (&utc) * 1000000 + micro;
}

std::int64_t modificationMicros (const fs::path& path)
{
    struct stat status {};
    if (::stat (path.c_str(), &status) != 0)
        return 0;
    return (std::int64_t) status.st_mtim.tv_sec * 1000000 + status.st_mtim.tv_nsec / 1000;
}

/** Which saved version of the manifest is on disk: device, inode, modification time (ns)
    and size. Every save renames a new file into place, so this changes with each save,
    where the modification time alone does not (it has the kernel's coarse clock tick,
    several ms, so a save right after a recovery point can carry an earlier time). "" when
    there is no file. */
std::string manifestIdentity (const std::string& path)
{
    struct stat status {};
    if (::stat (path.c_str(), &status) != 0)
        return {};
    return std::to_string (status.st_dev) + ":" + std::to_string (status.st_ino) + ":"
           + std::to_string (status.st_mtim.tv_sec) + "." + std::to_string (status.st_mtim.tv_nsec) + ":"
           + std::to_string (status.st_size);
}

std::string hostName()
{
    char name[256] = {};
    if (::gethostname (name, sizeof name - 1) != 0)
        return {};
    return name;
}

/** A string member of a JSON object, or "" (hand-edited files: never a type_error). */
std::string stringMember (const nlohmann::json& object, const char* key)
{
    if (! object.is_object())
        return {};
    const auto member = object.find (key);
    return member != object.end() && member->is_string() ? member->get<std::string>() : std::string();
}

/** Removes `<name>.tmp-XXXXXX` files (AtomicFile temporaries) in `folder` whose name
    starts with `prefix` ("" for every one). */
void removeTemporaries (const fs::path& folder, const std::string& prefix)
{
    std::error_code code;
    for (const auto& entry : fs::directory_iterator (folder, code))
    {
        const auto name = entry.path().filename().string();
        const auto mark = name.rfind (".tmp-");
        const auto linkMark = name.rfind (".link-tmp");
        const bool temporary = (mark != std::string::npos && name.size() - mark == 11)
                               || (linkMark != std::string::npos && linkMark + 9 == name.size());
        if (temporary && name.rfind (prefix, 0) == 0)
            fs::remove (entry.path(), code);
    }
}

/** Field 22 of /proc/<pid>/stat (the process's start time in clock ticks since boot):
    with the pid it names one process, even after the pid is reused. "" if unknown. */
std::string processStart (const std::string& pid)
{
    std::FILE* stat = std::fopen (("/proc/" + pid + "/stat").c_str(), "r");
    if (stat == nullptr)
        return {};
    char buffer[1024] = {};
    const auto length = std::fread (buffer, 1, sizeof buffer - 1, stat);
    std::fclose (stat);
    const std::string text (buffer, length);
    const auto close = text.rfind (')');  // the command name may hold spaces and parentheses
    if (close == std::string::npos)
        return {};
    std::string field;
    size_t position = close + 2;
    for (int index = 3; index <= 22 && position < text.size(); ++index)
    {
        const auto end = text.find (' ', position);
        field = text.substr (position, end - position);
        position = end == std::string::npos ? text.size() : end + 1;
    }
    return field;
}

/** The process named in a run marker is alive on this machine (and is not us). */
bool markerProcessAlive (const nlohmann::json& marker)
{
    if (! marker.is_object() || ! marker.contains ("pid") || ! marker["pid"].is_number_integer())
        return false;
    const auto pid = (pid_t) marker["pid"].get<long long>();
    if (pid <= 0 || pid == ::getpid() || stringMember (marker, "host") != hostName())
        return false;
    if (::kill (pid, 0) != 0 && errno != EPERM)
        return false;
    const auto recorded = stringMember (marker, "processStart");
    const auto current = processStart (std::to_string (pid));
    return recorded.empty() || current.empty() || recorded == current;
}

nlohmann::json readMarker (const fs::path& path, std::string& text)
{
    try
    {
        text = JsonDocument::readTextFile (path.string());
    }
    catch (const InputError&)
    {
        return {};
    }
    return nlohmann::json::parse (text, nullptr, false);
}

} // namespace cuegrid::storefiles
