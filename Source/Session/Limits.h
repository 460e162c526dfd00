// CueGrid — GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>

/** Every size and range CueGrid accepts from a file or a command line, in one place, so that
    nothing a file declares is allocated or looped over before it is checked against these.
    docs/limits.md gives each one with its reason; keep the two in step. */
namespace cuegrid::limits
{

// --- Audio ------------------------------------------------------------------------------
/** Session, device and media sample rates, Hz. Below 8 kHz is no show audio; 384 kHz is the
    highest rate interfaces and libsndfile's formats carry. A resampling ratio therefore
    stays within 1/48 … 48. */
inline constexpr double minSampleRate = 8000.0;
inline constexpr double maxSampleRate = 384000.0;

/** Channels a media file may declare (libsndfile's own SF_MAX_CHANNELS). CueGrid keeps the
    first two; the rest are read block by block and dropped. */
inline constexpr int maxMediaChannels = 1024;

/** Longest media file CueGrid decodes, in seconds at the session rate: 3 hours, a whole
    show-length bed. Clips are decoded into RAM (2 channels × 4 bytes × frames), so this
    caps one clip at about 4.1 GiB at 48 kHz. */
inline constexpr double maxMediaSeconds = 3.0 * 3600.0;

/** Decoded media a session may hold in RAM, as a fraction of the machine's physical memory;
    a clip that would pass it fails with a clear error and the rest of the show loads. */
inline constexpr double maxMediaMemoryFraction = 0.5;

// --- Session manifest and show scripts ---------------------------------------------------
/** Size of a JSON file (manifest, script) read whole into memory. 10^6 script commands
    take about 60 MB. */
inline constexpr std::uintmax_t maxJsonFileBytes = 256u * 1024u * 1024u;

/** Nesting of arrays and objects in a JSON file. A manifest needs 6, a script 3; the rest is
    headroom. Deeper files are refused before parsing (their path bookkeeping grows with the
    square of the depth). */
inline constexpr int maxJsonDepth = 64;

/** Clips in one session (each is an engine clip slot). */
inline constexpr size_t maxClips = 100000;

/** Pages in one session (8 tabs of at most 16 × 16 slots each). */
inline constexpr size_t maxPages = 1000;

/** Commands in one show script. */
inline constexpr size_t maxScriptCommands = 1000000;

/** Longest show: a script's durationSec + tailSec, and any command time, in seconds (24 h). */
inline constexpr double maxShowSeconds = 24.0 * 3600.0;

/** A show script's tempo (its bpm, a tempo ramp's or a scene's), beats per minute. */
inline constexpr double minBpm = 60.0;
inline constexpr double maxBpm = 300.0;

/** Highest bar a script addresses (bar, tempoRamps' fromBar/toBar). */
inline constexpr int maxBars = 100000;

/** A show script's prerollSec (as play's --preroll), seconds. */
inline constexpr double maxPrerollSeconds = 60.0;

/** Longest gain ramp (SetParam rampMs), ms: one hour. */
inline constexpr double maxRampMs = 3600.0 * 1000.0;

/** Clip, group and master gains, dB. */
inline constexpr double minGainDb = -144.0;
inline constexpr double maxGainDb = 24.0;

// --- Playback (manifest version 2, show scripts) -----------------------------------------
/** User fades (a clip's fadeInMs / fadeOutMs, fadeDefaults, a Stop's, FadeGroup's or
    FadeAll's fadeMs), ms: 3 s, the longest fade an operator sets per cue. */
inline constexpr double maxFadeMs = 3000.0;

/** A clip's edge fade and loop crossfade, ms: short enough to keep the region's start
    sample-accurate, long enough (12 samples at 48 kHz at the least) to avoid a click. */
inline constexpr double minEdgeFadeMs = 0.25;
inline constexpr double maxEdgeFadeMs = 10.0;

/** Plays of a loop region (`loop.count`); 0 means until stopped. Keeps the count in 32 bits. */
inline constexpr int maxLoopCount = 1000000;

/** Voices a choke group keeps (`chokeLimit`); 0 is free mode. */
inline constexpr int maxChokeLimit = 3;

/** Device output channels a routing may name, 1-based (OutputRouting::maxChannels). */
inline constexpr int maxOutputChannels = 64;

/** The master limiter's ceiling, dBFS sample peak. */
inline constexpr double minLimiterCeilingDb = -60.0;
inline constexpr double maxLimiterCeilingDb = 0.0;

} // namespace cuegrid::limits
