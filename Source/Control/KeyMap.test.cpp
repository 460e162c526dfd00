// CueGrid — GPL-3.0-or-later
#include "KeyMap.h"

#include <catch2/catch.hpp>

using namespace cuegrid;

namespace
{
KeyChord chord (const char* text)
{
    const auto parsed = KeyChord::parse (text);
    REQUIRE (parsed.has_value());
    return *parsed;
}

ClipHotkey hotkey (const char* clip, const char* key, bool gate = false) { return { clip, chord (key), gate }; }

/** Page 0: F1 → a, F2 → b (gate). Page 1: F1 → c. Session-wide: G → g. */
KeyMap twoPageMap()
{
    SessionHotkeys hotkeys;
    hotkeys.pages = { { hotkey ("a", "F1"), hotkey ("b", "F2", true) }, { hotkey ("c", "F1") } };
    hotkeys.global = { hotkey ("g", "G") };
    KeyMap map;
    map.setSessionHotkeys (hotkeys);
    return map;
}

std::string describe (const std::vector<KeyCommand>& commands)
{
    std::string text;
    for (const auto& c : commands)
    {
        if (! text.empty())
            text.append (" ");
        if (c.kind == KeyCommand::Kind::action)
            text.append ("action:").append (keyActionName (c.action));
        else
            text.append (c.kind == KeyCommand::Kind::fireClip ? "fire:" : "release:").append (c.clip);
    }
    return text;
}
} // namespace

TEST_CASE ("KeyChord parses JUCE descriptions and its own text to one canonical form")
{
    CHECK (chord ("shift + escape").toString() == "Shift+Escape");
    CHECK (chord ("Escape").toString() == "Escape");
    CHECK (chord ("ctrl + shift + page down").toString() == "Ctrl+Shift+PageDown");
    CHECK (chord ("f5").toString() == "F5");
    CHECK (chord ("spacebar").toString() == "Space");
    CHECK (chord ("ctrl + cursor left").toString() == "Ctrl+Left");
    CHECK (chord ("Ctrl++").toString() == "Ctrl++");
    CHECK (chord ("a").toString() == "A");
    CHECK (chord ("Alt+Shift+Ctrl+1").toString() == "Ctrl+Alt+Shift+1");
    CHECK_FALSE (KeyChord::parse ("").has_value());
    CHECK_FALSE (KeyChord::parse ("Hyper+F1").has_value());
    CHECK_FALSE (KeyChord::parse ("F25").has_value());
    CHECK_FALSE (KeyChord::parse ("nonsense").has_value());
    for (const auto action : allKeyActions)
    {
        const auto key = GlobalKeymap::defaults().chordFor (action);
        REQUIRE (key.isValid());
        CHECK (chord (key.toString().c_str()) == key);   // round trip
        CHECK (keyActionFromName (keyActionName (action)) == action);
    }
}

TEST_CASE ("KeyChord isPrintable tells which keys a text box keeps")
{
    CHECK (chord ("A").isPrintable());
    CHECK (chord ("Shift+A").isPrintable());
    CHECK (chord ("Space").isPrintable());
    CHECK (chord ("1").isPrintable());
    CHECK (chord (",").isPrintable());
    CHECK_FALSE (chord ("Ctrl+A").isPrintable());
    CHECK_FALSE (chord ("F1").isPrintable());
    CHECK_FALSE (chord ("Escape").isPrintable());
    CHECK_FALSE (chord ("PageDown").isPrintable());
}

TEST_CASE ("KeyMap resolves the shown page's key, then session-wide keys, then global actions")
{
    const auto map = twoPageMap();
    auto fired = [&] (const char* key, int page) { const auto c = map.resolve (chord (key), page); return c ? describe ({ *c }) : std::string ("none"); };

    CHECK (fired ("F1", 0) == "fire:a");
    CHECK (fired ("F1", 1) == "fire:c");          // the same key, another page, another clip
    CHECK (fired ("F2", 0) == "fire:b");
    CHECK (fired ("F2", 1) == "none");            // page 0's key does nothing while page 1 is shown
    CHECK (fired ("G", 0) == "fire:g");
    CHECK (fired ("G", 1) == "fire:g");
    CHECK (fired ("G", 7) == "fire:g");           // a page with no keys of its own
    CHECK (fired ("Shift+F1", 0) == "none");      // modifiers are part of the key
    CHECK (fired ("Escape", 0) == "action:stopAll");
    CHECK (fired ("Shift+Escape", 1) == "action:fadeAll");
    CHECK (fired ("Ctrl+Shift+Escape", 0) == "action:panic");
    CHECK (fired ("Ctrl+Space", 0) == "action:pauseAll");
    CHECK (fired ("Ctrl+Shift+Space", 0) == "action:resumeAll");
    CHECK (fired ("PageDown", 0) == "action:nextPage");
    CHECK (fired ("PageUp", 0) == "action:previousPage");
    CHECK (fired ("Ctrl+Tab", 0) == "action:nextTab");
    CHECK (fired ("Ctrl+Shift+Tab", 0) == "action:previousTab");
    CHECK (fired ("Ctrl+M", 0) == "action:showMode");
    CHECK (fired ("Ctrl+K", 0) == "action:keymapWindow");
}

