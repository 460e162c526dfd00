// CueGrid — GPL-3.0-or-later
#pragma once

#include "Control/ShowController.h"

#include <array>
#include <functional>
#include <optional>
#include <string>

namespace cuegrid
{

/** Where an operator command came from: the event log's "source" and the trigger latency
    statistics are kept per source. */
enum class ActionSource { mouse, key, midi, osc, mirror, script, timecode };
inline constexpr int actionSourceCount = 7;

/** "mouse", "key", "midi", "osc", "mirror", "script", "timecode". */
const char* actionSourceName (ActionSource source) noexcept;

/** What any input (mouse, keyboard, MIDI, OSC, mirror, script) asks the show to do. Plain
    data; build one with the factories. Numbers here are 0-based (page, tab, row, column,
    group 0–3 = A–D); the inputs translate their own numbering. */
struct ShowAction
{
    enum class Type
    {
        fire, stop, stopNow, pause, resume, togglePause,   // a clip (clipId, clip or cell)
        gateRelease,         // key up / note off of a gate-mode clip: stop it (its fadeOut)
        clipLevel,           // a clip's level trim, value dB
        groupLevel, groupMute, groupStop, groupFade,       // group; value dB / 0|1 / - / seconds
        masterLevel,         // value dB
        stopAll, fadeAll, pauseAll, resumeAll, panic,      // fadeAll: value seconds
        page, nextPage, previousPage,                      // page: value = page index
        tab, nextTab, previousTab,                         // tab: value = tab index
        showMode,            // value 1 = Show mode on, 0 = off
        go,                  // fire the selected clip
        toggle               // a clip: stop it if it plays, else fire it (a MIDI pad's toggle)
    };

    Type type = Type::stopAll;
    std::string clipId;              // a clip by id (OSC, scripts, mappings), else
    int clip = -1;                   // by index in the session (the GUI), else
    std::optional<SessionEditor::Cell> cell;   // by grid cell
    int group = -1;                  // 0–3
    double value = 0.0;

    static ShowAction forClip (Type type, int clipIndex) { ShowAction a; a.type = type; a.clip = clipIndex; return a; }
    static ShowAction forClipId (Type type, std::string id) { ShowAction a; a.type = type; a.clipId = std::move (id); return a; }
    static ShowAction forCell (Type type, SessionEditor::Cell where) { ShowAction a; a.type = type; a.cell = where; return a; }
    static ShowAction forGroup (Type type, int groupIndex, double v = 0.0) { ShowAction a; a.type = type; a.group = groupIndex; a.value = v; return a; }
    static ShowAction of (Type type, double v = 0.0) { ShowAction a; a.type = type; a.value = v; return a; }

    bool isClipAction() const noexcept { return type <= Type::clipLevel || type == Type::toggle; }
    /** A GO: what a source's debounce may drop (fire, go, toggle). Stops, pauses, levels,
        transport and navigation are never debounced. */
    bool isGo() const noexcept { return type == Type::fire || type == Type::go || type == Type::toggle; }
};

/** The one path from every input to the show: each ShowAction resolves to the same
    ShowController call the GUI makes (fireClip, stopClip, fadeAll, setGroupGain …), and
    UI-only effects (page and tab navigation, Show mode, GO's selection) go through hooks the
    app sets, so Control never depends on UI.

    Message thread only (ShowController's thread). Inputs that read on their own threads (OSC,
    MIDI) hand their actions over first (see OscServer). */
class ShowActions
{
public:
    explicit ShowActions (ShowController& controller) : show (controller) {}

    /** ok, or why the action was refused ("no clip \"kick\"", "group must be A-D", "no audio
        device"): for OSC replies and the status bar. `clip` is the clip the action resolved to
        (-1 for none). */
    struct Result
    {
        bool ok = true;
        std::string reason;
        int clip = -1;
        bool dropped = false;   // a GO the source's debounce dropped (not performed; logged as goDropped)
        /** What a toggle did (fire or stop), decided here from the clip's state: a backup mirrors
            that, not its own decision from a state that may lag the primary's. */
        std::optional<ShowAction::Type> performedAs;

        static Result done (int clipIndex) { Result r; r.clip = clipIndex; return r; }
        static Result refused (std::string why, int clipIndex = -1)
        {
            Result r;
            r.ok = false;
            r.reason = std::move (why);
            r.clip = clipIndex;
            return r;
        }
    };

    /** Performs `action`. `arrivalMs` is when its input arrived
        (juce::Time::getMillisecondCounterHiRes(), ms; < 0 = now): a clip start's arrival →
        first sample time goes in its voiceStart event line and the status bar
        (ShowController::setTriggerOrigin). Message thread. */
    Result perform (const ShowAction& action, ActionSource source, double arrivalMs = -1.0);

    /** The clip an action names (by index, id or cell), or -1 with the reason. */
    int resolveClip (const ShowAction& action, std::string& reason) const;

    /** Debounce ("minimum time between GOs", per source, for hardware GO boxes and bouncing
        pads): a GO (ShowAction::isGo) from `source` that arrives less than `ms` after that
        source's previous GO that was let through is dropped: not performed, refused with
        Result::dropped, and logged in the event log as a `goDropped` event with its source.
        0 = off (the default). The keyboard's value is always the session's
        hotkeys.debounceMs (the manifest); MIDI's and OSC's are this workstation's preferences
        (midiDebounceMs, oscDebounceMs), set by the app. Times are arrival times, ms.
        Message thread. */
    void setDebounceMs (ActionSource source, double ms);
    double getDebounceMs (ActionSource source) const;
    /** GOs dropped by the debounce since construction, per source. */
    int getDroppedGos (ActionSource source) const noexcept { return droppedGos[(size_t) source]; }

    // UI hooks, set by the app (message thread). Unset: the action is refused with a reason.
    /** Page/tab navigation and Show mode (page, nextPage, previousPage, tab, nextTab,
        previousTab, showMode): "" or why not (e.g. "no page 9"). */
    std::function<std::string (const ShowAction&)> navigate;
    /** The selected clip (GO fires it), or -1. */
    std::function<int()> selectedClip;
    /** What the operator sees: the focused page view's page and tab (0-based) and whether Show
        mode is on. For OSC getters and pushed updates, and MIDI's Show mode toggle. */
    struct View { int page = 0, tab = 0; bool showMode = false; };
    std::function<View()> view;
    /** Called after every action that was performed (ok), e.g. for OSC's pushed updates. */
    std::function<void (const ShowAction&, ActionSource, const Result&)> onPerformed;
    /** The primary's mirroring (MirrorSender): called after every action performed (ok) from
        any source but ActionSource::mirror, after onPerformed; `Result::clip` is the clip a GO,
        an index or a cell resolved to. */
    std::function<void (const ShowAction&, ActionSource, const Result&)> toMirror;

    ShowController& getController() noexcept { return show; }

private:
    Result performClipAction (const ShowAction& action, int clip, ActionSource source, double arrivalMs);
    /** The dropped result when `action` is a GO within the source's debounce, else nullopt (and
        the GO's time is kept). */
    std::optional<Result> debounce (const ShowAction& action, ActionSource source, double arrivalMs);
    ShowController& show;
    std::array<double, actionSourceCount> debounceMs {};            // key: unused (the session's)
    std::array<std::optional<double>, actionSourceCount> lastGoMs {};
    std::array<int, actionSourceCount> droppedGos {};
};

} // namespace cuegrid
