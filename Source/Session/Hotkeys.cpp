// CueGrid — GPL-3.0-or-later
#include "Session/Hotkeys.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>
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

namespace
{
nlohmann::ordered_json keysToJson (const std::vector<ClipHotkey>& keys)
{
    auto array = nlohmann::ordered_json::array();
    for (const auto& key : keys)
    {
        nlohmann::ordered_json entry { { "clip", key.clip }, { "key", key.chord.toString() } };
        if (key.gate)
            entry["gate"] = true;
        array.push_back (std::move (entry));
    }
    return array;
}

[[noreturn]] void fail (const std::string& path, const std::string& what)
{
    throw std::invalid_argument (path + ": " + what);
}

std::vector<ClipHotkey> keysFromJson (const nlohmann::json& array, const std::string& path)
{
    if (! array.is_array())
        fail (path, "expected an array of {clip, key, gate}");
    std::vector<ClipHotkey> keys;
    for (size_t i = 0; i < array.size(); ++i)
    {
        const auto& entry = array[i];
        const auto where = path + "[" + std::to_string (i) + "]";
        if (! entry.is_object())
            fail (where, "expected an object {clip, key, gate}");
        if (! entry.contains ("clip") || ! entry["clip"].is_string() || entry["clip"].get<std::string>().empty())
            fail (where + ".clip", "expected a clip id");
        if (! entry.contains ("key") || ! entry["key"].is_string())
            fail (where + ".key", "expected a key such as \"F1\"");
        const auto text = entry["key"].get<std::string>();
        const auto chord = KeyChord::parse (text);
        if (! chord)
            fail (where + ".key", "\"" + text + "\" names no key");
        bool gate = false;
        if (entry.contains ("gate"))
        {
            if (! entry["gate"].is_boolean())
                fail (where + ".gate", "expected true or false");
            gate = entry["gate"].get<bool>();
        }
        keys.push_back ({ entry["clip"].get<std::string>(), *chord, gate });
    }
    return keys;
}
} // namespace

nlohmann::ordered_json hotkeysToJson (const SessionHotkeys& hotkeys)
{
    nlohmann::ordered_json json = nlohmann::ordered_json::object();
    if (hotkeys.debounceMs != 0.0)
        json["debounceMs"] = hotkeys.debounceMs;
    if (! hotkeys.global.empty())
        json["global"] = keysToJson (hotkeys.global);
    auto pages = hotkeys.pages;
    while (! pages.empty() && pages.back().empty())
        pages.pop_back();
    if (! pages.empty())
    {
        auto array = nlohmann::ordered_json::array();
        for (const auto& page : pages)
            array.push_back (keysToJson (page));
        json["pages"] = std::move (array);
    }
    return json;
}

SessionHotkeys hotkeysFromJson (const nlohmann::json& json)
{
    if (! json.is_object())
        fail ("hotkeys", "expected an object");
    SessionHotkeys hotkeys;
    if (json.contains ("debounceMs"))
    {
        const auto& value = json["debounceMs"];
        if (! value.is_number() || value.get<double>() < 0.0 || value.get<double>() > 10000.0)
            fail ("hotkeys.debounceMs", "expected a number of ms from 0 to 10000");
        hotkeys.debounceMs = value.get<double>();
    }
    if (json.contains ("global"))
        hotkeys.global = keysFromJson (json["global"], "hotkeys.global");
    if (json.contains ("pages"))
    {
        const auto& pages = json["pages"];
        if (! pages.is_array())
            fail ("hotkeys.pages", "expected an array with one array of keys per page");
        for (size_t p = 0; p < pages.size(); ++p)
            hotkeys.pages.push_back (keysFromJson (pages[p], "hotkeys.pages[" + std::to_string (p) + "]"));
    }
    return hotkeys;
}

nlohmann::ordered_json keymapToJson (const GlobalKeymap& keymap)
{
    nlohmann::ordered_json json = nlohmann::ordered_json::object();
    for (const auto action : allKeyActions)
        json[keyActionName (action)] = keymap.chordFor (action).toString();
    return json;
}

GlobalKeymap keymapFromJson (const nlohmann::json& json, std::string& problem)
{
    auto keymap = GlobalKeymap::defaults();
    if (! json.is_object())
    {
        problem = "keymap: expected an object; the default keys are used";
        return keymap;
    }
    for (const auto& [name, value] : json.items())
    {
        const auto action = keyActionFromName (name);
        std::optional<KeyChord> chord;
        if (value.is_string())
            chord = value.get<std::string>().empty() ? std::optional<KeyChord> (KeyChord {}) : KeyChord::parse (value.get<std::string>());
        if (! action || ! chord)
        {
            problem += (problem.empty() ? "" : "; ") + std::string ("keymap.") + name
                     + (action ? ": not a key (its default is kept)" : ": unknown action (ignored)");
            continue;
        }
        keymap.set (*action, *chord);
    }
    return keymap;
}

} // namespace cuegrid
