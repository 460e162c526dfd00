// CueGrid — GPL-3.0-or-later
// SessionEditor's timecode edits (manifest v4, issue 12): a clip's timecode trigger and chase,
// and the show's timecode rate. docs/clock.md, "Editing timecode in the app".
#include "SessionEditor.h"

#include <utility>

namespace cuegrid
{

/** The show's rate and every clip's label with it, before and after: the labels are read at the
    show's rate, so a rate change re-reads them all in one undo step. Clips found by id. */
class SessionEditor::TimecodeRateAction final : public juce::UndoableAction
{
public:
    using Labels = std::vector<std::pair<std::string, Timecode>>;   // clip id, its label

    TimecodeRateAction (SessionEditor& owner, std::string actionName, TimecodeSettings previous, TimecodeSettings changed,
                        Labels labelsBefore, Labels labelsAfter, uint64_t stateBefore, uint64_t stateAfter)
        : editor (owner), name (std::move (actionName)), before (previous), after (changed),
          beforeLabels (std::move (labelsBefore)), afterLabels (std::move (labelsAfter)),
          beforeState (stateBefore), afterState (stateAfter) {}

    bool perform() override { return apply (after, afterLabels, afterState); }
    bool undo() override { return apply (before, beforeLabels, beforeState); }

private:
    bool apply (const TimecodeSettings& settings, const Labels& labels, uint64_t state)
    {
        editor.session.timecode = settings;
        Change change;
        change.name = name;
        for (const auto& [id, label] : labels)
            if (const auto index = editor.session.findClip (id); index >= 0)
            {
                editor.session.clips[(size_t) index].timecode = label;
                change.clips.push_back (id);
            }
        editor.stateChanged (state, change);
        return true;
    }

    SessionEditor& editor;
    std::string name;
    TimecodeSettings before, after;
    Labels beforeLabels, afterLabels;
    uint64_t beforeState, afterState;
};

SessionEditor::Result SessionEditor::setTimecode (int clip, std::optional<Timecode> timecode)
{
    if (timecode && timecode->rate != session.timecode.fps)
        return Result::refused ("timecode " + timecode->toString() + " is at " + frameRateName (timecode->rate)
                                + " fps, the show's is " + frameRateName (session.timecode.fps));
    const auto name = (timecode ? "Set timecode of " : "Remove timecode of ") + clipTitle (clip);
    return editClip (clip, name, "timecode", [&] (ClipDefinition& c)
                     {
                         c.timecode = timecode;
                         if (! timecode)
                             c.chase = false;   // chase needs a timecode
                     });
}

SessionEditor::Result SessionEditor::setChase (int clip, bool chase)
{
    return editClip (clip, (chase ? "Chase " : "Stop chasing ") + clipTitle (clip), "chase",
                     [&] (ClipDefinition& c) { c.chase = chase; });
}

SessionEditor::Result SessionEditor::setTimecodeFps (FrameRate fps)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    if (fps == session.timecode.fps)
        return {};
    TimecodeRateAction::Labels before, after;
    for (size_t i = 0; i < session.clips.size(); ++i)
    {
        const auto& clip = session.clips[i];
        if (! clip.timecode)
            continue;
        auto label = *clip.timecode;
        label.rate = fps;
        if (! label.isValid())
            return Result::refused (clipName ((int) i) + ": timecode " + clip.timecode->toString() + " is no label at "
                                    + frameRateName (fps) + " fps: change it first");
        before.emplace_back (clip.id, *clip.timecode);
        after.emplace_back (clip.id, label);
    }
    auto settings = session.timecode;
    settings.fps = fps;
    const auto name = std::string ("Set the show's timecode to ") + frameRateName (fps) + " fps";
    const auto stateBefore = currentState;
    return perform (name, std::make_unique<TimecodeRateAction> (*this, name, session.timecode, settings, std::move (before),
                                                                std::move (after), stateBefore, nextState++));
}

} // namespace cuegrid
