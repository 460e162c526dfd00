// CueGrid — GPL-3.0-or-later
#pragma once

#include "EngineMessages.h"

#include <algorithm>
#include <array>

namespace cuegrid
{

/** The audio thread's queue of commands waiting for their sample time: a binary min-heap on
    a fixed array (no allocation), ordered by (sampleTime, rank, sequence).

    At the same sample, parameter changes come before stops, stops before starts (session
    timeline design: "SetParams before Triggers"), and otherwise the order they were posted.
    Audio thread only.
*/
template <int capacity>
class CommandScheduler
{
public:
    bool push (const EngineCommand& command) noexcept
    {
        if (count == capacity)
            return false;
        heap[(size_t) count++] = command;
        std::push_heap (heap.begin(), heap.begin() + count, laterFirst);
        return true;
    }

    bool isEmpty() const noexcept { return count == 0; }
    const EngineCommand& next() const noexcept { return heap.front(); }

    EngineCommand pop() noexcept
    {
        std::pop_heap (heap.begin(), heap.begin() + count, laterFirst);
        return heap[(size_t) --count];
    }

    int size() const noexcept { return count; }

    /** Removes every queued command for which `shouldRemove` is true, calling `onRemoved` for
        each, and returns how many went. In place, no allocation. */
    template <typename Predicate, typename Callback>
    int removeIf (Predicate&& shouldRemove, Callback&& onRemoved) noexcept
    {
        int kept = 0;
        for (int i = 0; i < count; ++i)
        {
            if (shouldRemove (heap[(size_t) i]))
                onRemoved (heap[(size_t) i]);
            else
                heap[(size_t) kept++] = heap[(size_t) i];
        }
        const auto removed = count - kept;
        count = kept;
        std::make_heap (heap.begin(), heap.begin() + count, laterFirst);
        return removed;
    }

    /** Order at one sample: parameters, then stops/fades/pauses/panic, then triggers, and the
        Audition last (the lowest priority). */
    static int rank (EngineCommand::Type type) noexcept
    {
        using T = EngineCommand::Type;
        switch (type)
        {
            case T::setClipGain: case T::setGroupGain: case T::setGroupMute: case T::setMasterGain:
            case T::setClipGains: case T::setAuditionGain: case T::setClipPan: case T::setRouting:
            case T::setChokeLimit: case T::setLimiter: case T::setRecordInputs: case T::setTimecodeTriggers:
                return 0;
            case T::stop: case T::stopGroup: case T::stopAll: case T::stopAudition: case T::fadeGroup:
            case T::fadeAll: case T::pause: case T::resume: case T::togglePause: case T::pauseAll:
            case T::resumeAll: case T::panic: case T::recordStop:
                return 1;
            case T::trigger:
                return 2;
            case T::audition: case T::recordStart:
                return 3;
        }
        return 4;
    }

private:
    static bool laterFirst (const EngineCommand& a, const EngineCommand& b) noexcept
    {
        if (a.sampleTime != b.sampleTime) return a.sampleTime > b.sampleTime;
        const auto rankA = rank (a.type), rankB = rank (b.type);
        if (rankA != rankB) return rankA > rankB;
        return a.sequence > b.sequence;
    }

    std::array<EngineCommand, (size_t) capacity> heap {};
    int count = 0;
};

} // namespace cuegrid
