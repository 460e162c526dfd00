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

    static int rank (EngineCommand::Type type) noexcept
    {
        using T = EngineCommand::Type;
        switch (type)
        {
            case T::setClipGain: case T::setGroupGain: case T::setGroupMute: case T::setMasterGain:
                return 0;
            case T::stop: case T::stopGroup: case T::stopAll: case T::stopAudition:
                return 1;
            case T::trigger: case T::audition:
                return 2;
        }
        return 3;
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
