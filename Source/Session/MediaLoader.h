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
};

/** Decodes a media file (WAV incl. WAVE_FORMAT_EXTENSIBLE, AIFF, FLAC, Ogg Vorbis; 16/24/32-bit
    integer or float) through libsndfile into a ClipAudio at `targetRate`:
    - the first two channels of wider files are kept; mono stays mono (the engine plays it
      on both sides at unity);
    - another rate is resampled once, here, with libsoxr at its very-high quality.
    Never throws: errors (missing, unreadable, corrupt, empty, non-finite samples) come back
    in MediaLoadResult::error. Loader / control thread; never the audio thread. */
MediaLoadResult loadMedia (const std::filesystem::path& file, double targetRate);

/** `file` as written in a session, resolved against the session file's folder. */
std::filesystem::path resolveMediaPath (const std::filesystem::path& sessionFile, const std::string& file);

} // namespace cuegrid
