// CueGrid — GPL-3.0-or-later
#include "SessionEditor.h"

#include "Session/ClipPlayback.h"
#include "Session/Limits.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <unordered_set>

namespace cuegrid
{

namespace
{
    std::string formatNumber (double value)
    {
        std::ostringstream text;
        text << value;
        return text.str();
    }

    /** NaN fails every comparison, so "not inside" is written as ! (inside). */
    bool within (double value, double minimum, double maximum) { return value >= minimum && value <= maximum; }

    std::string inQuotes (const std::string& text) { return "'" + text + "'"; }

    /** Every field of the model; keep in step with ClipDefinition (SessionEditor.test.cpp
        checks each setter against it). */
    bool sameLoop (const std::optional<LoopSettings>& a, const std::optional<LoopSettings>& b)
    {
        if (a.has_value() != b.has_value())
            return false;
        return ! a || (a->inSec == b->inSec && a->outSec == b->outSec && a->count == b->count && a->crossfadeMs == b->crossfadeMs);
    }

    bool sameClip (const ClipDefinition& a, const ClipDefinition& b)
    {
        return a.id == b.id && a.file == b.file && a.label == b.label && a.colour == b.colour && a.group == b.group
               && a.gainDb == b.gainDb && a.levelTrimDb == b.levelTrimDb && a.fadeInMs == b.fadeInMs
               && a.fadeOutMs == b.fadeOutMs && a.fadeInCurve == b.fadeInCurve && a.fadeOutCurve == b.fadeOutCurve
               && a.cueInSec == b.cueInSec && a.cueOutSec == b.cueOutSec && a.edgeFadeMs == b.edgeFadeMs
               && sameLoop (a.loop, b.loop) && a.retrigger == b.retrigger && a.solo == b.solo && a.pan == b.pan
               && a.notes == b.notes;
    }

    bool sameLevels (const ClipDefinition& a, const ClipDefinition& b)
    {
        return a.gainDb == b.gainDb && a.levelTrimDb == b.levelTrimDb && a.pan == b.pan;
    }

    int findSlot (const Tab& tab, int row, int column)
    {
        for (size_t i = 0; i < tab.slots.size(); ++i)
            if (tab.slots[i].row == row && tab.slots[i].column == column)
                return (int) i;
        return -1;
    }

    std::unordered_set<std::string> referencedClips (const std::vector<Page>& pages)
    {
        std::unordered_set<std::string> ids;
        for (const auto& page : pages)
            for (const auto& tab : page.tabs)
                for (const auto& slot : tab.slots)
                    ids.insert (slot.clip);
        return ids;
    }

    size_t slotCount (const std::vector<Page>& pages)
    {
        size_t count = 0;
        for (const auto& page : pages)
            for (const auto& tab : page.tabs)
                count += tab.slots.size();
        return count;
    }

    std::string cellText (const SessionEditor::Cell& cell)
    {
        return "row " + std::to_string (cell.row + 1) + ", column " + std::to_string (cell.column + 1);
    }

    std::string countText (size_t count, const std::string& what, const std::string& firstName)
    {
        return count == 1 ? inQuotes (firstName) : std::to_string (count) + " " + what;
    }
} // namespace

//==============================================================================
/** One clip's properties before and after, found by id (indices shift when clips leave). */
class SessionEditor::ClipAction final : public juce::UndoableAction
{
public:
    ClipAction (SessionEditor& owner, std::string actionName, std::string changedField, ClipDefinition previous,
                ClipDefinition changed, uint64_t stateBefore, uint64_t stateAfter)
        : editor (owner), name (std::move (actionName)), field (std::move (changedField)), before (std::move (previous)),
          after (std::move (changed)), beforeState (stateBefore), afterState (stateAfter) {}

    bool perform() override { return apply (after, afterState); }
    bool undo() override { return apply (before, beforeState); }

    /** A drag of one field of one clip inside a gesture becomes a single step. */
    juce::UndoableAction* createCoalescedAction (juce::UndoableAction* nextAction) override
    {
        auto* next = dynamic_cast<ClipAction*> (nextAction);
        if (next == nullptr || next->after.id != after.id || next->field != field || field.empty())
            return nullptr;
        return new ClipAction (editor, name, field, before, next->after, beforeState, next->afterState);
    }

private:
    bool apply (const ClipDefinition& value, uint64_t state)
    {
        const auto index = editor.session.findClip (value.id);
        if (index < 0)
            return false;
        auto& clip = editor.session.clips[(size_t) index];
        Change change;
        change.name = name;
        change.clips = { value.id };
        change.levelsChanged = ! sameLevels (clip, value);
        clip = value;
        editor.stateChanged (state, change);
        return true;
    }

