// CueGrid — GPL-3.0-or-later
#include "SessionEditor.h"

namespace cuegrid
{

/** The session's hotkeys before and after one keymap edit. */
class SessionEditor::HotkeysAction final : public juce::UndoableAction
{
public:
    HotkeysAction (SessionEditor& owner, std::string actionName, SessionHotkeys previous, SessionHotkeys changed,
                   uint64_t stateBefore, uint64_t stateAfter)
        : editor (owner), name (std::move (actionName)), before (std::move (previous)), after (std::move (changed)),
          beforeState (stateBefore), afterState (stateAfter) {}

    bool perform() override { return apply (after, afterState); }
    bool undo() override { return apply (before, beforeState); }

private:
    bool apply (const SessionHotkeys& value, uint64_t state)
    {
        editor.session.hotkeys = value;
        Change change;
        change.name = name;
        editor.stateChanged (state, change);
        return true;
    }

    SessionEditor& editor;
    std::string name;
    SessionHotkeys before, after;
    uint64_t beforeState, afterState;
};

SessionEditor::Result SessionEditor::setHotkeys (SessionHotkeys hotkeys, const std::string& actionName)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    const auto ids = clipIds();
    for (const auto* keys : { &hotkeys.global })
        for (const auto& key : *keys)
            if (ids.count (key.clip) == 0)
                return Result::refused ("no clip \"" + key.clip + "\"");
    if (hotkeys.pages.size() > session.pages.size())
        hotkeys.pages.resize (session.pages.size());   // a page deleted meanwhile
    for (const auto& keys : hotkeys.pages)
        for (const auto& key : keys)
            if (ids.count (key.clip) == 0)
                return Result::refused ("no clip \"" + key.clip + "\"");
    const auto stateBefore = currentState;
    return perform (actionName, std::make_unique<HotkeysAction> (*this, actionName, session.hotkeys, std::move (hotkeys),
                                                                 stateBefore, nextState++));
}

} // namespace cuegrid
