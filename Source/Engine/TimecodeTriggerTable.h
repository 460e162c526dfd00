// CueGrid — GPL-3.0-or-later
// The clips' timecode triggers as one immutable table handed to the audio thread while it runs
// (EngineCommand::setTimecodeTriggers), freed off it by ClipReleasePool like ClipGainTable.
// docs/clock.md, "In the show".
#pragma once

#include "ClipAudio.h"
#include "EngineTimecode.h"

#include <atomic>
#include <memory>
#include <vector>

namespace cuegrid
{

/** Built on the control thread, then never changed. The control side owns it through
    std::shared_ptr; the audio thread sees a raw pointer (in the command, then as the installed
    table) and counts its use in audioThreadReferences, so ClipReleasePool frees it only once the
    engine has swapped it out. It owns the media its triggers' commands point to, so that audio
    lives at least as long as the table can start it. */
class TimecodeTriggerTable
{
public:
    /** At most this many triggers: the engine's per-trigger state is allocated once, this size. */
    static constexpr int maxTriggers = 4096;

    /** `media`: every ClipAudio the triggers' commands point to (extra entries are harmless).
        Triggers beyond maxTriggers are dropped. */
    TimecodeTriggerTable (std::vector<TimecodeTrigger> timecodeTriggers, bool chaseKeepsRolling,
                          std::vector<ClipAudioPtr> media = {})
        : triggers (std::move (timecodeTriggers)), keepRolling (chaseKeepsRolling), audio (std::move (media))
    {
        if (triggers.size() > (size_t) maxTriggers)
            triggers.resize ((size_t) maxTriggers);
    }

    int size() const noexcept { return (int) triggers.size(); }
    const TimecodeTrigger& operator[] (int index) const noexcept { return triggers[(size_t) index]; }
    bool chaseKeepsRolling() const noexcept { return keepRolling; }

    /** Pending commands and the engine's installed table that point here. Written by the audio
        thread (and by EngineTimecode::setTriggers with the audio stopped); read by ClipReleasePool. */
    mutable std::atomic<int> audioThreadReferences { 0 };

private:
    std::vector<TimecodeTrigger> triggers;
    bool keepRolling = false;
    std::vector<ClipAudioPtr> audio;
};

using TimecodeTriggerTablePtr = std::shared_ptr<const TimecodeTriggerTable>;

} // namespace cuegrid