    SessionEditor& editor;
    std::string name, field;
    ClipDefinition before, after;
    uint64_t beforeState, afterState;
};

//==============================================================================
/** A grid edit: the pages before and after, the clips it removed (indices in the list
    before) and the clips it appended (indices in the list after). */
class SessionEditor::StructureAction final : public juce::UndoableAction
{
public:
    using IndexedClips = std::vector<std::pair<int, ClipDefinition>>;  // ascending indices

    StructureAction (SessionEditor& owner, std::string actionName, std::vector<Page> pagesBefore, std::vector<Page> pagesAfter,
                     IndexedClips removedClips, IndexedClips addedClips, uint64_t stateBefore, uint64_t stateAfter)
        : editor (owner), name (std::move (actionName)), before (std::move (pagesBefore)), after (std::move (pagesAfter)),
          removed (std::move (removedClips)), added (std::move (addedClips)), beforeState (stateBefore), afterState (stateAfter) {}

    bool perform() override
    {
        auto& clips = editor.session.clips;
        for (auto it = removed.rbegin(); it != removed.rend(); ++it)
            clips.erase (clips.begin() + it->first);
        for (const auto& [index, clip] : added)
            clips.insert (clips.begin() + index, clip);
        editor.session.pages = after;
        notify (afterState);
        return true;
    }

    bool undo() override
    {
        auto& clips = editor.session.clips;
        for (auto it = added.rbegin(); it != added.rend(); ++it)
            clips.erase (clips.begin() + it->first);
        for (const auto& [index, clip] : removed)
            clips.insert (clips.begin() + index, clip);
        editor.session.pages = before;
        notify (beforeState);
        return true;
    }

    int getSizeInUnits() override { return 10 + (int) ((slotCount (before) + removed.size() + added.size()) / 16); }

private:
    void notify (uint64_t state)
    {
        Change change;
        change.name = name;
        change.gridChanged = true;
        change.clipListChanged = ! removed.empty() || ! added.empty();
        for (const auto& list : { &removed, &added })
            for (const auto& entry : *list)
                change.clips.push_back (entry.second.id);
        change.levelsChanged = change.clipListChanged;
        editor.stateChanged (state, change);
    }

    SessionEditor& editor;
    std::string name;
    std::vector<Page> before, after;
    IndexedClips removed, added;
    uint64_t beforeState, afterState;
};

//==============================================================================
SessionEditor::SessionEditor (Session& edited, juce::UndoManager& undo)
    : session (edited), undoManager (undo)
{
}

SessionEditor::~SessionEditor() = default;

void SessionEditor::sessionReplaced()
{
    undoManager.clearUndoHistory();
    currentState = savedState = 0;
    ++changeCount;
    gestureDepth = 0;
}

void SessionEditor::setLocked (bool shouldLock, std::string reason)
{
    locked = shouldLock;
    lockReason = std::move (reason);
}

SessionEditor::Result SessionEditor::checkUnlocked() const
{
    return locked ? Result::refused (lockReason) : Result {};
}

SessionEditor::Result SessionEditor::undo()
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    if (! undoManager.canUndo())
        return Result::refused ("nothing to undo");
    return undoManager.undo() ? Result {} : Result::refused ("could not undo " + undoManager.getUndoDescription().toStdString());
}

SessionEditor::Result SessionEditor::redo()
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    if (! undoManager.canRedo())
        return Result::refused ("nothing to redo");
    return undoManager.redo() ? Result {} : Result::refused ("could not redo " + undoManager.getRedoDescription().toStdString());
}

SessionEditor::Gesture::~Gesture()
{
    if (editor != nullptr)
        editor->gestureDepth = std::max (0, editor->gestureDepth - 1);
}

SessionEditor::Gesture::Gesture (Gesture&& other) noexcept : editor (std::exchange (other.editor, nullptr)) {}

SessionEditor::Gesture SessionEditor::beginGesture (const std::string& name)
{
    if (gestureDepth++ == 0)
        undoManager.beginNewTransaction (juce::String::fromUTF8 (name.c_str()));
    return Gesture (this);
}

void SessionEditor::stateChanged (uint64_t newState, const Change& change)
{
    currentState = newState;
    ++changeCount;
    if (onChange)
        onChange (change);
}

SessionEditor::Result SessionEditor::perform (const std::string& name, std::unique_ptr<juce::UndoableAction> action)
{
    if (gestureDepth == 0)
        undoManager.beginNewTransaction (juce::String::fromUTF8 (name.c_str()));
    if (! undoManager.perform (action.release()))
        return Result::refused ("could not " + name);
    return {};
}

//==============================================================================
bool SessionEditor::isColour (const std::string& text)
{
    if (text.size() != 7 || text[0] != '#')
        return false;
    return std::all_of (text.begin() + 1, text.end(), [] (char c) { return std::isxdigit ((unsigned char) c) != 0; });
}

