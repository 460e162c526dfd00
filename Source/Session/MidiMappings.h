// CueGrid — GPL-3.0-or-later
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cuegrid
{

/** What a MIDI control is bound to (what MIDI learn was armed for). */
struct MidiTarget
{
    enum class Type
    {
        clipFire,      // note on fires the clip (its retrigger mode decides); a gate-mode mapping stops it on note off
        clipToggle,    // note on: stop if playing, else fire
        clipLevel,     // CC: the clip's level trim (dB)
        groupLevel,    // CC: group A-D fader (dB)
        masterLevel,   // CC: master fader (dB)
        stopAll, fadeAll, pauseAll, resumeAll, panic,   // note on
        page,          // program change n → page n (0-based); a note → page `page`
        nextPage, previousPage, nextTab, previousTab,   // note on: the focused page view moves
        showMode, showModeOn, showModeOff               // note on: Show mode toggled, on, off
    };
    Type type = Type::clipFire;
    std::string clip;  // clip id, for the clip targets
    int group = 0;     // 0-3 (A-D), for groupLevel
    int page = 0;      // for page with a note

    bool operator== (const MidiTarget& o) const noexcept { return type == o.type && clip == o.clip && group == o.group && page == o.page; }

    /** "fire:ID", "toggle:ID", "clipLevel:ID", "group:A", "master", "stopAll", "fadeAll",
        "pauseAll", "resumeAll", "panic", "page", "page:N", "nextPage", "previousPage", "nextTab",
        "previousTab", "showMode" (a toggle), "showModeOn" or "showModeOff"; nullopt when not one
        of these. */
    static std::optional<MidiTarget> parse (const std::string& text);
    std::string toString() const;
    /** Whether the target takes a continuous value (a fader: CC only). */
    bool isFader() const noexcept { return type == Type::clipLevel || type == Type::groupLevel || type == Type::masterLevel; }
};

/** A bound control: a note, CC or program change on a channel, and its target. */
struct MidiMapping
{
    enum class Kind { note, cc, program };
    enum class CcMode { absolute, relative };   // relative: 1-63 = +n steps, 65-127 = -(128-n) steps (two's complement)

    Kind kind = Kind::note;
    int channel = 0;          // 0-15
    int number = 0;           // note or controller number; unused for program change
    CcMode mode = CcMode::absolute;
    bool gate = false;        // note: note off stops the clip (gate mode)
    MidiTarget target;

    bool operator== (const MidiMapping& o) const noexcept
    {
        return kind == o.kind && channel == o.channel && number == o.number && mode == o.mode && gate == o.gate && target == o.target;
    }
    nlohmann::ordered_json toJson() const;
    /** Throws std::invalid_argument with the reason when `json` is not a mapping. */
    static MidiMapping fromJson (const nlohmann::json& json);
    std::string describe() const;   // "note 36 ch 1", "CC 7 ch 1 (relative)", "program ch 1"
};

/** Two or more mappings of the same control (the same note, or CC, on the same channel; any
    program change on the same channel): every one of them acts. MIDI learn never makes one
    (a control learned again replaces its binding); a hand-edited manifest can. */
struct MidiConflict
{
    std::vector<size_t> mappings;   // indices into the list, in order
    std::string description;        // "note 36 ch 1 is mapped 2 times: fire:kick, toggle:hum"
};
/** Every conflict in `mappings`, in the order of their first mapping. */
std::vector<MidiConflict> findMidiConflicts (const std::vector<MidiMapping>& mappings);
/** Whether `a` and `b` are the same control (what findMidiConflicts groups by). */
bool sameMidiControl (const MidiMapping& a, const MidiMapping& b) noexcept;

/** The values the output port sends for a clip's state, so pads light up. A note mapping
    gets a note on with this velocity (0 = note off velocity 0), a CC mapping this value. */
struct MidiFeedbackValues
{
    int playing = 127, paused = 64, loaded = 16, missing = 5, empty = 0;
    nlohmann::ordered_json toJson() const;
    static MidiFeedbackValues fromJson (const nlohmann::json& json);
    bool operator== (const MidiFeedbackValues& o) const noexcept
    {
        return playing == o.playing && paused == o.paused && loaded == o.loaded && missing == o.missing && empty == o.empty;
    }
};

/** The session's MIDI control (manifest `midi`, version 3): its mappings and the feedback
    values. Written only when not default. */
struct SessionMidi
{
    std::vector<MidiMapping> mappings;
    MidiFeedbackValues feedback;
    bool isDefault() const noexcept { return mappings.empty() && feedback == MidiFeedbackValues(); }
    nlohmann::ordered_json toJson() const;
    /** Throws std::invalid_argument with the reason (and the mapping's index). */
    static SessionMidi fromJson (const nlohmann::json& json);
};

} // namespace cuegrid
