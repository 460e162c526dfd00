// CueGrid — GPL-3.0-or-later
#include "ConvertedMedia.h"

#include "../Analysis/ContentHash.h"
#include "AtomicFile.h"
#include "Errors.h"
#include "Limits.h"
#include "MediaFile.h"
#include "MediaLoader.h"

#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>

namespace cuegrid
{

namespace
{
    // Written into every copy (SF_STR_COMMENT) and checked on use: a copy from another
    // version, or one whose header and recorded length disagree, is remade.
    constexpr const char* copyTag = "CueGrid converted copy v1";

    struct SoxrDeleter { void operator() (soxr_t resampler) const { soxr_delete (resampler); } };
    using SoxrPtr = std::unique_ptr<std::remove_pointer_t<soxr_t>, SoxrDeleter>;

    std::string rateText (double rate)
    {
        char text[32];
        if (rate == std::floor (rate))
            std::snprintf (text, sizeof text, "%.0f", rate);
        else
            std::snprintf (text, sizeof text, "%.3f", rate);
        return text;
    }

    /** One channel's resampler, set up exactly as MediaLoader's soxr_oneshot (1 channel,
        float32 in and out, very high quality, default runtime), fed block by block. soxr's
        output does not depend on how its input is cut: the whole-file call and this one give
        the same samples (ConvertedMedia.test.cpp checks it on the corpus). */
    class ChannelResampler
    {
    public:
        ChannelResampler (double fromRate, double toRate, std::string& error)
        {
            const auto ioSpec = soxr_io_spec (SOXR_FLOAT32_I, SOXR_FLOAT32_I);
            const auto qualitySpec = soxr_quality_spec (SOXR_VHQ, 0);
            soxr_error_t failure = nullptr;
            resampler.reset (soxr_create (fromRate, toRate, 1, &failure, &ioSpec, &qualitySpec, nullptr));
            if (failure != nullptr)
                error = std::string ("resampling failed: ") + failure;
            scratch.resize (8192);
        }

        /** Feeds `count` samples (nullptr: the end of the input, flushes) and appends what comes out. */
        bool process (const float* input, size_t count, std::vector<float>& output, std::string& error)
        {
            static const float none = 0.0f;
            bool first = true;
            for (;;)
            {
                size_t done = 0;
                soxr_error_t failure;
                if (input == nullptr)
                    failure = soxr_process (resampler.get(), nullptr, 0, nullptr, scratch.data(), scratch.size(), &done);
                else if (first)
                    failure = soxr_process (resampler.get(), input, count, nullptr, scratch.data(), scratch.size(), &done);
                else  // more output of the input already given
                    failure = soxr_process (resampler.get(), &none, 0, nullptr, scratch.data(), scratch.size(), &done);
                if (failure != nullptr)
                {
                    error = std::string ("resampling failed: ") + failure;
                    return false;
                }
                first = false;
                output.insert (output.end(), scratch.begin(), scratch.begin() + (ptrdiff_t) done);
                if (done < scratch.size() && (input != nullptr || done == 0))
                    return true;
            }
        }

    private:
        SoxrPtr resampler;
        std::vector<float> scratch;
    };

    std::string formatSeconds (double seconds)
    {
        char text[32];
        std::snprintf (text, sizeof text, "%.3f", seconds);
        return text;
    }

