// CueGrid — GPL-3.0-or-later
#include "MediaLoader.h"

#include <sndfile.h>
#include <soxr.h>

#include <cmath>
#include <system_error>
#include <vector>

namespace cuegrid
{

namespace
{
    std::string describeFormat (int format)
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

    std::vector<float> resample (const std::vector<float>& input, double fromRate, double toRate, std::string& error)
    {
        const auto outputLength = (size_t) std::llround ((double) input.size() * toRate / fromRate);
        std::vector<float> output (outputLength);
        const auto ioSpec = soxr_io_spec (SOXR_FLOAT32_I, SOXR_FLOAT32_I);
        const auto qualitySpec = soxr_quality_spec (SOXR_VHQ, 0);
        size_t done = 0;
        if (const auto failure = soxr_oneshot (fromRate, toRate, 1, input.data(), input.size(), nullptr,
                                               output.data(), output.size(), &done, &ioSpec, &qualitySpec, nullptr))
            error = std::string ("resampling failed: ") + failure;
        output.resize (done);
        return output;
    }
} // namespace

std::filesystem::path resolveMediaPath (const std::filesystem::path& sessionFile, const std::string& file)
{
    const std::filesystem::path path (file);
    if (path.is_absolute())
        return path;
    return sessionFile.parent_path() / path;
}

MediaLoadResult loadMedia (const std::filesystem::path& file, double targetRate)
{
    MediaLoadResult result;
    std::error_code code;
    if (! std::filesystem::exists (file, code))
    {
        result.error = "file not found: " + file.string();
        return result;
    }
    if (std::filesystem::is_directory (file, code))
    {
        result.error = "is a folder, not a media file: " + file.string();
        return result;
    }

    SF_INFO info {};
    SNDFILE* sound = sf_open (file.c_str(), SFM_READ, &info);
    if (sound == nullptr)
    {
        result.error = "cannot decode " + file.string() + ": " + sf_strerror (nullptr);
        return result;
    }
    result.info = { (double) info.samplerate, info.channels, (int64_t) info.frames, describeFormat (info.format) };

    if (info.frames <= 0 || info.channels <= 0 || info.samplerate <= 0)
    {
        sf_close (sound);
        result.error = "no audio in " + file.string();
        return result;
    }

    std::vector<float> interleaved ((size_t) info.frames * (size_t) info.channels);
    const auto framesRead = sf_readf_float (sound, interleaved.data(), info.frames);
    const auto readError = sf_error (sound);
    sf_close (sound);
    if (framesRead <= 0 || readError != SF_ERR_NO_ERROR)
    {
        result.error = "cannot read " + file.string() + ": " + sf_error_number (readError);
        return result;
    }

    // A truncated file reports more frames than it holds: keep what was really there.
    const auto channelsKept = std::min (info.channels, 2);
    std::vector<std::vector<float>> channels ((size_t) channelsKept, std::vector<float> ((size_t) framesRead));
    for (sf_count_t frame = 0; frame < framesRead; ++frame)
    {
        for (int channel = 0; channel < channelsKept; ++channel)
        {
            const auto sample = interleaved[(size_t) frame * (size_t) info.channels + (size_t) channel];
            if (! std::isfinite (sample))
            {
                result.error = file.string() + ": non-finite sample (NaN or Inf) at frame " + std::to_string (frame);
                return result;
            }
            channels[(size_t) channel][(size_t) frame] = sample;
        }
    }

    if ((double) info.samplerate != targetRate)
    {
        for (auto& channel : channels)
        {
            channel = resample (channel, info.samplerate, targetRate, result.error);
            if (! result.error.empty())
                return result;
        }
    }

    result.audio = std::make_shared<const ClipAudio> (std::move (channels), targetRate);
    return result;
}

} // namespace cuegrid
