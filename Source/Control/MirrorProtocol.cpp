// CueGrid — GPL-3.0-or-later
#include "MirrorProtocol.h"
#include "LoArgs.h"

#include <lo/lo.h>

#include <cmath>
#include <cstring>
#include <memory>

namespace cuegrid
{

namespace
{
    constexpr const char* helloPath = "/cuegrid/mirror/hello";
    constexpr const char* heartbeatPath = "/cuegrid/mirror/heartbeat";
    constexpr const char* actionPath = "/cuegrid/mirror/action";
    constexpr const char* snapshotPath = "/cuegrid/mirror/snapshot";
    constexpr size_t maxIdBytes = 1024;
    constexpr int maxSnapshotClips = 64;   // more voices than the engine has (48 slots)

    using Message = std::unique_ptr<std::remove_pointer_t<lo_message>, decltype (&lo_message_free)>;

    bool typesAre (const char* types, int argc, const char* expected)
    {
        return types != nullptr && (int) std::strlen (expected) == argc && std::strcmp (types, expected) == 0;
    }

    std::string textArg (const lo_arg* arg)
    {
        const auto* text = loargs::text (arg);
        return std::string (text, strnlen (text, maxIdBytes));
    }
}

bool mirror::isMirrored (ShowAction::Type type) noexcept
{
    return type != ShowAction::Type::go;
}

std::vector<uint8_t> mirror::encode (const MirrorMessage& m)
{
    Message message (lo_message_new(), &lo_message_free);
    if (message == nullptr)
        return {};
    auto* msg = message.get();
    const char* path = nullptr;
    switch (m.kind)
    {
        case MirrorMessage::Kind::hello:
            path = helloPath;
            lo_message_add_int32 (msg, MirrorMessage::version);
            lo_message_add_int64 (msg, m.run);
            lo_message_add_string (msg, m.session.c_str());
            lo_message_add_int32 (msg, m.clips);
            lo_message_add_int64 (msg, m.lastCommand);
            break;
        case MirrorMessage::Kind::heartbeat:
            path = heartbeatPath;
            lo_message_add_int64 (msg, m.sequence);
            lo_message_add_int64 (msg, m.run);
            lo_message_add_int64 (msg, m.lastCommand);
            lo_message_add_double (msg, m.position);
            lo_message_add_int64 (msg, m.nanos);
            lo_message_add_double (msg, m.sampleRate);
            break;
        case MirrorMessage::Kind::action:
            path = actionPath;
            lo_message_add_int64 (msg, m.sequence);
            lo_message_add_int64 (msg, m.stamp);
            lo_message_add_int64 (msg, m.stampNanos);
            lo_message_add_int32 (msg, m.exact ? 1 : 0);
            lo_message_add_int32 (msg, (int32_t) m.action.type);
            lo_message_add_string (msg, m.action.clipId.c_str());
            lo_message_add_int32 (msg, m.action.group);
            lo_message_add_double (msg, m.action.value);
            break;
        case MirrorMessage::Kind::snapshot:
            path = snapshotPath;
            lo_message_add_int64 (msg, m.stamp);
            lo_message_add_int64 (msg, m.stampNanos);
            for (const auto& clip : m.playing)
            {
                lo_message_add_string (msg, clip.clipId.c_str());
                lo_message_add_int64 (msg, clip.frame);
            }
            break;
    }
    const auto length = lo_message_length (msg, path);
    std::vector<uint8_t> bytes (4 + length);
    size_t written = length;
    if (lo_message_serialise (msg, path, bytes.data() + 4, &written) == nullptr || written != length)
        return {};
    bytes[0] = (uint8_t) (length >> 24);
    bytes[1] = (uint8_t) (length >> 16);
    bytes[2] = (uint8_t) (length >> 8);
    bytes[3] = (uint8_t) length;
    return bytes;
}

std::optional<MirrorMessage> mirror::decode (const char* path, const char* types, void* const* argvRaw, int argc, std::string& error)
{
    auto* const* argv = reinterpret_cast<lo_arg* const*> (argvRaw);
    MirrorMessage m;
    const std::string address = path != nullptr ? std::string (path, strnlen (path, 256)) : std::string();
    if (address == helloPath)
    {
        if (! typesAre (types, argc, "ihsih"))
            return error = "hello: expected types ihsih", std::nullopt;
        if (loargs::int32 (argv[0]) != MirrorMessage::version)
            return error = "hello: protocol version " + std::to_string (loargs::int32 (argv[0])) + ", this backup speaks "
                           + std::to_string (MirrorMessage::version), std::nullopt;
        m.kind = MirrorMessage::Kind::hello;
        m.run = loargs::int64 (argv[1]);
        m.session = textArg (argv[2]);
        m.clips = loargs::int32 (argv[3]);
        m.lastCommand = loargs::int64 (argv[4]);
        return m;
    }
    if (address == heartbeatPath)
    {
        if (! typesAre (types, argc, "hhhdhd"))
            return error = "heartbeat: expected types hhhdhd", std::nullopt;
        m.kind = MirrorMessage::Kind::heartbeat;
        m.sequence = loargs::int64 (argv[0]);
        m.run = loargs::int64 (argv[1]);
        m.lastCommand = loargs::int64 (argv[2]);
        m.position = loargs::float64 (argv[3]);
        m.nanos = loargs::int64 (argv[4]);
        m.sampleRate = loargs::float64 (argv[5]);
        if (! std::isfinite (m.position) || ! (m.sampleRate >= 8000.0 && m.sampleRate <= 768000.0))
            return error = "heartbeat: position or rate out of range", std::nullopt;
        return m;
    }
    if (address == actionPath)
    {
        if (! typesAre (types, argc, "hhhiisid"))
            return error = "action: expected types hhhiisid", std::nullopt;
        m.kind = MirrorMessage::Kind::action;
        m.sequence = loargs::int64 (argv[0]);
        m.stamp = loargs::int64 (argv[1]);
        m.stampNanos = loargs::int64 (argv[2]);
        m.exact = loargs::int32 (argv[3]) != 0;
        const auto type = loargs::int32 (argv[4]);
        // A type this build does not know is refused by ShowActions::perform ("unknown action").
        if (type < 0 || type > 63 || ! isMirrored ((ShowAction::Type) type))
            return error = "action: unknown type " + std::to_string (type), std::nullopt;
        m.action.type = (ShowAction::Type) type;
        m.action.clipId = textArg (argv[5]);
        m.action.group = loargs::int32 (argv[6]);
        m.action.value = loargs::float64 (argv[7]);
        if (m.action.isClipAction() && m.action.clipId.empty())
            return error = "action: a clip action without a clip id", std::nullopt;
        return m;
    }
    if (address == snapshotPath)
    {
        if (types == nullptr || argc < 2 || types[0] != 'h' || types[1] != 'h' || argc % 2 != 0 || argc > 2 + 2 * maxSnapshotClips)
            return error = "snapshot: expected h h then pairs of s h", std::nullopt;
        m.kind = MirrorMessage::Kind::snapshot;
        m.stamp = loargs::int64 (argv[0]);
        m.stampNanos = loargs::int64 (argv[1]);
        for (int i = 2; i < argc; i += 2)
        {
            if (types[i] != 's' || types[i + 1] != 'h')
                return error = "snapshot: expected pairs of s h", std::nullopt;
            m.playing.push_back ({ textArg (argv[i]), loargs::int64 (argv[i + 1]) });
        }
        return m;
    }
    error = "not a mirror message: " + address.substr (0, 64);
    return std::nullopt;
}

std::optional<MirrorMessage> mirror::decodePacket (const uint8_t* bytes, size_t size, std::string& error)
{
    int result = 0;
    Message message (lo_message_deserialise (const_cast<uint8_t*> (bytes), size, &result), &lo_message_free);
    if (message == nullptr)
        return error = "not an OSC message (liblo error " + std::to_string (result) + ")", std::nullopt;
    const auto* path = lo_get_path (const_cast<uint8_t*> (bytes), (ssize_t) size);
    return decode (path, lo_message_get_types (message.get()), reinterpret_cast<void* const*> (lo_message_get_argv (message.get())),
                   lo_message_get_argc (message.get()), error);
}

} // namespace cuegrid
