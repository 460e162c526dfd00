// CueGrid — GPL-3.0-or-later
#include "Errors.h"
#include "SessionManifest.h"
#include "SessionMedia.h"
#include "Support/ManifestErrors.h"
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

    /** The InputError parsing `text` as "show.cuegrid" gives, or "(no error)". */
    std::string errorOf (const std::string& text) { return test::manifestError (text); }
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
    CHECK_THAT (errorOf (R"({"format": "cuegrid.session", "version": 5})"), Catch::Contains ("newer CueGrid"));
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

TEST_CASE ("A version 1 session loads with every version 2 field at its default", "[session][migration]")
{
    const auto path = test::dataPath ("sessions/version1.cuegrid").string();
    REQUIRE_THAT (test::readText (path), Catch::Contains ("\"version\": 1,"));
    const auto session = SessionManifest::load (path);

    // Version 1 fields as written.
    CHECK (session.name == "Version 1 show");
    CHECK (session.sampleRate == 44100.0);
    CHECK (session.groups[0].gainDb == -1.5);
    CHECK (session.groups[1].muted);
    REQUIRE (session.clips.size() == 5);
    CHECK (session.clips[1].levelTrimDb == 1.5);
    CHECK (session.clips[3].colour == "#40a0d0");
    CHECK (session.clips[4].group == 3);
    CHECK (session.pages[0].tabs[0].slotAt (1, 0)->clip == "hum");

    // Version 2 fields at their defaults: the session plays as it did.
    for (const auto& group : session.groups)
        CHECK (group.chokeLimit == 0);
    CHECK (session.fadeDefaults.inMs == 0.0);
    CHECK (session.fadeDefaults.outMs == 0.0);
    CHECK (session.fadeDefaults.crossfadeMs == 500.0);
    CHECK (session.fadeDefaults.inCurve == FadeCurve::linear);
    CHECK (session.fadeDefaults.outCurve == FadeCurve::linear);
    CHECK (session.fadeDefaults.crossfadeCurve == FadeCurve::equalPower);
    CHECK (session.routing.master == ChannelPair { 1, 2 });
    CHECK (session.routing.audition == ChannelPair { 3, 4 });
    for (const auto& group : session.routing.groups)
        CHECK_FALSE (group.has_value());
    CHECK (session.master.gainDb == 0.0);
    CHECK_FALSE (session.master.limiterEnabled);
    CHECK (session.master.limiterCeilingDb == -1.0);
    for (const auto& clip : session.clips)
    {
        CHECK_FALSE (clip.fadeInMs.has_value());
        CHECK_FALSE (clip.fadeOutMs.has_value());
        CHECK_FALSE (clip.fadeInCurve.has_value());
        CHECK_FALSE (clip.fadeOutCurve.has_value());
        CHECK_FALSE (clip.cueInSec.has_value());
        CHECK_FALSE (clip.cueOutSec.has_value());
        CHECK (clip.edgeFadeMs == 1.0);
        CHECK_FALSE (clip.loop.has_value());
        CHECK (clip.retrigger == RetriggerMode::restart);
        CHECK_FALSE (clip.solo);
        CHECK (clip.pan == 0.0);
    }

    // It is a real session: every clip's media decodes.
    const auto media = loadClipMedia (session, path, session.sampleRate);
    for (size_t i = 0; i < media.size(); ++i)
    {
        INFO (session.clips[i].file);
        CHECK (media[i].error.empty());
        CHECK (media[i].audio != nullptr);
    }
}

TEST_CASE ("A migrated version 1 session saves as version 4 without new keys, and round-trips", "[session][migration]")
{
    test::TemporaryFolder folder ("migrate");
    const auto original = SessionManifest::load (test::dataPath ("sessions/version1.cuegrid").string());
    const auto json = SessionManifest::toJson (original);
    CHECK (json["version"] == Session::currentVersion);
    CHECK_FALSE (json.contains ("fadeDefaults"));
    CHECK_FALSE (json.contains ("routing"));
    CHECK_FALSE (json.contains ("master"));
    CHECK_FALSE (json.contains ("recording"));
    for (const auto& group : json["groups"])
        CHECK (group.size() == 3);  // id, gainDb, muted
    for (const auto& clip : json["clips"])
        CHECK (clip.size() == 7);   // the version 1 keys only

    const auto path = (folder / "saved.cuegrid").string();
    SessionManifest::save (original, path);
    const auto first = test::readText (path);
    const auto again = SessionManifest::load (path);
    CHECK (SessionManifest::toJson (again) == json);
    SessionManifest::save (again, path);
    CHECK (test::readText (path) == first);
}

