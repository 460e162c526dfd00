// CueGrid — GPL-3.0-or-later
#pragma once

#include <juce_core/juce_core.h>

#include <array>
#include <type_traits>

namespace cuegrid
{

/** A bounded, wait-free single-producer / single-consumer queue of trivially copyable items.

    Built on juce::AbstractFifo (JUCE's lock-free index bookkeeping) over a fixed array, so
    neither push nor pop ever allocates, locks or throws: safe on the audio thread.

    Thread contract: exactly one thread calls push() (the producer) and exactly one thread
    calls pop() (the consumer). Which threads those are is written beside each instance.
*/
template <typename Item, int capacity>
class SpscFifo
{
    static_assert (std::is_trivially_copyable_v<Item>, "FIFO items must be POD-like");

public:
    /** Producer thread only. Returns false (and copies nothing) when the queue is full. */
    bool push (const Item& item) noexcept
    {
        const auto scope = fifo.write (1);
        if (scope.blockSize1 + scope.blockSize2 != 1)
            return false;
        storage[(size_t) (scope.blockSize1 == 1 ? scope.startIndex1 : scope.startIndex2)] = item;
        return true;
    }

    /** Consumer thread only. Returns false when the queue is empty. */
    bool pop (Item& item) noexcept
    {
        const auto scope = fifo.read (1);
        if (scope.blockSize1 + scope.blockSize2 != 1)
            return false;
        item = storage[(size_t) (scope.blockSize1 == 1 ? scope.startIndex1 : scope.startIndex2)];
        return true;
    }

    /** Either thread; a snapshot that may be stale by the time it is used. */
    int getNumReady() const noexcept { return fifo.getNumReady(); }
    int getFreeSpace() const noexcept { return fifo.getFreeSpace(); }

private:
    // AbstractFifo keeps one slot empty to tell full from empty, hence capacity + 1.
    juce::AbstractFifo fifo { capacity + 1 };
    std::array<Item, (size_t) capacity + 1> storage {};
};

} // namespace cuegrid
