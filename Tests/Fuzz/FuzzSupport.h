// CueGrid — GPL-3.0-or-later
// Shared bits of the libFuzzer harnesses (Tests/Fuzz/*.fuzz.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace cuegrid::fuzz
{

/** A file in RAM (/dev/shm when present) that holds one fuzz input at a time, for the entry
    points that take a path. One per process; removed at exit. */
class InputFile
{
public:
    explicit InputFile (const char* target)
    {
        const std::filesystem::path folder = std::filesystem::is_directory ("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
        path = folder / ("cuegrid-fuzz-" + std::string (target) + "-" + std::to_string (getpid()));
    }

    ~InputFile()
    {
        std::error_code ignored;
        std::filesystem::remove (path, ignored);
    }

    /** Replaces the file's contents with `data`. Aborts when it cannot (not a finding in
        the code under test, but the harness must not go on silently). */
    const std::filesystem::path& write (const uint8_t* data, size_t size)
    {
        FILE* file = std::fopen (path.c_str(), "wb");
        if (file == nullptr || (size > 0 && std::fwrite (data, 1, size, file) != size) || std::fclose (file) != 0)
        {
            std::perror (path.c_str());
            std::abort();
        }
        return path;
    }

    std::filesystem::path path;
};

} // namespace cuegrid::fuzz
