// CueGrid — GPL-3.0-or-later
#include "AnalysisAudio.h"

#include <sndfile.h>

#include <cmath>

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
} // namespace

bool readAnalysisAudio (const std::filesystem::path& file, AnalysisAudio& audio, std::string& error)
{
    SF_INFO info {};
    SNDFILE* sound = sf_open (file.c_str(), SFM_READ, &info);
    if (sound == nullptr)
    {
        error = std::string ("cannot read: ") + sf_strerror (nullptr);
        return false;
    }
    audio = {};
    audio.sampleRate = info.samplerate;
    describeSubtype (info.format, audio.bitdepth, audio.subtype);
    if (info.frames <= 0 || info.channels <= 0)
    {
        sf_close (sound);
        error = "empty file (no audio frames)";
        return false;
    }

    audio.channels.assign ((size_t) info.channels, {});
    for (auto& channel : audio.channels)
        channel.reserve ((size_t) info.frames);
    constexpr sf_count_t blockFrames = 65536;
    std::vector<double> block ((size_t) (blockFrames * info.channels));
    for (;;)
    {
        const auto read = sf_readf_double (sound, block.data(), blockFrames);
        if (read <= 0)
            break;
        for (sf_count_t frame = 0; frame < read; ++frame)
            for (int c = 0; c < info.channels; ++c)
            {
                const auto sample = block[(size_t) (frame * info.channels + c)];
                if (! std::isfinite (sample))
                {
                    sf_close (sound);
                    error = "non-finite sample (NaN or Inf) at frame " + std::to_string (audio.channels[0].size() + (size_t) frame);
                    return false;
                }
                audio.channels[(size_t) c].push_back (sample);
            }
    }
    const auto readError = sf_error (sound);
    sf_close (sound);
    audio.frames = (int64_t) audio.channels[0].size();
    if (readError != SF_ERR_NO_ERROR || audio.frames == 0)
    {
        error = std::string ("cannot decode: ") + sf_error_number (readError);
        return false;
    }
    return true;
}

} // namespace cuegrid::analysis
