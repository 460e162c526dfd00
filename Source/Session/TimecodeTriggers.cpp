// CueGrid — GPL-3.0-or-later
#include "TimecodeTriggers.h"

#include "ClipPlayback.h"

#include <algorithm>
#include <limits>

namespace cuegrid
{

namespace
{
/** How long a start at cue in plays (how long a chasing clip "should be playing"): the cue
    region plus every loop pass after the first; infinite for a loop that plays until stopped. */
double playedSeconds (const VoicePlayback& p, int64_t fileFrames, double sampleRate)
{
    const auto cueOut = p.cueOut >= 0 ? std::min (p.cueOut, fileFrames) : fileFrames;
    const auto cueIn = std::clamp<int64_t> (p.cueIn, 0, cueOut);
    const auto loopIn = std::clamp (p.loopIn, cueIn, cueOut);
    const auto loopOut = std::clamp (p.loopOut, loopIn, cueOut);
    if (loopOut > loopIn && p.loopCount <= 0)
        return std::numeric_limits<double>::infinity();
    const auto passes = loopOut > loopIn ? (int64_t) p.loopCount - 1 : 0;
    return (double) (cueOut - cueIn + passes * (loopOut - loopIn)) / sampleRate;
}
} // namespace

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
        trigger.lengthSeconds = playedSeconds (command.playback, audio->getNumFrames(), sampleRate);
        triggers.push_back (trigger);
    }
    return triggers;
}

} // namespace cuegrid
