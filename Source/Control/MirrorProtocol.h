// CueGrid — GPL-3.0-or-later
#pragma once

#include "Control/ShowActions.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cuegrid
{

/** What a primary tells its backup (docs/control.md "Primary/backup mirroring"). Plain data;
    encoded as OSC messages (liblo) in a TCP stream with OSC 1.0's 4-byte length prefix.

    | address | arguments |
    |---|---|
    | /cuegrid/mirror/hello | i version, h run, s session, i clips, h commands sent so far |
    | /cuegrid/mirror/heartbeat | h sequence, h run, h last command sent, d position, h nanos, d rate |
    | /cuegrid/mirror/action | h sequence, h stamp, h stamp ns, i exact, i type, s clip id, i group, d value |
    | /cuegrid/mirror/snapshot | h sample, h sample ns, then per playing clip: s clip id, h frame |

    Positions and stamps are samples on the primary's engine timeline; `nanos` and the stamps'
    ns are the primary's steady_clock (ns) at that position (its own timeline's epoch, so a
    cycle the primary lost to an xrun is accounted for). A run id is random per primary start, so a backup tells a
    reconnect of the same primary (count what it missed) from a new one. */
struct MirrorMessage
{
    static constexpr int version = 1;
    enum class Kind { hello, heartbeat, action, snapshot };

    struct PlayingClip
    {
        std::string clipId;
        int64_t frame = 0;       // the voice's next frame to read (media frames) at `sample`
    };

    Kind kind = Kind::heartbeat;
    int64_t sequence = 0;        // action: command number (1, 2, …); heartbeat: heartbeat number
    int64_t run = 0;             // hello, heartbeat
    int64_t lastCommand = 0;     // hello, heartbeat: the last command number sent (0 = none)
    double position = 0.0;       // heartbeat: the primary's timeline (samples, fractional) at `nanos`
    int64_t nanos = 0;           // heartbeat
    double sampleRate = 0.0;     // heartbeat
    int64_t stamp = 0;           // action: the primary sample it ran at; snapshot: the sample of `playing`
    int64_t stampNanos = 0;      // action, snapshot: the primary's steady_clock (ns) at `stamp`
    bool exact = true;           // action: stamp is where the engine ran it (false: estimated)
    ShowAction action;           // action: by clip id (never index or cell); group; value
    std::string session;         // hello: the show's name
    int clips = 0;               // hello: its clip count
    std::vector<PlayingClip> playing;   // snapshot
};

namespace mirror
{
    /** One message as bytes for the TCP stream: a 4-byte big-endian length, then the OSC
        message. Empty if liblo cannot encode it. Any thread. */
    std::vector<uint8_t> encode (const MirrorMessage& message);

    /** A received OSC message (liblo's handler arguments: `argv` is lo_arg**), or nullopt with
        the reason in `error` (a foreign address, wrong types, a bad action). Any thread. */
    std::optional<MirrorMessage> decode (const char* path, const char* types, void* const* argv, int argc, std::string& error);

    /** The OSC message in `bytes` (without the length prefix), for tests. */
    std::optional<MirrorMessage> decodePacket (const uint8_t* bytes, size_t size, std::string& error);

    /** Actions the backup performs; the rest (go, which the primary resolves to a fire of its
        selected clip) are not sent. */
    bool isMirrored (ShowAction::Type type) noexcept;
}

} // namespace cuegrid
