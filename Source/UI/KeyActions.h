// CueGrid — GPL-3.0-or-later
#pragma once

#include "Control/KeyMap.h"
#include "Control/ShowActions.h"


namespace cuegrid
{

/** The ShowAction a key asks for (ActionSource key). Show mode on/off is a toggle of the
    current state `showModeOn`; Fade All fades over 1 s, as the FADE ALL button. The keymap
    window is not a ShowAction (the app opens it itself). */
inline ShowAction showActionForKey (const KeyCommand& command, bool showModeOn)
{
    using Type = ShowAction::Type;
    if (command.kind == KeyCommand::Kind::fireClip)
        return ShowAction::forClipId (Type::fire, command.clip);
    if (command.kind == KeyCommand::Kind::gateRelease)
        return ShowAction::forClipId (Type::gateRelease, command.clip);
    switch (command.action)
    {
        case KeyAction::stopAll:        return ShowAction::of (Type::stopAll);
        case KeyAction::fadeAll:        return ShowAction::of (Type::fadeAll, 1.0);
        case KeyAction::pauseAll:       return ShowAction::of (Type::pauseAll);
        case KeyAction::resumeAll:      return ShowAction::of (Type::resumeAll);
        case KeyAction::panic:          return ShowAction::of (Type::panic);
        case KeyAction::nextTab:        return ShowAction::of (Type::nextTab);
        case KeyAction::previousTab:    return ShowAction::of (Type::previousTab);
        case KeyAction::nextPage:       return ShowAction::of (Type::nextPage);
        case KeyAction::previousPage:   return ShowAction::of (Type::previousPage);
        case KeyAction::showModeToggle: return ShowAction::of (Type::showMode, showModeOn ? 0.0 : 1.0);
        case KeyAction::openKeymap:     break;
    }
    return ShowAction::of (Type::stopAll);
}

} // namespace cuegrid
