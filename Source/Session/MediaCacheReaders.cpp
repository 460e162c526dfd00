// CueGrid — GPL-3.0-or-later
// The media cache's reader threads: which chunks the playheads want next, decoding one,
// and evicting the least recently used. The file table (opening files, pinning clips' heads,
// closing unused files) is in MediaCache.cpp.
#include "MediaCacheFile.h"

#include "../Engine/StreamPlayheads.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace cuegrid
{

using namespace mediacache;

namespace
{
    /** A chunk no scan wanted for this long may be evicted (each reader scans every 2 ms, and
        after every chunk it reads). */
    constexpr int64_t evictableAfterMs = 10;
} // namespace

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
    const auto bytes = chunkBytes (chunks);
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
            usedBytes -= chunkBytes (chunks);
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
