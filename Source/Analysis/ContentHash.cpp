// CueGrid — GPL-3.0-or-later
#include "ContentHash.h"

#include <xxhash.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <vector>

namespace cuegrid::analysis
{

std::optional<std::string> hashFileContent (const std::filesystem::path& file, const std::atomic<bool>* cancel)
{
    std::ifstream stream (file, std::ios::binary);
    if (! stream)
        return std::nullopt;
    std::unique_ptr<XXH3_state_t, decltype (&XXH3_freeState)> state (XXH3_createState(), &XXH3_freeState);
    XXH3_64bits_reset (state.get());
    std::vector<char> block (1 << 20);
    while (stream)
    {
        if (cancel != nullptr && cancel->load (std::memory_order_relaxed))
            return std::nullopt;
        stream.read (block.data(), (std::streamsize) block.size());
        if (stream.gcount() > 0)
            XXH3_64bits_update (state.get(), block.data(), (size_t) stream.gcount());
    }
    if (stream.bad())
        return std::nullopt;
    char hex[17];
    std::snprintf (hex, sizeof hex, "%016llx", (unsigned long long) XXH3_64bits_digest (state.get()));
    return std::string (hex);
}

} // namespace cuegrid::analysis
