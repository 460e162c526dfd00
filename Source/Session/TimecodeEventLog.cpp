// CueGrid — GPL-3.0-or-later
#include "TimecodeEventLog.h"

#include "Clock/ClockSource.h"

#include <algorithm>
#include <cmath>

namespace cuegrid
{

std::vector<nlohmann::ordered_json> TimecodeEventLog::drain (EngineTimecode& timecode)
{
    std::vector<nlohmann::ordered_json> lines;
    TimecodeFire fire;
    while (timecode.popFire (fire))
    {
        nlohmann::ordered_json line;
        line["event"] = fire.kind == TimecodeFire::Kind::trigger ? "timecodeTrigger"
                        : fire.kind == TimecodeFire::Kind::chase ? "timecodeChase"
                                                                 : "timecodeChaseStop";
        line["sample"] = fire.sample;
        line["timeSec"] = (double) fire.sample / rate;
        line["source"] = "timecode";
        const auto valid = fire.clipSlot >= 0 && (size_t) fire.clipSlot < session.clips.size();
        const auto id = clipNames ? clipNames (fire.clipSlot) : valid ? session.clips[(size_t) fire.clipSlot].id : std::string();
        line["clip"] = id.empty() ? nlohmann::ordered_json (nullptr) : nlohmann::ordered_json (id);
        const auto fps = session.timecode.fps;
        const auto frames = (int64_t) std::floor (fire.masterSeconds * framesPerSecond (fps) + 1.0e-6);
        line["timecode"] = Timecode::fromFrameNumber (frames, fps).toString();
        line["masterSec"] = fire.masterSeconds;
        if (fire.kind == TimecodeFire::Kind::chase)
        {
            line["offsetSec"] = fire.offsetSeconds;
            line["afterJump"] = fire.afterJump;
        }
        if (fire.kind != TimecodeFire::Kind::chaseStop)
            starts.emplace_back (fire.clipSlot, fire.sample);
        lines.push_back (std::move (line));
    }
    return lines;
}

nlohmann::ordered_json TimecodeEventLog::masterLine (EngineTimecode& timecode)
{
    const auto master = timecode.getManager().getMaster();
    const auto changed = (int) master.state != lastMasterState || master.activeSource != lastMasterSource;
    if (! changed && (lastMasterSample >= 0 && master.sample - lastMasterSample < (int64_t) (0.25 * rate)))
        return nullptr;
    lastMasterSample = master.sample;
    lastMasterState = (int) master.state;
    lastMasterSource = master.activeSource;
    nlohmann::ordered_json line;
    line["event"] = "timecodeMaster";
    line["sample"] = master.sample;
    line["timeSec"] = (double) master.sample / rate;
    line["masterSec"] = master.seconds;
    const auto fps = session.timecode.fps;
    line["timecode"] = Timecode::fromFrameNumber ((int64_t) std::floor (master.seconds * framesPerSecond (fps) + 1.0e-6), fps).toString();
    line["state"] = masterStateName (master.state);
    line["source"] = clockSourceKindName (master.activeKind);
    line["speed"] = master.speed;
    return line;
}

void TimecodeEventLog::annotate (const EngineEvent& event, nlohmann::ordered_json& line)
{
    if (event.type != EngineEvent::Type::voiceStarted)
        return;
    const auto found = std::find (starts.begin(), starts.end(), std::make_pair (event.clipSlot, event.sampleTime));
    if (found == starts.end())
        return;
    starts.erase (found);
    line["source"] = "timecode";
}

} // namespace cuegrid
