// CueGrid — GPL-3.0-or-later
#pragma once

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

    double playbackGainDb() const noexcept { return gainDb + levelTrimDb; }
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

/** Session model v1: everything the JSON manifest (`*.cuegrid`) holds.
    See docs/session-format.md. Plain data; owned by one thread at a time. */
struct Session
{
    static constexpr const char* formatName = "cuegrid.session";
    static constexpr int currentVersion = 1;

    std::string name = "Untitled";
    double sampleRate = 48000.0;                     // Hz; media is resampled to it
    std::array<GroupSettings, 4> groups {};
    std::vector<ClipDefinition> clips;               // a clip's index is its engine clip slot
    std::vector<Page> pages;

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