TEST_CASE ("Version 1 ignores the keys versions 2 and 3 added, as it ignored every unknown key", "[session][migration]")
{
    // Even values version 2 would refuse: a version 1 file must load and play as before.
    const auto session = SessionManifest::parse (R"({"format": "cuegrid.session", "version": 1,
        "master": {"gainDb": -6, "limiter": {"enabled": true}}, "routing": {"master": [9, 9], "recordA": [5, 6]},
        "recording": {"format": "flac"}, "groups": [{"id": "A", "chokeLimit": 2}],
        "clips": [{"id": "a", "file": "a.wav", "fadeOutMs": 99999, "loop": {"count": 3}, "pan": 0.5, "solo": true}]})",
                                                 "v1.cuegrid");
    CHECK (session.master.gainDb == 0.0);
    CHECK_FALSE (session.master.limiterEnabled);
    CHECK (session.routing.master == ChannelPair { 1, 2 });
    CHECK (session.routing.recordA == ChannelPair { 1, 2 });
    CHECK_FALSE (session.recording.flac);
    CHECK (session.groups[0].chokeLimit == 0);
    CHECK_FALSE (session.clips[0].fadeOutMs.has_value());
    CHECK_FALSE (session.clips[0].loop.has_value());
    CHECK (session.clips[0].pan == 0.0);
    CHECK_FALSE (session.clips[0].solo);
}

TEST_CASE ("A version 2 session with every field loads, and saves as version 4 with only the version changed", "[session][v2][migration]")
{
    const auto path = test::dataPath ("sessions/version2.cuegrid").string();
    const auto session = SessionManifest::load (path);

    CHECK (session.groups[0].chokeLimit == 2);
    CHECK (session.groups[1].chokeLimit == 1);
    CHECK (session.groups[2].chokeLimit == 0);
    CHECK (session.groups[3].chokeLimit == 3);
    CHECK (session.fadeDefaults.inMs == 10.0);
    CHECK (session.fadeDefaults.outMs == 250.0);
    CHECK (session.fadeDefaults.crossfadeMs == 750.0);
    CHECK (session.fadeDefaults.inCurve == FadeCurve::sCurve);
    CHECK (session.fadeDefaults.outCurve == FadeCurve::equalPower);
    CHECK (session.fadeDefaults.crossfadeCurve == FadeCurve::linear);
    CHECK (session.routing.master == ChannelPair { 3, 4 });
    CHECK (session.routing.audition == ChannelPair { 7, 8 });
    CHECK_FALSE (session.routing.groups[0].has_value());
    REQUIRE (session.routing.groups[3].has_value());
    CHECK (*session.routing.groups[3] == ChannelPair { 5, 6 });
    CHECK (session.master.gainDb == -2.0);
    CHECK (session.master.limiterEnabled);
    CHECK (session.master.limiterCeilingDb == -0.5);
    // Version 3 fields at their defaults.
    CHECK (session.routing.recordA == ChannelPair { 1, 2 });
    CHECK (session.routing.recordB == ChannelPair { 3, 4 });
    CHECK_FALSE (session.recording.flac);
    CHECK_FALSE (session.recording.floatSamples);

    REQUIRE (session.clips.size() == 5);
    const auto& kick = session.clips[0];
    CHECK (kick.retrigger == RetriggerMode::layer);
    CHECK_FALSE (kick.fadeInMs.has_value());

    const auto& organ = session.clips[1];
    CHECK (organ.fadeInMs == 500.0);
    CHECK (organ.fadeInCurve == FadeCurve::exponential);
    CHECK (organ.fadeOutMs == 1500.0);
    CHECK (organ.fadeOutCurve == FadeCurve::sCurve);
    CHECK (organ.cueInSec == 0.5);
    CHECK (organ.cueOutSec == 4.0);
    CHECK (organ.edgeFadeMs == 2.5);
    CHECK (organ.retrigger == RetriggerMode::stop);
    CHECK (organ.solo);
    CHECK (organ.pan == -0.25);

    const auto& speech = session.clips[2];
    CHECK (speech.fadeOutMs == 0.0);   // set to 0: not the session's 250 ms
    CHECK (speech.retrigger == RetriggerMode::pause);
    CHECK (speech.pan == 1.0);

    const auto& hum = session.clips[3];
    REQUIRE (hum.loop.has_value());
    CHECK (hum.loop->inSec == 1.0);
    CHECK (hum.loop->outSec == 3.0);
    CHECK (hum.loop->count == 3);
    CHECK (hum.loop->crossfadeMs == 5.0);

    const auto& bed = session.clips[4];
    REQUIRE (bed.loop.has_value());     // "loop": {} loops the whole file until stopped
    CHECK_FALSE (bed.loop->inSec.has_value());
    CHECK_FALSE (bed.loop->outSec.has_value());
    CHECK (bed.loop->count == 0);
    CHECK (bed.loop->crossfadeMs == 1.0);

    // The file is written as save wrote version 2: saving gives its bytes back with
    // "version": 4 and nothing else changed, and again.
    auto expected = test::readText (path);
    const std::string written = "\"version\": 2,";
    const auto versionAt = expected.find (written);
    REQUIRE (versionAt != std::string::npos);
    expected.replace (versionAt, written.size(), "\"version\": 4,");
    test::TemporaryFolder folder ("version2");
    const auto copy = (folder / "copy.cuegrid").string();
    SessionManifest::save (session, copy);
    CHECK (test::readText (copy) == expected);
    SessionManifest::save (SessionManifest::load (copy), copy);
    CHECK (test::readText (copy) == expected);
}

