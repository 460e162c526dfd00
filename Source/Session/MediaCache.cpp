// CueGrid — GPL-3.0-or-later
// The media cache's file table: opening a file once for all its clips, pinning each clip's
// head chunks, the budget, and closing files no clip uses. The reader threads that fill and
// evict chunks are in MediaCacheReaders.cpp.
#include "MediaCacheFile.h"

#include "AppFolders.h"
#include "ConvertedMedia.h"
#include "Limits.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

#include <sys/stat.h>
#include <unistd.h>

namespace cuegrid
{

using namespace mediacache;

namespace
{
    bool canStream (int format)
    {
        switch (format & SF_FORMAT_TYPEMASK)
        {
            case SF_FORMAT_WAV: case SF_FORMAT_WAVEX: case SF_FORMAT_AIFF: case SF_FORMAT_W64: case SF_FORMAT_RF64: break;
            default: return false;   // compressed (FLAC, Ogg): seeking is not exact or cheap enough
        }
        switch (format & SF_FORMAT_SUBMASK)
        {
            case SF_FORMAT_PCM_S8: case SF_FORMAT_PCM_U8: case SF_FORMAT_PCM_16: case SF_FORMAT_PCM_24:
            case SF_FORMAT_PCM_32: case SF_FORMAT_FLOAT: case SF_FORMAT_DOUBLE: return true;
            default: return false;
        }
    }

    int64_t defaultBudgetBytes()
    {
        if (const char* megabytes = std::getenv ("CUEGRID_MEDIA_CACHE_MB"); megabytes != nullptr && std::atoll (megabytes) > 0)
            return std::atoll (megabytes) * (int64_t) 1024 * 1024;   // tests: the environment wins over the preferences
        const auto pages = ::sysconf (_SC_PHYS_PAGES), pageSize = ::sysconf (_SC_PAGE_SIZE);
        const auto quarter = pages > 0 && pageSize > 0 ? (int64_t) pages * pageSize / 4 : (int64_t) 1 << 30;
        return std::min<int64_t> ((int64_t) 2 << 30, quarter);
    }

    /** The chunks covering `headFrames` after each start. */
    std::vector<int64_t> headChunks (const MediaChunks& chunks, const std::vector<int64_t>& starts, int64_t headFrames)
    {
        std::vector<int64_t> result;
        for (const auto start : starts)
        {
            const auto from = std::clamp<int64_t> (start, 0, chunks.getNumFrames() - 1);
            const auto to = std::min (chunks.getNumFrames(), from + headFrames);
            for (auto index = from >> MediaChunks::chunkShift; index <= (to - 1) >> MediaChunks::chunkShift; ++index)
                if (std::find (result.begin(), result.end(), index) == result.end())
                    result.push_back (index);
        }
        return result;
    }
} // namespace

/** A clip's pinned head chunks; unpinned when the clip's ClipAudio is freed. */
struct MediaCache::Pins
{
    MediaCache& cache;
    std::shared_ptr<File> file;
    std::vector<int64_t> chunks;     // guarded by cache.lock (setHeads changes them)
    const ClipAudio* clip = nullptr; // the clip they belong to (pinsByClip's key)

