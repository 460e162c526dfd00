// CueGrid — GPL-3.0-or-later
#include "MediaLoader.h"

#include "Limits.h"
#include "MediaFile.h"

#include <soxr.h>

#include <algorithm>
#include <cstdio>

#include <cmath>
#include <system_error>
#include <vector>

namespace cuegrid
{

namespace
{
    /** Resamples one channel with libsoxr (very high quality). The output length is
        round(input × ratio), at least one frame; the caller has checked it against limits. */
    std::vector<float> resample (const std::vector<float>& input, double fromRate, double toRate, std::string& error)
    {
        const auto outputLength = std::max<size_t> (1, (size_t) std::llround ((double) input.size() * toRate / fromRate));
        std::vector<float> output (outputLength);
        const auto ioSpec = soxr_io_spec (SOXR_FLOAT32_I, SOXR_FLOAT32_I);
        const auto qualitySpec = soxr_quality_spec (SOXR_VHQ, 0);
        size_t done = 0;
        if (const auto failure = soxr_oneshot (fromRate, toRate, 1, input.data(), input.size(), nullptr,
                                               output.data(), output.size(), &done, &ioSpec, &qualitySpec, nullptr))
            error = std::string ("resampling failed: ") + failure;
        output.resize (std::max<size_t> (done, 1));  // a one-frame file stays one frame, never empty
        return output;
    }

    std::string formatSeconds (double seconds)
    {
        char text[32];
        std::snprintf (text, sizeof text, "%.3f", seconds);
        return text;
    }
} // namespace

std::filesystem::path resolveMediaPath (const std::filesystem::path& sessionFile, const std::string& file)
{
    const std::filesystem::path path (file);
    if (path.is_absolute())
        return path;
    return sessionFile.parent_path() / path;
}

int64_t maxMediaFrames (double rate)
{
    return (int64_t) (limits::maxMediaSeconds * rate);
}

MediaLoadResult loadMedia (const std::filesystem::path& file, double targetRate, int64_t maxDecodedBytes)
{
    MediaLoadResult result;
    auto media = openMediaFile (file);
    if (! media)
    {
        result.error = media.error;
        return result;
    }
    const auto& info = media.info;
    result.info = { (double) info.samplerate, info.channels, (int64_t) info.frames, describeMediaFormat (info.format) };
    if (media.missingFrames > 0)
        result.warning = "truncated file: " + formatSeconds (media.missingSeconds()) + " s (" + std::to_string (media.missingFrames)
                         + " frames) of audio the header promises are missing; the " + formatSeconds ((double) info.frames / info.samplerate)
                         + " s that are there will play";

    // The header's frame count is a claim, not a size to allocate: read block by block (so a
    // 1024-channel file needs one small block, not the whole file interleaved) and stop at the
    // limits, at the source rate, before resampling could multiply them.
    const auto channelsKept = std::min (info.channels, 2);
    const auto ratio = targetRate / info.samplerate;
    auto maxFrames = maxMediaFrames (info.samplerate);
    if (maxDecodedBytes > 0)
        maxFrames = std::min<int64_t> (maxFrames, (int64_t) ((double) maxDecodedBytes / (4.0 * channelsKept * ratio)));
    auto tooLong = [&]
    {
        if (maxDecodedBytes > 0 && maxFrames < maxMediaFrames (info.samplerate))
            return file.string() + ": not loaded: it does not fit in the " + std::to_string (maxDecodedBytes >> 20)
                   + " MiB left of the session's media memory budget";
        return file.string() + ": longer than CueGrid decodes into memory (the limit is "
               + formatSeconds (limits::maxMediaSeconds / 3600.0) + " hours)";
    };
    if (info.frames > maxFrames && (info.format & SF_FORMAT_TYPEMASK) != SF_FORMAT_OGG && (info.format & SF_FORMAT_TYPEMASK) != SF_FORMAT_FLAC)
    {
        // PCM headers are near the truth (libsndfile caps them at the file size): refuse at once.
        result.error = tooLong();
        return result;
    }

    const sf_count_t blockFrames = std::max<sf_count_t> (256, 65536 / info.channels);
    std::vector<float> block ((size_t) (blockFrames * info.channels));
    std::vector<std::vector<float>> channels ((size_t) channelsKept);
    for (auto& channel : channels)
        channel.reserve ((size_t) std::clamp<int64_t> (info.frames, 0, std::min<int64_t> (maxFrames, 1 << 24)));
    int64_t framesRead = 0;
    for (;;)
    {
        const auto read = sf_readf_float (media.sound.get(), block.data(), blockFrames);
        if (read <= 0)
            break;
        if (framesRead + read > maxFrames)
        {
            result.error = tooLong();
            return result;
        }
        for (sf_count_t frame = 0; frame < read; ++frame)
        {
            for (int channel = 0; channel < channelsKept; ++channel)
            {
                const auto sample = block[(size_t) (frame * info.channels + channel)];
                if (! std::isfinite (sample))
                {
                    result.error = file.string() + ": non-finite sample (NaN or Inf) at frame " + std::to_string (framesRead + frame);
                    return result;
                }
                channels[(size_t) channel].push_back (sample);
            }
        }
        framesRead += read;
    }
    if (const auto readError = sf_error (media.sound.get()); readError != SF_ERR_NO_ERROR)
    {
        result.error = "cannot read " + file.string() + ": " + sf_error_number (readError);
        return result;
    }
    if (framesRead == 0)
    {
        result.error = "no audio in " + file.string();
        return result;
    }
    if (framesRead < info.frames && media.missingFrames == 0)
        result.warning = "truncated file: the header promises " + std::to_string (info.frames) + " frames, "
                         + std::to_string (framesRead) + " could be decoded (" + formatSeconds ((double) (info.frames - framesRead) / info.samplerate)
                         + " s missing)";
    result.info.frames = framesRead;
    for (auto& channel : channels)
        channel.shrink_to_fit();

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