TEST_CASE ("A version 3 session with every field loads, and saves as version 4 with only the version changed", "[session][v3][migration]")
{
    const auto path = test::dataPath ("sessions/version3.cuegrid").string();
    REQUIRE_THAT (test::readText (path), Catch::Contains ("\"version\": 3,"));
    const auto session = SessionManifest::load (path);
    CHECK (session.name == "Version 3 show");

    // Version 3 fields.
    CHECK (session.routing.recordA == ChannelPair { 5, 6 });
    CHECK (session.routing.recordB == ChannelPair { 1, 2 });
    CHECK (session.recording.flac);
    CHECK_FALSE (session.recording.floatSamples);  // FLAC is 24-bit integer only

    // Everything else is the version 2 test show's.
    auto asVersion2 = SessionManifest::toJson (session);
    asVersion2["name"] = "Version 2 show";
    asVersion2["routing"].erase ("recordA");
    asVersion2["routing"].erase ("recordB");
    asVersion2.erase ("recording");
    CHECK (asVersion2 == SessionManifest::toJson (SessionManifest::load (test::dataPath ("sessions/version2.cuegrid").string())));

    // Its media is real.
    const auto media = loadClipMedia (session, path, session.sampleRate);
    for (size_t i = 0; i < media.size(); ++i)
    {
        INFO (session.clips[i].file);
        CHECK (media[i].error.empty());
    }

    // Version 4 fields at their defaults: no timecode triggers.
    CHECK (session.timecode.fps == FrameRate::fps25);
    for (const auto& clip : session.clips)
        CHECK_FALSE ((clip.timecode.has_value() || clip.chase));

    auto expected = test::readText (path);
    expected.replace (expected.find ("\"version\": 3,"), 13, "\"version\": 4,");
    test::TemporaryFolder folder ("version3");
    const auto copy = (folder / "copy.cuegrid").string();
    SessionManifest::save (session, copy);
    CHECK (test::readText (copy) == expected);
    SessionManifest::save (SessionManifest::load (copy), copy);
    CHECK (test::readText (copy) == expected);
}

TEST_CASE ("Version 2 ignores the keys version 3 added, as a version 2 reader did", "[session][migration]")
{
    // Record A/B's keys in a version 2 file (even values version 3 refuses) are unknown keys:
    // the session records with the defaults, and saving writes none of them.
    const auto session = SessionManifest::parse (R"({"format": "cuegrid.session", "version": 2, "name": "x",
        "routing": {"master": [3, 4], "recordA": [5, 6], "recordB": [2, 2]},
        "recording": {"format": "flac", "sampleFormat": "float"}, "clips": []})", "v2.cuegrid");
    CHECK (session.routing.master == ChannelPair { 3, 4 });   // a version 2 field: read
    CHECK (session.routing.recordA == ChannelPair { 1, 2 });
    CHECK (session.routing.recordB == ChannelPair { 3, 4 });
    CHECK_FALSE (session.recording.flac);
    CHECK_FALSE (session.recording.floatSamples);
    const auto json = SessionManifest::toJson (session);
    CHECK (json["version"] == Session::currentVersion);
    CHECK (json["routing"] == nlohmann::ordered_json::parse (R"({"master": [3, 4]})"));
    CHECK_FALSE (json.contains ("recording"));
}

