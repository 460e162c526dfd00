// CueGrid — GPL-3.0-or-later
#pragma once

#include <sndfile.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>

namespace cuegrid
{

struct SoundFileCloser { void operator() (SNDFILE* sound) const { sf_close (sound); } };
using SoundFilePtr = std::unique_ptr<SNDFILE, SoundFileCloser>;

/** An open file descriptor, closed on destruction. */
class FileDescriptor
{
public:
    FileDescriptor() = default;
    explicit FileDescriptor (int fd) noexcept : descriptor (fd) {}
    FileDescriptor (FileDescriptor&& other) noexcept : descriptor (std::exchange (other.descriptor, -1)) {}
    FileDescriptor& operator= (FileDescriptor&& other) noexcept;
    ~FileDescriptor();
    int get() const noexcept { return descriptor; }

private:
    int descriptor = -1;
};

/** A media file opened for reading through libsndfile, after the checks every reader of
    media (playback loader, `info`, `analyze`, `--write`) needs before it allocates anything:
    - only a regular file is opened: a FIFO, device, socket or folder is refused without
      blocking (it is opened O_NONBLOCK and checked with fstat on the open descriptor);
    - the sample rate lies within limits::minSampleRate … maxSampleRate and the channel
      count within 1 … limits::maxMediaChannels;
    - a WAV or AIFF cut short (its header promises more audio than the file holds) is
      detected: missingFrames says how much is gone (libsndfile itself opens it quietly).
    The frame count in `info` is the header's claim and is NOT trusted for allocation: read
    block by block until libsndfile returns no more.
    Any non-audio thread. */
struct MediaFile
{
    FileDescriptor descriptor; // declared before `sound`: libsndfile lets go of it first
    SoundFilePtr sound;        // nullptr when opening failed
    SF_INFO info {};
    int64_t missingFrames = 0; // > 0: a truncated file; frames the header claims beyond the data
    std::string error;         // empty on success: "file not found: PATH", "is a FIFO, not a media file: PATH", …

    explicit operator bool() const noexcept { return sound != nullptr; }

    /** Seconds of audio a truncated file lacks (0 if none). */
    double missingSeconds() const noexcept { return info.samplerate > 0 ? (double) missingFrames / info.samplerate : 0.0; }
};

/** Opens `file` for reading with the checks above. Never throws. */
MediaFile openMediaFile (const std::filesystem::path& file);

/** "WAV 24-bit", "FLAC 16-bit", "Ogg Vorbis", … for messages and `info`. */
std::string describeMediaFormat (int libsndfileFormat);

} // namespace cuegrid
