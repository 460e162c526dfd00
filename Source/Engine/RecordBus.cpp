// CueGrid — GPL-3.0-or-later
#include "RecordBus.h"

#include <algorithm>
#include <cmath>
#include <thread>

namespace cuegrid
{

bool RecordBus::beginReading() noexcept
{
    reading.store (true);
    if (! preparing.load())
        return true;
    reading.store (false);
    return false;
}

void RecordBus::prepare (int newRingFrames)
{
    preparing.store (true);
    while (reading.load())
        std::this_thread::yield();   // the writer's drain of one bus: milliseconds at most
    ringFrames = std::max (1, newRingFrames);
    ring.setTotalSize (ringFrames + 1);   // AbstractFifo keeps one slot empty
    storage.assign ((size_t) (ringFrames + 1) * 2, 0.0f);
    RecordMarker marker;
    while (markers.pop (marker)) {}
    recording = false;
    pushed = takeStart = takeLength = pendingLoss = pendingLossAt = 0;
    peakLeft.store (0.0f);
    peakRight.store (0.0f);
    takeFrames.store (0);
    lostTotal.store (0);
    recordingFlag.store (false);
    generation.fetch_add (1);
    preparing.store (false);
}

bool RecordBus::pushMarker (RecordMarker::Type type, int64_t engineTime, int64_t length) noexcept
{
    RecordMarker marker;
    marker.type = type;
    marker.position = pushed;
    marker.engineTime = engineTime;
    marker.length = length;
    return markers.push (marker);
}

bool RecordBus::start (int64_t time) noexcept
{
    // Room for the start, the stop, and one gap: a stop always finds a slot.
    if (recording || markers.getFreeSpace() < 3)
        return false;
    takeStart = time;
    takeLength = 0;
    pendingLoss = 0;
    pushMarker (RecordMarker::Type::start, time, 0);
    recording = true;
    recordingFlag.store (true, std::memory_order_relaxed);
    takeFrames.store (0, std::memory_order_relaxed);
    return true;
}

bool RecordBus::stop (int64_t time, int64_t& length, int64_t& lostAt, int64_t& lostFrames) noexcept
{
    lostFrames = 0;
    if (! recording)
        return false;
    // A loss still open at the end needs no gap marker: the writer pads the take to its length.
    lostAt = pendingLossAt;
    lostFrames = pendingLoss;
    pendingLoss = 0;
    length = takeLength;
    pushMarker (RecordMarker::Type::stop, time, takeLength);
    recording = false;
    recordingFlag.store (false, std::memory_order_relaxed);
    return true;
}

bool RecordBus::closeGap() noexcept
{
    // Keep a slot for the stop marker.
    if (markers.getFreeSpace() < 2 || ring.getFreeSpace() == 0)
        return false;
    return pushMarker (RecordMarker::Type::gap, pendingLossAt, pendingLoss);
}

void RecordBus::capture (const float* left, const float* right, int numFrames, int64_t time,
                         int64_t& lostAt, int64_t& lostFrames) noexcept
{
    lostFrames = 0;
    if (! recording || numFrames <= 0)
        return;

    int fitted = 0;
    if (pendingLoss == 0 || closeGap())
    {
        if (pendingLoss > 0)
        {
            lostAt = pendingLossAt;
            lostFrames = pendingLoss;
            pendingLoss = 0;
        }
        const auto scope = ring.write (numFrames);
        auto copy = [&] (int start, int count, int from)
        {
            float* out = storage.data() + 2 * (size_t) start;
            for (int i = 0; i < count; ++i)
            {
                out[2 * i] = left != nullptr ? left[from + i] : 0.0f;
                out[2 * i + 1] = right != nullptr ? right[from + i] : 0.0f;
            }
        };
        copy (scope.startIndex1, scope.blockSize1, 0);
        copy (scope.startIndex2, scope.blockSize2, scope.blockSize1);
        fitted = scope.blockSize1 + scope.blockSize2;
        pushed += fitted;
    }
    if (fitted < numFrames)
    {
        if (pendingLoss == 0)
            pendingLossAt = time + fitted;
        pendingLoss += numFrames - fitted;
        lostTotal.fetch_add (numFrames - fitted, std::memory_order_relaxed);
    }
    takeLength += numFrames;
    takeFrames.store (takeLength, std::memory_order_relaxed);
}

void RecordBus::measure (const float* left, const float* right, int numFrames) noexcept
{
    auto peakOf = [numFrames] (const float* samples)
    {
        float peak = 0.0f;
        if (samples != nullptr)
            for (int i = 0; i < numFrames; ++i)
                peak = std::max (peak, std::abs (samples[i]));
        return peak;
    };
    // Not a read-modify-write: a reset by takePeak() racing with this store may be lost, which
    // only shows one peak twice.
    const auto l = peakOf (left), r = peakOf (right);
    if (l > peakLeft.load (std::memory_order_relaxed)) peakLeft.store (l, std::memory_order_relaxed);
    if (r > peakRight.load (std::memory_order_relaxed)) peakRight.store (r, std::memory_order_relaxed);
}

int RecordBus::readFrames (float* destination, int numFrames) noexcept
{
    const auto scope = ring.read (numFrames);
    std::copy_n (storage.data() + 2 * (size_t) scope.startIndex1, 2 * (size_t) scope.blockSize1, destination);
    std::copy_n (storage.data() + 2 * (size_t) scope.startIndex2, 2 * (size_t) scope.blockSize2,
                 destination + 2 * (size_t) scope.blockSize1);
    return scope.blockSize1 + scope.blockSize2;
}

std::array<float, 2> RecordBus::takePeak() noexcept
{
    return { peakLeft.exchange (0.0f, std::memory_order_relaxed), peakRight.exchange (0.0f, std::memory_order_relaxed) };
}

} // namespace cuegrid