    bool convertInto (const std::filesystem::path& media, double rate, AtomicFile& target, std::string& error,
                      const std::atomic<bool>* cancel)
    {
        auto source = openMediaFile (media);
        if (! source)
        {
            error = source.error;
            return false;
        }
        // The same checks and decode as MediaLoader's decode(): first two channels, the time
        // limit, no non-finite sample, blocks of 64k samples.
        const auto& info = source.info;
        const auto channelsKept = std::min (info.channels, 2);
        const auto maxFrames = maxMediaFrames (info.samplerate);
        const auto container = info.format & SF_FORMAT_TYPEMASK;
        const bool compressed = container == SF_FORMAT_OGG || container == SF_FORMAT_FLAC;
        const auto tooLong = media.string() + ": longer than CueGrid decodes into memory (the limit is "
                             + formatSeconds (limits::maxMediaSeconds / 3600.0) + " hours)";
        if (info.frames > maxFrames && ! compressed)
        {
            error = tooLong;
            return false;
        }
        const bool resampling = (double) info.samplerate != rate;
        const double ratio = rate / (double) info.samplerate;

        SF_INFO outputInfo {};
        outputInfo.samplerate = (int) std::lround (rate);
        outputInfo.channels = channelsKept;
        outputInfo.format = SF_FORMAT_RF64 | SF_FORMAT_FLOAT;
        SoundFilePtr output (sf_open_fd (target.getDescriptor(), SFM_WRITE, &outputInfo, SF_FALSE));
        if (output == nullptr)
        {
            error = "cannot write " + target.getDestination() + ": " + sf_strerror (nullptr);
            return false;
        }
        sf_command (output.get(), SFC_RF64_AUTO_DOWNGRADE, nullptr, SF_TRUE);  // plain WAV below 4 GB

        std::vector<ChannelResampler> resamplers;
        if (resampling)
            for (int channel = 0; channel < channelsKept; ++channel)
            {
                resamplers.emplace_back (info.samplerate, rate, error);
                if (! error.empty())
                    return false;
            }

        const sf_count_t blockFrames = std::max<sf_count_t> (256, 65536 / info.channels);
        std::vector<float> block ((size_t) (blockFrames * info.channels));
        std::vector<std::vector<float>> decoded ((size_t) channelsKept), pending ((size_t) channelsKept);
        std::vector<float> interleaved;
        int64_t framesRead = 0, framesWritten = 0;

        // Writes up to `limit` frames in total of what the resamplers gave (the same count per channel).
        auto writePending = [&] (int64_t limit)
        {
            const auto available = (int64_t) pending[0].size();
            const auto count = std::min (available, std::max<int64_t> (0, limit - framesWritten));
            if (count <= 0)
                return true;
            interleaved.resize ((size_t) (count * channelsKept));
            for (int64_t frame = 0; frame < count; ++frame)
                for (int channel = 0; channel < channelsKept; ++channel)
                    interleaved[(size_t) (frame * channelsKept + channel)] = pending[(size_t) channel][(size_t) frame];
            if (sf_writef_float (output.get(), interleaved.data(), count) != count)
            {
                error = "cannot write " + target.getDestination() + ": " + sf_strerror (output.get());
                return false;
            }
            for (auto& channel : pending)
                channel.erase (channel.begin(), channel.begin() + (ptrdiff_t) count);
            framesWritten += count;
            return true;
        };

        for (;;)
        {
            if (cancel != nullptr && cancel->load (std::memory_order_relaxed))
            {
                error = "cancelled";
                return false;
            }
            const auto read = sf_readf_float (source.sound.get(), block.data(), blockFrames);
            if (read <= 0)
                break;
            if (framesRead + read > maxFrames)
            {
                error = tooLong;
                return false;
            }
            for (int channel = 0; channel < channelsKept; ++channel)
            {
                auto& samples = decoded[(size_t) channel];
                samples.resize ((size_t) read);
                for (sf_count_t frame = 0; frame < read; ++frame)
                {
                    const auto sample = block[(size_t) (frame * info.channels + channel)];
                    if (! std::isfinite (sample))
                    {
                        error = media.string() + ": non-finite sample (NaN or Inf) at frame " + std::to_string (framesRead + frame);
                        return false;
                    }
                    samples[(size_t) frame] = sample;
                }
                if (resampling)
                {
                    if (! resamplers[(size_t) channel].process (samples.data(), samples.size(), pending[(size_t) channel], error))
                        return false;
                }
                else
                    pending[(size_t) channel].insert (pending[(size_t) channel].end(), samples.begin(), samples.end());
            }
            framesRead += read;
            // loadMedia keeps round(framesRead × ratio) frames of soxr's output; that bound only
            // grows with the input, so what lies under it now can be written now.
            if (! writePending (resampling ? std::llround ((double) framesRead * ratio) : framesRead))
                return false;
        }
        if (const auto readError = sf_error (source.sound.get()); readError != SF_ERR_NO_ERROR)
        {
            error = "cannot read " + media.string() + ": " + sf_error_number (readError);
            return false;
        }
        if (framesRead == 0)
        {
            error = "no audio in " + media.string();
            return false;
        }
        if (resampling)
        {
            for (int channel = 0; channel < channelsKept; ++channel)
                if (! resamplers[(size_t) channel].process (nullptr, 0, pending[(size_t) channel], error))
                    return false;
            // As MediaLoader's resample(): at most round(frames × ratio) (at least one) frames,
            // a one-frame result that soxr left empty is one zero frame.
            const auto outputLength = std::max<int64_t> (1, std::llround ((double) framesRead * rate / info.samplerate));
            if (! writePending (outputLength))
                return false;
            if (framesWritten == 0)
            {
                for (auto& channel : pending)
                    channel.assign (1, 0.0f);
                if (! writePending (1))
                    return false;
            }
        }
        else if (! writePending (framesRead))
            return false;

        const auto comment = std::string (copyTag) + "; frames=" + std::to_string (framesWritten) + "; channels="
                             + std::to_string (channelsKept) + "; rate=" + rateText (rate);
        sf_set_string (output.get(), SF_STR_COMMENT, comment.c_str());
        sf_set_string (output.get(), SF_STR_SOFTWARE, "CueGrid");
        if (const auto closeError = sf_close (output.release()); closeError != 0)
        {
            error = "cannot write " + target.getDestination() + ": " + sf_error_number (closeError);
            return false;
        }
        return true;
    }

