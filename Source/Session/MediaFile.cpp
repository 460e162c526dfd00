// CueGrid — GPL-3.0-or-later
#include "MediaFile.h"

#include "Limits.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cuegrid
{

FileDescriptor& FileDescriptor::operator= (FileDescriptor&& other) noexcept
{
    if (this != &other)
    {
        if (descriptor >= 0)
            ::close (descriptor);
        descriptor = std::exchange (other.descriptor, -1);
    }
    return *this;
}

FileDescriptor::~FileDescriptor()
{
    if (descriptor >= 0)
        ::close (descriptor);
}

namespace
{
    const char* fileKind (mode_t mode)
    {
        if (S_ISDIR (mode)) return "a folder";
        if (S_ISFIFO (mode)) return "a FIFO (named pipe)";
        if (S_ISCHR (mode)) return "a character device";
        if (S_ISBLK (mode)) return "a block device";
        if (S_ISSOCK (mode)) return "a socket";
        return "not a regular file";
    }

    int bytesPerSample (int format)
    {
        switch (format & SF_FORMAT_SUBMASK)
        {
            case SF_FORMAT_PCM_S8: case SF_FORMAT_PCM_U8: case SF_FORMAT_ULAW: case SF_FORMAT_ALAW: return 1;
            case SF_FORMAT_PCM_16: return 2;
            case SF_FORMAT_PCM_24: return 3;
            case SF_FORMAT_PCM_32: case SF_FORMAT_FLOAT: return 4;
            case SF_FORMAT_DOUBLE: return 8;
            default: return 0;
        }
    }

    /** libsndfile opens a cut-off WAV/AIFF quietly, trusting the file size over the header;
        its log keeps the header's claim as "data : <header> (should be <actual>)", in bytes.
        Returns the bytes missing, or 0. */
    int64_t bytesMissing (SNDFILE* sound)
    {
        char log[8192] {};
        sf_command (sound, SFC_GET_LOG_INFO, log, sizeof log);
        for (const char* line = log; line != nullptr && *line != 0;)
        {
            long long claimed = 0, actual = 0;
            if ((std::strncmp (line, "data :", 6) == 0 || std::strncmp (line, "SSND :", 6) == 0)
                && std::sscanf (line + 6, "%lld (should be %lld)", &claimed, &actual) == 2 && actual < claimed)
                return claimed - actual;
            line = std::strchr (line, '\n');
            if (line != nullptr) ++line;
        }
        return 0;
    }
} // namespace

std::string describeMediaFormat (int format)
{
    std::string container;
    switch (format & SF_FORMAT_TYPEMASK)
    {
        case SF_FORMAT_WAV: case SF_FORMAT_WAVEX: container = "WAV"; break;
        case SF_FORMAT_AIFF: container = "AIFF"; break;
        case SF_FORMAT_FLAC: container = "FLAC"; break;
        case SF_FORMAT_OGG: container = "Ogg"; break;
        case SF_FORMAT_RF64: container = "RF64"; break;
        default: container = "audio"; break;
    }
    switch (format & SF_FORMAT_SUBMASK)
    {
        case SF_FORMAT_PCM_16: return container + " 16-bit";
        case SF_FORMAT_PCM_24: return container + " 24-bit";
        case SF_FORMAT_PCM_32: return container + " 32-bit";
        case SF_FORMAT_FLOAT: return container + " float";
        case SF_FORMAT_DOUBLE: return container + " double";
        case SF_FORMAT_VORBIS: return container + " Vorbis";
        default: return container;
    }
}

MediaFile openMediaFile (const std::filesystem::path& file)
{
    MediaFile media;
    // O_NONBLOCK: opening a FIFO with no writer must not wait; regular files ignore it.
    FileDescriptor descriptor (::open (file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (descriptor.get() < 0)
    {
        const auto code = errno;
        media.error = code == ENOENT ? "file not found: " + file.string()
                                     : "cannot open " + file.string() + ": " + std::strerror (code);
        return media;
    }
    struct stat status {};
    if (::fstat (descriptor.get(), &status) != 0)
    {
        media.error = "cannot open " + file.string() + ": " + std::strerror (errno);
        return media;
    }
    if (! S_ISREG (status.st_mode))
    {
        media.error = file.string() + " is " + fileKind (status.st_mode) + ", not a media file";
        return media;
    }
    ::fcntl (descriptor.get(), F_SETFL, ::fcntl (descriptor.get(), F_GETFL) & ~O_NONBLOCK);

    media.sound.reset (sf_open_fd (descriptor.get(), SFM_READ, &media.info, SF_FALSE));
    media.descriptor = std::move (descriptor);
    if (media.sound == nullptr)
    {
        media.error = "cannot decode " + file.string() + ": " + sf_strerror (nullptr);
        return media;
    }

    const auto& info = media.info;
    auto fail = [&] (const std::string& reason)
    {
        media.sound.reset();
        media.error = file.string() + ": " + reason;
        return std::move (media);
    };
    if (info.samplerate < limits::minSampleRate || info.samplerate > limits::maxSampleRate)
        return fail ("sample rate " + std::to_string (info.samplerate) + " Hz is outside 8000 to 384000 Hz");
    if (info.channels < 1 || info.channels > limits::maxMediaChannels)
        return fail (std::to_string (info.channels) + " channels (a media file may have 1 to "
                     + std::to_string (limits::maxMediaChannels) + ")");
    if (info.frames <= 0)
        return fail ("empty file (no audio frames)");

    if (const auto missing = bytesMissing (media.sound.get()); missing > 0)
    {
        // ADPCM and other packed formats have no fixed frame size: one byte per frame is a
        // lower bound. Any missing data counts, even less than a frame.
        const auto frameBytes = std::max (1, bytesPerSample (info.format) * info.channels);
        media.missingFrames = std::max<int64_t> (1, missing / frameBytes);
    }
    return media;
}

} // namespace cuegrid
