// CueGrid — GPL-3.0-or-later
#pragma once

#include "Session/Hotkeys.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cuegrid
{

/** A conflict the keymap window and the status bar show. */
struct KeyConflict
{
    enum class Kind
    {
        duplicateInScope,    // one key twice in one scope: only the first fires
        pageShadowsGlobal,   // a page key equal to a global one: the page key wins while the page is shown
        pageBlockedByGlobal  // a page key on Stop All, Fade All or Panic: those always win, the page key never fires
    };
    Kind kind;
    KeyChord chord;
    int page = -1;               // -1 = the global scope
    std::string description;     // "F1 is used twice on page 2 (clip a, clip b)"
};

/** What a key asks for, in the order it should run. Turned into ShowActions by the app. */
struct KeyCommand
{
    enum class Kind { fireClip, gateRelease, action };
    Kind kind = Kind::action;
    std::string clip;                  // fireClip / gateRelease
    KeyAction action = KeyAction::stopAll;
};

/** Resolves keys to clip fires and global actions: scopes, conflicts, key repeat and gate.
    No GUI: the UI reports key down (every KeyPress, repeats included) and key up, with a time.

    Resolution: a key of the shown page first, then a session-wide clip key, then a global action;
    except that Stop All, Fade All and Panic always win (a clip key can never hide them).
    Key repeat: a key that is already down fires nothing until it is released (identified by its
    key name, so releasing Shift before the key still counts as the same hold).
    Gate: the hotkey's clip starts on key down and gets a gateRelease on key up.
    Debounce (the session's hotkeys.debounceMs) is not applied here but in ShowActions, for every
    source alike; a fire it drops calls cancelGate() so its key up stops nothing.
    Message thread; not thread-safe. */
class KeyMap
{
public:
    void setSessionHotkeys (SessionHotkeys);
    void setGlobalKeymap (GlobalKeymap);
    const SessionHotkeys& sessionHotkeys() const noexcept { return session; }
    const GlobalKeymap& globalKeymap() const noexcept { return globals; }

    /** What `chord` means while `page` is shown, ignoring repeat and debounce. */
    std::optional<KeyCommand> resolve (const KeyChord& chord, int page) const;

    /** A key went down (or auto-repeated) at `nowMs` (any monotonic clock, ms). Returns what to run:
        nothing for a repeat of a held key. */
    std::vector<KeyCommand> keyDown (const KeyChord& chord, int page, double nowMs);

    /** A key went up: the gate releases of what its key down started. */
    std::vector<KeyCommand> keyUp (const std::string& keyName);

    /** Every key currently held (the UI polls these to notice releases). */
    std::vector<std::string> heldKeys() const;

    /** Forgets held keys (focus left the window: no key up will come); returns their gate releases. */
    std::vector<KeyCommand> releaseAll();

    /** Every conflict, globals first, then by page. */
    std::vector<KeyConflict> conflicts() const;

    /** The fire of `clip` by the latest held key was not performed (debounced): its key up
        releases nothing. */
    void cancelGate (const std::string& clip);

private:
    struct Held { std::string key; std::optional<std::string> gateClip; };

    SessionHotkeys session;
    GlobalKeymap globals = GlobalKeymap::defaults();
    std::vector<Held> held;
};

} // namespace cuegrid
