// CueGrid — GPL-3.0-or-later
#pragma once

#include "SessionEditor.h"

namespace cuegrid
{

/** The value of one whole field of the session (`Session::*field`) before and after one edit:
    a keymap change, a MIDI learn. Private to SessionEditor's .cpp files. */
template <typename Value>
class SessionEditor::FieldAction final : public juce::UndoableAction
{
public:
    FieldAction (SessionEditor& owner, Value Session::* sessionField, std::string actionName, Value previous, Value changed,
                 uint64_t stateBefore, uint64_t stateAfter)
        : editor (owner), field (sessionField), name (std::move (actionName)), before (std::move (previous)),
          after (std::move (changed)), beforeState (stateBefore), afterState (stateAfter) {}

    bool perform() override { return apply (after, afterState); }
    bool undo() override { return apply (before, beforeState); }

private:
    bool apply (const Value& value, uint64_t state)
    {
        editor.session.*field = value;
        Change change;
        change.name = name;
        editor.stateChanged (state, change);
        return true;
    }

    SessionEditor& editor;
    Value Session::* field;
    std::string name;
    Value before, after;
    uint64_t beforeState, afterState;
};

template <typename Value>
SessionEditor::Result SessionEditor::setField (Value Session::* field, Value value, const std::string& actionName)
{
    const auto stateBefore = currentState;
    return perform (actionName, std::make_unique<FieldAction<Value>> (*this, field, actionName, session.*field, std::move (value),
                                                                      stateBefore, nextState++));
}

} // namespace cuegrid
