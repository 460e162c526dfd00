// CueGrid — GPL-3.0-or-later
// Manifest version 4 (issue 12): the show's `timecode` object and the clips' `timecode` trigger
// and `chase`; version 3 files ignore them and migrate.
#include "Errors.h"
#include "SessionManifest.h"
#include "Support/ManifestErrors.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

using namespace cuegrid;

namespace
{
    /** The InputError parsing `text` as "show.cuegrid" gives, or "(no error)". */
    std::string errorOf (const std::string& text) { return test::manifestError (text); }

    /** A one-clip manifest of `version`: `show` goes on line 2 (from column 3) as document keys,
        `clip` on line 3 (from column 3) as clips[0]'s keys. */
    std::string manifest (int version, const std::string& show, const std::string& clip)
    {
        return R"({"format": "cuegrid.session", "version": )" + std::to_string (version) + ",\n  " + show
               + (show.empty() ? "" : ", ") + R"("clips": [{"id": "a", "file": "a.wav")" + (clip.empty() ? "" : ",\n  " + clip)
               + "}]}";
    }
}

TEST_CASE ("A version 4 session with timecode triggers and chase loads, and saves to the same bytes", "[session][v4][timecode]")
{
    const auto path = test::dataPath ("sessions/version4.cuegrid").string();
    REQUIRE_THAT (test::readText (path), Catch::Contains ("\"version\": 4,"));
    const auto session = SessionManifest::load (path);
    CHECK (session.name == "Version 4 show");
    CHECK (session.timecode.fps == FrameRate::fps2997drop);
    REQUIRE (session.clips[0].timecode.has_value());
    CHECK (session.clips[0].timecode->toString() == "01:00:00;02");
    CHECK (session.clips[0].timecode->toFrameNumber() == 107894);
    CHECK_FALSE (session.clips[0].chase);
    REQUIRE (session.clips[1].timecode.has_value());
    CHECK (session.clips[1].timecode->toString() == "01:00:10;00");
    CHECK (session.clips[1].chase);
    CHECK_FALSE (session.clips[2].timecode.has_value());

    test::TemporaryFolder folder ("version4");
    const auto copy = (folder / "copy.cuegrid").string();
    SessionManifest::save (session, copy);
    CHECK (test::readText (copy) == test::readText (path));
    SessionManifest::save (SessionManifest::load (copy), copy);
    CHECK (test::readText (copy) == test::readText (path));

    // Everything but the version 4 fields is the version 3 test show's.
    auto asVersion3 = SessionManifest::toJson (session);
    asVersion3["name"] = "Version 3 show";
    asVersion3.erase ("timecode");
    for (auto& clip : asVersion3["clips"])
    {
        clip.erase ("timecode");
        clip.erase ("chase");
    }
    CHECK (asVersion3 == SessionManifest::toJson (SessionManifest::load (test::dataPath ("sessions/version3.cuegrid").string())));
}

TEST_CASE ("Timecode fields: fps spellings, defaults written as nothing, 25 fps by default", "[session][v4][timecode]")
{
    CHECK (SessionManifest::parse (manifest (4, R"("timecode": {"fps": 24})", R"("timecode": "00:00:01:23")"), "x").timecode.fps == FrameRate::fps24);
    CHECK (SessionManifest::parse (manifest (4, R"("timecode": {"fps": 29.97})", R"("timecode": "00:01:00;02")"), "x").timecode.fps == FrameRate::fps2997drop);
    CHECK (SessionManifest::parse (manifest (4, R"("timecode": {"fps": "29.97ndf"})", R"("timecode": "00:01:00:00")"), "x").timecode.fps == FrameRate::fps2997);
    CHECK (SessionManifest::parse (manifest (4, R"("timecode": {"fps": "30"})", R"("timecode": "00:00:00:29")"), "x").timecode.fps == FrameRate::fps30);
    const auto plain = SessionManifest::parse (manifest (4, "", R"("timecode": "00:00:10:24", "chase": false)"), "x");
    CHECK (plain.timecode.fps == FrameRate::fps25);
    CHECK (plain.clips[0].timecode->toSeconds() == Approx (10.96));
    const auto json = SessionManifest::toJson (plain);
    CHECK_FALSE (json.contains ("timecode"));
    CHECK (json["clips"][0]["timecode"] == "00:00:10:24");
    CHECK_FALSE (json["clips"][0].contains ("chase"));
}

TEST_CASE ("Version 3 ignores the timecode keys version 4 added, even bad values, and migrates", "[session][v4][migration]")
{
    const auto session = SessionManifest::parse (manifest (3, R"("timecode": {"fps": "23.976", "ltcInput": -4})",
                                                           R"("timecode": "99:99:99:99", "chase": "yes")"), "x");
    CHECK (session.timecode.fps == FrameRate::fps25);
    CHECK_FALSE (session.clips[0].timecode.has_value());
    CHECK_FALSE (session.clips[0].chase);
    CHECK (SessionManifest::toJson (session)["version"] == 4);
}

TEST_CASE ("Bad version 4 values are refused with their line, column and path", "[session][errors][v4][timecode]")
{
    struct BadValue
    {
        const char* show;       // line 2, from column 3
        const char* clip;       // line 3, from column 3
        const char* expected;   // the start of the message, after "show.cuegrid:"
    };
    const BadValue table[] {
        { "", R"("timecode": "25:00:00:00")", "3:15: clips[0].timecode: \"25:00:00:00\" is not a timecode at the show's 25 fps: " },
        { "", R"("timecode": "00:00:00:25")", "3:15: clips[0].timecode: \"00:00:00:25\" is not a timecode at the show's 25 fps: " },
        { "", R"("timecode": "00:00:01;00")", "3:15: clips[0].timecode: \"00:00:01;00\" is not a timecode at the show's 25 fps: " },
        { "", R"("timecode": "1:00:00:00")", "3:15: clips[0].timecode: \"1:00:00:00\" is not a timecode at the show's 25 fps: " },
        { "", R"("timecode": 90)", "3:15: clips[0].timecode: expected a string, found number" },
        { "", R"("chase": true)", "3:12: clips[0].chase: a clip chases its timecode: set \"timecode\" too" },
        { "", R"("timecode": "00:00:01:00", "chase": 1)", "3:39: clips[0].chase: expected true or false, found number" },
        { R"("timecode": {"fps": "29.97df"})", R"("timecode": "00:01:00;01")",
          "3:15: clips[0].timecode: \"00:01:00;01\" is not a timecode at the show's 29.97df fps: " },
        { R"("timecode": 25)", "", "2:15: timecode: expected an object, found number" },
        { R"("timecode": {"fps": "23.976"})", "", "2:23: timecode.fps: unknown frame rate (expected \"24\", \"25\", \"29.97df\", \"29.97ndf\" or \"30\")" },
        { R"("timecode": {"fps": 50})", "", "2:23: timecode.fps: unknown frame rate" },
    };
    for (const auto& bad : table)
    {
        const auto text = manifest (4, bad.show, bad.clip);
        INFO (text);
        CHECK_THAT (errorOf (text), Catch::StartsWith (std::string ("show.cuegrid:") + bad.expected));
    }
}
