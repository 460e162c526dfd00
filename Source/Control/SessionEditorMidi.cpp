// CueGrid — GPL-3.0-or-later
#include "SessionEditorFieldAction.h"

namespace cuegrid
{

SessionEditor::Result SessionEditor::setMidi (SessionMidi midi, const std::string& actionName)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    return setField (&Session::midi, std::move (midi), actionName);
}

} // namespace cuegrid
