// CueGrid — GPL-3.0-or-later
#include "SessionEditor.h"

namespace cuegrid
{

/** The session's MIDI mappings before and after one learn. */
class SessionEditor::MidiAction final : public juce::UndoableAction
{
public:
    MidiAction (SessionEditor& owner, std::string actionName, SessionMidi previous, SessionMidi changed,
                uint64_t stateBefore, uint64_t stateAfter)
        : editor (owner), name (std::move (actionName)), before (std::move (previous)), after (std::move (changed)),
          beforeState (stateBefore), afterState (stateAfter) {}

    bool perform() override { return apply (after, afterState); }
    bool undo() override { return apply (before, beforeState); }

private:
    bool apply (const SessionMidi& value, uint64_t state)
    {
        editor.session.midi = value;
        Change change;
        change.name = name;
        editor.stateChanged (state, change);
        return true;
    }

    SessionEditor& editor;
    std::string name;
    SessionMidi before, after;
    uint64_t beforeState, afterState;
};

SessionEditor::Result SessionEditor::setMidi (SessionMidi midi, const std::string& actionName)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    const auto stateBefore = currentState;
    return perform (actionName, std::make_unique<MidiAction> (*this, actionName, session.midi, std::move (midi), stateBefore, nextState++));
}

} // namespace cuegrid
