// CueGrid — GPL-3.0-or-later
// The session's timecode triggers as the engine takes them (EngineTimecode::setTriggers): what
// `cuegrid render` and `cuegrid play` give the engine. docs/clock.md, "In the show".
#pragma once

#include "Engine/ClipAudio.h"
#include "Engine/EngineTimecode.h"
#include "SessionModel.h"

#include <vector>

namespace cuegrid
{

/** One trigger per clip with a `timecode` whose media is loaded (media[i] for clip i, at
    `sampleRate` Hz, the engine's; engine clip slot = clip index). Each is a trigger command with
    the clip's playback (clipPlayback, no offset) and group; lengthSeconds is how long
    it plays from cue in: the cue region and every loop pass after the first (infinite for a loop
    until stopped). The commands point into `media`: keep it alive while the engine may run them.
    Control thread. */
std::vector<TimecodeTrigger> timecodeTriggers (const Session& session, const std::vector<ClipAudioPtr>& media,
                                               double sampleRate);

} // namespace cuegrid
