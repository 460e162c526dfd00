// CueGrid — GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cuegrid
{

/** A key with its modifiers, written as text: "F1", "Shift+Escape", "Ctrl+Tab", "Ctrl+Shift+PageDown".
    The key part is a JUCE-independent name (a letter or digit in upper case, "F1"…"F24", "Escape",
    "Space", "Return", "Tab", "Backspace", "Delete", "Insert", "Home", "End", "PageUp", "PageDown",
    "Left", "Right", "Up", "Down", or one printable character such as "," or "/"). The UI turns a
    juce::KeyPress into a KeyChord (UI/ShowKeys.h); Control never depends on the GUI. Plain data. */
struct KeyChord
{
    std::string key;                 // canonical key name; "" = no key
    bool ctrl = false, alt = false, shift = false;

    bool isValid() const noexcept { return ! key.empty(); }

    /** "Ctrl+Alt+Shift+Key" (modifiers in that order), "" for an invalid chord. */
    std::string toString() const;

    /** Parses "shift + escape", "Ctrl+PgDn", "f5", "Page Down": case-insensitive, spaces ignored,
        JUCE's KeyPress::getTextDescription() names accepted. nullopt for text that names no key. */
    static std::optional<KeyChord> parse (std::string_view text);

    /** The canonical name of a key name in any accepted spelling, or "" when unknown. */
    static std::string canonicalKeyName (std::string_view name);

    /** True when the key types a character in a text box (a letter, digit, punctuation or
        Space without Ctrl or Alt; Shift only changes the character). */
    bool isPrintable() const;

    bool operator== (const KeyChord& other) const noexcept
    {
        return key == other.key && ctrl == other.ctrl && alt == other.alt && shift == other.shift;
    }
    bool operator!= (const KeyChord& other) const noexcept { return ! (*this == other); }
};

/** The global actions a key can run, whatever page is shown. */
enum class KeyAction
{
    stopAll, fadeAll, pauseAll, resumeAll, panic,
    nextTab, previousTab, nextPage, previousPage,
    showModeToggle, openKeymap
};

inline constexpr KeyAction allKeyActions[] = {
    KeyAction::stopAll, KeyAction::fadeAll, KeyAction::pauseAll, KeyAction::resumeAll, KeyAction::panic,
    KeyAction::nextTab, KeyAction::previousTab, KeyAction::nextPage, KeyAction::previousPage,
    KeyAction::showModeToggle, KeyAction::openKeymap
};

/** "stopAll", "fadeAll", … (the preferences.json names). */
const char* keyActionName (KeyAction);
/** "Stop All", "Fade All", … (the keymap window's names). */
const char* keyActionTitle (KeyAction);
std::optional<KeyAction> keyActionFromName (std::string_view);

/** A clip's hotkey. Page-scoped keys fire only while their page is shown; global ones always. */
struct ClipHotkey
{
    std::string clip;        // ClipDefinition::id
    KeyChord chord;
    bool gate = false;       // key down starts the clip, key up stops it (ShowAction gate release)

    bool operator== (const ClipHotkey& o) const noexcept { return clip == o.clip && chord == o.chord && gate == o.gate; }
};

/** The session's hotkeys (manifest `hotkeys`, version 3): per page, session-wide clip keys and
    the key debounce. */
struct SessionHotkeys
{
    std::vector<std::vector<ClipHotkey>> pages;   // index = page index; may be shorter than the page list
    std::vector<ClipHotkey> global;               // fire whatever page is shown
    double debounceMs = 0.0;                      // minimum time between two GOs from the keyboard (0 … 10000 ms)

    bool isEmpty() const noexcept;
};

/** The workstation's global action keys (preferences.json `keymap`). */
struct GlobalKeymap
{
    struct Binding { KeyAction action; KeyChord chord; };
    std::vector<Binding> bindings;   // one entry per action; an invalid chord = unbound

    /** Escape Stop All, Shift+Escape Fade All, Ctrl+Space Pause All, Ctrl+Shift+Space Resume All,
        Ctrl+Shift+Escape Panic, Ctrl+Tab / Ctrl+Shift+Tab tabs, PageDown / PageUp pages,
        Ctrl+M Show mode on/off, Ctrl+K the keymap window. F1–F12, letters and digits are left for clips. */
    static GlobalKeymap defaults();

    KeyChord chordFor (KeyAction) const;
    void set (KeyAction, KeyChord);
};

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

/** Resolves keys to clip fires and global actions: scopes, conflicts, key repeat, gate and debounce.
    No GUI: the UI reports key down (every KeyPress, repeats included) and key up, with a time.

    Resolution: a key of the shown page first, then a session-wide clip key, then a global action;
    except that Stop All, Fade All and Panic always win (a clip key can never hide them).
    Key repeat: a key that is already down fires nothing until it is released (identified by its
    key name, so releasing Shift before the key still counts as the same hold).
    Gate: the hotkey's clip starts on key down and gets a gateRelease on key up.
    Debounce: a clip fire within debounceMs of the previous keyboard fire is dropped (global actions
    are never debounced: Stop All must always work).
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
        nothing for a repeat of a held key or a debounced fire. */
    std::vector<KeyCommand> keyDown (const KeyChord& chord, int page, double nowMs);

    /** A key went up: the gate releases of what its key down started. */
    std::vector<KeyCommand> keyUp (const std::string& keyName);

    /** Every key currently held (the UI polls these to notice releases). */
    std::vector<std::string> heldKeys() const;

    /** Forgets held keys (focus left the window: no key up will come); returns their gate releases. */
    std::vector<KeyCommand> releaseAll();

    /** Every conflict, globals first, then by page. */
    std::vector<KeyConflict> conflicts() const;

    /** Keyboard fires dropped by the debounce since construction. */
    int debouncedCount() const noexcept { return debounced; }

private:
    struct Held { std::string key; std::optional<std::string> gateClip; };

    SessionHotkeys session;
    GlobalKeymap globals = GlobalKeymap::defaults();
    std::vector<Held> held;
    std::optional<double> lastFireMs;
    int debounced = 0;
};

} // namespace cuegrid
