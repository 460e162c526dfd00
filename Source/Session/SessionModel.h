// CueGrid — GPL-3.0-or-later
#pragma once

#include "../Clock/Timecode.h"
#include "../Engine/EngineMessages.h"
#include "Hotkeys.h"
#include "MidiMappings.h"

#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace cuegrid
{

/** Clip Groups A–D as indices 0–3. */
inline char groupLetter (int group) { return (char) ('A' + group); }
inline std::optional<int> groupFromLetter (const std::string& text)
{
    if (text.size() == 1 && text[0] >= 'A' && text[0] <= 'D')
        return text[0] - 'A';
    return std::nullopt;
}

/** One output Clip Group's fader state. */
struct GroupSettings
{
    double gainDb = 0.0;   // fader gain, dB
    bool muted = false;
    int chokeLimit = 0;    // 1–3: choke mode (a trigger past the limit steals the group's oldest voice); 0 = free
};

/** Session-wide fades used where a clip says nothing (manifest `fadeDefaults`). */
struct FadeDefaults
{
    double inMs = 0.0, outMs = 0.0;          // 0–3000 ms
    double crossfadeMs = 500.0;              // solo crossfade, 0–3000 ms
    FadeCurve inCurve = FadeCurve::linear, outCurve = FadeCurve::linear;
    FadeCurve crossfadeCurve = FadeCurve::equalPower;
};

/** A clip's loop (manifest `clips[].loop`). Times in seconds of the media file. */
struct LoopSettings
{
    std::optional<double> inSec;             // default: the cue region's start
    std::optional<double> outSec;            // default: the cue region's end
    int count = 0;                           // 0 = until stopped; n = the region plays n times
    double crossfadeMs = 1.0;                // 0.25–10 ms
};

/** Device output channels, 1-based pairs (manifest `routing`). */
using ChannelPair = std::array<int, 2>;
struct RoutingSettings
{
    ChannelPair master { 1, 2 };
    ChannelPair audition { 3, 4 };
    std::array<std::optional<ChannelPair>, 4> groups {};  // unset: the group feeds the master
    // Version 3.
    ChannelPair recordA { 1, 2 };            // device INPUT channels Record A records (manifest `routing.recordA`)
    ChannelPair recordB { 3, 4 };            // device input channels of Record B
};

/** How Record A/B takes are written (manifest `recording`, version 3). */
struct RecordingSettings
{
    bool flac = false;                       // false: WAV (RF64 beyond 4 GiB); true: FLAC, always 24-bit
    bool floatSamples = false;               // WAV only: 32-bit float instead of 24-bit integer
};

/** The master bus (manifest `master`). */
struct MasterSettings
{
    double gainDb = 0.0;
    bool limiterEnabled = false;             // version 1 sessions render as before; new sessions turn it on
    double limiterCeilingDb = -1.0;          // dBFS, sample peak
};

/** A clip: a media file plus how it plays. */
struct ClipDefinition
{
    std::string id;            // unique within the session; scripts and slots refer to it
    std::string file;          // relative to the session file's folder, or absolute
    std::string label;         // button text
    std::string colour = "#808080";  // "#rrggbb"
    int group = 0;             // 0–3 = Clip Group A–D
    double gainDb = 0.0;       // clip gain, dB (e.g. the analysis gain)
    double levelTrimDb = 0.0;  // level trim on top of the clip gain, dB (e.g. the analysis fader offset)

    // Version 2. Unset optionals take the session's fadeDefaults or the whole file.
    std::optional<double> fadeInMs, fadeOutMs;               // 0–3000 ms
    std::optional<FadeCurve> fadeInCurve, fadeOutCurve;
    std::optional<double> cueInSec, cueOutSec;               // the played region of the file, s
    double edgeFadeMs = 1.0;                                 // 0.25–10 ms, at the region's start and natural end
    std::optional<LoopSettings> loop;
    RetriggerMode retrigger = RetriggerMode::restart;
    bool solo = false;                                       // starting it crossfades the group's other voices out
    double pan = 0.0;                                        // −1 … +1
    std::string notes;                                       // the editor's free text (cue sheet notes); never played

    // Version 4 (issue 12). The label is at the show's rate (Session::timecode.fps).
    std::optional<Timecode> timecode;                        // starts when the master timecode passes it
    bool chase = false;                                      // needs `timecode`: also starts part-way when it should be playing

    double playbackGainDb() const noexcept { return gainDb + levelTrimDb; }
};

/** The show's timecode (manifest `timecode`, version 4; docs/clock.md, "In the show"). The LTC
    input channel and what chasing clips do when the timecode stops belong to the machine:
    preferences (ClockPreferences), not the show. */
struct TimecodeSettings
{
    FrameRate fps = FrameRate::fps25;        // the rate the clips' timecode triggers are written at
};

/** A grid position on a tab that holds a clip. */
struct GridSlot
{
    int row = 0;
    int column = 0;
    std::string clip;          // ClipDefinition::id
};

struct Tab
{
    static constexpr int maxRows = 16, maxColumns = 16;
    std::string name;
    int rows = 4;
    int columns = 8;
    std::vector<GridSlot> slots;

    const GridSlot* slotAt (int row, int column) const
    {
        for (const auto& slot : slots)
            if (slot.row == row && slot.column == column)
                return &slot;
        return nullptr;
    }
};

struct Page
{
    static constexpr int maxTabs = 8;
    std::string name;
    std::vector<Tab> tabs;     // up to 8
};

/** Session model v4: everything the JSON manifest (`*.cuegrid`) holds.
    See docs/session-format.md. Plain data; owned by one thread at a time. */
struct Session
{
    static constexpr const char* formatName = "cuegrid.session";
    static constexpr int currentVersion = 4;     // versions 1 to 3 load and are migrated in memory

    std::string name = "Untitled";
    double sampleRate = 48000.0;                     // Hz; media is resampled to it
    std::array<GroupSettings, 4> groups {};
    FadeDefaults fadeDefaults;
    RoutingSettings routing;
    RecordingSettings recording;
    MasterSettings master;
    std::vector<ClipDefinition> clips;               // loaded: index = engine clip slot; after edits see ClipSlots
    std::vector<Page> pages;
    SessionHotkeys hotkeys;                          // version 3: the clips' keys (per page, session-wide) and the key debounce
    SessionMidi midi;                                // version 3: MIDI mappings (learned) and feedback values
    TimecodeSettings timecode;                       // version 4: the show's timecode (the rate of the clips' triggers)

    /** Clip id → index, for lookups inside loops (findClip is linear in the clip count). */
    std::unordered_map<std::string, int> clipIndexById() const
    {
        std::unordered_map<std::string, int> index;
        index.reserve (clips.size());
        for (size_t i = 0; i < clips.size(); ++i)
            index.emplace (clips[i].id, (int) i);
        return index;
    }

    /** Index of the clip with this id, or -1. Linear: use clipIndexById() in loops. */
    int findClip (const std::string& id) const
    {
        for (size_t i = 0; i < clips.size(); ++i)
            if (clips[i].id == id)
                return (int) i;
        return -1;
    }
};

} // namespace cuegrid
