// CueGrid — GPL-3.0-or-later
#pragma once

#include "SpscFifo.h"

#include <juce_core/juce_core.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

namespace cuegrid
{

/** Number of record buses (Record A and Record B). */
inline constexpr int recordBusCount = 2;

/** What the writer must know besides the frames of a record bus, in stream order. `position`
    counts the frames pushed into the bus's ring since prepare() (across takes): the marker
    applies before the frame with that index. */
struct RecordMarker
{
    enum class Type : uint8_t
    {
        start,  // a take begins: frames from `position` on belong to it; engineTime = its first sample
        gap,    // `length` frames were lost (the ring was full) before frame `position`; engineTime = the first lost sample
        stop    // the take ends before frame `position`; length = the take's frames, lost ones included
    };
    Type type = Type::start;
    int64_t position = 0;
    int64_t engineTime = 0;
    int64_t length = 0;
};

/** One stereo record bus on the audio thread: copies two input channels into a preallocated
    wait-free ring (SPSC, interleaved float frames) while a take runs, and measures the input's
    peaks whether it records or not.

    When the ring is full (the writer fell behind), the frames that do not fit are counted, not
    waited for: the audio thread never blocks. The lost stretch becomes a gap marker (where,
    how long) as soon as the ring has room again or the take stops, so the writer puts silence
    exactly there and the take's length still matches the time it ran.

    Threads:
    - prepare(): the control thread while the audio thread is stopped.
    - start(), stop(), capture(), the peak measurement: the audio thread (the ring's producer).
    - readFrames(), popMarker(): the writer thread (the ring's consumer).
    - takePeak(), getTakeFrames(), isRecording(): any thread (atomics).
*/
class RecordBus
{
public:
    static constexpr int markerCapacity = 1024;

    /** Allocates a ring of `ringFrames` stereo frames and resets everything (no take runs).
        Waits for a writer that is reading (beginReading … endReading) to finish, and bumps
        getGeneration() so the writer knows its takes ended. Not on the audio thread. */
    void prepare (int ringFrames);

    /** Audio thread. Begins a take at engine time `time`; false when one runs already or
        the marker queue is nearly full (the writer is stalled). */
    bool start (int64_t time) noexcept;

    /** Audio thread. Ends the take at engine time `time`; false when no take runs. Returns
        the take's frames (lost ones included) in `length`, and a loss still open at the end
        through lostAt / lostFrames (the writer pads the take to `length` with silence). */
    bool stop (int64_t time, int64_t& length, int64_t& lostAt, int64_t& lostFrames) noexcept;

    /** Audio thread. While a take runs, appends numFrames frames of left/right (either may
        be nullptr: silence) taken at engine time `time`. Frames that do not fit the ring are
        lost and counted. Returns, when a gap was closed by this call (the ring had room
        again), its start time and length through lostAt / lostFrames (else lostFrames = 0). */
    void capture (const float* left, const float* right, int numFrames, int64_t time,
                  int64_t& lostAt, int64_t& lostFrames) noexcept;

    /** Audio thread. Measures the input's sample peak (both channels) into the meter. */
    void measure (const float* left, const float* right, int numFrames) noexcept;

    /** Audio thread. Engine time of the running (or last) take's first sample. */
    int64_t getTakeStart() const noexcept { return takeStart; }

    /** Audio thread. The gap being counted, closed at the next capture with room or at stop. */
    int64_t getPendingLoss() const noexcept { return pendingLoss; }

    // --- the writer thread -----------------------------------------------------------------
    /** Brackets the writer's use of the ring: false (read nothing) while prepare() runs. */
    bool beginReading() noexcept;
    void endReading() noexcept { reading.store (false); }
    /** Changes at each prepare(): the ring and markers start again from position 0. */
    int getGeneration() const noexcept { return generation.load(); }
    /** Frames ready to read now (a snapshot). */
    int getFramesReady() const noexcept { return ring.getNumReady(); }
    /** Reads up to numFrames interleaved stereo frames into `destination`; returns how many. */
    int readFrames (float* destination, int numFrames) noexcept;
    bool popMarker (RecordMarker& marker) noexcept { return markers.pop (marker); }

    // --- any thread ------------------------------------------------------------------------
    /** The highest input peak (linear, L and R) since the last call. */
    std::array<float, 2> takePeak() noexcept;
    /** Frames of the running take (lost ones included), or of the last one. */
    int64_t getTakeFrames() const noexcept { return takeFrames.load (std::memory_order_relaxed); }
    bool isRecording() const noexcept { return recordingFlag.load (std::memory_order_relaxed); }
    /** Frames lost since prepare(). */
    int64_t getLostFrames() const noexcept { return lostTotal.load (std::memory_order_relaxed); }
    int getRingFrames() const noexcept { return ringFrames; }

private:
    bool pushMarker (RecordMarker::Type type, int64_t engineTime, int64_t length) noexcept;
    bool closeGap() noexcept;

    // Ring of interleaved stereo frames. Producer: the audio thread; consumer: the writer.
    juce::AbstractFifo ring { 2 };
    std::vector<float> storage;
    int ringFrames = 1;

    // Producer: the audio thread; consumer: the writer.
    SpscFifo<RecordMarker, markerCapacity> markers;

    // Audio thread only (after prepare()).
    bool recording = false;
    int64_t pushed = 0;          // frames pushed into the ring since prepare()
    int64_t takeStart = 0;       // engine time of the take's first sample
    int64_t takeLength = 0;      // frames of the take so far (lost ones included)
    int64_t pendingLoss = 0;     // frames lost since the last gap marker
    int64_t pendingLossAt = 0;   // engine time of the first of them

    // Written by the audio thread; read (and the peaks reset) by any thread.
    std::atomic<float> peakLeft { 0.0f }, peakRight { 0.0f };
    std::atomic<int64_t> takeFrames { 0 };
    std::atomic<int64_t> lostTotal { 0 };
    std::atomic<bool> recordingFlag { false };

    // prepare() against the writer (both sequentially consistent: each sets its own flag, then
    // checks the other's). Written by prepare()'s thread / the writer thread.
    std::atomic<bool> preparing { false }, reading { false };
    std::atomic<int> generation { 0 };
};

} // namespace cuegrid
