// CueGrid — GPL-3.0-or-later
// What the timecode readers report, as the clock manager's observations: the glue the engine's
// LTC input and the MIDI inputs will use (issue 12; wiring them is later work).
#pragma once

#include "ClockSource.h"
#include "LtcDecoder.h"
#include "MtcAssembler.h"

#include <cmath>

namespace cuegrid
{

/** A decoded LTC frame as an observation, on the audio thread that decoded it. libltc reports a
    frame once the next one has begun: the next frame starts at endSample + 1 (Ardour
    libs/ardour/ltc_slave.cc: "the next frame starts at off_end + 1"), so forward the position
    there is the frame's number + 1; played backwards, the frame's own start is there, so it is
    the frame's number. `inputLatencySamples` moves it back to when the signal was at the
    connector (xjadeo ltc-jack.c: monotonic_count − port_latency). */
inline ClockObservation ltcObservation (const LtcFrame& frame, int64_t inputLatencySamples) noexcept
{
    ClockObservation observation;
    observation.sample = frame.endSample + 1 - inputLatencySamples;
    observation.frames = (double) (frame.timecode.toFrameNumber() + (frame.reverse ? 0 : 1));
    observation.fps = framesPerSecond (frame.timecode.rate);
    observation.dropFrame = isDropFrame (frame.timecode.rate);
    return observation;
}

/** An MTC position as an observation, on the input's MIDI thread. `position.timestamp` must be
    CLOCK_MONOTONIC in seconds, read on arrival (SampleClock::monotonicNowNs() · 1e-9); the
    engine's published block start places it on the audio clock. A full-frame locate restarts
    the source's flywheel. */
inline ClockObservation mtcObservation (const MtcPosition& position, const SampleClock& clock) noexcept
{
    ClockObservation observation;
    observation.sample = clock.sampleAt ((int64_t) std::llround (position.timestamp * 1.0e9));
    observation.frames = position.frames();
    observation.fps = framesPerSecond (position.timecode.rate);
    observation.dropFrame = isDropFrame (position.timecode.rate);
    observation.resync = position.fullFrame;
    return observation;
}

} // namespace cuegrid
