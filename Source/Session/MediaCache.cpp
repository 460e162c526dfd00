// CueGrid — GPL-3.0-or-later
#include "MediaCache.h"

#include "../Engine/StreamPlayheads.h"
#include "AppFolders.h"
#include "ConvertedMedia.h"
#include "Limits.h"
#include "MediaFile.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <tuple>
#include <utility>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace cuegrid
{

namespace
{
    int64_t nowMilliseconds()
    {
        using namespace std::chrono;
        return duration_cast<milliseconds> (steady_clock::now().time_since_epoch()).count();
    }

    /** A chunk no scan wanted for this long may be evicted (each reader scans every 2 ms, and
        after every chunk it reads). */
    constexpr int64_t evictableAfterMs = 10;

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
} // namespace

struct MediaCache::File
{
    std::string identity;
    std::filesystem::path path;
    std::shared_ptr<MediaChunks> chunks;
    std::shared_ptr<const void> copyLease;   // the converted copy it reads, kept from eviction
    int fileChannels = 0;

    std::mutex readLock;   // one reader of the file at a time (seek + read): any thread but the audio thread
    MediaFile media;       // guarded by readLock

    // Guarded by MediaCache::lock.
    std::vector<int32_t> pins;       // per chunk: clips whose head it is
    std::vector<int64_t> lastUse;    // per chunk: when a scan last wanted it (ms, steady clock)
    std::vector<uint8_t> loading;    // per chunk: a thread is decoding it
    bool nonFiniteReported = false;  // its NaN/Inf samples were reported (once per file)
    int64_t unusedSinceMs = 0;       // when closeUnusedFiles first saw no clip use it; 0 = in use
};

namespace
{
    int64_t chunkBytes (const MediaChunks& chunks) noexcept
    {
        return MediaChunks::chunkFrames * chunks.getNumChannels() * (int64_t) sizeof (float);
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

void MediaCache::loadChunkNow (const MediaChunks& chunks, int64_t index) noexcept
{
    std::shared_ptr<File> file;
    {
        const std::lock_guard<std::mutex> hold (lock);
        if (const auto found = filesById.find (chunks.getMediaId()); found != filesById.end())
            file = found->second;
    }
    if (file != nullptr)
        loadChunk (*file, index);
}

void MediaCache::loadChunk (File& file, int64_t index)
{
    auto& chunks = *file.chunks;
    {
        // Wait while another thread decodes it; then take it over if it is still missing.
        std::unique_lock<std::mutex> hold (lock);
        while (file.loading[(size_t) index] != 0)
        {
            hold.unlock();
            std::this_thread::sleep_for (std::chrono::microseconds (100));
            hold.lock();
        }
        file.lastUse[(size_t) index] = nowMilliseconds();
        if (chunks.chunk (index) != nullptr)
            return;
        file.loading[(size_t) index] = 1;
    }

    // Decode: seek, read interleaved, keep the first two channels. A failed read leaves
    // zeros (the chunk is still published, so a blocking reader never waits forever).
    const auto frames = chunks.framesInChunk (index);
    const auto channels = chunks.getNumChannels();
    const auto bytes = (int64_t) MediaChunks::chunkFrames * channels * (int64_t) sizeof (float);
    auto* samples = new float[(size_t) (MediaChunks::chunkFrames * channels)]();
    int64_t nonFinite = 0, firstNonFinite = -1;
    {
        thread_local std::vector<float> interleaved;
        interleaved.resize ((size_t) (frames * file.fileChannels));
        const std::lock_guard<std::mutex> reading (file.readLock);
        auto* sound = file.media.sound.get();
        sf_count_t got = 0;
        if (sf_seek (sound, index * MediaChunks::chunkFrames, SEEK_SET) >= 0)
            got = sf_readf_float (sound, interleaved.data(), frames);
        for (sf_count_t frame = 0; frame < got; ++frame)
            for (int channel = 0; channel < channels; ++channel)
            {
                const auto sample = interleaved[(size_t) (frame * file.fileChannels + channel)];
                if (std::isfinite (sample))
                    samples[(size_t) (channel * MediaChunks::chunkFrames + frame)] = sample;
                else if (nonFinite++ == 0)
                    firstNonFinite = index * MediaChunks::chunkFrames + frame;   // plays as 0 (zeroed above)
            }
    }

    {
        const std::lock_guard<std::mutex> hold (lock);
        chunks.exchange (index, samples);
        file.loading[(size_t) index] = 0;
        if (nonFinite > 0 && ! file.nonFiniteReported)
        {
            // Once per file: a corrupt region would otherwise report on every read of it.
            file.nonFiniteReported = true;
            warnings.push_back (file.path.string() + ": non-finite samples (NaN or Inf) play as silence, the first at frame "
                                + std::to_string (firstNonFinite) + " (" + std::to_string (nonFinite)
                                + " in its chunk; reported once per file)");
        }
        file.lastUse[(size_t) index] = nowMilliseconds();
        const auto used = usedBytes += bytes;
        auto peak = peakUsedBytes.load();
        while (used > peak && ! peakUsedBytes.compare_exchange_weak (peak, used)) {}
    }
    chunksRead++;
    if (usedBytes.load() > budgetBytes.load())
        wake.notify_one();   // a reader evicts (this thread may be inside a callback: offline render)
}

std::vector<MediaCache::Wanted> MediaCache::collectWanted()
{
    struct Playhead { uint32_t mediaId; int64_t position, loopIn, loopOut, tail; bool start = false; };
    std::vector<Playhead> playheads;
    StreamPlayheads::forEach ([&] (const StreamPlayheads& engine)
    {
        for (const auto& start : engine.starts)
            if (const auto id = start.mediaId.load (std::memory_order_acquire); id != 0)
                playheads.push_back ({ id, start.frame.load (std::memory_order_relaxed), 0, 0, -1, true });
        for (const auto& voice : engine.voices)
            if (const auto id = voice.mediaId.load (std::memory_order_acquire); id != 0)
                playheads.push_back ({ id, voice.position.load (std::memory_order_relaxed), voice.loopIn.load (std::memory_order_relaxed),
                                       voice.loopOut.load (std::memory_order_relaxed), voice.crossfadeTail.load (std::memory_order_relaxed) });
    });

    std::vector<Wanted> wanted;
    const auto now = nowMilliseconds();
    const std::lock_guard<std::mutex> hold (lock);
    for (const auto& playhead : playheads)
    {
        const auto found = filesById.find (playhead.mediaId);
        if (found == filesById.end())
            continue;
        const auto& shared = found->second;
        auto& file = *shared;
        const auto total = file.chunks->getNumFrames();
        auto want = [&] (int64_t from, int64_t to, int64_t distance)   // frames [from, to), `distance` frames ahead
        {
            from = std::clamp<int64_t> (from, 0, total);
            to = std::clamp<int64_t> (to, from, total);
            for (int64_t frame = from; frame < to; frame = ((frame >> MediaChunks::chunkShift) + 1) << MediaChunks::chunkShift)
            {
                const auto index = frame >> MediaChunks::chunkShift;
                file.lastUse[(size_t) index] = now;
                if (file.chunks->chunk (index) == nullptr && file.loading[(size_t) index] == 0)
                    wanted.push_back ({ shared, index, distance + (frame - from) });
            }
        };
        const auto ahead = (int64_t) (readAheadSeconds * file.chunks->getSampleRate());
        if (playhead.start)
        {
            // A start not played yet: its first headSeconds, as urgent as a playing voice's next chunk.
            want (playhead.position, playhead.position + (int64_t) std::ceil (headSeconds * file.chunks->getSampleRate()), 0);
            continue;
        }
        if (playhead.tail >= 0)
            want (playhead.tail, playhead.tail + MediaChunks::chunkFrames, 0);
        if (playhead.loopOut > playhead.loopIn && playhead.position < playhead.loopOut)
        {
            const auto toLoopOut = playhead.loopOut - playhead.position;
            want (playhead.position, std::min (playhead.loopOut, playhead.position + ahead), 0);
            if (ahead > toLoopOut)
                want (playhead.loopIn, playhead.loopIn + std::min (ahead - toLoopOut, playhead.loopOut - playhead.loopIn), toLoopOut);
            want (playhead.loopOut, playhead.loopOut + MediaChunks::chunkFrames, toLoopOut);   // the crossfade's tail
        }
        else
            want (playhead.position, playhead.position + ahead, 0);
    }
    std::sort (wanted.begin(), wanted.end(), [] (const Wanted& a, const Wanted& b) { return a.distance < b.distance; });
    return wanted;
}

void MediaCache::readerLoop()
{
    // Raised above the loaders and the GUI (nice -5, when allowed), never realtime: the audio
    // thread must always win, and a reader late by a few ms is covered by its read-ahead.
    ::setpriority (PRIO_PROCESS, (id_t) ::syscall (SYS_gettid), -5);
    for (;;)
    {
        auto wanted = collectWanted();
        std::shared_ptr<File> file;
        int64_t index = -1;
        {
            std::unique_lock<std::mutex> hold (lock);
            if (quit)
                return;
            // Heads setHeads pinned come first: a clip edited to start elsewhere.
            while (! headLoads.empty() && file == nullptr)
            {
                auto head = std::move (headLoads.back());
                headLoads.pop_back();
                if (head.first->chunks->chunk (head.second) == nullptr && head.first->loading[(size_t) head.second] == 0)
                    std::tie (file, index) = head;
            }
            for (const auto& candidate : wanted)
                if (file == nullptr && candidate.file->chunks->chunk (candidate.chunk) == nullptr
                    && candidate.file->loading[(size_t) candidate.chunk] == 0)
                {
                    file = candidate.file;
                    index = candidate.chunk;
                }
            if (file == nullptr)
            {
                hold.unlock();
                wanted.clear();
                evictOverBudget();
                closeUnusedFiles();
                hold.lock();
                if (quit)
                    return;
                wake.wait_for (hold, std::chrono::milliseconds (2));
                continue;
            }
        }
        // The test hook, in steps of 1 ms so that setting it back to 0 ends a wait at once.
        for (int waited = 0; waited < readDelayMicroseconds.load(); waited += 1000)
            std::this_thread::sleep_for (std::chrono::microseconds (1000));
        loadChunk (*file, index);
        evictOverBudget();
    }
}

void MediaCache::evictOverBudget()
{
    if (usedBytes.load() > budgetBytes.load())
        evict (false);
}

void MediaCache::evictUnpinned()
{
    evict (true);
}

void MediaCache::evict (bool everythingUnpinned)
{
    struct Victim { int64_t lastUse; File* file; int64_t index; };
    std::vector<float*> taken;
    {
        const std::lock_guard<std::mutex> hold (lock);
        const auto now = nowMilliseconds();
        std::vector<Victim> victims;
        for (auto& [id, file] : filesById)
            for (int64_t index = 0; index < file->chunks->getNumChunks(); ++index)
                if (file->pins[(size_t) index] == 0 && file->loading[(size_t) index] == 0
                    && file->chunks->chunk (index) != nullptr
                    && (everythingUnpinned || now - file->lastUse[(size_t) index] >= evictableAfterMs))
                    victims.push_back ({ file->lastUse[(size_t) index], file.get(), index });
        std::sort (victims.begin(), victims.end(), [] (const Victim& a, const Victim& b) { return a.lastUse < b.lastUse; });
        // Down to 90 % of the budget: one scan of the tables frees room for many chunks.
        const auto target = budgetBytes.load() - budgetBytes.load() / 10;
        for (const auto& victim : victims)
        {
            if (! everythingUnpinned && usedBytes.load() <= target)
                break;
            const auto& chunks = *victim.file->chunks;
            taken.push_back (chunks.exchange (victim.index, nullptr));
            usedBytes -= (int64_t) MediaChunks::chunkFrames * chunks.getNumChannels() * (int64_t) sizeof (float);
        }
    }
    if (taken.empty())
        return;
    // The audio thread may still hold a pointer it loaded in its current callback.
    StreamPlayheads::waitForCallbacks();
    for (auto* samples : taken)
        delete[] samples;
    chunksEvicted += taken.size();
}

} // namespace cuegrid
