// CueGrid — GPL-3.0-or-later
// libebur128's state creation for every caller in the process: the engine's meters (at device
// start) and the analysis threads.
#pragma once

#include <ebur128.h>

#include <mutex>

namespace cuegrid
{

/** libebur128 (1.2.6) measures at most this many channels: ebur128_init refuses more. */
constexpr unsigned ebur128MaxChannels = 64;

/** ebur128_init under one process-wide lock: it (re)writes library-wide constants (the same
    values every time), so two threads creating states at once would race on them (the engine's
    BusMeters at device start while the analysis runs). Any thread but the audio thread (it
    locks and allocates). Returns nullptr when libebur128 refuses (no memory, more than
    ebur128MaxChannels channels, a rate it does not take). */
inline ebur128_state* createEbur128State (unsigned channels, unsigned long sampleRate, int mode)
{
    static std::mutex libraryConstants;
    const std::lock_guard<std::mutex> lock (libraryConstants);
    return ebur128_init (channels, sampleRate, mode);
}

} // namespace cuegrid