std::string SessionEditor::validateClip (const ClipDefinition& clip)
{
    const auto fadeRange = "from 0 to " + formatNumber (limits::maxFadeMs) + " ms";
    const auto edgeRange = "from " + formatNumber (limits::minEdgeFadeMs) + " to " + formatNumber (limits::maxEdgeFadeMs) + " ms";
    const auto timeRange = "from 0 to " + formatNumber (limits::maxMediaSeconds) + " s (3 hours)";
    const auto gainRange = "between " + formatNumber (limits::minGainDb) + " and +" + formatNumber (limits::maxGainDb) + " dB";
    if (clip.id.empty())
        return "a clip needs an id";
    if (clip.file.empty())
        return "a clip needs a media file";
    if (! isColour (clip.colour))
        return "colour \"" + clip.colour + "\" is not a colour like \"#d04040\"";
    if (clip.group < 0 || clip.group >= groupCount)
        return "group must be A, B, C or D";
    if (! within (clip.gainDb, limits::minGainDb, limits::maxGainDb))
        return "gain must be " + gainRange;
    if (! within (clip.levelTrimDb, limits::minGainDb, limits::maxGainDb))
        return "level trim must be " + gainRange;
    if (clip.fadeInMs && ! within (*clip.fadeInMs, 0.0, limits::maxFadeMs))
        return "fade in must be " + fadeRange;
    if (clip.fadeOutMs && ! within (*clip.fadeOutMs, 0.0, limits::maxFadeMs))
        return "fade out must be " + fadeRange;
    if (clip.cueInSec && ! within (*clip.cueInSec, 0.0, limits::maxMediaSeconds))
        return "cue in must be " + timeRange;
    if (clip.cueOutSec && ! within (*clip.cueOutSec, 0.0, limits::maxMediaSeconds))
        return "cue out must be " + timeRange;
    if (clip.cueInSec && clip.cueOutSec && *clip.cueOutSec <= *clip.cueInSec)
        return "cue out must be after cue in (" + formatNumber (*clip.cueInSec) + " s)";
    if (! within (clip.edgeFadeMs, limits::minEdgeFadeMs, limits::maxEdgeFadeMs))
        return "edge fade must be " + edgeRange;
    if (const auto& loop = clip.loop)
    {
        if (loop->inSec && ! within (*loop->inSec, 0.0, limits::maxMediaSeconds))
            return "loop in must be " + timeRange;
        if (loop->outSec && ! within (*loop->outSec, 0.0, limits::maxMediaSeconds))
            return "loop out must be " + timeRange;
        if (loop->count < 0 || loop->count > limits::maxLoopCount)
            return "loop count must be a whole number from 0 to " + std::to_string (limits::maxLoopCount);
        if (! within (loop->crossfadeMs, limits::minEdgeFadeMs, limits::maxEdgeFadeMs))
            return "loop crossfade must be " + edgeRange;
        if (loop->inSec && clip.cueInSec && *loop->inSec < *clip.cueInSec)
            return "loop in must not be before cue in (" + formatNumber (*clip.cueInSec) + " s)";
        if (loop->inSec && clip.cueOutSec && *loop->inSec >= *clip.cueOutSec)
            return "loop in must be before cue out (" + formatNumber (*clip.cueOutSec) + " s)";
        if (loop->outSec)
        {
            const auto loopIn = loop->inSec.value_or (clip.cueInSec.value_or (0.0));
            if (*loop->outSec <= loopIn)
                return "loop out must be after " + std::string (loop->inSec ? "loop in" : clip.cueInSec ? "cue in" : "the start of the file")
                       + " (" + formatNumber (loopIn) + " s)";
            if (clip.cueOutSec && *loop->outSec > *clip.cueOutSec)
                return "loop out must not be after cue out (" + formatNumber (*clip.cueOutSec) + " s)";
        }
    }
    if (! within (clip.pan, -1.0, 1.0))
        return "pan must be from -1 (left) to +1 (right)";
    return {};
}

std::unordered_set<std::string> SessionEditor::clipIds() const
{
    std::unordered_set<std::string> ids;
    ids.reserve (session.clips.size());
    for (const auto& clip : session.clips)
        ids.insert (clip.id);
    return ids;
}

std::string SessionEditor::freshId (const std::string& base, std::unordered_set<std::string>& taken)
{
    const auto root = base.empty() ? std::string ("clip") : base;
    auto candidate = root;
    for (int n = 2; taken.count (candidate) != 0; ++n)
        candidate = root + "-" + std::to_string (n);
    taken.insert (candidate);
    return candidate;
}

std::string SessionEditor::uniqueClipId (const std::string& base) const
{
    auto taken = clipIds();
    return freshId (base, taken);
}

std::string SessionEditor::clipTitle (int clip) const
{
    return clip >= 0 && clip < (int) session.clips.size() ? inQuotes (clipName (clip)) : std::string();
}

std::string SessionEditor::clipName (int clip) const
{
    const auto& definition = session.clips[(size_t) clip];
    return definition.label.empty() ? definition.id : definition.label;
}

