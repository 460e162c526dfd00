// CueGrid — GPL-3.0-or-later
#include "TimecodeTriggers.h"

#include "ClipPlayback.h"

namespace cuegrid
{

std::vector<TimecodeTrigger> timecodeTriggers (const Session& session, const std::vector<ClipAudioPtr>& media,
                                               double sampleRate)
{
    std::vector<TimecodeTrigger> triggers;
    for (size_t i = 0; i < session.clips.size() && i < media.size(); ++i)
    {
        const auto& clip = session.clips[i];
        const auto& audio = media[i];
        if (! clip.timecode || audio == nullptr)
            continue;
        TimecodeTrigger trigger;
        trigger.clipSlot = (int32_t) i;
        trigger.seconds = clip.timecode->toSeconds();
        trigger.chase = clip.chase;
        auto& command = trigger.command;
        command.type = EngineCommand::Type::trigger;
        command.clipSlot = (int32_t) i;
        command.group = clip.group;
        command.audio = audio.get();
        command.playback = clipPlayback (session, (int) i, sampleRate, audio->getNumFrames());
        const auto end = command.playback.cueOut >= 0 ? command.playback.cueOut : audio->getNumFrames();
        trigger.lengthSeconds = (double) (end - command.playback.cueIn) / sampleRate;
        triggers.push_back (trigger);
    }
    return triggers;
}

} // namespace cuegrid
