// CueGrid — GPL-3.0-or-later
#include "MediaLoader.h"

#include "Limits.h"
#include "MediaCache.h"
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

bool MediaMemoryBudget::reserve (int64_t bytes) noexcept
{
    auto current = usedBytes.load();
    do
    {
        if (current + bytes > limitBytes)
            return false;
    } while (! usedBytes.compare_exchange_weak (current, current + bytes));
    return true;
}

void MediaMemoryBudget::release (int64_t bytes) noexcept
{
    usedBytes.fetch_sub (bytes);
}

namespace
{
    /** What one decode holds of the budget; given back on every failure path. */
    class Reservation
    {
    public:
        explicit Reservation (MediaMemoryBudget* budgetToUse) : budget (budgetToUse) {}
        ~Reservation() { if (budget != nullptr && ! kept) budget->release (bytes); }
        bool add (int64_t more) { if (budget != nullptr && ! budget->reserve (more)) return false; bytes += more; return true; }
        void remove (int64_t less) { if (budget != nullptr) budget->release (less); bytes -= less; }
        void keep() { kept = true; }   // the decoded audio now holds it

    private:
        MediaMemoryBudget* budget;
        int64_t bytes = 0;
        bool kept = false;
    };

    MediaLoadResult decode (const std::filesystem::path& file, double targetRate, MediaMemoryBudget* budget)
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

        // The header's frame count is a claim, not a size to allocate: read block by block (so
        // a 1024-channel file needs one small block, not the whole file interleaved), stop at
        // the time limit, and reserve every block in the session's budget before keeping it.
        const auto channelsKept = std::min (info.channels, 2);
        const auto maxFrames = maxMediaFrames (info.samplerate);
        const auto container = info.format & SF_FORMAT_TYPEMASK;
        const bool compressed = container == SF_FORMAT_OGG || container == SF_FORMAT_FLAC;
        const auto tooLong = file.string() + ": longer than CueGrid decodes into memory (the limit is "
                             + formatSeconds (limits::maxMediaSeconds / 3600.0) + " hours)";
        auto overBudget = [&]
        {
            return file.string() + ": not loaded: it does not fit in the session's media memory budget ("
                   + std::to_string (budget->limit() >> 20) + " MiB)";
        };
        if (info.frames > maxFrames && ! compressed)
        {
            // PCM headers are near the truth (libsndfile caps them at the file size): refuse at once.
            result.error = tooLong;
            return result;
        }

        Reservation reservation (budget);
        const sf_count_t blockFrames = std::max<sf_count_t> (256, 65536 / info.channels);
        std::vector<float> block ((size_t) (blockFrames * info.channels));
        std::vector<std::vector<float>> channels ((size_t) channelsKept);
        // A PCM file's length is known, so its channels grow in place; a compressed one's
        // header may lie, so only a first part is reserved (address space, not memory).
        const auto expected = std::clamp<int64_t> (info.frames, 0, compressed ? std::min<int64_t> (maxFrames, 1 << 24) : maxFrames);
        for (auto& channel : channels)
            channel.reserve ((size_t) expected);
        int64_t framesRead = 0;
        for (;;)
        {
            const auto read = sf_readf_float (media.sound.get(), block.data(), blockFrames);
            if (read <= 0)
                break;
            if (framesRead + read > maxFrames)
            {
                result.error = tooLong;
                return result;
            }
            if (! reservation.add ((int64_t) read * channelsKept * (int64_t) sizeof (float)))
            {
                result.error = overBudget();
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

        if ((double) info.samplerate != targetRate)
        {
            // The resampled copy is reserved before it is made; the original is given back after.
            const auto inputBytes = framesRead * channelsKept * (int64_t) sizeof (float);
            const auto outputFrames = std::max<int64_t> (1, std::llround ((double) framesRead * targetRate / info.samplerate));
            if (! reservation.add (outputFrames * channelsKept * (int64_t) sizeof (float)))
            {
                result.error = overBudget();
                return result;
            }
            for (auto& channel : channels)
            {
                channel = resample (channel, info.samplerate, targetRate, result.error);
                if (! result.error.empty())
                    return result;
            }
            reservation.remove (inputBytes);
        }

        result.audio = std::make_shared<const ClipAudio> (std::move (channels), targetRate);
        reservation.keep();
        return result;
    }
} // namespace

MediaLoadResult loadMedia (const std::filesystem::path& file, double targetRate, MediaMemoryBudget* budget)
{
    try
    {
        return decode (file, targetRate, budget);
    }
    catch (const std::bad_alloc&)
    {
        MediaLoadResult result;
        result.error = file.string() + ": not loaded: out of memory while decoding";
        return result;
    }
    catch (const std::exception& error)
    {
        MediaLoadResult result;
        result.error = file.string() + ": not loaded: " + error.what();
        return result;
    }
}

MediaLoadResult loadMediaForPlayback (const std::filesystem::path& file, double targetRate, MediaMemoryBudget* budget,
                                      const std::vector<int64_t>& headStarts)
{
    try
    {
        MediaLoadResult result;
        std::string whyNot;
        if ((result.audio = MediaCache::instance().openStreamed (file, targetRate, headStarts.empty() ? std::vector<int64_t> { 0 } : headStarts,
                                                                 result.info, whyNot)))
        {
            auto& cache = MediaCache::instance();
            if (cache.getPinnedBytes() > cache.getBudgetBytes())
                result.warning = "the media cache's budget (" + std::to_string (cache.getBudgetBytes() >> 20)
                                 + " MiB) is full of the clips' pinned starts: this one may start late (an underrun)";
            return result;
        }
    }
    catch (const std::exception&)
    {
        // Could not stream (out of memory for its table): decode it whole, which reports why not.
    }
    return loadMedia (file, targetRate, budget);
}

} // namespace cuegrid