//==============================================================================
SessionEditor::Result SessionEditor::editClip (int clip, const std::string& actionName, const std::string& field,
                                               const std::function<void (ClipDefinition&)>& change)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    if (clip < 0 || clip >= (int) session.clips.size())
        return Result::refused ("no clip " + std::to_string (clip));
    const auto& before = session.clips[(size_t) clip];
    auto after = before;
    change (after);
    after.id = before.id;      // identity and media are not properties
    after.file = before.file;
    if (auto problem = validateClip (after); ! problem.empty())
        return Result::refused (clipName (clip) + ": " + problem);
    if (sameClip (before, after))
        return {};  // nothing to undo
    const auto stateBefore = currentState;
    return perform (actionName, std::make_unique<ClipAction> (*this, actionName, field, before, std::move (after),
                                                              stateBefore, nextState++));
}

SessionEditor::Result SessionEditor::setLabel (int clip, const std::string& label)
{
    return editClip (clip, "Rename " + clipTitle (clip), "label", [&] (ClipDefinition& c) { c.label = label; });
}

SessionEditor::Result SessionEditor::setColour (int clip, const std::string& colour)
{
    return editClip (clip, "Recolour " + clipTitle (clip), "colour", [&] (ClipDefinition& c) { c.colour = colour; });
}

SessionEditor::Result SessionEditor::setGroup (int clip, int group)
{
    const auto letter = group >= 0 && group < groupCount ? std::string (1, groupLetter (group)) : std::to_string (group);
    return editClip (clip, "Move " + clipTitle (clip) + " to Group " + letter, "group", [&] (ClipDefinition& c) { c.group = group; });
}

SessionEditor::Result SessionEditor::setGain (int clip, double gainDb)
{
    return editClip (clip, "Set gain of " + clipTitle (clip), "gainDb", [&] (ClipDefinition& c) { c.gainDb = gainDb; });
}

SessionEditor::Result SessionEditor::setLevelTrim (int clip, double levelTrimDb)
{
    return editClip (clip, "Set level trim of " + clipTitle (clip), "levelTrimDb", [&] (ClipDefinition& c) { c.levelTrimDb = levelTrimDb; });
}

SessionEditor::Result SessionEditor::setLevels (int clip, double gainDb, double levelTrimDb)
{
    return editClip (clip, "Set levels of " + clipTitle (clip), "levels", [&] (ClipDefinition& c)
                     {
                         c.gainDb = gainDb;
                         c.levelTrimDb = levelTrimDb;
                     });
}

SessionEditor::Result SessionEditor::setFadeIn (int clip, std::optional<double> ms)
{
    return editClip (clip, "Set fade in of " + clipTitle (clip), "fadeInMs", [&] (ClipDefinition& c) { c.fadeInMs = ms; });
}

SessionEditor::Result SessionEditor::setFadeOut (int clip, std::optional<double> ms)
{
    return editClip (clip, "Set fade out of " + clipTitle (clip), "fadeOutMs", [&] (ClipDefinition& c) { c.fadeOutMs = ms; });
}

SessionEditor::Result SessionEditor::setFadeInCurve (int clip, std::optional<FadeCurve> curve)
{
    return editClip (clip, "Set fade-in curve of " + clipTitle (clip), "fadeInCurve", [&] (ClipDefinition& c) { c.fadeInCurve = curve; });
}

SessionEditor::Result SessionEditor::setFadeOutCurve (int clip, std::optional<FadeCurve> curve)
{
    return editClip (clip, "Set fade-out curve of " + clipTitle (clip), "fadeOutCurve", [&] (ClipDefinition& c) { c.fadeOutCurve = curve; });
}

SessionEditor::Result SessionEditor::setEdgeFade (int clip, double ms)
{
    return editClip (clip, "Set edge fade of " + clipTitle (clip), "edgeFadeMs", [&] (ClipDefinition& c) { c.edgeFadeMs = ms; });
}

SessionEditor::Result SessionEditor::setCueIn (int clip, std::optional<double> seconds)
{
    return editClip (clip, "Set cue in of " + clipTitle (clip), "cueInSec", [&] (ClipDefinition& c) { c.cueInSec = seconds; });
}

SessionEditor::Result SessionEditor::setCueOut (int clip, std::optional<double> seconds)
{
    return editClip (clip, "Set cue out of " + clipTitle (clip), "cueOutSec", [&] (ClipDefinition& c) { c.cueOutSec = seconds; });
}

SessionEditor::Result SessionEditor::setLoop (int clip, std::optional<LoopSettings> loop)
{
    return editClip (clip, (loop ? "Set loop of " : "Remove loop of ") + clipTitle (clip), "loop",
                     [&] (ClipDefinition& c) { c.loop = loop; });
}

