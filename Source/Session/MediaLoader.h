// CueGrid — GPL-3.0-or-later
#pragma once

#include "../Engine/ClipAudio.h"

#include <filesystem>
#include <string>

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

/** Decodes a media file (WAV incl. WAVE_FORMAT_EXTENSIBLE, AIFF, FLAC, Ogg Vorbis; 16/24/32-bit
    integer or float) through libsndfile into a ClipAudio at `targetRate` (Hz):
    - only regular files; rate 8–384 kHz; 1–1024 channels (see openMediaFile);
    - read block by block: the first two channels of wider files are kept; mono stays mono
      (the engine plays it on both sides at unity);
    - at most limits::maxMediaSeconds, and at most `maxDecodedBytes` of decoded float
      (2 channels × frames × 4 bytes at targetRate; 0 = no budget beyond the time limit),
      checked before resampling allocates;
    - another rate is resampled once, here, with libsoxr at its very-high quality.
    Never throws: errors (missing, not a regular file, unreadable, corrupt, empty, too long,
    non-finite samples) come back in MediaLoadResult::error; a truncated file plays what it
    holds and says how much is missing in MediaLoadResult::warning.
    Loader / control thread; never the audio thread. */
MediaLoadResult loadMedia (const std::filesystem::path& file, double targetRate, int64_t maxDecodedBytes = 0);

/** Frames of limits::maxMediaSeconds at `rate`. */
int64_t maxMediaFrames (double rate);

/** `file` as written in a session, resolved against the session file's folder. */
std::filesystem::path resolveMediaPath (const std::filesystem::path& sessionFile, const std::string& file);

} // namespace cuegrid
