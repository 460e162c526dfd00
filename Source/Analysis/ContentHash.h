// CueGrid — GPL-3.0-or-later
#pragma once

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>

namespace cuegrid::analysis
{

/** XXH3-64 of a file's bytes as 16 lower-case hex digits: the key under which analysis
    results are stored, so renamed or moved media is recognised and changed media is not.
    Reads the file in 1 MiB blocks. Returns nullopt if the file cannot be read, or when
    `cancel` (checked between blocks) became true. Any non-audio thread. */
std::optional<std::string> hashFileContent (const std::filesystem::path& file, const std::atomic<bool>* cancel = nullptr);

} // namespace cuegrid::analysis