SessionEditor::Result SessionEditor::setRetrigger (int clip, RetriggerMode mode)
{
    return editClip (clip, "Set retrigger of " + clipTitle (clip) + " to " + retriggerModeName (mode), "retrigger",
                     [&] (ClipDefinition& c) { c.retrigger = mode; });
}

SessionEditor::Result SessionEditor::setSolo (int clip, bool solo)
{
    return editClip (clip, (solo ? "Solo " : "Unsolo ") + clipTitle (clip), "solo", [&] (ClipDefinition& c) { c.solo = solo; });
}

SessionEditor::Result SessionEditor::setPan (int clip, double pan)
{
    return editClip (clip, "Set pan of " + clipTitle (clip), "pan", [&] (ClipDefinition& c) { c.pan = pan; });
}

SessionEditor::Result SessionEditor::setNotes (int clip, const std::string& notes)
{
    return editClip (clip, "Edit notes of " + clipTitle (clip), "notes", [&] (ClipDefinition& c) { c.notes = notes; });
}

SessionEditor::Result SessionEditor::setClip (int clip, const ClipDefinition& changed, const std::string& actionName)
{
    return editClip (clip, actionName, {}, [&] (ClipDefinition& c) { c = changed; });
}

//==============================================================================
const Tab* SessionEditor::findTab (int page, int tab) const
{
    if (page < 0 || page >= (int) session.pages.size())
        return nullptr;
    const auto& tabs = session.pages[(size_t) page].tabs;
    return tab >= 0 && tab < (int) tabs.size() ? &tabs[(size_t) tab] : nullptr;
}

Tab* SessionEditor::findTab (std::vector<Page>& pages, int page, int tab) const
{
    if (page < 0 || page >= (int) pages.size())
        return nullptr;
    auto& tabs = pages[(size_t) page].tabs;
    return tab >= 0 && tab < (int) tabs.size() ? &tabs[(size_t) tab] : nullptr;
}

int SessionEditor::clipAt (const Cell& cell) const
{
    const auto* tab = findTab (cell.page, cell.tab);
    if (tab == nullptr)
        return -1;
    const auto* slot = tab->slotAt (cell.row, cell.column);
    return slot != nullptr ? session.findClip (slot->clip) : -1;
}

namespace
{
    /** Why `cell` is not a cell of `pages`, or "". */
    std::string checkCell (const std::vector<Page>& pages, const SessionEditor::Cell& cell)
    {
        if (cell.page < 0 || cell.page >= (int) pages.size())
            return "no page " + std::to_string (cell.page + 1);
        const auto& tabs = pages[(size_t) cell.page].tabs;
        if (cell.tab < 0 || cell.tab >= (int) tabs.size())
            return "no tab " + std::to_string (cell.tab + 1) + " on page " + std::to_string (cell.page + 1);
        const auto& tab = tabs[(size_t) cell.tab];
        if (cell.row < 0 || cell.row >= tab.rows || cell.column < 0 || cell.column >= tab.columns)
            return cellText (cell) + " is outside the " + std::to_string (tab.rows) + " x " + std::to_string (tab.columns)
                   + " grid of tab '" + tab.name + "'";
        return {};
    }
}

bool SessionEditor::addMissingTabs (std::vector<Page>& pages, int page, int tab)
{
    if (page < 0 || page >= (int) pages.size() || tab < 0 || tab >= Page::maxTabs)
        return false;
    auto& tabs = pages[(size_t) page].tabs;
    const auto added = tab >= (int) tabs.size();
    while ((int) tabs.size() <= tab)
    {
        Tab created;
        created.name = "Tab " + std::to_string (tabs.size() + 1);
        tabs.push_back (std::move (created));
    }
    return added;
}

SessionEditor::Result SessionEditor::commitStructure (const std::string& name, std::vector<Page> pages,
                                                      std::vector<ClipDefinition> added, bool checkedUnlocked)
{
    if (! checkedUnlocked)
        if (auto result = checkUnlocked(); ! result)
            return result;
    if (session.clips.size() + added.size() > limits::maxClips)
        return Result::refused ("a session holds at most " + std::to_string (limits::maxClips) + " clips");
    const auto before = referencedClips (session.pages);
    const auto after = referencedClips (pages);
    StructureAction::IndexedClips removedClips, addedClips;
    for (size_t i = 0; i < session.clips.size(); ++i)
        if (before.count (session.clips[i].id) != 0 && after.count (session.clips[i].id) == 0)
            removedClips.emplace_back ((int) i, session.clips[i]);
    const auto firstAdded = session.clips.size() - removedClips.size();
    for (size_t i = 0; i < added.size(); ++i)
        addedClips.emplace_back ((int) (firstAdded + i), std::move (added[i]));
    const auto stateBefore = currentState;
    return perform (name, std::make_unique<StructureAction> (*this, name, session.pages, std::move (pages), std::move (removedClips),
                                                             std::move (addedClips), stateBefore, nextState++));
}