    /** Copies and stale temporaries in the cache folder. */
    bool isCopyName (const std::string& name) { return name.size() > 8 && name.compare (name.size() - 8, 8, ".f32.wav") == 0; }
    bool isTemporaryName (const std::string& name) { return name.find (".f32.wav.tmp-") != std::string::npos; }

    int64_t modificationNanoseconds (const struct stat& status)
    {
        return (int64_t) status.st_mtim.tv_sec * 1000000000 + status.st_mtim.tv_nsec;
    }
} // namespace

bool ConvertedMedia::isStreamable (const SF_INFO& info, double engineRate) noexcept
{
    if ((double) info.samplerate != engineRate)
        return false;
    switch (info.format & SF_FORMAT_TYPEMASK)
    {
        case SF_FORMAT_WAV: case SF_FORMAT_WAVEX: case SF_FORMAT_RF64: case SF_FORMAT_W64:
        case SF_FORMAT_AIFF: case SF_FORMAT_CAF:
            break;
        default:
            return false;
    }
    switch (info.format & SF_FORMAT_SUBMASK)
    {
        case SF_FORMAT_PCM_S8: case SF_FORMAT_PCM_U8: case SF_FORMAT_PCM_16: case SF_FORMAT_PCM_24:
        case SF_FORMAT_PCM_32: case SF_FORMAT_FLOAT: case SF_FORMAT_DOUBLE:
            return true;
        default:
            return false;
    }
}

std::string ConvertedMedia::copyName (const std::string& contentHash, double rate)
{
    return contentHash + "-" + rateText (rate) + ".f32.wav";
}

bool ConvertedMedia::convert (const std::filesystem::path& media, double rate, const std::filesystem::path& destination,
                              std::string& error, const std::atomic<bool>* cancel)
{
    try
    {
        AtomicFile target (destination.string());   // removes its temporary unless committed
        if (! convertInto (media, rate, target, error, cancel))
            return false;
        target.commit();
        return true;
    }
    catch (const std::bad_alloc&)
    {
        error = media.string() + ": not converted: out of memory";
    }
    catch (const std::exception& failure)
    {
        error = media.string() + ": not converted: " + failure.what();
    }
    return false;
}

bool ConvertedMedia::isValidCopy (const std::filesystem::path& copy, double rate)
{
    const auto file = openMediaFile (copy);
    if (! file || file.missingFrames != 0)
        return false;
    const auto& info = file.info;
    const auto container = info.format & SF_FORMAT_TYPEMASK;
    // RF64 auto-downgraded below 4 GB reads back as WAVE_FORMAT_EXTENSIBLE.
    if ((container != SF_FORMAT_WAVEX && container != SF_FORMAT_WAV && container != SF_FORMAT_RF64) || (info.format & SF_FORMAT_SUBMASK) != SF_FORMAT_FLOAT
        || (double) info.samplerate != std::round (rate) || info.channels < 1 || info.channels > 2)
        return false;
    const auto* comment = sf_get_string (file.sound.get(), SF_STR_COMMENT);
    if (comment == nullptr)
        return false;
    const auto expected = std::string (copyTag) + "; frames=" + std::to_string (info.frames) + "; channels="
                          + std::to_string (info.channels) + "; rate=" + rateText (rate);
    if (expected != comment)
        return false;
    // The data really holds what the header says (libsndfile trusts the file size quietly).
    struct stat status {};
    return ::fstat (file.descriptor.get(), &status) == 0
           && (int64_t) status.st_size >= (int64_t) info.frames * info.channels * (int64_t) sizeof (float);
}

//==============================================================================
struct ConvertedMediaCache::Leases
{
    std::mutex lock;
    std::map<std::string, int> inUse;   // copy file name → Copy handles alive

