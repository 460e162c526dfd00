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

    /** Any thread but the audio thread: returns once every registered engine has left the
        callback it was in when this was called (RCU grace period). Call it after taking
        chunks out of their tables and before freeing them. */
    static void waitForCallbacks();

    /** Reader threads: calls `visit` for each registered engine's playheads, under the
        registry's mutex (no engine is destroyed meanwhile). */
    static void forEach (const std::function<void (const StreamPlayheads&)>& visit);

private:
    // Written by the audio thread (enter/exitCallback); read by waitForCallbacks().
    std::atomic<uint64_t> epoch { 0 };
};

} // namespace cuegrid
