// CueGrid — GPL-3.0-or-later
#include "Errors.h"
#include "SessionManifest.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

using namespace cuegrid;

namespace
{
    // The example from the foundation issue, verbatim.
    const char* issueExample = R"({"format": "cuegrid.session", "version": 1, "name": "Demo", "sampleRate": 48000,
 "groups": [{"id": "A", "gainDb": 0.0, "muted": false}, {"id": "B", "gainDb": -3.0, "muted": false},
            {"id": "C", "gainDb": 0.0, "muted": false}, {"id": "D", "gainDb": 0.0, "muted": false}],
 "clips": [{"id": "kick", "file": "media/kick.wav", "label": "Kick", "colour": "#d04040",
            "group": "A", "gainDb": -2.5}],
 "pages": [{"name": "Page 1", "tabs": [{"name": "Drums", "rows": 4, "columns": 8,
            "slots": [{"row": 0, "column": 0, "clip": "kick"}]}]}]})";

    std::string errorOf (const std::string& text)
    {
        try
        {
            SessionManifest::parse (text, "show.cuegrid");
        }
        catch (const InputError& error)
        {
            return error.what();
        }
        return "(no error)";
    }
} // namespace

TEST_CASE ("The issue's example session loads with every field", "[session]")
{
    const auto session = SessionManifest::parse (issueExample, "demo.cuegrid");
    CHECK (session.name == "Demo");
    CHECK (session.sampleRate == 48000.0);
    CHECK (session.groups[1].gainDb == -3.0);
    CHECK_FALSE (session.groups[1].muted);
    REQUIRE (session.clips.size() == 1);
    CHECK (session.clips[0].id == "kick");
    CHECK (session.clips[0].file == "media/kick.wav");
    CHECK (session.clips[0].label == "Kick");
    CHECK (session.clips[0].colour == "#d04040");
    CHECK (session.clips[0].group == 0);
    CHECK (session.clips[0].gainDb == -2.5);
    REQUIRE (session.pages.size() == 1);
    REQUIRE (session.pages[0].tabs.size() == 1);
    const auto& tab = session.pages[0].tabs[0];
    CHECK (tab.name == "Drums");
    CHECK (tab.rows == 4);
    CHECK (tab.columns == 8);
    REQUIRE (tab.slotAt (0, 0) != nullptr);
    CHECK (tab.slotAt (0, 0)->clip == "kick");
}

TEST_CASE ("Manifest round trip: save then load gives the same session", "[session]")
{
    test::TemporaryFolder folder ("roundtrip");
    const auto original = SessionManifest::load (test::dataPath ("../../Resources/Demo/demo.cuegrid").string());
    const auto path = (folder / "copy.cuegrid").string();
    SessionManifest::save (original, path);
    const auto copy = SessionManifest::load (path);
    CHECK (SessionManifest::toJson (copy) == SessionManifest::toJson (original));
    CHECK (copy.clips.size() == 6);
    CHECK (copy.pages[1].tabs[0].slotAt (2, 5)->clip == "hum-fx");
    // Saved again unchanged, the bytes are identical.
    const auto first = test::readText (path);
    SessionManifest::save (copy, path);
    CHECK (test::readText (path) == first);
}

TEST_CASE ("Malformed sessions name file, line, column and what is wrong", "[session][errors]")
{
    CHECK (errorOf ("{\n  \"format\": \"cuegrid.session\",\n  \"version\": 1,\n  \"name\": \"x\"\n  \"clips\": []\n}")
           == "show.cuegrid:5:3: invalid JSON: syntax error while parsing object - unexpected string literal; expected '}'");

    const auto badGroup = R"({"format": "cuegrid.session", "version": 1,
"clips": [
  {"id": "kick", "file": "k.wav"},
  {"id": "snare", "file": "s.wav", "group": "E"}
]})";
    CHECK (errorOf (badGroup) == "show.cuegrid:4:45: clips[1].group: unknown group \"E\" (expected A, B, C or D)");

    CHECK_THAT (errorOf (R"({"format": "cuegrid.session", "version": 1, "clips": [{"id": "a"}]})"),
                Catch::Contains ("clips[0].file: is missing"));
    CHECK_THAT (errorOf (R"({"format": "cuegrid.session", "version": 2})"), Catch::Contains ("newer CueGrid"));
    CHECK_THAT (errorOf (R"({"format": "other", "version": 1})"), Catch::Contains ("format: expected \"cuegrid.session\""));
    CHECK_THAT (errorOf (R"({"format": "cuegrid.session", "version": 1, "clips": [{"id": "a", "file": "a.wav"}, {"id": "a", "file": "b.wav"}]})"),
                Catch::Contains ("clips[1].id: clip id \"a\" is used twice"));
    CHECK_THAT (errorOf (R"({"format": "cuegrid.session", "version": 1, "pages": [{"tabs": [{"rows": 2, "slots": [{"row": 5, "column": 0, "clip": "x"}]}]}]})"),
                Catch::Contains ("pages[0].tabs[0].slots[0].row: must be a whole number from 0 to 1"));
    CHECK_THAT (errorOf (R"({"format": "cuegrid.session", "version": 1, "pages": [{"tabs": [{"slots": [{"row": 0, "column": 0, "clip": "ghost"}]}]}]})"),
                Catch::Contains ("pages[0].tabs[0].slots[0].clip: no clip with id \"ghost\""));
    CHECK_THAT (errorOf (R"({"format": "cuegrid.session", "version": 1, "clips": [{"id": "a", "file": "a.wav", "colour": "red"}]})"),
                Catch::Contains ("clips[0].colour"));
}
