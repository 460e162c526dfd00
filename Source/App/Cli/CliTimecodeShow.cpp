// CueGrid — GPL-3.0-or-later
#include "CliTimecodeShow.h"

#include "Session/Errors.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>

namespace cuegrid::cli
{

std::vector<float> readLtcChannel (const std::string& path, int channel, double sampleRate)
{
    SF_INFO info {};
    auto* file = sf_open (path.c_str(), SFM_READ, &info);
    if (file == nullptr)
        throw InputError (path, 0, 0, std::string ("cannot read the LTC file: ") + sf_strerror (nullptr));
    struct Closer { SNDFILE* f; ~Closer() { sf_close (f); } } closer { file };
    if (channel < 1 || channel > info.channels)
        throw InputError (path, 0, 0, "--ltc-channel " + std::to_string (channel) + ": the file has "
                                          + std::to_string (info.channels) + " channel(s) (counted from 1)");
    if ((double) info.samplerate != sampleRate)
        throw InputError (path, 0, 0, "the LTC file is at " + std::to_string (info.samplerate) + " Hz, the session at "
                                          + std::to_string ((int) sampleRate) + " Hz (it is fed sample for sample, not resampled)");
    std::vector<float> interleaved ((size_t) 65536 * (size_t) info.channels);
    std::vector<float> mono;
    mono.reserve ((size_t) std::max<sf_count_t> (0, info.frames));
    for (;;)
    {
        const auto got = sf_readf_float (file, interleaved.data(), 65536);
        if (got <= 0)
            break;
        for (sf_count_t i = 0; i < got; ++i)
            mono.push_back (interleaved[(size_t) (i * info.channels + channel - 1)]);
    }
    return mono;
}

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
        line["clip"] = valid ? nlohmann::ordered_json (session.clips[(size_t) fire.clipSlot].id) : nlohmann::ordered_json (nullptr);
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

} // namespace cuegrid::cli
