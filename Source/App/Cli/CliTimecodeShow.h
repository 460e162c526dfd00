// CueGrid — GPL-3.0-or-later
// What `cuegrid render --ltc` and `cuegrid play` add for the show's timecode (issue 12): the LTC
// file read as the engine's input, and the event-log lines of what the timecode did.
#pragma once

#include "Engine/EngineTimecode.h"
#include "Session/SessionModel.h"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace cuegrid::cli
{

/** Channel `channel` (1-based) of the audio file `path`, which must be at `sampleRate` Hz (the
    session's: the LTC is fed sample for sample, not resampled). Throws InputError naming the file. */
std::vector<float> readLtcChannel (const std::string& path, int channel, double sampleRate);

/** The event-log lines of the timecode: one per fire ("timecodeTrigger", "timecodeChase",
    "timecodeChaseStop", with "source": "timecode", the clip, the sample and the master timecode),
    and "source": "timecode" on the voiceStart lines those fires caused. Control thread. */
class TimecodeEventLog
{
public:
    TimecodeEventLog (const Session& theSession, double sampleRate) : session (theSession), rate (sampleRate) {}

    /** The fires the engine reported since the last call, as lines. Call before handling the
        engine's events of the same blocks. */
    std::vector<nlohmann::ordered_json> drain (EngineTimecode& timecode);

    /** Adds "source": "timecode" when `line` is the voiceStart of a clip a fire started. */
    void annotate (const EngineEvent& event, nlohmann::ordered_json& line);

    /** A "timecodeMaster" line (the master at its last block start: sample, masterSec, timecode,
        state, source, speed) when its state or source changed, or every 0.25 s of audio; else null. */
    nlohmann::ordered_json masterLine (EngineTimecode& timecode);

private:
    const Session& session;
    double rate;
    std::vector<std::pair<int32_t, int64_t>> starts;   // (clip slot, sample) of fires whose voiceStart is to come
    int64_t lastMasterSample = -1;
    int lastMasterState = -1, lastMasterSource = -2;
};

} // namespace cuegrid::cli
