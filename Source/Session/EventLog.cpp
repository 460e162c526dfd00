// CueGrid — GPL-3.0-or-later
#include "EventLog.h"

#include "Errors.h"

#include <cerrno>
#include <cstring>

namespace cuegrid
{

namespace
{
    const char* reasonName (VoiceEndReason reason)
    {
        switch (reason)
        {
            case VoiceEndReason::finished: return "finished";
            case VoiceEndReason::stopped: return "stopped";
            case VoiceEndReason::retriggered: return "retriggered";
            case VoiceEndReason::stolen: return "stolen";
            case VoiceEndReason::cut: return "cut";
        }
        return "unknown";
    }

    nlohmann::ordered_json clipName (const Session& session, int slot)
    {
        if (slot >= 0 && (size_t) slot < session.clips.size())
            return session.clips[(size_t) slot].id;
        return nullptr;
    }

    nlohmann::ordered_json groupName (int group)
    {
        if (group == auditionGroup) return "Audition";
        if (group >= 0 && group < groupCount) return std::string (1, groupLetter (group));
        return nullptr;
    }
} // namespace

nlohmann::ordered_json describeEvent (const EngineEvent& event, const Session& session, double sampleRate)
{
    nlohmann::ordered_json line;
    auto header = [&] (const char* name)
    {
        line["event"] = name;
        line["sample"] = event.sampleTime;
        line["timeSec"] = (double) event.sampleTime / sampleRate;
    };
    switch (event.type)
    {
        case EngineEvent::Type::voiceStarted:
            header ("voiceStart");
            line["clip"] = clipName (session, event.clipSlot);
            line["group"] = groupName (event.group);
            line["voice"] = event.voice;
            line["lengthFrames"] = event.length;
            break;
        case EngineEvent::Type::voiceEnded:
            header ("voiceEnd");
            line["clip"] = clipName (session, event.clipSlot);
            line["group"] = groupName (event.group);
            line["voice"] = event.voice;
            line["reason"] = reasonName (event.reason);
            line["playedFrames"] = event.length;
            break;
        case EngineEvent::Type::commandLate:
            header ("commandLate");
            line["clip"] = clipName (session, event.clipSlot);
            line["lateBySamples"] = event.lateBy;
            break;
        case EngineEvent::Type::triggerRejected:
            header ("triggerRejected");
            line["clip"] = clipName (session, event.clipSlot);
            break;
        case EngineEvent::Type::overload:
            header ("overload");
            line["callbackMicroseconds"] = event.lateBy;
            break;
        case EngineEvent::Type::meter:
            return nullptr;
    }
    return line;
}

nlohmann::ordered_json describeXrun (int count, int64_t sampleTime, double sampleRate)
{
    nlohmann::ordered_json line;
    line["event"] = "xrun";
    line["sample"] = sampleTime;
    line["timeSec"] = (double) sampleTime / sampleRate;
    line["count"] = count;
    return line;
}

EventLogWriter::EventLogWriter (const std::string& filePath) : path (filePath)
{
    file = std::fopen (path.c_str(), "w");
    if (file == nullptr)
        throw OutputError (path + ": cannot create event log: " + std::strerror (errno));
}

EventLogWriter::~EventLogWriter()
{
    if (file != nullptr)
        std::fclose (file);
}

void EventLogWriter::write (const nlohmann::ordered_json& line)
{
    const auto text = line.dump() + "\n";
    if (std::fwrite (text.data(), 1, text.size(), file) != text.size() || std::fflush (file) != 0)
        throw OutputError (path + ": write failed: " + std::strerror (errno));
}

} // namespace cuegrid