SessionEditor::Result SessionEditor::moveCell (const Cell& from, const Cell& to)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    auto pages = session.pages;
    addMissingTabs (pages, to.page, to.tab);
    for (const auto* cell : { &from, &to })
        if (auto problem = checkCell (pages, *cell); ! problem.empty())
            return Result::refused (problem);
    const auto moving = clipAt (from);
    if (moving < 0)
        return Result::refused (cellText (from) + " is empty");
    if (from == to)
        return {};
    auto& source = *findTab (pages, from.page, from.tab);
    auto& target = *findTab (pages, to.page, to.tab);
    const auto sourceSlot = findSlot (source, from.row, from.column);
    const auto targetSlot = findSlot (target, to.row, to.column);
    std::string name;
    if (targetSlot >= 0)
    {
        const auto other = session.findClip (target.slots[(size_t) targetSlot].clip);
        name = "Swap " + inQuotes (clipName (moving)) + " and " + inQuotes (other >= 0 ? clipName (other) : target.slots[(size_t) targetSlot].clip);
        std::swap (source.slots[(size_t) sourceSlot].clip, target.slots[(size_t) targetSlot].clip);
    }
    else
    {
        name = "Move " + inQuotes (clipName (moving));
        if (from.page != to.page || from.tab != to.tab)
            name += " to tab '" + target.name + "'" + (from.page != to.page ? " of page '" + pages[(size_t) to.page].name + "'" : std::string());
        auto slot = source.slots[(size_t) sourceSlot];
        source.slots.erase (source.slots.begin() + sourceSlot);
        slot.row = to.row;
        slot.column = to.column;
        target.slots.push_back (std::move (slot));
    }
    return commitStructure (name, std::move (pages), {}, true);
}

SessionEditor::Result SessionEditor::copyCell (const Cell& from, const Cell& to)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    auto pages = session.pages;
    addMissingTabs (pages, to.page, to.tab);
    for (const auto* cell : { &from, &to })
        if (auto problem = checkCell (pages, *cell); ! problem.empty())
            return Result::refused (problem);
    const auto source = clipAt (from);
    if (source < 0)
        return Result::refused (cellText (from) + " is empty");
    if (const auto occupant = clipAt (to); occupant >= 0)
        return Result::refused (cellText (to) + " holds " + inQuotes (clipName (occupant)) + ": copy to an empty cell");
    auto copy = session.clips[(size_t) source];
    copy.id = uniqueClipId (copy.id);  // Ctrl+drag: a second, independent clip
    findTab (pages, to.page, to.tab)->slots.push_back ({ to.row, to.column, copy.id });
    return commitStructure ("Copy " + inQuotes (clipName (source)), std::move (pages), { std::move (copy) }, true);
}

SessionEditor::Result SessionEditor::copyCells (const std::vector<Cell>& cells)
{
    // Positions are kept relative to each other: cells of two tabs could land on one cell.
    for (const auto& cell : cells)
        if (cell.page != cells.front().page || cell.tab != cells.front().tab)
            return Result::refused ("copy cells of one tab at a time");
    Clipboard copied;
    int top = Tab::maxRows, left = Tab::maxColumns;
    for (const auto& cell : cells)
        if (clipAt (cell) >= 0)
        {
            top = std::min (top, cell.row);
            left = std::min (left, cell.column);
        }
    for (const auto& cell : cells)
        if (const auto clip = clipAt (cell); clip >= 0)
            copied.entries.push_back ({ cell.row - top, cell.column - left, session.clips[(size_t) clip] });
    if (copied.empty())
        return Result::refused ("nothing to copy: the cells are empty");
    clipboard = std::move (copied);
    return {};
}

SessionEditor::Result SessionEditor::cutCells (const std::vector<Cell>& cells)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    const auto previous = clipboard;
    if (auto result = copyCells (cells); ! result)
        return result;
    auto result = removeCells (cells, "Cut");
    if (! result)
        clipboard = previous;
    return result;
}

SessionEditor::Result SessionEditor::deleteCells (const std::vector<Cell>& cells)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    return removeCells (cells, "Delete");
}

SessionEditor::Result SessionEditor::removeCells (const std::vector<Cell>& cells, const std::string& verb)
{
    auto pages = session.pages;
    size_t deleted = 0;
    std::string firstName;
    for (const auto& cell : cells)
    {
        auto* tab = findTab (pages, cell.page, cell.tab);
        const auto slot = tab != nullptr ? findSlot (*tab, cell.row, cell.column) : -1;
        if (slot < 0)
            continue;
        if (deleted++ == 0)
            if (const auto clip = session.findClip (tab->slots[(size_t) slot].clip); clip >= 0)
                firstName = clipName (clip);
        tab->slots.erase (tab->slots.begin() + slot);
    }
    if (deleted == 0)
        return Result::refused ("nothing to " + juce::String (verb).toLowerCase().toStdString() + ": the cells are empty");
    return commitStructure (verb + " " + countText (deleted, "clips", firstName), std::move (pages), {}, true);
}

