// CueGrid — GPL-3.0-or-later
#include "SessionManifest.h"

#include "AppFolders.h"
#include "Session/Errors.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

using namespace cuegrid;

namespace
{
std::string showWithHotkeys (int version, const char* hotkeys)
{
    return std::string (R"({"format": "cuegrid.session", "version": )") + std::to_string (version) + R"(, "name": "keys",
"clips": [{"id": "a", "file": "a.wav"}, {"id": "b", "file": "b.wav"}],
"pages": [{"name": "One", "tabs": [{"name": "T", "rows": 1, "columns": 2, "slots": [{"row": 0, "column": 0, "clip": "a"}]}]},
          {"name": "Two", "tabs": [{"name": "T", "rows": 1, "columns": 2, "slots": [{"row": 0, "column": 0, "clip": "b"}]}]}],
"hotkeys": )" + hotkeys + "}";
}

std::string refusal (const std::string& text)
{
    try { SessionManifest::parse (text, "show.cuegrid"); }
    catch (const std::exception& error) { return error.what(); }
    return "accepted";
}
} // namespace

TEST_CASE ("Hotkeys are a version 3 manifest field that round-trips, checked against the clips and pages", "[session][v3][hotkeys]")
{
    const auto session = SessionManifest::parse (showWithHotkeys (3, R"({"debounceMs": 80, "global": [{"clip": "b", "key": "Ctrl+G"}],
        "pages": [[{"clip": "a", "key": "F1", "gate": true}], [{"clip": "b", "key": "f1"}]]})"), "show.cuegrid");
    REQUIRE (session.hotkeys.pages.size() == 2);
    CHECK (session.hotkeys.debounceMs == 80.0);
    CHECK (session.hotkeys.pages[0][0].clip == "a");
    CHECK (session.hotkeys.pages[0][0].gate);
    CHECK (session.hotkeys.pages[1][0].chord.toString() == "F1");
    CHECK (session.hotkeys.global[0].chord.toString() == "Ctrl+G");
    const auto json = SessionManifest::toJson (session);
    CHECK (json["hotkeys"].dump() == R"({"debounceMs":80.0,"global":[{"clip":"b","key":"Ctrl+G"}],"pages":[[{"clip":"a","key":"F1","gate":true}],[{"clip":"b","key":"F1"}]]})");
    CHECK (SessionManifest::parse (json.dump(), "again.cuegrid").hotkeys.pages[0] == session.hotkeys.pages[0]);

    // A version 2 file's "hotkeys" is an unknown key: ignored, and not written back.
    const auto old = SessionManifest::parse (showWithHotkeys (2, R"({"pages": [[{"clip": "a", "key": "F1"}]]})"), "old.cuegrid");
    CHECK (old.hotkeys.isEmpty());
    CHECK_FALSE (SessionManifest::toJson (old).contains ("hotkeys"));

    // Keys of a clip or page an edit removed are not written (the file would not load again).
    auto edited = session;
    edited.clips.erase (edited.clips.begin() + 1);   // b
    edited.pages.pop_back();
    edited.pages[0].tabs[0].slots.clear();
    CHECK (SessionManifest::toJson (edited)["hotkeys"].dump() == R"({"debounceMs":80.0,"pages":[[{"clip":"a","key":"F1","gate":true}]]})");

    CHECK_THAT (refusal (showWithHotkeys (3, R"({"pages": [[{"clip": "zz", "key": "F1"}]]})")),
                Catch::Contains ("hotkeys.pages[0][0].clip: no clip \"zz\" in this session"));
    CHECK_THAT (refusal (showWithHotkeys (3, R"({"pages": [[], [], []]})")),
                Catch::Contains ("hotkeys.pages: has keys for 3 pages; the session has 2"));
    CHECK_THAT (refusal (showWithHotkeys (3, R"({"global": [{"clip": "a", "key": "Hyper+Q"}]})")),
                Catch::Contains ("hotkeys.global[0].key: \"Hyper+Q\" names no key"));
    CHECK_THAT (refusal (showWithHotkeys (3, R"({"global": [{"clip": "a", "key": "Hyper+Q"}]})")), Catch::StartsWith ("show.cuegrid:"));
}

TEST_CASE ("The global keymap is kept in preferences.json, a bad key keeping its default", "[preferences][hotkeys]")
{
    test::TemporaryFolder folder ("keymap-preferences");
    const auto file = folder / "preferences.json";
    Preferences preferences;
    preferences.keymap.set (KeyAction::nextPage, *KeyChord::parse ("Right"));
    preferences.keymap.set (KeyAction::panic, {});
    preferences.save (file);
    CHECK_THAT (test::readText (file), Catch::Contains (R"("nextPage": "Right")"));
    const auto loaded = Preferences::load (file);
    CHECK (loaded.problem.empty());
    CHECK (loaded.preferences.keymap.chordFor (KeyAction::nextPage).toString() == "Right");
    CHECK_FALSE (loaded.preferences.keymap.chordFor (KeyAction::panic).isValid());
    CHECK (loaded.preferences.keymap.chordFor (KeyAction::stopAll).toString() == "Escape");

    test::writeText (file, R"({"format": "cuegrid.preferences", "version": 1, "keymap": {"stopAll": "Hyper+X", "fadeAll": "F12"}})");
    const auto bad = Preferences::load (file);
    CHECK_THAT (bad.problem, Catch::Contains ("keymap.stopAll: not a key (its default is kept)"));
    CHECK (bad.preferences.keymap.chordFor (KeyAction::stopAll).toString() == "Escape");
    CHECK (bad.preferences.keymap.chordFor (KeyAction::fadeAll).toString() == "F12");
}
