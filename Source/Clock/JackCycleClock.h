// CueGrid — GPL-3.0-or-later
// JACK's frame counter for the engine: CueGrid's JACK MIDI client lends it, so the engine (a
// client of the same server, through JUCE) can pair its block start with the JACK frame of its
// cycle and JACK MIDI events map to engine samples by frames alone.
// docs/clock.md, "MTC from every MIDI input" (JACK MIDI timestamps).
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>

namespace cuegrid
{

/** Where the current JACK cycle starts on JACK's frame counter (jack_last_frame_time), for a
    thread that runs in a JACK cycle but has no jack_client_t of its own: the engine's audio
    thread inside JUCE's JACK callback. JACK2 keeps the frame timer per server, not per client
    (jack_last_frame_time reads the server's shared engine control), so any client of the server
    in this process can answer for every other.

    Why frames and not times: JACK's cycle times (jack_get_cycle_times, jack_frames_to_time) are
    a DLL over the server's wake-ups, which on a loaded or non-realtime server is not linear in
    frames over a few cycles (measured on the dummy server: MTC mapped through them wobbled by
    milliseconds, 0.94x-1.04x), and JACK2's clock is CLOCK_MONOTONIC_RAW (Debian 12's 1.9.21:
    jack_get_time matched it to 2 us, 250 ms off CLOCK_MONOTONIC here). Frames are exact.

    Process-wide, one lender at a time. attach/detach: the lender's thread (the message thread
    opening and closing the JACK MIDI client); detach waits until no reader is inside the lent
    function. lastFrame: any thread, lock-free (an atomic count of readers, no wait). */
class JackCycleClock
{
public:
    /** Returns the current cycle's first frame; `context` is the lender's (its jack_client_t). */
    using FrameFunction = uint32_t (*) (void* context) noexcept;

    /** The lender's thread: `function (context)` answers from now on, unless another lender
        does; true if this one is lent now. */
    static bool attach (FrameFunction function, void* context) noexcept
    {
        void* expected = nullptr;
        if (! state().context.compare_exchange_strong (expected, context))
            return expected == context;
        state().function.store (function);
        return true;
    }

    /** The lender's thread, before its client closes: no reader calls `context`'s function once
        this returns (it waits, yielding, for a reader inside it: a few microseconds). */
    static void detach (void* context) noexcept
    {
        auto& s = state();
        void* expected = context;
        if (! s.context.compare_exchange_strong (expected, nullptr))
            return;
        while (s.readers.load() != 0)
            std::this_thread::yield();
        s.function.store (nullptr);
    }

    /** Any thread (the engine's audio thread at its block start): the current JACK cycle's
        first frame into `frame`; false when no JACK client lends its counter. */
    static bool lastFrame (uint32_t& frame) noexcept
    {
        auto& s = state();
        s.readers.fetch_add (1);
        auto* context = s.context.load();
        const auto function = s.function.load();
        const auto lent = context != nullptr && function != nullptr;
        if (lent)
            frame = function (context);
        s.readers.fetch_sub (1);
        return lent;
    }

private:
    struct State
    {
        std::atomic<void*> context { nullptr };             // writer: the lender's thread; readers: any
        std::atomic<FrameFunction> function { nullptr };    // likewise
        std::atomic<int> readers { 0 };                     // readers inside lastFrame (any thread)
    };
    static State& state() noexcept
    {
        static State s;   // constant-initialised: no guard, no allocation
        return s;
    }
};

/** One JACK client's cycle frames, read with jack_last_frame_time at each callback, made
    robust against late callbacks: on a loaded server (the non-realtime dummy server, an
    asynchronous JACK2) a callback can run after the server began the next cycle and read that
    cycle's frame, one period ahead of the data it processes. A client's callbacks each take one
    period, so the frame is the previous one + its length; a read that differs is believed only
    when it keeps differing by the same amount (8 callbacks: the server skipped cycles, an xrun,
    or the first read was late). One thread (the client's callback). No allocation. */
struct JackFrameTracker
{
    /** `read`: jack_last_frame_time now; `frames`: this callback's length. The cycle's first frame. */
    uint32_t next (uint32_t read, uint32_t frames) noexcept
    {
        if (! started)
        {
            started = true;
            expected = read;
        }
        else
        {
            expected += lastLength;
            const auto difference = (int32_t) (read - expected);
            if (difference == 0)
                repeats = 0;
            else if (difference == pending && ++repeats >= 8)
            {
                expected = read;
                repeats = 0;
            }
            else if (difference != pending)
            {
                pending = difference;
                repeats = 1;
            }
        }
        lastLength = frames;
        return expected;
    }

    bool started = false;
    uint32_t expected = 0, lastLength = 0;
    int32_t pending = 0;
    int repeats = 0;
};

} // namespace cuegrid
