// CueGrid — GPL-3.0-or-later
// What `cuegrid render --ltc` and `cuegrid play` add for the show's timecode (issue 12): the LTC
// file read as the engine's input, and the event-log lines of what the timecode did.
#pragma once

#include "Session/TimecodeEventLog.h"   // the timecode lines, shared with the app

#include <string>
#include <vector>

namespace cuegrid::cli
{

/** Channel `channel` (1-based) of the audio file `path`, which must be at `sampleRate` Hz (the
    session's: the LTC is fed sample for sample, not resampled). Throws InputError naming the file. */
std::vector<float> readLtcChannel (const std::string& path, int channel, double sampleRate);

} // namespace cuegrid::cli
