// CueGrid — GPL-3.0-or-later
// Relinking missing media (issue 13) as an editor edit: the relink panel's decisions, one undo step.
#include "SessionEditor.h"

namespace cuegrid
{

/** Sets the `file` of some clips (by id); undo puts the previous files back. */
class SessionEditor::RelinkAction final : public juce::UndoableAction
{
public:
    using Files = std::vector<std::pair<std::string, std::string>>;   // (clip id, file)

    RelinkAction (SessionEditor& owner, std::string actionName, Files previous, Files changed, uint64_t stateBefore, uint64_t stateAfter)
        : editor (owner), name (std::move (actionName)), before (std::move (previous)), after (std::move (changed)),
          beforeState (stateBefore), afterState (stateAfter) {}

    bool perform() override { return apply (after, afterState); }
    bool undo() override { return apply (before, beforeState); }

private:
    bool apply (const Files& files, uint64_t state)
    {
        Change change;
        change.name = name;
        change.clipListChanged = true;   // ClipSlots follows a changed file: the clip's media is read again
        for (const auto& [id, file] : files)
        {
            const auto index = editor.session.findClip (id);
            if (index < 0)
                return false;
            editor.session.clips[(size_t) index].file = file;
            change.clips.push_back (id);
        }
        editor.stateChanged (state, change);
        return true;
    }

    SessionEditor& editor;
    std::string name;
    Files before, after;
    uint64_t beforeState, afterState;
};

SessionEditor::Result SessionEditor::relinkMedia (const std::vector<std::pair<std::string, std::string>>& clipFiles,
                                                  const std::string& actionName)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    if (auto result = checkMediaUnlocked(); ! result)
        return result;
    RelinkAction::Files before, after;
    for (const auto& [id, file] : clipFiles)
    {
        const auto index = session.findClip (id);
        if (index < 0)
            return Result::refused ("no clip '" + id + "'");
        if (file.empty())
            return Result::refused ("clip '" + id + "': no file");
        if (session.clips[(size_t) index].file == file)
            continue;
        before.emplace_back (id, session.clips[(size_t) index].file);
        after.emplace_back (id, file);
    }
    if (after.empty())
        return {};   // nothing to undo
    const auto stateBefore = currentState;
    return perform (actionName, std::make_unique<RelinkAction> (*this, actionName, std::move (before), std::move (after),
                                                                stateBefore, nextState++));
}

} // namespace cuegrid