    ~Pins()
    {
        const std::lock_guard<std::mutex> hold (cache.lock);
        cache.pinsByClip.erase (clip);
        cache.unpinChunks (*file, chunks);
    }
};

void MediaCache::pinChunks (File& file, const std::vector<int64_t>& chunks)
{
    for (const auto index : chunks)
        if (file.pins[(size_t) index]++ == 0)
            pinnedBytes += chunkBytes (*file.chunks);
}

void MediaCache::unpinChunks (File& file, const std::vector<int64_t>& chunks)
{
    for (const auto index : chunks)
        if (--file.pins[(size_t) index] == 0)
            pinnedBytes -= chunkBytes (*file.chunks);
}

ConvertedMediaCache& MediaCache::convertedCopies()
{
    // In the CueGrid home's Cache/Media (CUEGRID_HOME when set, as every folder of the home).
    static auto* copies = new ConvertedMediaCache (ConvertedMediaCache::defaultFolder (AppFolders (Preferences {}).getHome()));
    return *copies;   // never destroyed: loaders may still use it during exit
}

MediaCache& MediaCache::instance()
{
    // Never destroyed: clips freed late in exit still unpin, and readers never see it die.
    static auto* cache = new MediaCache();
    return *cache;
}

MediaCache::MediaCache()
{
    budgetBytes = defaultBudgetBytes();
    if (const char* megabytes = std::getenv ("CUEGRID_MEDIA_CACHE_MB"); megabytes != nullptr && std::atoll (megabytes) > 0)
        budgetFromEnvironment = true;
    if (const char* seconds = std::getenv ("CUEGRID_STREAM_MIN_SECONDS"); seconds != nullptr && *seconds != 0)
        streamMinSeconds = std::max (0.0, std::atof (seconds));
    // Tests of whole processes (cuegrid play on JACK): the readers slowed on purpose.
    if (const char* delay = std::getenv ("CUEGRID_READ_DELAY_US_FOR_TESTING"); delay != nullptr && std::atoi (delay) > 0)
        readDelayMicroseconds = std::atoi (delay);
}

MediaCache::~MediaCache()
{
    {
        const std::lock_guard<std::mutex> hold (lock);
        quit = true;
    }
    wake.notify_all();
    for (auto& reader : readers)
        reader.join();
}

void MediaCache::startReaders()
{
    // Under `lock`.
    if (! readers.empty())
        return;
    for (int i = 0; i < 2; ++i)
        readers.emplace_back ([this] { readerLoop(); });
}

std::shared_ptr<MediaCache::File> MediaCache::findOrOpen (const std::filesystem::path& path, double engineRate, std::string& whyNot)
{
    struct stat status {};
    if (::stat (path.c_str(), &status) != 0 || ! S_ISREG (status.st_mode))
    {
        whyNot = "not a regular file";
        return nullptr;
    }
    // The file's identity: the same inode under any path is one file; a rewritten one is new.
    const auto identity = std::to_string (status.st_dev) + ":" + std::to_string (status.st_ino) + ":"
                          + std::to_string (status.st_size) + ":" + std::to_string (status.st_mtim.tv_sec) + "."
                          + std::to_string (status.st_mtim.tv_nsec) + "@" + std::to_string (engineRate);
    {
        const std::lock_guard<std::mutex> hold (lock);
        if (const auto found = filesByIdentity.find (identity); found != filesByIdentity.end())
            return found->second;
    }

    auto media = openMediaFile (path);
    if (! media)
    {
        whyNot = media.error;
        return nullptr;
    }
    if ((double) media.info.frames < streamMinSeconds.load() * media.info.samplerate)
        return nullptr;   // short: resident
    if (media.missingFrames > 0)
    {
        whyNot = "truncated: decoded whole";   // loadMedia says how much is missing
        return nullptr;
    }
    if (media.info.frames < 1 || media.info.frames > (int64_t) (limits::maxMediaSeconds * media.info.samplerate))
    {
        whyNot = "length out of range";
        return nullptr;
    }

    // Compressed media, or media at another rate, streams from its converted copy (float WAV
    // at the engine's rate, the same samples loadMedia gives), made once on this loader thread.
    ConvertedMediaCache::Copy copy;
    if (! ConvertedMedia::isStreamable (media.info, engineRate) || ! canStream (media.info.format))
    {
        copy = convertedCopies().copyFor (path, engineRate, whyNot);
        if (! copy)
            return nullptr;
        media = openMediaFile (copy.path);
        if (! media || (double) media.info.samplerate != engineRate || ! canStream (media.info.format))
        {
            whyNot = "its converted copy " + copy.path.string() + " cannot be read: " + media.error;
            return nullptr;
        }
    }
    const auto& info = media.info;

    auto file = std::make_shared<File>();
    file->identity = identity;
    file->path = path;
    file->copyLease = copy.lease;
    file->fileChannels = info.channels;
    const auto channelsKept = std::min (info.channels, 2);
    file->media = std::move (media);

    const std::lock_guard<std::mutex> hold (lock);
    if (const auto found = filesByIdentity.find (identity); found != filesByIdentity.end())
        return found->second;   // another loader opened it meanwhile
    const auto id = nextMediaId++;
    file->chunks = std::make_shared<MediaChunks> (id, (int64_t) file->media.info.frames, channelsKept, engineRate, *this);
    const auto count = (size_t) file->chunks->getNumChunks();
    file->pins.assign (count, 0);
    file->lastUse.assign (count, 0);
    file->loading.assign (count, 0);
    filesByIdentity[identity] = file;
    filesById[id] = file;
    startReaders();
    return file;
}

ClipAudioPtr MediaCache::openStreamed (const std::filesystem::path& path, double engineRate,
                                       const std::vector<int64_t>& headStarts, MediaInfo& info, std::string& whyNot)
{
    whyNot.clear();
    auto file = findOrOpen (path, engineRate, whyNot);
    if (file == nullptr)
        return nullptr;
    info = { engineRate, file->fileChannels, file->chunks->getNumFrames(), describeMediaFormat (file->media.info.format) };

    auto pins = std::shared_ptr<Pins> (new Pins { *this, file, {} });
    const auto& chunks = *file->chunks;
    const auto headFrames = std::max<int64_t> (1, (int64_t) std::ceil (headSeconds * chunks.getSampleRate()));
    const auto wanted = headChunks (chunks, headStarts, headFrames);
    {
        const std::lock_guard<std::mutex> hold (lock);
        pins->chunks = wanted;
        pinChunks (*file, wanted);
    }
    for (const auto index : wanted)
        loadChunk (*file, index);   // the loader thread may wait for the disk
    auto* pinsOfClip = pins.get();
    auto clip = std::make_shared<const ClipAudio> (file->chunks, std::move (pins));
    const std::lock_guard<std::mutex> hold (lock);
    pinsOfClip->clip = clip.get();
    pinsByClip[clip.get()] = pinsOfClip;
    return clip;
}

int MediaCache::setHeads (const ClipAudio& clip, const std::vector<int64_t>& headStarts)
{
    int queued = 0;
    {
        const std::lock_guard<std::mutex> hold (lock);
        const auto found = pinsByClip.find (&clip);
        if (found == pinsByClip.end())
            return 0;
        auto& pins = *found->second;
        auto& file = *pins.file;
        const auto headFrames = std::max<int64_t> (1, (int64_t) std::ceil (headSeconds * file.chunks->getSampleRate()));
        auto wanted = headChunks (*file.chunks, headStarts, headFrames);
        // Pin the new set before unpinning the old, so a chunk in both is never evictable between.
        pinChunks (file, wanted);
        unpinChunks (file, pins.chunks);
        pins.chunks = std::move (wanted);
        for (const auto index : pins.chunks)
            if (file.chunks->chunk (index) == nullptr)
            {
                headLoads.emplace_back (pins.file, index);
                ++queued;
            }
    }
    if (queued > 0)
        wake.notify_all();
    return queued;
}

int MediaCache::getQueuedHeadChunks() const
{
    const std::lock_guard<std::mutex> hold (lock);
    return (int) headLoads.size();
}

int MediaCache::getOpenFileCount() const
{
    const std::lock_guard<std::mutex> hold (lock);
    return (int) filesById.size();
}

std::vector<std::string> MediaCache::takeWarnings()
{
    const std::lock_guard<std::mutex> hold (lock);
    return std::exchange (warnings, {});
}

void MediaCache::setBudgetFromPreferences (int megabytes) noexcept
{
    if (budgetFromEnvironment)
        return;
    budgetBytes = megabytes > 0 ? (int64_t) megabytes << 20 : defaultBudgetBytes();
}

void MediaCache::closeUnusedFiles()
{
    std::vector<std::shared_ptr<File>> closing;
    {
        const std::lock_guard<std::mutex> hold (lock);
        const auto now = nowMilliseconds();
        for (auto entry = filesById.begin(); entry != filesById.end();)
        {
            auto& file = entry->second;
            // Only the two maps hold it, and only it holds its table: no clip (a clip holds its
            // pins, which hold the file, and the table), no loader, no reader uses it. A voice
            // holds its clip, so no voice reads it either.
            const bool unused = file.use_count() == 2 && file->chunks.use_count() == 1;
            if (! unused)
                file->unusedSinceMs = 0;
            else if (file->unusedSinceMs == 0)
                file->unusedSinceMs = now;
            else if ((double) (now - file->unusedSinceMs) >= unusedFileSeconds.load() * 1000.0)
            {
                for (int64_t index = 0; index < file->chunks->getNumChunks(); ++index)
                    if (file->chunks->chunk (index) != nullptr)
                        usedBytes -= chunkBytes (*file->chunks);
                filesByIdentity.erase (file->identity);
                closing.push_back (std::move (file));
                entry = filesById.erase (entry);
                continue;
            }
            ++entry;
        }
    }
    // Outside the lock: closing the file and freeing its chunks (the table's destructor).
    closing.clear();
}

} // namespace cuegrid
