// CueGrid — GPL-3.0-or-later
#pragma once

#include "../Engine/ClipAudio.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cuegrid
{

/** What a media file is, as found on disk. */
struct MediaInfo
{
    double sampleRate = 0.0;   // Hz, of the file
    int channels = 0;
    int64_t frames = 0;        // of the file, before resampling
    std::string format;        // e.g. "WAV float", "FLAC 24-bit"
};

/** The result of loading one clip's media: audio, or an error that says why not. */
struct MediaLoadResult
{
    ClipAudioPtr audio;        // nullptr on failure
    MediaInfo info;
    std::string error;         // empty on success
    std::string warning;       // e.g. a truncated file that still plays what it holds; may be set on success
};

/** The decoded-media bytes a session may hold, shared by its loader threads. Each decode
    reserves its blocks (and a resampled copy) before keeping them, so two workers cannot
    both pass the limit; a failed decode gives its part back. Any thread (atomic). */
class MediaMemoryBudget
{
public:
    explicit MediaMemoryBudget (int64_t maximumBytes) : limitBytes (maximumBytes) {}

    /** Takes `bytes` if they fit under the limit. */
    bool reserve (int64_t bytes) noexcept;
    void release (int64_t bytes) noexcept;

    int64_t limit() const noexcept { return limitBytes; }
    int64_t used() const noexcept { return usedBytes.load(); }

private:
    const int64_t limitBytes;
    std::atomic<int64_t> usedBytes { 0 };
};

/** Decodes a media file (WAV incl. WAVE_FORMAT_EXTENSIBLE, AIFF, FLAC, Ogg Vorbis; 16/24/32-bit
    integer or float) through libsndfile into a ClipAudio at `targetRate` (Hz):
    - only regular files; rate 8–384 kHz; 1–1024 channels (see openMediaFile);
    - read block by block: the first two channels of wider files are kept; mono stays mono
      (the engine plays it on both sides at unity);
    - at most limits::maxMediaSeconds; with a `budget`, every block and the resampled copy are
      reserved in it first (2 channels × frames × 4 bytes); the decoded audio keeps its part;
    - another rate is resampled once, here, with libsoxr at its very-high quality.
    Never throws: errors (missing, not a regular file, unreadable, corrupt, empty, too long,
    over the budget, out of memory, non-finite samples) come back in MediaLoadResult::error; a
    truncated file plays what it holds and says how much is missing in MediaLoadResult::warning.
    Loader / control thread; never the audio thread. */
MediaLoadResult loadMedia (const std::filesystem::path& file, double targetRate, MediaMemoryBudget* budget = nullptr);

/** As loadMedia, but a long PCM/float WAV or AIFF at `targetRate` (MediaCache's streaming
    threshold, 20 s by default) comes back streamed: its file opened once in the MediaCache
    and the chunks after each of `headStarts` (frames: the clips' cue in and loop in; empty =
    the file's start) loaded and pinned before it returns. The budget counts only resident
    media. Loader thread (waits for the disk); never the audio thread. */
MediaLoadResult loadMediaForPlayback (const std::filesystem::path& file, double targetRate, MediaMemoryBudget* budget = nullptr,
                                      const std::vector<int64_t>& headStarts = {});

/** Frames of limits::maxMediaSeconds at `rate`. */
int64_t maxMediaFrames (double rate);

/** `file` as written in a session, resolved against the session file's folder. */
std::filesystem::path resolveMediaPath (const std::filesystem::path& sessionFile, const std::string& file);

} // namespace cuegrid
