// CueGrid — GPL-3.0-or-later
#pragma once

#include <nlohmann/json.hpp>

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

/** JSON of the session's `hotkeys` (manifest version 3):
    {"debounceMs": 0, "global": [{"clip": "id", "key": "F1", "gate": false}], "pages": [[…], …]}.
    Empty members are left out; an empty SessionHotkeys writes an empty object (leave it out). */
nlohmann::ordered_json hotkeysToJson (const SessionHotkeys&);

/** Reads what hotkeysToJson writes. Throws std::invalid_argument with a readable path
    ("hotkeys.pages[1][0].key: \"Hyper+F1\" names no key") on a wrong type, an unknown key
    name or a debounce outside 0 … 10000 ms. Clip ids are not checked here (the manifest
    checks them against its clips). */
SessionHotkeys hotkeysFromJson (const nlohmann::json&);

/** JSON of the global keymap (preferences.json `keymap`): {"stopAll": "Escape", …, "panic": ""}
    ("" = unbound). */
nlohmann::ordered_json keymapToJson (const GlobalKeymap&);

/** Reads preferences' `keymap` over the defaults: actions it does not name keep their default
    key. Never throws: what cannot be read is listed in `problem` and keeps its default. */
GlobalKeymap keymapFromJson (const nlohmann::json&, std::string& problem);

} // namespace cuegrid
