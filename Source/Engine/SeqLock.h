// CueGrid — GPL-3.0-or-later
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace cuegrid
{

/** A single-writer snapshot of a trivially copyable value (Ardour's seqlock pattern).

    The writer (the audio thread) never waits: it bumps the sequence to odd, stores the words,
    bumps it to even. Readers (GUI, control threads) copy and retry while the sequence was odd
    or changed under them. The payload is stored as relaxed atomic words, so a torn read is
    detected, never undefined.
*/
template <typename Value>
class SeqLock
{
    static_assert (std::is_trivially_copyable_v<Value>);
    static constexpr size_t wordCount = (sizeof (Value) + sizeof (uint64_t) - 1) / sizeof (uint64_t);

public:
    /** Writer thread only; wait-free. */
    void write (const Value& value) noexcept
    {
        std::array<uint64_t, wordCount> words {};
        std::memcpy (words.data(), &value, sizeof (Value));
        const auto start = sequence.load (std::memory_order_relaxed);
        sequence.store (start + 1, std::memory_order_relaxed);
        std::atomic_thread_fence (std::memory_order_release);
        for (size_t i = 0; i < wordCount; ++i)
            storage[i].store (words[i], std::memory_order_relaxed);
        sequence.store (start + 2, std::memory_order_release);
    }

    /** Any reader thread; retries until it gets a consistent copy. */
    Value read() const noexcept
    {
        std::array<uint64_t, wordCount> words {};
        for (;;)
        {
            const auto before = sequence.load (std::memory_order_acquire);
            if ((before & 1u) == 0)
            {
                for (size_t i = 0; i < wordCount; ++i)
                    words[i] = storage[i].load (std::memory_order_relaxed);
                std::atomic_thread_fence (std::memory_order_acquire);
                if (sequence.load (std::memory_order_relaxed) == before)
                    break;
            }
        }
        Value value;
        std::memcpy (static_cast<void*> (&value), words.data(), sizeof (Value));
        return value;
    }

private:
    std::atomic<uint64_t> sequence { 0 };
    std::array<std::atomic<uint64_t>, wordCount> storage {};
};

} // namespace cuegrid
