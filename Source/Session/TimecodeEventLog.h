// CueGrid — GPL-3.0-or-later
// The event-log lines of what the show's timecode did (issue 12): `cuegrid play`, `cuegrid render
// --ltc` and the app (ShowController) write the same ones. docs/clock.md, "Event log".
#pragma once

#include "Engine/EngineTimecode.h"
#include "Session/SessionModel.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace cuegrid
{

/** The event-log lines of the timecode: one per fire ("timecodeTrigger", "timecodeChase",
    "timecodeChaseStop", with "source": "timecode", the clip, the sample and the master timecode),
    and "source": "timecode" on the voiceStart lines those fires caused. Control thread. */
class TimecodeEventLog
{
public:
    /** `clipOfSlot`: the clip id in an engine clip slot; none: slot = clip index (the CLI's). */
    TimecodeEventLog (const Session& theSession, double sampleRate, std::function<std::string (int32_t)> clipOfSlot = {})
        : session (theSession), rate (sampleRate), clipNames (std::move (clipOfSlot)) {}

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
    std::function<std::string (int32_t)> clipNames;
    std::vector<std::pair<int32_t, int64_t>> starts;   // (clip slot, sample) of fires whose voiceStart is to come
    int64_t lastMasterSample = -1;
    int lastMasterState = -1, lastMasterSource = -2;
};

} // namespace cuegrid