TEST_CASE ("KeyMap lets a page key shadow a global action but never Stop All, Fade All or Panic")
{
    SessionHotkeys hotkeys;
    hotkeys.pages = { { hotkey ("x", "PageDown"), hotkey ("y", "Escape"), hotkey ("z", "Shift+Escape") } };
    KeyMap map;
    map.setSessionHotkeys (hotkeys);
    CHECK (describe ({ *map.resolve (chord ("PageDown"), 0) }) == "fire:x");
    CHECK (describe ({ *map.resolve (chord ("PageDown"), 1) }) == "action:nextPage");
    CHECK (describe ({ *map.resolve (chord ("Escape"), 0) }) == "action:stopAll");
    CHECK (describe ({ *map.resolve (chord ("Shift+Escape"), 0) }) == "action:fadeAll");

    const auto conflicts = map.conflicts();
    REQUIRE (conflicts.size() == 3);
    CHECK (conflicts[0].kind == KeyConflict::Kind::pageShadowsGlobal);
    CHECK (conflicts[0].description == "PageDown on page 1 (clip x) hides Next page while the page is shown");
    CHECK (conflicts[1].kind == KeyConflict::Kind::pageBlockedByGlobal);
    CHECK (conflicts[1].description == "Escape on page 1 (clip y) never fires: it is Stop All's key");
    CHECK (conflicts[2].kind == KeyConflict::Kind::pageBlockedByGlobal);

    // A rebound Stop All frees Escape for the page.
    auto globals = GlobalKeymap::defaults();
    globals.set (KeyAction::stopAll, chord ("Ctrl+Escape"));
    map.setGlobalKeymap (globals);
    CHECK (describe ({ *map.resolve (chord ("Escape"), 0) }) == "fire:y");
    CHECK (describe ({ *map.resolve (chord ("Ctrl+Escape"), 0) }) == "action:stopAll");
    globals.set (KeyAction::nextPage, {});   // unbound
    map.setGlobalKeymap (globals);
    CHECK_FALSE (map.resolve (chord ("PageDown"), 1).has_value());
}

TEST_CASE ("KeyMap reports a key used twice in one scope and nothing for the same key on two pages")
{
    auto map = twoPageMap();
    CHECK (map.conflicts().empty());   // F1 on pages 1 and 2 is not a conflict

    SessionHotkeys hotkeys = map.sessionHotkeys();
    hotkeys.pages[1].push_back (hotkey ("d", "F1"));
    hotkeys.global.push_back (hotkey ("h", "Ctrl+M"));
    map.setSessionHotkeys (hotkeys);
    const auto conflicts = map.conflicts();
    REQUIRE (conflicts.size() == 2);
    CHECK (conflicts[0].kind == KeyConflict::Kind::duplicateInScope);
    CHECK (conflicts[0].page == -1);
    CHECK (conflicts[0].description == "Ctrl+M is used twice in the global keys (Show mode on/off, clip h)");
    CHECK (conflicts[1].kind == KeyConflict::Kind::duplicateInScope);
    CHECK (conflicts[1].page == 1);
    CHECK (conflicts[1].description == "F1 is used twice in page 2 (clip c, clip d)");
    CHECK (describe ({ *map.resolve (chord ("F1"), 1) }) == "fire:c");   // the first one fires
}

TEST_CASE ("KeyMap fires a held key once, whatever the auto-repeat sends")
{
    auto map = twoPageMap();
    CHECK (describe (map.keyDown (chord ("F1"), 0, 0.0)) == "fire:a");
    for (int repeat = 1; repeat <= 30; ++repeat)   // X auto-repeat: 30 key presses, no release
        CHECK (map.keyDown (chord ("F1"), 0, 500.0 + repeat * 33.0).empty());
    CHECK (map.heldKeys() == std::vector<std::string> { "F1" });
    CHECK (map.keyUp ("F1").empty());              // not a gate key: nothing on release
    CHECK (map.heldKeys().empty());
    CHECK (describe (map.keyDown (chord ("F1"), 0, 2000.0)) == "fire:a");   // a new press fires again

    // Shift released before the key: still the same hold.
    CHECK (describe (map.keyDown (chord ("Shift+Escape"), 0, 3000.0)) == "action:fadeAll");
    CHECK (map.keyDown (chord ("Escape"), 0, 3030.0).empty());
    map.keyUp ("Escape");
    CHECK (describe (map.keyDown (chord ("Escape"), 0, 3100.0)) == "action:stopAll");
}