TEST_CASE ("Record A/B's input pairs and format are optional version 3 fields that round-trip", "[session][recording]")
{
    const std::string plain = R"({"format": "cuegrid.session", "version": 3, "name": "x", "clips": []})";
    const auto defaults = SessionManifest::parse (plain, "show.cuegrid");
    CHECK (defaults.routing.recordA == ChannelPair { 1, 2 });
    CHECK (defaults.routing.recordB == ChannelPair { 3, 4 });
    CHECK_FALSE (defaults.recording.flac);
    CHECK_FALSE (defaults.recording.floatSamples);

    const auto session = SessionManifest::parse (R"({"format": "cuegrid.session", "version": 3, "name": "x", "clips": [],
        "routing": {"recordA": [5, 6], "recordB": [1, 2]}, "recording": {"format": "flac"}})", "show.cuegrid");
    CHECK (session.routing.recordA == ChannelPair { 5, 6 });
    CHECK (session.routing.recordB == ChannelPair { 1, 2 });
    CHECK (session.recording.flac);

    test::TemporaryFolder folder ("manifest-recording");
    SessionManifest::save (session, (folder / "show.cuegrid").string());
    const auto again = SessionManifest::load ((folder / "show.cuegrid").string());
    CHECK (again.routing.recordA == session.routing.recordA);
    CHECK (again.routing.recordB == session.routing.recordB);
    CHECK (again.recording.flac);
    // Defaults are not written: a session that does not record saves as before.
    SessionManifest::save (defaults, (folder / "plain.cuegrid").string());
    const auto text = test::readText (folder / "plain.cuegrid");
    CHECK (text.find ("record") == std::string::npos);

    const auto floats = SessionManifest::parse (R"({"format": "cuegrid.session", "version": 3, "recording": {"sampleFormat": "float"}})",
                                                "show.cuegrid");
    CHECK_FALSE (floats.recording.flac);
    CHECK (floats.recording.floatSamples);
    CHECK (SessionManifest::toJson (floats)["recording"] == nlohmann::ordered_json::parse (R"({"sampleFormat": "float"})"));

    CHECK (errorOf (R"({"format": "cuegrid.session", "version": 3, "recording": {"format": "flac", "sampleFormat": "float"}})")
           == "show.cuegrid:1:93: recording.sampleFormat: FLAC records 24-bit integer only (use wav for float)");
    CHECK (errorOf (R"({"format": "cuegrid.session", "version": 3, "routing": {"recordA": [2, 2]}})")
           .find ("routing.recordA: the left and right channels must differ") != std::string::npos);
}

TEST_CASE ("Sessions of an unknown version are refused, naming the versions this one reads", "[session][errors]")
{
    CHECK (errorOf (R"({"format": "cuegrid.session", "version": 5})")
           == "show.cuegrid:1:42: version: version 5 was written by a newer CueGrid (this one reads versions 1 to 4)");
    CHECK (errorOf (R"({"format": "cuegrid.session", "version": 0})")
           == "show.cuegrid:1:42: version: unsupported version 0 (this CueGrid reads versions 1 to 4)");
    CHECK (errorOf (R"({"format": "cuegrid.session", "version": 1.5})")
           == "show.cuegrid:1:42: version: unsupported version 1.5 (this CueGrid reads versions 1 to 4)");
    CHECK (errorOf (R"({"format": "cuegrid.session", "version": 2.5})")
           == "show.cuegrid:1:42: version: unsupported version 2.5 (this CueGrid reads versions 1 to 4)");
    CHECK (errorOf (R"({"format": "cuegrid.session", "version": -3})")
           == "show.cuegrid:1:42: version: unsupported version -3 (this CueGrid reads versions 1 to 4)");
    CHECK (errorOf (R"({"format": "cuegrid.session", "version": 1})") == "(no error)");
    CHECK (errorOf (R"({"format": "cuegrid.session", "version": 2})") == "(no error)");
    CHECK (errorOf (R"({"format": "cuegrid.session", "version": 3})") == "(no error)");

    // A version 5 file on disk: refused with its file, line and column.
    test::TemporaryFolder folder ("version5");
    const auto path = folder / "future.cuegrid";
    test::writeText (path, "{\n  \"format\": \"cuegrid.session\",\n  \"version\": 5,\n  \"name\": \"From the future\"\n}\n");
    try
    {
        SessionManifest::load (path.string());
        FAIL ("a version 5 manifest loaded");
    }
    catch (const InputError& error)
    {
        CHECK (std::string (error.what()) == path.string() + ":3:14: version: version 5 was written by a newer CueGrid (this one reads versions 1 to 4)");
    }
}