SessionEditor::Result SessionEditor::paste (const Cell& at)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    if (clipboard.empty())
        return Result::refused ("nothing to paste");
    auto pages = session.pages;
    addMissingTabs (pages, at.page, at.tab);
    if (auto problem = checkCell (pages, at); ! problem.empty())
        return Result::refused (problem);
    auto& tab = *findTab (pages, at.page, at.tab);
    std::vector<ClipDefinition> added;
    auto taken = clipIds();
    for (const auto& entry : clipboard.entries)
    {
        const auto row = at.row + entry.rowOffset, column = at.column + entry.columnOffset;
        if (row >= tab.rows || column >= tab.columns)
            return Result::refused ("the clipboard's clips do not fit from " + cellText (at) + " in the "
                                    + std::to_string (tab.rows) + " x " + std::to_string (tab.columns) + " grid of tab '" + tab.name + "'");
        auto clip = entry.clip;
        // Cut + paste moves the clip (its id is free again); a copy gets a new id.
        clip.id = freshId (clip.id, taken);
        if (const auto slot = findSlot (tab, row, column); slot >= 0)
            tab.slots.erase (tab.slots.begin() + slot);
        tab.slots.push_back ({ row, column, clip.id });
        added.push_back (std::move (clip));
    }
    const auto& first = clipboard.entries.front().clip;
    const auto name = "Paste " + countText (added.size(), "clips", first.label.empty() ? first.id : first.label);
    return commitStructure (name, std::move (pages), std::move (added), true);
}

SessionEditor::Result SessionEditor::importFiles (const std::vector<ImportedFile>& files, const Cell& start)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    if (files.empty())
        return Result::refused ("no files to import");
    auto pages = session.pages;
    addMissingTabs (pages, start.page, start.tab);
    if (auto problem = checkCell (pages, start); ! problem.empty())
        return Result::refused (problem);
    auto& tab = *findTab (pages, start.page, start.tab);
    std::vector<std::pair<int, int>> freeCells;
    for (int row = start.row; row < tab.rows; ++row)
        for (int column = (row == start.row ? start.column : 0); column < tab.columns; ++column)
            if (findSlot (tab, row, column) < 0)
                freeCells.emplace_back (row, column);
    if (freeCells.size() < files.size())
        return Result::refused (std::to_string (files.size()) + " files, but tab '" + tab.name + "' has "
                                + std::to_string (freeCells.size()) + " empty cells from " + cellText (start));
    std::vector<ClipDefinition> added;
    auto taken = clipIds();
    for (size_t i = 0; i < files.size(); ++i)
    {
        const auto& file = files[i];
        ClipDefinition clip;
        clip.file = file.file;
        const auto stem = std::filesystem::path (file.file).stem().string();
        clip.label = file.label.empty() ? stem : file.label;
        clip.group = file.group;
        clip.gainDb = file.gainDb;
        clip.id = freshId (stem, taken);
        if (auto problem = validateClip (clip); ! problem.empty())
            return Result::refused (file.file + ": " + problem);
        tab.slots.push_back ({ freeCells[i].first, freeCells[i].second, clip.id });
        added.push_back (std::move (clip));
    }
    const auto name = "Import " + countText (files.size(), "files", std::filesystem::path (files.front().file).filename().string());
    return commitStructure (name, std::move (pages), std::move (added), true);
}

//==============================================================================
SessionEditor::Result SessionEditor::renameTab (int page, int tab, const std::string& name)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    auto pages = session.pages;
    addMissingTabs (pages, page, tab);  // a tab the page does not have yet (the UI shows 8)
    auto* found = findTab (pages, page, tab);
    if (found == nullptr)
        return Result::refused ("no tab " + std::to_string (tab + 1) + " on page " + std::to_string (page + 1));
    if (name.empty())
        return Result::refused ("a tab needs a name");
    if (found->name == name)
        return {};
    const auto action = "Rename tab " + inQuotes (found->name) + " to " + inQuotes (name);
    found->name = name;
    return commitStructure (action, std::move (pages), {}, true);
}

SessionEditor::Result SessionEditor::moveTab (int page, int from, int to)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    if (findTab (page, from) == nullptr || findTab (page, to) == nullptr)
        return Result::refused ("no such tab on page " + std::to_string (page + 1));
    if (from == to)
        return {};
    auto pages = session.pages;
    auto& tabs = pages[(size_t) page].tabs;
    const auto name = "Move tab " + inQuotes (tabs[(size_t) from].name);
    auto moved = std::move (tabs[(size_t) from]);
    tabs.erase (tabs.begin() + from);
    tabs.insert (tabs.begin() + to, std::move (moved));
    return commitStructure (name, std::move (pages), {}, true);
}

