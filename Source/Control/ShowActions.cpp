// CueGrid — GPL-3.0-or-later
#include "ShowActions.h"

#include "Session/Limits.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cuegrid
{

const char* actionSourceName (ActionSource source) noexcept
{
    switch (source)
    {
        case ActionSource::mouse: return "mouse";
        case ActionSource::key: return "key";
        case ActionSource::midi: return "midi";
        case ActionSource::osc: return "osc";
        case ActionSource::mirror: return "mirror";
        case ActionSource::script: return "script";
        case ActionSource::timecode: return "timecode";
    }
    return "unknown";
}

int ShowActions::resolveClip (const ShowAction& action, std::string& reason) const
{
    const auto& session = show.getSession();
    if (action.clip >= 0)
    {
        if (action.clip < (int) session.clips.size())
            return action.clip;
        reason = "no clip " + std::to_string (action.clip);
        return -1;
    }
    if (! action.clipId.empty())
    {
        const auto clip = session.findClip (action.clipId);
        if (clip < 0)
            reason = "no clip \"" + action.clipId + "\"";
        return clip;
    }
    if (action.cell)
    {
        const auto& c = *action.cell;
        const auto where = "page " + std::to_string (c.page + 1) + " tab " + std::to_string (c.tab + 1)
                         + " row " + std::to_string (c.row + 1) + " column " + std::to_string (c.column + 1);
        if (c.page < 0 || c.page >= (int) session.pages.size())
        {
            reason = "no page " + std::to_string (c.page + 1);
            return -1;
        }
        const auto& tabs = session.pages[(size_t) c.page].tabs;
        if (c.tab < 0 || c.tab >= (int) tabs.size())
        {
            reason = "no clip at " + where;
            return -1;
        }
        const auto* slot = tabs[(size_t) c.tab].slotAt (c.row, c.column);
        const auto clip = slot != nullptr ? session.findClip (slot->clip) : -1;
        if (clip < 0)
            reason = "no clip at " + where;
        return clip;
    }
    reason = "no clip given";
    return -1;
}

void ShowActions::setDebounceMs (ActionSource source, double ms)
{
    debounceMs[(size_t) source] = std::isfinite (ms) ? std::clamp (ms, 0.0, 10000.0) : 0.0;
}

double ShowActions::getDebounceMs (ActionSource source) const
{
    if (source == ActionSource::key)
        return show.getSession().hotkeys.debounceMs;
    return debounceMs[(size_t) source];
}

std::optional<ShowActions::Result> ShowActions::debounce (const ShowAction& action, ActionSource source, double arrivalMs)
{
    const auto minimum = getDebounceMs (source);
    auto& last = lastGoMs[(size_t) source];
    if (minimum > 0.0 && last && arrivalMs - *last < minimum)
    {
        // Dropped, not queued: a bouncing contact or a double press is one GO. Measured from the
        // last GO let through, so a contact chattering for longer than the debounce fires again.
        ++droppedGos[(size_t) source];
        std::string reason;
        const auto clip = action.type == ShowAction::Type::go ? (selectedClip ? selectedClip() : -1) : resolveClip (action, reason);
        nlohmann::ordered_json line;
        line["event"] = "goDropped";
        line["source"] = actionSourceName (source);
        if (clip >= 0)
            line["clip"] = show.getSession().clips[(size_t) clip].id;
        line["sinceLastGoMs"] = std::round ((arrivalMs - *last) * 1000.0) / 1000.0;
        line["debounceMs"] = minimum;
        show.writeEventLog (line);
        char text[160];
        std::snprintf (text, sizeof text, "GO dropped: %.0f ms after the previous %s GO (debounce %.0f ms)",
                       arrivalMs - *last, actionSourceName (source), minimum);
        auto result = Result::refused (text, clip);
        result.dropped = true;
        return result;
    }
    last = arrivalMs;
    return std::nullopt;
}

ShowActions::Result ShowActions::perform (const ShowAction& action, ActionSource source, double arrivalMs)
{
    using T = ShowAction::Type;
    if (arrivalMs < 0.0)
        arrivalMs = juce::Time::getMillisecondCounterHiRes();
    if (action.isGo())
        if (auto dropped = debounce (action, source, arrivalMs))
            return *dropped;

    Result result;
    const auto needsAudio = [this] (Result r)
    {
        if (r.ok && ! show.isAudioRunning())
            return Result::refused ("no audio device", r.clip);
        return r;
    };
    const auto validGroup = [&action] { return action.group >= 0 && action.group < 4; };
    const auto finite = std::isfinite (action.value);

    if (action.type == T::go)
    {
        const auto selected = selectedClip ? selectedClip() : -1;
        result = selected >= 0 ? performClipAction (ShowAction::forClip (T::fire, selected), selected, source, arrivalMs)
                               : Result::refused ("no clip selected");
    }
    else if (action.isClipAction())
    {
        std::string reason;
        const auto clip = resolveClip (action, reason);
        result = clip < 0 ? Result::refused (reason) : performClipAction (action, clip, source, arrivalMs);
    }
    else if (! finite)
        result = Result::refused ("not a number");
    else
    {
        switch (action.type)
        {
            case T::groupLevel: case T::groupMute: case T::groupStop: case T::groupFade:
                if (! validGroup())
                {
                    result = Result::refused ("group must be A-D");
                    break;
                }
                if (action.type == T::groupLevel)
                    show.setGroupGain (action.group, std::clamp (action.value, limits::minGainDb, limits::maxGainDb));
                else if (action.type == T::groupMute)
                    show.setGroupMute (action.group, action.value != 0.0);
                else if (action.type == T::groupStop)
                {
                    show.stopGroup (action.group);
                    result = needsAudio ({});
                }
                else
                {
                    show.fadeGroup (action.group, std::max (0.0, action.value) * 1000.0);
                    result = needsAudio ({});
                }
                break;
            case T::masterLevel:
                show.setMasterGain (action.value);
                break;
            case T::stopAll: show.stopAll(); result = needsAudio ({}); break;
            case T::fadeAll: show.fadeAll (std::max (0.0, action.value) * 1000.0); result = needsAudio ({}); break;
            case T::pauseAll: show.pauseAll(); result = needsAudio ({}); break;
            case T::resumeAll: show.resumeAll(); result = needsAudio ({}); break;
            case T::panic:
                show.panic();
                result = needsAudio ({});
                if (const auto problem = show.getActionProblem(); result.ok && problem.rfind ("PANIC", 0) == 0)
                    result = Result::refused (problem);
                break;
            case T::page: case T::nextPage: case T::previousPage:
            case T::tab: case T::nextTab: case T::previousTab: case T::showMode:
                if (! navigate)
                    result = Result::refused ("no window to navigate");
                else if (auto why = navigate (action); ! why.empty())
                    result = Result::refused (std::move (why));
                break;
            default:
                result = Result::refused ("unknown action");
                break;
        }
    }

    if (result.ok && onPerformed)
        onPerformed (action, source, result);
    if (result.ok && toMirror && source != ActionSource::mirror)
        toMirror (action, source, result);   // a backup never mirrors back
    return result;
}

ShowActions::Result ShowActions::performClipAction (const ShowAction& action, int clip, ActionSource source, double arrivalMs)
{
    using T = ShowAction::Type;
    const auto& id = show.getSession().clips[(size_t) clip].id;
    const auto stoppable = [this, clip] (Result r)
    {
        // A clip without media or an engine slot has no voice to stop, pause or resume.
        if (r.ok && show.engineSlotOf (clip) < 0)
            return Result::refused ("no voice", clip);
        if (r.ok && ! show.isAudioRunning())
            return Result::refused ("no audio device", clip);
        return r;
    };

    if (action.type == T::toggle && show.getClipState (clip).playing)
    {
        show.stopClip (clip, true);
        auto result = stoppable (Result::done (clip));
        result.performedAs = T::stop;
        return result;
    }
    switch (action.type)
    {
        case T::fire: case T::toggle:
        {
            if (show.isMediaLoading (clip))
                return Result::refused ("\"" + id + "\" not played: its media is still loading", clip);
            if (! show.hasMedia (clip))
            {
                const auto error = show.mediaError (clip);
                return Result::refused ("\"" + id + "\" not played: " + (error.empty() ? std::string ("no media") : error), clip);
            }
            show.setTriggerOrigin (actionSourceName (source), arrivalMs);   // for its trigger latency
            show.fireClip (clip);
            if (auto problem = show.getActionProblem(); ! problem.empty())
                return Result::refused (std::move (problem), clip);   // fireClip clears it when it posted
            auto fired = Result::done (clip);
            if (action.type == T::toggle)
                fired.performedAs = T::fire;
            return fired;
        }
        case T::stop: case T::gateRelease: show.stopClip (clip, true); return stoppable (Result::done (clip));
        case T::stopNow: show.stopClipNow (clip); return stoppable (Result::done (clip));
        case T::pause: show.pauseClip (clip); return stoppable (Result::done (clip));
        case T::resume: show.resumeClip (clip); return stoppable (Result::done (clip));
        case T::togglePause: show.togglePauseClip (clip); return stoppable (Result::done (clip));
        case T::clipLevel:
        {
            if (! std::isfinite (action.value))
                return Result::refused ("not a number", clip);
            const auto& definition = show.getSession().clips[(size_t) clip];
            const auto trim = std::clamp (action.value, limits::minGainDb, limits::maxGainDb);
            show.setClipLevels (clip, definition.gainDb, trim);
            return Result::done (clip);
        }
        default:
            return Result::refused ("not a clip action", clip);
    }
}

} // namespace cuegrid
