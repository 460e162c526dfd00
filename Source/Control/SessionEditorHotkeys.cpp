// CueGrid — GPL-3.0-or-later
#include "SessionEditorFieldAction.h"

namespace cuegrid
{

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
    return setField (&Session::hotkeys, std::move (hotkeys), actionName);
}

} // namespace cuegrid
