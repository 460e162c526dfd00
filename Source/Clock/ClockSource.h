// CueGrid — GPL-3.0-or-later
// A timecode source as the clock manager sees it: observations (a position at an audio sample)
// handed lock-free from the source's own thread to the audio thread. docs/clock.md, "Clock manager".
#pragma once

#include "TimecodeDay.h"
#include "Engine/SeqLock.h"
#include "Engine/SpscFifo.h"

#include <atomic>
#include <cstdint>

namespace cuegrid
{

/** The kinds of source, in the default priority order (issue 12: LTC → MTC peers → PTP → system). */
enum class ClockSourceKind : uint8_t { ltc, mtc, ptp, system };

const char* clockSourceKindName (ClockSourceKind kind) noexcept;

/** One thing a source knows: at audio sample `sample` the timecode was `frames` frames since
    00:00:00:00 at `fps` real frames a second (drop-frame labels counted as the frames they are,
    as Timecode::toFrameNumber does, so frames / fps is seconds). Plain data. */
struct ClockObservation
{
    int64_t sample = 0;        // the engine's audio sample time (fractions dropped: one sample is 21 µs at 48 kHz)
    double frames = 0.0;       // position, timecode frames (may carry a fraction: MTC quarter frames)
    double fps = 25.0;         // real frames per second: 24, 25, 30000/1001 or 30
    bool dropFrame = false;
    bool resync = false;       // the source says "start again here" (an MTC full-frame locate, an LTC
                               // decoder reset): the flywheel forgets its line and relocks

    double seconds() const noexcept { return frames / fps; }
    /** Seconds in a timecode day at this rate: positions are modulo this (midnight wraps). */
    double daySeconds() const noexcept { return timecodeDaySeconds (fps, dropFrame); }
};

/** The engine's published pairing of audio sample time and the monotonic clock, so that a source
    stamped on another clock (MIDI arrival on CLOCK_MONOTONIC, PTP) can say which audio sample an
    event happened at.

    Writer: the audio thread, once per block (publishBlockStart, wait-free). Readers: MIDI and poll
    threads (sampleAt; a seqlock read that retries while a write is in progress). */
class SampleClock
{
public:
    struct Pair
    {
        int64_t sample = 0;          // the first sample of the block
        int64_t monotonicNs = 0;     // CLOCK_MONOTONIC when the block's callback began
        double sampleRate = 48000.0;
        int64_t jackFrame = -1;      // on JACK: the JACK frame of the block's first sample (jack_last_frame_time); −1: not on JACK
    };

    /** Audio thread, at the start of each block; `jackFrame` when the device is JACK (JackCycleClock). */
    void publishBlockStart (int64_t sample, int64_t monotonicNs, double sampleRate, int64_t jackFrame = -1) noexcept
    {
        pair.write ({ sample, monotonicNs, sampleRate, jackFrame });
    }

    /** Any thread: the audio sample time of JACK frame `frame` (a JACK MIDI event: its cycle's
        jack_last_frame_time + its offset), by frames alone: blockStart + (frame − the block's
        JACK frame), exact whichever JACK client ran first in the cycle and however late either
        woke (both read their cycle's frame through a JackFrameTracker). False when the engine
        does not run on JACK (then use sampleAt). */
    bool sampleAtJackFrame (uint32_t frame, int64_t& sample) const noexcept
    {
        const auto p = pair.read();
        if (p.jackFrame < 0)
            return false;
        sample = p.sample + (int64_t) (int32_t) (frame - (uint32_t) p.jackFrame);   // JACK's 32-bit counter wraps
        return true;
    }

    /** Any thread: as sampleAtJackFrame, but only when that lands within `maxSeconds` of
        `arrivalSample` (the message's arrival-time stamp, from sampleAt): if either client's
        frame tracking went wrong (a server skipping and delaying cycles over and over), the
        caller keeps the arrival stamp rather than placing the message far off. */
    bool sampleAtJackFrameNear (uint32_t frame, int64_t arrivalSample, double maxSeconds, int64_t& sample) const noexcept
    {
        const auto p = pair.read();
        if (p.jackFrame < 0)
            return false;
        const auto byFrames = p.sample + (int64_t) (int32_t) (frame - (uint32_t) p.jackFrame);
        const auto difference = byFrames > arrivalSample ? byFrames - arrivalSample : arrivalSample - byFrames;
        if ((double) difference > maxSeconds * p.sampleRate)
            return false;
        sample = byFrames;
        return true;
    }

    /** Any thread: the engine runs on JACK and pairs its block starts with JACK frames. */
    bool isOnJackFrames() const noexcept { return pair.read().jackFrame >= 0; }

    /** Any thread: the audio sample time of monotonic time `monotonicNs`, by the last block start
        (extrapolated at the nominal rate: the device's drift against CLOCK_MONOTONIC over one
        block is far below a sample). */
    int64_t sampleAt (int64_t monotonicNs) const noexcept;

    /** CLOCK_MONOTONIC now, ns. Any thread. */
    static int64_t monotonicNowNs() noexcept;

private:
    SeqLock<Pair> pair;   // writer: audio thread; readers: any
};

/** The hand-off from one source's thread to the clock manager on the audio thread.

    Writer: exactly one thread per source: the audio thread for LTC (decoded in the callback), the
    input's MIDI thread for each MTC peer, the PTP poll thread for PTP. It calls publish() and
    setAvailable(). Reader: ClockManager::process() on the audio thread (pops every observation).
    Nothing here allocates, locks or throws. */
class ClockSource
{
public:
    /** Source thread. False when the queue is full (1024 observations waiting: the audio thread is
        not running); the observation is dropped and counted. */
    bool publish (const ClockObservation& observation) noexcept
    {
        if (observations.push (observation))
            return true;
        overflows.fetch_add (1, std::memory_order_relaxed);
        return false;
    }

    /** Source thread: an observation stamped on CLOCK_MONOTONIC (MIDI arrival), placed on the audio
        sample clock through the engine's published block start. */
    bool publishAtMonotonic (int64_t monotonicNs, double frames, double fps, bool dropFrame, bool resync,
                             const SampleClock& clock) noexcept
    {
        return publish ({ clock.sampleAt (monotonicNs), frames, fps, dropFrame, resync });
    }

    /** Source thread: false when the source knows it has nothing (PTP without a grandmaster, a
        MIDI device unplugged). The manager treats an unavailable active source as lost at once. */
    void setAvailable (bool isAvailable) noexcept { available.store (isAvailable, std::memory_order_release); }

    // Audio thread (ClockManager) only.
    bool pop (ClockObservation& observation) noexcept { return observations.pop (observation); }
    bool isAvailable() const noexcept { return available.load (std::memory_order_acquire); }
    uint32_t getOverflows() const noexcept { return overflows.load (std::memory_order_relaxed); }

private:
    SpscFifo<ClockObservation, 1024> observations;   // producer: the source's thread; consumer: audio thread
    std::atomic<bool> available { true };            // writer: the source's thread; reader: audio thread
    std::atomic<uint32_t> overflows { 0 };           // writer: the source's thread; reader: audio thread
};

} // namespace cuegrid
