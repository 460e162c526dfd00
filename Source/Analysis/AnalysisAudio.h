// CueGrid — GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cuegrid::analysis
{

/** A file decoded for analysis: channels × frames of double, scaled as the reference reads
    it (PCM16 / 32768, PCM24 / 2^23, PCM32 / 2^31, float as is). Analysis threads only. */
struct AnalysisAudio
{
    double sampleRate = 0;
    int64_t frames = 0;
    std::string bitdepth;     // "16-bit", "24-bit", "32-bit", "32-bit Float", "64-bit Float" or the raw subtype
    std::string subtype;      // libsndfile subtype name, e.g. "PCM_24"
    std::vector<std::vector<double>> channels;

    int channelCount() const noexcept { return (int) channels.size(); }
};

/** Decodes `file`; on failure returns false and says why in `error` (unreadable, empty,
    truncated, non-finite samples). */
bool readAnalysisAudio (const std::filesystem::path& file, AnalysisAudio& audio, std::string& error);

} // namespace cuegrid::analysis
