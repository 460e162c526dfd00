// CueGrid — GPL-3.0-or-later
// OscServer's dictionary (docs/osc.md): each address of the show performed as a ShowAction or
// answered from the controller. Message thread (OscServer hands each request over and waits).
#include "OscServer.h"
#include "OscRequest.h"

#include <cmath>

namespace cuegrid
{

using namespace osc;

nlohmann::json OscServer::describeClip (int clip) const
{
    auto& show = actions.getController();
    const auto& definition = show.getSession().clips[(size_t) clip];
    const auto state = show.getClipState (clip);
    const char* name = state.paused ? "paused" : state.fading ? "fading" : state.playing ? "playing"
                     : show.isMediaLoading (clip) ? "loading" : show.hasMedia (clip) ? "loaded" : "missing";
    return { { "id", definition.id }, { "label", definition.label }, { "state", name },
             { "elapsedSec", state.elapsedSec }, { "remainingSec", state.remainingSec },
             { "progress", state.progress }, { "levelDb", definition.levelTrimDb }, { "group", std::string (1, (char) ('A' + definition.group)) } };
}

nlohmann::json OscServer::perform (const ShowAction& action, const Request& request)
{
    const auto result = actions.perform (action, ActionSource::osc, request.arrivalMs);
    if (! result.ok)
        return answer (request.address, "error", result.reason);
    return answer (request.address, "ok");
}

nlohmann::json OscServer::handle (const Request& request)
{
    using T = ShowAction::Type;
    const auto& address = request.address;
    const auto error = [&address] (const std::string& why) { return answer (address, "error", why); };
    try
    {
        const auto parts = splitAddress (address);
        if (address.empty() || address[0] != '/' || parts.empty())
            return error ("not an OSC address");
        const auto& show = actions.getController();
        const auto& session = show.getSession();
        double number = 0.0;
        const auto optionalNumber = [&] (double fallback, double& value)
        {
            value = fallback;
            return request.args.empty() || numberArg (request, 0, value);
        };

        // QLab aliases.
        if (parts.size() == 1)
        {
            static const std::map<std::string, T> workspace { { "go", T::go }, { "panic", T::panic }, { "stop", T::stopAll },
                                                              { "pause", T::pauseAll }, { "resume", T::resumeAll } };
            if (auto found = workspace.find (parts[0]); found != workspace.end())
                return perform (ShowAction::of (found->second), request);
        }
        const auto clipVerb = [&] (const std::string& verb, const std::string& id) -> nlohmann::json
        {
            static const std::map<std::string, T> verbs { { "start", T::fire }, { "stop", T::stop }, { "pause", T::pause },
                                                          { "resume", T::resume }, { "toggle", T::togglePause },
                                                          { "togglePause", T::togglePause }, { "hardStop", T::stopNow } };
            if (auto found = verbs.find (verb); found != verbs.end())
                return perform (ShowAction::forClipId (found->second, id), request);
            const auto clip = session.findClip (id);
            if (clip < 0)
                return error ("no clip \"" + id + "\"");
            if (verb == "level")
            {
                if (request.args.empty())
                    return answer (address, "ok", session.clips[(size_t) clip].levelTrimDb);
                if (! numberArg (request, 0, number))
                    return error ("expects a level in dB (a number or \"-inf\")");
                auto action = ShowAction::forClipId (T::clipLevel, id);
                action.value = number;
                return perform (action, request);
            }
            const auto state = describeClip (clip);
            if (verb == "state") return answer (address, "ok", state);
            if (verb == "elapsed") return answer (address, "ok", state["elapsedSec"]);
            if (verb == "remaining") return answer (address, "ok", state["remainingSec"]);
            if (verb == "isRunning") return answer (address, "ok", state["state"] == "playing" || state["state"] == "fading");
            if (verb == "isPaused") return answer (address, "ok", state["state"] == "paused");
            return error ("unknown clip method \"" + verb + "\"");
        };
        if (parts.size() == 3 && parts[0] == "cue")
            return clipVerb (parts[2], parts[1]);
        if (parts[0] != "cuegrid")
            return error ("unknown address");

        if (parts.size() == 4 && parts[1] == "clip")
            return clipVerb (parts[3], parts[2]);
        if (parts.size() == 7 && parts[1] == "slot" && parts[6] == "start")
        {
            int page = 0, tab = 0, row = 0, column = 0;
            if (! positiveInt (parts[2], page) || ! positiveInt (parts[3], tab) || ! positiveInt (parts[4], row) || ! positiveInt (parts[5], column))
                return error ("slot numbers are 1-based: /cuegrid/slot/{page}/{tab}/{row}/{column}/start");
            return perform (ShowAction::forCell (T::fire, { page - 1, tab - 1, row - 1, column - 1 }), request);
        }
        if (parts.size() == 4 && parts[1] == "group")
        {
            const auto group = groupOf (parts[2]);
            if (group < 0)
                return error ("group must be A-D");
            const auto& verb = parts[3];
            if (verb == "level")
            {
                if (request.args.empty())
                    return answer (address, "ok", session.groups[(size_t) group].gainDb);
                if (! numberArg (request, 0, number))
                    return error ("expects a level in dB (a number or \"-inf\")");
                return perform (ShowAction::forGroup (T::groupLevel, group, number), request);
            }
            if (verb == "mute")
            {
                if (request.args.empty())
                    return answer (address, "ok", session.groups[(size_t) group].muted ? 1 : 0);
                if (! numberArg (request, 0, number))
                    return error ("expects 1 (mute) or 0");
                return perform (ShowAction::forGroup (T::groupMute, group, number != 0.0 ? 1.0 : 0.0), request);
            }
            if (verb == "stop")
                return perform (ShowAction::forGroup (T::groupStop, group), request);
            if (verb == "fade")
            {
                if (! optionalNumber (1.0, number) || number < 0.0 || number > 60.0)
                    return error ("expects a fade time in seconds (0-60)");
                return perform (ShowAction::forGroup (T::groupFade, group, number), request);
            }
            return error ("unknown group method \"" + verb + "\"");
        }
        if (parts.size() == 3 && parts[1] == "master" && parts[2] == "level")
        {
            if (request.args.empty())
                return answer (address, "ok", session.master.gainDb);
            if (! numberArg (request, 0, number))
                return error ("expects a level in dB (a number or \"-inf\")");
            return perform (ShowAction::of (T::masterLevel, number), request);
        }
        if (parts.size() == 2)
        {
            const auto& verb = parts[1];
            if (verb == "stopAll") return perform (ShowAction::of (T::stopAll), request);
            if (verb == "pauseAll") return perform (ShowAction::of (T::pauseAll), request);
            if (verb == "resumeAll") return perform (ShowAction::of (T::resumeAll), request);
            if (verb == "panic") return perform (ShowAction::of (T::panic), request);
            if (verb == "go") return perform (ShowAction::of (T::go), request);
            if (verb == "fadeAll")
            {
                if (! optionalNumber (1.0, number) || number < 0.0 || number > 60.0)
                    return error ("expects a fade time in seconds (0-60)");
                return perform (ShowAction::of (T::fadeAll, number), request);
            }
            if (verb == "showMode")
            {
                if (request.args.empty())
                {
                    if (! actions.view)
                        return error ("no window");
                    return answer (address, "ok", actions.view().showMode ? 1 : 0);
                }
                if (! numberArg (request, 0, number) || (number != 0.0 && number != 1.0))
                    return error ("expects 1 (Show mode on) or 0 (off)");
                return perform (ShowAction::of (T::showMode, number), request);
            }
            if (verb == "page" || verb == "tab")
            {
                const auto isPage = verb == "page";
                if (request.args.empty())
                {
                    if (! actions.view)
                        return error ("no window");
                    const auto view = actions.view();
                    return answer (address, "ok", (isPage ? view.page : view.tab) + 1);
                }
                if (const auto* text = std::get_if<std::string> (&request.args[0]); text != nullptr && (*text == "next" || *text == "previous"))
                    return perform (ShowAction::of (*text == "next" ? (isPage ? T::nextPage : T::nextTab) : (isPage ? T::previousPage : T::previousTab)), request);
                if (! numberArg (request, 0, number) || number < 1 || number > 1000 || number != std::floor (number))
                    return error ("expects a " + verb + " number (1-based), \"next\" or \"previous\"");
                return perform (ShowAction::of (isPage ? T::page : T::tab, number - 1), request);
            }
            if (verb == "playing")
            {
                auto list = nlohmann::json::array();
                for (const auto clip : show.getActiveClips())
                    list.push_back (describeClip (clip));
                return answer (address, "ok", list);
            }
            if (verb == "clips")
            {
                auto list = nlohmann::json::array();
                for (const auto& clip : session.clips)
                    list.push_back ({ { "id", clip.id }, { "label", clip.label } });
                return answer (address, "ok", list);
            }
            if (verb == "stats")
            {
                const auto s = getStats();
                return answer (address, "ok", { { "received", s.received }, { "performed", s.performed }, { "errors", s.errors },
                                                { "dropped", s.dropped }, { "lastHandoffMs", s.lastHandoffMs }, { "maxHandoffMs", s.maxHandoffMs } });
            }
        }
        return error ("unknown address");
    }
    catch (const std::exception& e)
    {
        return error (std::string ("internal error: ") + e.what());
    }
}

} // namespace cuegrid
