// CueGrid — GPL-3.0-or-later
#include "Control/KeyMap.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace cuegrid
{

namespace
{
std::string lowerNoSpaces (std::string_view text)
{
    std::string out;
    for (const char c : text)
        if (c != ' ' && c != '\t')
            out += (char) std::tolower ((unsigned char) c);
    return out;
}

// Spellings accepted for named keys (lower case, no spaces) → canonical name.
// JUCE's getTextDescription() names are among them ("spacebar", "page down", "cursor left", …).
struct KeyName { const char* spelling; const char* canonical; };
constexpr KeyName namedKeys[] = {
    { "escape", "Escape" }, { "esc", "Escape" },
    { "space", "Space" }, { "spacebar", "Space" },
    { "return", "Return" }, { "enter", "Return" },
    { "tab", "Tab" }, { "backspace", "Backspace" },
    { "delete", "Delete" }, { "del", "Delete" }, { "insert", "Insert" }, { "ins", "Insert" },
    { "home", "Home" }, { "end", "End" },
    { "pageup", "PageUp" }, { "pgup", "PageUp" }, { "prior", "PageUp" },
    { "pagedown", "PageDown" }, { "pgdn", "PageDown" }, { "next", "PageDown" },
    { "left", "Left" }, { "cursorleft", "Left" }, { "right", "Right" }, { "cursorright", "Right" },
    { "up", "Up" }, { "cursorup", "Up" }, { "down", "Down" }, { "cursordown", "Down" },
    { "plus", "+" },
};
} // namespace

std::string KeyChord::canonicalKeyName (std::string_view name)
{
    const auto lower = lowerNoSpaces (name);
    if (lower.empty())
        return name.size() == 1 && name[0] == ' ' ? "Space" : "";
    for (const auto& k : namedKeys)
        if (lower == k.spelling)
            return k.canonical;
    if (lower.size() >= 2 && lower[0] == 'f' && std::all_of (lower.begin() + 1, lower.end(), [] (char c) { return std::isdigit ((unsigned char) c) != 0; }))
    {
        const auto n = std::stoi (lower.substr (1));
        return n >= 1 && n <= 24 ? std::string ("F").append (std::to_string (n)) : std::string();
    }
    if (lower.size() == 1 && std::isprint ((unsigned char) lower[0]))
        return std::string (1, (char) std::toupper ((unsigned char) lower[0]));
    return "";
}

std::string KeyChord::toString() const
{
    if (! isValid())
        return {};
    std::string text;
    if (ctrl) text += "Ctrl+";
    if (alt) text += "Alt+";
    if (shift) text += "Shift+";
    return text + key;
}

std::optional<KeyChord> KeyChord::parse (std::string_view text)
{
    KeyChord chord;
    std::string part;
    std::vector<std::string> parts;
    // Split at '+', but a trailing "+" (or "Ctrl++") is the plus key itself.
    for (size_t i = 0; i < text.size(); ++i)
    {
        const char c = text[i];
        if (c == '+' && ! lowerNoSpaces (part).empty())
        {
            parts.push_back (part);
            part.clear();
        }
        else
            part += c;
    }
    parts.push_back (part);

    for (size_t i = 0; i + 1 < parts.size(); ++i)
    {
        const auto modifier = lowerNoSpaces (parts[i]);
        if (modifier == "ctrl" || modifier == "control" || modifier == "command" || modifier == "cmd")
            chord.ctrl = true;
        else if (modifier == "alt" || modifier == "option")
            chord.alt = true;
        else if (modifier == "shift")
            chord.shift = true;
        else
            return std::nullopt;
    }
    chord.key = canonicalKeyName (parts.back());
    if (! chord.isValid())
        return std::nullopt;
    return chord;
}

bool KeyChord::isPrintable() const
{
    if (ctrl || alt)
        return false;
    return key == "Space" || (key.size() == 1 && std::isprint ((unsigned char) key[0]));
}

const char* keyActionName (KeyAction action)
{
    switch (action)
    {
        case KeyAction::stopAll:        return "stopAll";
        case KeyAction::fadeAll:        return "fadeAll";
        case KeyAction::pauseAll:       return "pauseAll";
        case KeyAction::resumeAll:      return "resumeAll";
        case KeyAction::panic:          return "panic";
        case KeyAction::nextTab:        return "nextTab";
        case KeyAction::previousTab:    return "previousTab";
        case KeyAction::nextPage:       return "nextPage";
        case KeyAction::previousPage:   return "previousPage";
        case KeyAction::showModeToggle: return "showMode";
        case KeyAction::openKeymap:     return "keymapWindow";
    }
    return "";
}

const char* keyActionTitle (KeyAction action)
{
    switch (action)
    {
        case KeyAction::stopAll:        return "Stop All";
        case KeyAction::fadeAll:        return "Fade All";
        case KeyAction::pauseAll:       return "Pause All";
        case KeyAction::resumeAll:      return "Resume All";
        case KeyAction::panic:          return "Panic";
        case KeyAction::nextTab:        return "Next tab";
        case KeyAction::previousTab:    return "Previous tab";
        case KeyAction::nextPage:       return "Next page";
        case KeyAction::previousPage:   return "Previous page";
        case KeyAction::showModeToggle: return "Show mode on/off";
        case KeyAction::openKeymap:     return "Keymap window";
    }
    return "";
}

std::optional<KeyAction> keyActionFromName (std::string_view name)
{
    for (const auto action : allKeyActions)
        if (name == keyActionName (action))
            return action;
    return std::nullopt;
}

bool SessionHotkeys::isEmpty() const noexcept
{
    return global.empty() && debounceMs == 0.0
        && std::all_of (pages.begin(), pages.end(), [] (const auto& keys) { return keys.empty(); });
}

GlobalKeymap GlobalKeymap::defaults()
{
    GlobalKeymap map;
    const auto bind = [&map] (KeyAction action, const char* text) { map.bindings.push_back ({ action, *KeyChord::parse (text) }); };
    bind (KeyAction::stopAll, "Escape");
    bind (KeyAction::fadeAll, "Shift+Escape");
    bind (KeyAction::pauseAll, "Ctrl+Space");
    bind (KeyAction::resumeAll, "Ctrl+Shift+Space");
    bind (KeyAction::panic, "Ctrl+Shift+Escape");
    bind (KeyAction::nextTab, "Ctrl+Tab");
    bind (KeyAction::previousTab, "Ctrl+Shift+Tab");
    bind (KeyAction::nextPage, "PageDown");
    bind (KeyAction::previousPage, "PageUp");
    bind (KeyAction::showModeToggle, "Ctrl+M");
    bind (KeyAction::openKeymap, "Ctrl+K");
    return map;
}

KeyChord GlobalKeymap::chordFor (KeyAction action) const
{
    for (const auto& binding : bindings)
        if (binding.action == action)
            return binding.chord;
    return {};
}

void GlobalKeymap::set (KeyAction action, KeyChord chord)
{
    for (auto& binding : bindings)
        if (binding.action == action)
        {
            binding.chord = std::move (chord);
            return;
        }
    bindings.push_back ({ action, std::move (chord) });
}

void KeyMap::setSessionHotkeys (SessionHotkeys hotkeys) { session = std::move (hotkeys); }
void KeyMap::setGlobalKeymap (GlobalKeymap map) { globals = std::move (map); }

namespace
{
bool alwaysWins (KeyAction action)
{
    return action == KeyAction::stopAll || action == KeyAction::fadeAll || action == KeyAction::panic;
}

const ClipHotkey* findIn (const std::vector<ClipHotkey>& keys, const KeyChord& chord)
{
    for (const auto& key : keys)
        if (key.chord == chord)
            return &key;
    return nullptr;
}

KeyCommand fire (const ClipHotkey& key) { return { KeyCommand::Kind::fireClip, key.clip, KeyAction::stopAll }; }
} // namespace

std::optional<KeyCommand> KeyMap::resolve (const KeyChord& chord, int page) const
{
    if (! chord.isValid())
        return std::nullopt;

    std::optional<KeyAction> globalAction;
    for (const auto& binding : globals.bindings)
        if (binding.chord.isValid() && binding.chord == chord)
        {
            globalAction = binding.action;
            break;
        }
    if (globalAction && alwaysWins (*globalAction))
        return KeyCommand { KeyCommand::Kind::action, {}, *globalAction };

    if (page >= 0 && (size_t) page < session.pages.size())
        if (const auto* key = findIn (session.pages[(size_t) page], chord))
            return fire (*key);
    if (const auto* key = findIn (session.global, chord))
        return fire (*key);
    if (globalAction)
        return KeyCommand { KeyCommand::Kind::action, {}, *globalAction };
    return std::nullopt;
}

static const ClipHotkey* resolveClipKey (const SessionHotkeys& session, const KeyChord& chord, int page)
{
    if (page >= 0 && (size_t) page < session.pages.size())
        if (const auto* key = findIn (session.pages[(size_t) page], chord))
            return key;
    return findIn (session.global, chord);
}

std::vector<KeyCommand> KeyMap::keyDown (const KeyChord& chord, int page, double nowMs)
{
    for (const auto& h : held)
        if (h.key == chord.key)
            return {};   // auto-repeat (or a second press without a release we saw): fires once per hold

    Held hold { chord.key, std::nullopt };
    std::vector<KeyCommand> commands;
    if (auto command = resolve (chord, page))
    {
        if (command->kind == KeyCommand::Kind::fireClip)
        {
            if (lastFireMs && nowMs - *lastFireMs < session.debounceMs)
            {
                ++debounced;
                command.reset();
            }
            else
            {
                lastFireMs = nowMs;
                const auto* key = resolveClipKey (session, chord, page);
                if (key != nullptr && key->gate)
                    hold.gateClip = key->clip;
            }
        }
        if (command)
            commands.push_back (*command);
    }
    held.push_back (std::move (hold));
    return commands;
}

std::vector<KeyCommand> KeyMap::keyUp (const std::string& keyName)
{
    std::vector<KeyCommand> commands;
    for (auto it = held.begin(); it != held.end(); ++it)
        if (it->key == keyName)
        {
            if (it->gateClip)
                commands.push_back ({ KeyCommand::Kind::gateRelease, *it->gateClip, KeyAction::stopAll });
            held.erase (it);
            break;
        }
    return commands;
}

std::vector<std::string> KeyMap::heldKeys() const
{
    std::vector<std::string> keys;
    for (const auto& h : held)
        keys.push_back (h.key);
    return keys;
}

std::vector<KeyCommand> KeyMap::releaseAll()
{
    std::vector<KeyCommand> commands;
    for (const auto& h : held)
        if (h.gateClip)
            commands.push_back ({ KeyCommand::Kind::gateRelease, *h.gateClip, KeyAction::stopAll });
    held.clear();
    return commands;
}

std::vector<KeyConflict> KeyMap::conflicts() const
{
    std::vector<KeyConflict> found;
    const auto scopeName = [] (int page) { return page < 0 ? std::string ("the global keys") : "page " + std::to_string (page + 1); };

    // The global scope: action keys and session-wide clip keys together.
    struct Entry { KeyChord chord; std::string what; std::optional<KeyAction> action; };
    std::vector<Entry> globalEntries;
    for (const auto& binding : globals.bindings)
        if (binding.chord.isValid())
            globalEntries.push_back ({ binding.chord, keyActionTitle (binding.action), binding.action });
    for (const auto& key : session.global)
        globalEntries.push_back ({ key.chord, "clip " + key.clip, std::nullopt });

    const auto duplicates = [&] (const std::vector<Entry>& entries, int page)
    {
        for (size_t i = 0; i < entries.size(); ++i)
            for (size_t j = i + 1; j < entries.size(); ++j)
                if (entries[i].chord == entries[j].chord)
                    found.push_back ({ KeyConflict::Kind::duplicateInScope, entries[i].chord, page,
                                       entries[i].chord.toString() + " is used twice in " + scopeName (page) + " (" + entries[i].what + ", " + entries[j].what + ")" });
    };
    duplicates (globalEntries, -1);

    for (size_t p = 0; p < session.pages.size(); ++p)
    {
        std::vector<Entry> pageEntries;
        for (const auto& key : session.pages[p])
            pageEntries.push_back ({ key.chord, "clip " + key.clip, std::nullopt });
        duplicates (pageEntries, (int) p);

        for (const auto& entry : pageEntries)
            for (const auto& global : globalEntries)
                if (entry.chord == global.chord)
                {
                    const bool blocked = global.action && alwaysWins (*global.action);
                    found.push_back ({ blocked ? KeyConflict::Kind::pageBlockedByGlobal : KeyConflict::Kind::pageShadowsGlobal,
                                       entry.chord, (int) p,
                                       entry.chord.toString() + " on " + scopeName ((int) p) + " (" + entry.what + ") "
                                           + (blocked ? "never fires: it is " + global.what + "'s key"
                                                      : "hides " + global.what + " while the page is shown") });
                }
    }
    return found;
}

} // namespace cuegrid
