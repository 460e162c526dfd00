// CueGrid — GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cuegrid::analysis
{

/** What is known about a file before its samples are read. */
struct AudioFileInfo
{
    double sampleRate = 0;       // Hz
    int channels = 0;
    int64_t frames = 0;          // frames the header promises (checked against the data read)
    std::string bitdepth;        // "16-bit", "24-bit", "32-bit", "32-bit Float", "64-bit Float" or the raw subtype
    std::string subtype;         // libsndfile subtype name, e.g. "PCM_24"
    int format = 0;              // libsndfile SF_FORMAT_* (container | subtype), to write a copy in kind

    /** `count` items derived from `frames`, capped for reserve(): a FLAC or Ogg header may
        claim 2^36 or 2^63 frames, so the claim only sizes a first allocation, never all. */
    static size_t reserveHint (int64_t count) { return (size_t) std::clamp<int64_t> (count, 0, (int64_t) 1 << 22); }
};

/** One pass over one file's samples, the Mixxx Analyzer shape: begin(), process() on every
    block in file order, end(). Each measure and detector is one TrackAnalyzer, so a file is
    decoded once and memory does not grow with its length. Runs on one analysis thread. */
class TrackAnalyzer
{
public:
    virtual ~TrackAnalyzer() = default;

    virtual void begin (const AudioFileInfo& info) = 0;

    /** `interleaved`: frames × info.channels samples, ±1.0 full scale, scaled as the
        reference reads them (PCM16 / 32768, PCM24 / 2^23, PCM32 / 2^31, float as is). */
    virtual void process (const double* interleaved, int64_t frames) = 0;

    virtual void end() {}
};

/** Decodes `file` with libsndfile in 64k-frame blocks and streams it through `analyzers`.
    Returns false and says why in `error` when the file cannot be opened, holds no frames,
    is shorter than its header says (truncated), or holds a NaN or Inf sample (with its frame).
    On false the analyzers' results are meaningless. Any thread but the audio thread. */
bool scanAudioFile (const std::filesystem::path& file, AudioFileInfo& info,
                    const std::vector<TrackAnalyzer*>& analyzers, std::string& error);

/** Reads the header only (for format facts). Same errors as scanAudioFile's open step. */
bool readAudioFileInfo (const std::filesystem::path& file, AudioFileInfo& info, std::string& error);

} // namespace cuegrid::analysis