SessionEditor::Result SessionEditor::resizeTab (int page, int tab, int rows, int columns)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    auto pages = session.pages;
    addMissingTabs (pages, page, tab);  // a tab the page does not have yet (the UI shows 8)
    auto* found = findTab (pages, page, tab);
    if (found == nullptr)
        return Result::refused ("no tab " + std::to_string (tab + 1) + " on page " + std::to_string (page + 1));
    if (rows < 1 || rows > Tab::maxRows || columns < 1 || columns > Tab::maxColumns)
        return Result::refused ("a grid has 1 to " + std::to_string (Tab::maxRows) + " rows and 1 to "
                                + std::to_string (Tab::maxColumns) + " columns");
    if (found->rows == rows && found->columns == columns)
        return {};
    // Clips outside the new size, in reading order, go to its free cells in reading order.
    std::vector<size_t> outside;
    for (size_t i = 0; i < found->slots.size(); ++i)
        if (found->slots[i].row >= rows || found->slots[i].column >= columns)
            outside.push_back (i);
    std::sort (outside.begin(), outside.end(), [&] (size_t a, size_t b)
               {
                   const auto& x = found->slots[a];
                   const auto& y = found->slots[b];
                   return std::make_pair (x.row, x.column) < std::make_pair (y.row, y.column);
               });
    std::vector<std::pair<int, int>> freeCells;
    for (int row = 0; row < rows; ++row)
        for (int column = 0; column < columns; ++column)
            if (findSlot (*found, row, column) < 0)
                freeCells.emplace_back (row, column);
    const auto name = "Resize tab " + inQuotes (found->name) + " to " + std::to_string (rows) + " x " + std::to_string (columns);
    if (outside.size() > freeCells.size())
        return Result::refused ("tab " + inQuotes (found->name) + " holds " + std::to_string (found->slots.size()) + " clips; a "
                                + std::to_string (rows) + " x " + std::to_string (columns) + " grid has "
                                + std::to_string (rows * columns) + " cells");
    for (size_t i = 0; i < outside.size(); ++i)
    {
        found->slots[outside[i]].row = freeCells[i].first;
        found->slots[outside[i]].column = freeCells[i].second;
    }
    found->rows = rows;
    found->columns = columns;
    if (! outside.empty() && onBeforeRiskyEdit)
        onBeforeRiskyEdit (name);
    return commitStructure (name, std::move (pages), {}, true);
}

SessionEditor::Result SessionEditor::addPage (const std::string& name, int index)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    if (session.pages.size() >= limits::maxPages)
        return Result::refused ("a session holds at most " + std::to_string (limits::maxPages) + " pages");
    if (index < 0)
        index = (int) session.pages.size();
    if (index > (int) session.pages.size())
        return Result::refused ("no page position " + std::to_string (index + 1));
    Page page;
    page.name = name.empty() ? "Page " + std::to_string (session.pages.size() + 1) : name;
    for (int t = 0; t < Page::maxTabs; ++t)
    {
        Tab tab;
        tab.name = "Tab " + std::to_string (t + 1);
        page.tabs.push_back (std::move (tab));
    }
    const auto action = "Add page " + inQuotes (page.name);
    auto pages = session.pages;
    pages.insert (pages.begin() + index, std::move (page));
    return commitStructure (action, std::move (pages), {}, true);
}

SessionEditor::Result SessionEditor::renamePage (int page, const std::string& name)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    if (page < 0 || page >= (int) session.pages.size())
        return Result::refused ("no page " + std::to_string (page + 1));
    if (name.empty())
        return Result::refused ("a page needs a name");
    if (session.pages[(size_t) page].name == name)
        return {};
    auto pages = session.pages;
    const auto action = "Rename page " + inQuotes (pages[(size_t) page].name) + " to " + inQuotes (name);
    pages[(size_t) page].name = name;
    return commitStructure (action, std::move (pages), {}, true);
}

SessionEditor::Result SessionEditor::deletePage (int page)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    if (page < 0 || page >= (int) session.pages.size())
        return Result::refused ("no page " + std::to_string (page + 1));
    if (session.pages.size() == 1)
        return Result::refused ("a session keeps at least one page");
    auto pages = session.pages;
    const auto action = "Delete page " + inQuotes (pages[(size_t) page].name);
    pages.erase (pages.begin() + page);
    return commitStructure (action, std::move (pages), {}, true);
}

SessionEditor::Result SessionEditor::movePage (int from, int to)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    const auto count = (int) session.pages.size();
    if (from < 0 || from >= count || to < 0 || to >= count)
        return Result::refused ("no such page");
    if (from == to)
        return {};
    auto pages = session.pages;
    const auto action = "Move page " + inQuotes (pages[(size_t) from].name);
    auto moved = std::move (pages[(size_t) from]);
    pages.erase (pages.begin() + from);
    pages.insert (pages.begin() + to, std::move (moved));
    return commitStructure (action, std::move (pages), {}, true);
}

} // namespace cuegrid