TEST_CASE ("Bad version 2 and 3 values are refused with their line, column and path", "[session][errors][v2][v3]")
{
    struct BadValue
    {
        bool inClip;            // the snippet goes into clips[0], else into the document
        const char* snippet;    // on line 2, from column 3
        const char* expected;   // after "show.cuegrid:"
        int since = 2;          // the version that added the key: older files ignore it
    };
    const BadValue table[] {
        { true,   R"("fadeInMs": 3001)", "2:15: clips[0].fadeInMs: must be from 0 to 3000 ms" },
        { true,   R"("fadeOutMs": -1)", "2:16: clips[0].fadeOutMs: must be from 0 to 3000 ms" },
        { true,   R"("fadeInCurve": "log")", "2:18: clips[0].fadeInCurve: unknown curve \"log\" (expected linear, equalPower, sCurve or exponential)" },
        { true,   R"("fadeOutCurve": 2)", "2:19: clips[0].fadeOutCurve: expected a string, found number" },
        { true,   R"("cueInSec": -0.5)", "2:15: clips[0].cueInSec: must be from 0 to 10800 s (3 hours)" },
        { true,   R"("cueOutSec": 10801)", "2:16: clips[0].cueOutSec: must be from 0 to 10800 s (3 hours)" },
        { true,   R"("cueInSec": 2, "cueOutSec": 2)", "2:31: clips[0].cueOutSec: must be after cueInSec (2 s)" },
        { true,   R"("edgeFadeMs": 0.2)", "2:17: clips[0].edgeFadeMs: must be from 0.25 to 10 ms" },
        { true,   R"("edgeFadeMs": 11)", "2:17: clips[0].edgeFadeMs: must be from 0.25 to 10 ms" },
        { true,   R"("loop": 3)", "2:11: clips[0].loop: expected an object, found number" },
        { true,   R"("loop": {"count": 2.5})", "2:21: clips[0].loop.count: must be a whole number from 0 to 1000000" },
        { true,   R"("loop": {"count": -1})", "2:21: clips[0].loop.count: must be a whole number from 0 to 1000000" },
        { true,   R"("loop": {"count": 1e7})", "2:21: clips[0].loop.count: must be a whole number from 0 to 1000000" },
        { true,   R"("loop": {"crossfadeMs": 0})", "2:27: clips[0].loop.crossfadeMs: must be from 0.25 to 10 ms" },
        { true,   R"("loop": {"inSec": 2, "outSec": 1})", "2:34: clips[0].loop.outSec: must be after loop.inSec (2 s)" },
        { true,   R"("cueInSec": 1, "loop": {"inSec": 0.5})", "2:36: clips[0].loop.inSec: must not be before cueInSec (1 s)" },
        { true,   R"("cueOutSec": 3, "loop": {"inSec": 3})", "2:37: clips[0].loop.inSec: must be before cueOutSec (3 s)" },
        { true,   R"("cueOutSec": 3, "loop": {"outSec": 3.5})", "2:38: clips[0].loop.outSec: must not be after cueOutSec (3 s)" },
        { true,   R"("cueInSec": 1, "loop": {"outSec": 0.5})", "2:37: clips[0].loop.outSec: must be after cueInSec (1 s)" },
        { true,   R"("loop": {"outSec": 0})", "2:22: clips[0].loop.outSec: must be after the start of the file (0 s)" },
        { true,   R"("retrigger": "again")", "2:16: clips[0].retrigger: unknown retrigger mode \"again\" (expected restart, stop, pause or layer)" },
        { true,   R"("solo": "yes")", "2:11: clips[0].solo: expected true or false, found string" },
        { true,   R"("pan": 1.5)", "2:10: clips[0].pan: must be from -1 (left) to +1 (right)" },
        { true,   R"("pan": -1.01)", "2:10: clips[0].pan: must be from -1 (left) to +1 (right)" },
        { false,  R"("groups": [{"id": "A", "chokeLimit": 4}])", "2:40: groups[0].chokeLimit: must be a whole number from 0 to 3" },
        { false,  R"("groups": [{"id": "B"}, {"id": "A", "chokeLimit": 1.5}])", "2:53: groups[1].chokeLimit: must be a whole number from 0 to 3" },
        { false,  R"("fadeDefaults": [])", "2:19: fadeDefaults: expected an object, found array" },
        { false,  R"("fadeDefaults": {"inMs": 5000})", "2:28: fadeDefaults.inMs: must be from 0 to 3000 ms" },
        { false,  R"("fadeDefaults": {"outMs": 3000.5})", "2:29: fadeDefaults.outMs: must be from 0 to 3000 ms" },
        { false,  R"("fadeDefaults": {"crossfadeMs": -1})", "2:35: fadeDefaults.crossfadeMs: must be from 0 to 3000 ms" },
        { false,  R"("fadeDefaults": {"inCurve": "log"})", "2:31: fadeDefaults.inCurve: unknown curve \"log\" (expected linear, equalPower, sCurve or exponential)" },
        { false,  R"("fadeDefaults": {"outCurve": "Linear"})", "2:32: fadeDefaults.outCurve: unknown curve \"Linear\" (expected linear, equalPower, sCurve or exponential)" },
        { false,  R"("fadeDefaults": {"crossfadeCurve": "cubic"})", "2:38: fadeDefaults.crossfadeCurve: unknown curve \"cubic\" (expected linear, equalPower, sCurve or exponential)" },
        { false,  R"("routing": 1)", "2:14: routing: expected an object, found number" },
        { false,  R"("routing": {"master": [1]})", "2:25: routing.master: expected two channel numbers like [1, 2]" },
        { false,  R"("routing": {"master": [1, 2, 3]})", "2:25: routing.master: expected two channel numbers like [1, 2]" },
        { false,  R"("routing": {"master": [1, 65]})", "2:29: routing.master[1]: must be a whole number from 1 to 64" },
        { false,  R"("routing": {"audition": [0, 1]})", "2:28: routing.audition[0]: must be a whole number from 1 to 64" },
        { false,  R"("routing": {"audition": [3, "4"]})", "2:31: routing.audition[1]: must be a whole number from 1 to 64" },
        { false,  R"("routing": {"audition": [3, 3]})", "2:27: routing.audition: the left and right channels must differ (both are 3)" },
        { false,  R"("routing": {"groups": []})", "2:25: routing.groups: expected an object, found array" },
        { false,  R"("routing": {"groups": {"E": [5, 6]}})", "2:31: routing.groups.E: unknown group \"E\" (expected A, B, C or D)" },
        { false,  R"("routing": {"groups": {"D": [5.5, 6]}})", "2:32: routing.groups.D[0]: must be a whole number from 1 to 64" },
        { false,  R"("master": {"gainDb": 30})", "2:24: master.gainDb: must be between -144 and +24 dB" },
        { false,  R"("master": {"limiter": []})", "2:25: master.limiter: expected an object, found array" },
        { false,  R"("master": {"limiter": {"enabled": 1}})", "2:37: master.limiter.enabled: expected true or false, found number" },
        { false,  R"("master": {"limiter": {"ceilingDb": 0.5}})", "2:39: master.limiter.ceilingDb: must be from -60 to 0 dBFS" },
        { false,  R"("master": {"limiter": {"ceilingDb": -61}})", "2:39: master.limiter.ceilingDb: must be from -60 to 0 dBFS" },
        { false,  R"("routing": {"recordA": [1]})", "2:26: routing.recordA: expected two channel numbers like [1, 2]", 3 },
        { false,  R"("routing": {"recordB": [0, 1]})", "2:27: routing.recordB[0]: must be a whole number from 1 to 64", 3 },
        { false,  R"("recording": 1)", "2:16: recording: expected an object, found number", 3 },
        { false,  R"("recording": {"format": "mp3"})", "2:27: recording.format: unknown recording format \"mp3\" (expected wav or flac)", 3 },
        { false,  R"("recording": {"sampleFormat": "int16"})", "2:33: recording.sampleFormat: unknown sample format \"int16\" (expected int24 or float)", 3 },
    };
    for (const int version : { 2, 3 })
        for (const auto& bad : table)
        {
            const auto start = R"({"format": "cuegrid.session", "version": )" + std::to_string (version) + ",";
            const std::string text = bad.inClip
                ? start + R"( "clips": [{"id": "a", "file": "a.wav",)" + "\n  " + bad.snippet + "}]}"
                : start + "\n  " + bad.snippet + "}";
            INFO (text);
            CHECK (errorOf (text) == (version >= bad.since ? std::string ("show.cuegrid:") + bad.expected : std::string ("(no error)")));
        }
}