TEST_CASE ("KeyMap gate keys start on key down and release on key up")
{
    auto map = twoPageMap();
    CHECK (describe (map.keyDown (chord ("F2"), 0, 0.0)) == "fire:b");
    CHECK (map.keyDown (chord ("F2"), 0, 40.0).empty());
    CHECK (describe (map.keyUp ("F2")) == "release:b");
    CHECK (map.keyUp ("F2").empty());            // a second release does nothing

    // The release follows the hold, not the page shown at release time.
    CHECK (describe (map.keyDown (chord ("F2"), 0, 100.0)) == "fire:b");
    CHECK (describe (map.keyUp ("F2")) == "release:b");

    // Focus lost while held: releaseAll gives the gate's release.
    map.keyDown (chord ("F2"), 0, 200.0);
    map.keyDown (chord ("F1"), 0, 210.0);
    CHECK (describe (map.releaseAll()) == "release:b");
    CHECK (map.heldKeys().empty());
}

TEST_CASE ("KeyMap cancelGate: a gate key whose fire was dropped releases nothing")
{
    // The debounce itself is ShowActions' (every source alike, see ShowActions.test.cpp);
    // a dropped fire of a gate key must not stop the clip on key up.
    auto map = twoPageMap();
    CHECK (describe (map.keyDown (chord ("F2"), 0, 1000.0)) == "fire:b");
    map.cancelGate ("b");
    CHECK (map.keyUp ("F2").empty());
    CHECK (map.heldKeys().empty());
    // Not cancelled: the release comes.
    CHECK (describe (map.keyDown (chord ("F2"), 0, 2000.0)) == "fire:b");
    map.cancelGate ("a");   // another clip: nothing changes
    CHECK (describe (map.keyUp ("F2")) == "release:b");
}

TEST_CASE ("Session hotkeys and the global keymap round-trip through JSON and refuse bad values")
{
    SessionHotkeys hotkeys;
    hotkeys.debounceMs = 120.0;
    hotkeys.pages = { { hotkey ("a", "F1"), hotkey ("b", "F2", true) }, {}, { hotkey ("c", "Ctrl+Shift+1") }, {} };
    hotkeys.global = { hotkey ("g", "G") };
    const auto json = hotkeysToJson (hotkeys);
    CHECK (json.dump() == R"({"debounceMs":120.0,"global":[{"clip":"g","key":"G"}],"pages":[[{"clip":"a","key":"F1"},{"clip":"b","key":"F2","gate":true}],[],[{"clip":"c","key":"Ctrl+Shift+1"}]]})");
    const auto back = hotkeysFromJson (nlohmann::json::parse (json.dump()));
    CHECK (back.debounceMs == 120.0);
    CHECK (back.global == hotkeys.global);
    REQUIRE (back.pages.size() == 3);   // trailing pages without keys are not written
    CHECK (back.pages[0] == hotkeys.pages[0]);
    CHECK (back.pages[2] == hotkeys.pages[2]);
    CHECK (hotkeysToJson (SessionHotkeys {}).empty());
    CHECK (SessionHotkeys {}.isEmpty());

    const auto refusal = [] (const char* text) {
        try { hotkeysFromJson (nlohmann::json::parse (text)); }
        catch (const std::invalid_argument& e) { return std::string (e.what()); }
        return std::string ("accepted");
    };
    CHECK (refusal (R"({"pages":[[],[{"clip":"a","key":"Hyper+F1"}]]})") == "hotkeys.pages[1][0].key: \"Hyper+F1\" names no key");
    CHECK (refusal (R"({"debounceMs":-1})") == "hotkeys.debounceMs: expected a number of ms from 0 to 10000");
    CHECK (refusal (R"({"global":[{"key":"F1"}]})") == "hotkeys.global[0].clip: expected a clip id");
    CHECK (refusal (R"({"global":[{"clip":"a","key":"F1","gate":1}]})") == "hotkeys.global[0].gate: expected true or false");
    CHECK (refusal (R"({"pages":{}})") == "hotkeys.pages: expected an array with one array of keys per page");

    auto keymap = GlobalKeymap::defaults();
    keymap.set (KeyAction::panic, {});
    keymap.set (KeyAction::nextPage, chord ("Right"));
    const auto keymapJson = keymapToJson (keymap);
    CHECK (keymapJson["panic"] == "");
    CHECK (keymapJson["stopAll"] == "Escape");
    std::string problem;
    const auto read = keymapFromJson (nlohmann::json::parse (keymapJson.dump()), problem);
    CHECK (problem.empty());
    CHECK_FALSE (read.chordFor (KeyAction::panic).isValid());
    CHECK (read.chordFor (KeyAction::nextPage) == chord ("Right"));
    CHECK (read.chordFor (KeyAction::fadeAll) == chord ("Shift+Escape"));

    const auto partial = keymapFromJson (nlohmann::json::parse (R"({"stopAll":"Nope","jump":"F1","fadeAll":"Ctrl+F"})"), problem);
    CHECK (problem.find ("keymap.stopAll: not a key (its default is kept)") != std::string::npos);
    CHECK (problem.find ("keymap.jump: unknown action (ignored)") != std::string::npos);
    CHECK (partial.chordFor (KeyAction::stopAll) == chord ("Escape"));
    CHECK (partial.chordFor (KeyAction::fadeAll) == chord ("Ctrl+F"));
}
