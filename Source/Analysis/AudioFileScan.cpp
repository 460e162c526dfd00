// CueGrid — GPL-3.0-or-later
#include "TrackAnalyzer.h"

#include "Session/MediaFile.h"

#include <sndfile.h>

#include <algorithm>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>

namespace cuegrid::analysis
{

namespace
{
    void describeSubtype (int format, std::string& bitdepth, std::string& subtype)
    {
        switch (format & SF_FORMAT_SUBMASK)
        {
            case SF_FORMAT_PCM_16: bitdepth = "16-bit"; subtype = "PCM_16"; return;
            case SF_FORMAT_PCM_24: bitdepth = "24-bit"; subtype = "PCM_24"; return;
            case SF_FORMAT_PCM_32: bitdepth = "32-bit"; subtype = "PCM_32"; return;
            case SF_FORMAT_FLOAT: bitdepth = "32-bit Float"; subtype = "FLOAT"; return;
            case SF_FORMAT_DOUBLE: bitdepth = "64-bit Float"; subtype = "DOUBLE"; return;
            case SF_FORMAT_PCM_U8: bitdepth = subtype = "PCM_U8"; return;
            case SF_FORMAT_PCM_S8: bitdepth = subtype = "PCM_S8"; return;
            case SF_FORMAT_VORBIS: bitdepth = subtype = "VORBIS"; return;
            default: bitdepth = subtype = "OTHER"; return;
        }
    }

    struct OpenedFile
    {
        MediaFile media;
        SNDFILE* get() const noexcept { return media.sound.get(); }
        bool operator== (std::nullptr_t) const noexcept { return media.sound == nullptr; }
        bool operator!= (std::nullptr_t) const noexcept { return media.sound != nullptr; }
    };

    /** Opens through openMediaFile (regular files only, rate and channel limits); an
        unreadable entry becomes a per-file error. */
    OpenedFile openFile (const std::filesystem::path& file, AudioFileInfo& info, std::string& error)
    {
        OpenedFile opened { openMediaFile (file) };
        if (! opened.media)
        {
            error = "cannot read: " + opened.media.error;
            return opened;
        }
        const auto& sfInfo = opened.media.info;
        info = {};
        info.sampleRate = sfInfo.samplerate;
        info.channels = sfInfo.channels;
        info.frames = sfInfo.frames;
        info.format = sfInfo.format;
        describeSubtype (sfInfo.format, info.bitdepth, info.subtype);
        return opened;
    }

    /** Index of the first NaN/Inf sample, or -1. Exponent bits all set = not finite. */
    int64_t firstNonFinite (const double* samples, int64_t count)
    {
        bool any = false;
        for (int64_t i = 0; i < count; ++i)
        {
            uint64_t bits;
            std::memcpy (&bits, samples + i, sizeof bits);
            any |= (bits & 0x7ff0000000000000ull) == 0x7ff0000000000000ull;
        }
        if (! any)
            return -1;
        for (int64_t i = 0; i < count; ++i)
            if (! std::isfinite (samples[i]))
                return i;
        return -1;
    }
} // namespace

bool readAudioFileInfo (const std::filesystem::path& file, AudioFileInfo& info, std::string& error)
{
    return openFile (file, info, error) != nullptr;
}

bool scanAudioFile (const std::filesystem::path& file, AudioFileInfo& info,
                    const std::vector<TrackAnalyzer*>& analyzers, std::string& error)
{
    auto sound = openFile (file, info, error);
    if (sound == nullptr)
        return false;
    if (sound.media.missingFrames > 0)
    {
        error = "truncated file (the header promises more audio than the file holds)";
        return false;
    }
    for (auto* analyzer : analyzers)
        analyzer->begin (info);

    // 65536 frames of stereo; fewer of wider files, so a 1024-channel file needs 8 MB, not 512.
    const sf_count_t blockFrames = std::max<sf_count_t> (512, 131072 / info.channels);
    std::vector<double> block ((size_t) (blockFrames * info.channels));
    int64_t framesRead = 0;
    for (;;)
    {
        const auto read = sf_readf_double (sound.get(), block.data(), blockFrames);
        if (read <= 0)
            break;
        if (const auto bad = firstNonFinite (block.data(), read * info.channels); bad >= 0)
        {
            error = "non-finite sample (NaN or Inf) at frame " + std::to_string (framesRead + bad / info.channels)
                    + ", channel " + std::to_string (bad % info.channels + 1);
            return false;
        }
        for (auto* analyzer : analyzers)
            analyzer->process (block.data(), read);
        framesRead += read;
    }
    if (const auto code = sf_error (sound.get()); code != SF_ERR_NO_ERROR)
    {
        error = std::string ("cannot decode: ") + sf_error_number (code);
        return false;
    }
    if (framesRead < info.frames)
    {
        error = "truncated file (" + std::to_string (framesRead) + " of " + std::to_string (info.frames) + " frames decoded)";
        return false;
    }
    info.frames = framesRead;
    for (auto* analyzer : analyzers)
        analyzer->end();
    return true;
}

} // namespace cuegrid::analysis
