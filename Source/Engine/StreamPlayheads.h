// CueGrid — GPL-3.0-or-later
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>

namespace cuegrid
{

/** What one engine tells the media cache's reader threads, each block: where its streamed
    voices read (so they can read ahead of them), and its callback epoch (so they know when a
    chunk they took out of a table can no longer be in use).

    Threads: the audio thread (Engine::process) is the only writer; reader threads read.
    Positions are hints: a torn or stale entry only makes a reader fetch a chunk early or late.

    Registration: an Engine registers its StreamPlayheads on construction and removes them on
    destruction (control thread); readers visit the registered ones under the registry's mutex,
    which the audio thread never takes. */
class StreamPlayheads
{
public:
    static constexpr int maxVoices = 64;

    struct Voice
    {
        std::atomic<uint32_t> mediaId { 0 };     // 0: no streamed voice in this slot
        std::atomic<int64_t> position { 0 };     // next frame the voice reads
        std::atomic<int64_t> loopIn { 0 };       // loop region, when loopOut > loopIn
        std::atomic<int64_t> loopOut { 0 };
        std::atomic<int64_t> crossfadeTail { -1 };  // frames read for a loop crossfade (≥ 0), else -1
    };

    StreamPlayheads();
    ~StreamPlayheads();

    /** Audio thread: at the start and at the end of each callback. Odd = inside a callback. */
    void enterCallback() noexcept { epoch.fetch_add (1, std::memory_order_acq_rel); }
    void exitCallback() noexcept { epoch.fetch_add (1, std::memory_order_release); }

    /** Audio thread: the voice slots' read positions (mediaId 0 frees a slot). */
    std::array<Voice, maxVoices> voices;

    /** Starts the engine has received but not played yet, away from the clip's pinned heads (a
        Trigger's offset): the readers load headSeconds from each before the voice starts when
        the command arrives ahead of its time (a show script is fed 1 s ahead). The audio thread
        writes them (hintStart on receiving the command, clearStart when the voice starts; a
        ring: the oldest is overwritten), readers read. */
    struct Start
    {
        std::atomic<uint32_t> mediaId { 0 };     // 0: empty
        std::atomic<int64_t> frame { 0 };
    };
    static constexpr int maxStarts = 16;
    std::array<Start, maxStarts> starts;

    void hintStart (uint32_t mediaId, int64_t frame) noexcept
    {
        auto& start = starts[(size_t) (nextStart++ % maxStarts)];
        start.mediaId.store (0, std::memory_order_relaxed);
        start.frame.store (frame, std::memory_order_relaxed);
        start.mediaId.store (mediaId, std::memory_order_release);
    }
    void clearStart (uint32_t mediaId, int64_t frame) noexcept
    {
        for (auto& start : starts)
            if (start.mediaId.load (std::memory_order_relaxed) == mediaId && start.frame.load (std::memory_order_relaxed) == frame)
                start.mediaId.store (0, std::memory_order_relaxed);
    }

    /** Any thread but the audio thread: returns once every registered engine has left the
        callback it was in when this was called (RCU grace period). Call it after taking
        chunks out of their tables and before freeing them. */
    static void waitForCallbacks();

    /** Reader threads: calls `visit` for each registered engine's playheads, under the
        registry's mutex (no engine is destroyed meanwhile). */
    static void forEach (const std::function<void (const StreamPlayheads&)>& visit);

private:
    unsigned nextStart = 0;   // audio thread only: the ring's next entry
    // Written by the audio thread (enter/exitCallback); read by waitForCallbacks().
    std::atomic<uint64_t> epoch { 0 };
};

} // namespace cuegrid
