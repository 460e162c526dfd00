// CueGrid — GPL-3.0-or-later
#include "SessionEditor.h"
#include "SessionEditorText.h"

#include "Session/ClipPlayback.h"
#include "Session/Limits.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <unordered_set>

namespace cuegrid
{

using editortext::inQuotes;

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
               && a.notes == b.notes && a.timecode == b.timecode && a.chase == b.chase;
    }

    bool sameLevels (const ClipDefinition& a, const ClipDefinition& b)
    {
        return a.gainDb == b.gainDb && a.levelTrimDb == b.levelTrimDb && a.pan == b.pan;
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

void SessionEditor::setMediaLocked (bool shouldLock, std::string reason)
{
    mediaLocked = shouldLock;
    mediaLockReason = reason.empty() ? std::string ("a media folder change is running: clip media cannot change until it is done")
                                     : std::move (reason);
}

SessionEditor::Result SessionEditor::checkMediaUnlocked() const
{
    return mediaLocked ? Result::refused (mediaLockReason) : Result {};
}

namespace
{
    using ClipFiles = std::unordered_set<std::string>;   // "id\nfile"
    ClipFiles clipFiles (const Session& session)
    {
        ClipFiles files;
        for (const auto& clip : session.clips)
            files.insert (clip.id + "\n" + clip.file);
        return files;
    }
    /** A clip of `after` that `before` did not have with that file: an added clip or a new path. */
    bool pointsAtNewFile (const ClipFiles& before, const Session& after)
    {
        for (const auto& clip : after.clips)
            if (before.count (clip.id + "\n" + clip.file) == 0)
                return true;
        return false;
    }
} // namespace

SessionEditor::Result SessionEditor::undoOrRedo (bool undoing)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    if (undoing ? ! undoManager.canUndo() : ! undoManager.canRedo())
        return Result::refused (undoing ? "nothing to undo" : "nothing to redo");
    const auto name = (undoing ? undoManager.getUndoDescription() : undoManager.getRedoDescription()).toStdString();
    auto step = [this, undoing] (bool forward) { return forward == undoing ? undoManager.undo() : undoManager.redo(); };
    if (! mediaLocked)
        return step (true) ? Result {} : Result::refused (std::string (undoing ? "could not undo " : "could not redo ") + name);

    // Which step it is shows only once done: done with onChange held back, reversed if it touches media.
    const auto before = clipFiles (session);
    std::vector<Change> held;
    heldChanges = &held;
    const bool done = step (true);
    const bool touchesMedia = done && pointsAtNewFile (before, session);
    if (touchesMedia)
        step (false);
    heldChanges = nullptr;
    if (touchesMedia)
        return Result::refused (mediaLockReason + " (" + (undoing ? "undo " : "redo ") + name + ")");
    if (onChange)
        for (const auto& change : held)
            onChange (change);
    return done ? Result {} : Result::refused (std::string (undoing ? "could not undo " : "could not redo ") + name);
}

SessionEditor::Result SessionEditor::undo() { return undoOrRedo (true); }

SessionEditor::Result SessionEditor::redo() { return undoOrRedo (false); }

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
    if (heldChanges != nullptr)
        heldChanges->push_back (change);
    else if (onChange)
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
    if (clip.timecode && ! clip.timecode->isValid())
        return "timecode " + clip.timecode->toString() + " is not a timecode at " + frameRateName (clip.timecode->rate) + " fps";
    if (clip.chase && ! clip.timecode)
        return "a clip chases its timecode: set a timecode first";
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

} // namespace cuegrid
