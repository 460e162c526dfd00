// CueGrid — GPL-3.0-or-later
// A clip's timecode trigger as the engine tests build it (EngineTimecode::setTriggers, the live
// trigger table): one place for the engine, chase, midnight and real-time safety tests.
#pragma once

#include "Clock/Timecode.h"
#include "Engine/ClipAudio.h"
#include "Engine/EngineTimecode.h"

namespace cuegrid::test
{

/** A trigger for clip `slot` at `timecode` (HH:MM:SS:FF at `frameRate`) playing `audio` whole
    (cue out at its end) on `group`, at `sampleRate` Hz; `chase`: a clip that should be playing
    at the current timecode starts part-way in. */
inline TimecodeTrigger timecodeTrigger (int slot, const char* timecode, FrameRate frameRate, const ClipAudio& audio,
                                        double sampleRate, bool chase = false, int group = 0)
{
    TimecodeTrigger t;
    t.clipSlot = slot;
    t.seconds = Timecode::parse (timecode, frameRate)->toSeconds();
    t.lengthSeconds = (double) audio.getNumFrames() / sampleRate;
    t.chase = chase;
    t.command.type = EngineCommand::Type::trigger;
    t.command.clipSlot = slot;
    t.command.group = group;
    t.command.audio = &audio;
    t.command.playback.cueOut = audio.getNumFrames();
    return t;
}

} // namespace cuegrid::test