    bool contains (const std::string& name)
    {
        std::lock_guard<std::mutex> guard (lock);
        return inUse.count (name) > 0;
    }
};

ConvertedMediaCache::ConvertedMediaCache (std::filesystem::path folderToUse, uint64_t maximumBytes)
    : folder (std::move (folderToUse)), maxBytes (maximumBytes), leases (std::make_shared<Leases>())
{
}

ConvertedMediaCache::~ConvertedMediaCache() = default;

std::filesystem::path ConvertedMediaCache::defaultFolder (const std::filesystem::path& cueGridHome)
{
    return cueGridHome / "Cache" / "Media";
}

namespace
{
    /** What tells a changed file: path, size, mtime (ns), inode. Empty path when it cannot be read. */
    std::tuple<std::string, uint64_t, int64_t, uint64_t> fileIdentity (const std::filesystem::path& file)
    {
        struct stat status {};
        if (::stat (file.c_str(), &status) != 0)
            return {};
        return std::make_tuple (file.string(), (uint64_t) status.st_size, modificationNanoseconds (status), (uint64_t) status.st_ino);
    }
} // namespace

std::string ConvertedMediaCache::hashOf (const std::filesystem::path& media, std::string& error)
{
    const auto key = fileIdentity (media);
    if (std::get<0> (key).empty())
    {
        error = "file not found: " + media.string();
        return {};
    }
    {
        std::lock_guard<std::mutex> guard (lock);
        if (const auto found = hashes.find (key); found != hashes.end())
            return found->second;
    }
    const auto hash = analysis::hashFileContent (media);
    if (! hash)
    {
        error = "cannot read " + media.string();
        return {};
    }
    if (fileIdentity (media) != key)
    {
        error = media.string() + ": changed while it was being read; try again when it is written";
        return {};
    }
    std::lock_guard<std::mutex> guard (lock);
    hashes[key] = *hash;
    return *hash;
}

ConvertedMediaCache::Copy ConvertedMediaCache::copyFor (const std::filesystem::path& media, double rate, std::string& error,
                                                        const std::atomic<bool>* cancel)
{
    Copy result;
    {
        const auto source = openMediaFile (media);
        if (! source)
        {
            error = source.error;
            return result;
        }
        if (ConvertedMedia::isStreamable (source.info, rate))
        {
            result.path = media;
            return result;
        }
    }
    const auto identity = fileIdentity (media);
    const auto hash = hashOf (media, error);
    if (hash.empty())
        return result;
    const auto name = ConvertedMedia::copyName (hash, rate);
    const auto path = folder / name;

    // The lease first, so that no trim removes the copy between the check and the caller's open.
    {
        std::lock_guard<std::mutex> guard (leases->lock);
        ++leases->inUse[name];
    }
    std::shared_ptr<const void> lease (nullptr, [held = leases, name] (const void*)
    {
        std::lock_guard<std::mutex> guard (held->lock);
        if (--held->inUse[name] == 0)
            held->inUse.erase (name);
    });

    {
        std::unique_lock<std::mutex> guard (lock);
        madeOrFailed.wait (guard, [&] { return beingMade.count (name) == 0; });
        beingMade.insert (name);
    }
    // Whatever happens below (an exception too), the waiters for this copy are let go.
    const std::shared_ptr<void> done (nullptr, [this, &name] (void*)
    {
        {
            std::lock_guard<std::mutex> guard (lock);
            beingMade.erase (name);
        }
        madeOrFailed.notify_all();
    });
    bool ok = ConvertedMedia::isValidCopy (path, rate);
    const bool made = ! ok;
    if (made)
    {
        std::error_code ignored;
        std::filesystem::create_directories (folder, ignored);
        // Room for the new copy first (its size as the header promises), then the copy.
        SF_INFO info {};
        if (const auto source = openMediaFile (media))
            info = source.info;
        const auto claimedFrames = std::clamp<int64_t> (info.frames, 0, maxMediaFrames (std::max (1, info.samplerate)));
        const auto expectedBytes = (uint64_t) std::llround ((double) claimedFrames * rate / std::max (1, info.samplerate))
                                   * (uint64_t) std::min (std::max (info.channels, 1), 2) * sizeof (float);
        trim (maxBytes > expectedBytes ? maxBytes - expectedBytes : 0);
        ok = ConvertedMedia::convert (media, rate, path, error, cancel);
        if (ok && fileIdentity (media) != identity)
        {
            // Rewritten while converting: the copy may mix old and new audio under the old hash.
            std::error_code ignored;
            std::filesystem::remove (path, ignored);
            error = media.string() + ": changed while it was being converted; try again when it is written";
            ok = false;
        }
        if (ok)
            ++conversions;
    }
    if (! ok)
        return result;

    ::utimensat (AT_FDCWD, path.c_str(), nullptr, 0);   // most recently used
    result.path = path;
    result.converted = true;
    result.lease = std::move (lease);
    if (made)
        trim (maxBytes);
    return result;
}

uint64_t ConvertedMediaCache::trim (uint64_t targetBytes)
{
    struct Entry { int64_t mtime; uint64_t bytes; std::string name; };
    std::vector<Entry> copies;
    uint64_t total = 0;
    std::error_code failure;
    const auto now = std::filesystem::file_time_type::clock::now();
    for (std::filesystem::directory_iterator entry (folder, failure), end; ! failure && entry != end; entry.increment (failure))
    {
        const auto name = entry->path().filename().string();
        struct stat status {};
        if (::stat (entry->path().c_str(), &status) != 0 || ! S_ISREG (status.st_mode))
            continue;
        if (isTemporaryName (name))
        {
            // A conversion killed midway (a live one writes continuously, so its mtime is fresh).
            std::error_code ignored;
            if (now - std::filesystem::last_write_time (entry->path(), ignored) > std::chrono::minutes (10))
                std::filesystem::remove (entry->path(), ignored);
            continue;
        }
        if (! isCopyName (name))
            continue;
        copies.push_back ({ modificationNanoseconds (status), (uint64_t) status.st_blocks * 512u, name });
        total += copies.back().bytes;
    }
    std::sort (copies.begin(), copies.end(), [] (const Entry& a, const Entry& b) { return a.mtime < b.mtime; });
    for (const auto& copy : copies)
    {
        if (total <= targetBytes)
            break;
        if (leases->contains (copy.name))
            continue;
        {
            std::lock_guard<std::mutex> guard (lock);
            if (beingMade.count (copy.name) > 0)
                continue;
        }
        std::error_code ignored;
        if (std::filesystem::remove (folder / copy.name, ignored))
            total -= copy.bytes;
    }
    return total;
}

uint64_t ConvertedMediaCache::bytesOnDisk() const
{
    uint64_t total = 0;
    std::error_code failure;
    for (std::filesystem::directory_iterator entry (folder, failure), end; ! failure && entry != end; entry.increment (failure))
    {
        struct stat status {};
        if (isCopyName (entry->path().filename().string()) && ::stat (entry->path().c_str(), &status) == 0 && S_ISREG (status.st_mode))
            total += (uint64_t) status.st_blocks * 512u;
    }
    return total;
}

} // namespace cuegrid
