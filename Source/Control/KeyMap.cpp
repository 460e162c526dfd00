// CueGrid — GPL-3.0-or-later
#include "Control/KeyMap.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace cuegrid
{

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

std::vector<KeyCommand> KeyMap::keyDown (const KeyChord& chord, int page, double)
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
            const auto* key = resolveClipKey (session, chord, page);
            if (key != nullptr && key->gate)
                hold.gateClip = key->clip;
        }
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

void KeyMap::cancelGate (const std::string& clip)
{
    for (auto it = held.rbegin(); it != held.rend(); ++it)
        if (it->gateClip == clip)
        {
            it->gateClip.reset();
            return;
        }
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
