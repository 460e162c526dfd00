// CueGrid — GPL-3.0-or-later
#include "Session/SessionManifest.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace cuegrid;

namespace
{
    std::string readText (const std::string& path)
    {
        std::ifstream in (path);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }
}

TEST_CASE ("Manifest v3 midi: learned mappings and feedback values round-trip, bad ones name their path")
{
    const auto path = std::string (CUEGRID_TEST_DATA_DIR) + "/sessions/version3.cuegrid";
    auto json = nlohmann::json::parse (readText (path));
    CHECK_FALSE (SessionManifest::toJson (SessionManifest::parse (json.dump(), path)).contains ("midi"));   // default: not written

    json["midi"] = nlohmann::json::parse (R"({"mappings": [
        {"message": "note", "channel": 10, "number": 36, "gate": true, "target": "fire:kick"},
        {"message": "cc", "channel": 1, "number": 7, "mode": "relative", "target": "group:B"},
        {"message": "program", "channel": 1, "target": "page"}],
        "feedback": {"playing": 100, "paused": 50, "loaded": 10, "missing": 3, "empty": 0}})");
    const auto session = SessionManifest::parse (json.dump(), path);
    REQUIRE (session.midi.mappings.size() == 3);
    CHECK (session.midi.mappings[0].channel == 9);
    CHECK (session.midi.mappings[0].gate);
    CHECK (session.midi.mappings[0].target.clip == "kick");
    CHECK (session.midi.mappings[1].mode == MidiMapping::CcMode::relative);
    CHECK (session.midi.mappings[1].target.group == 1);
    CHECK (session.midi.mappings[2].kind == MidiMapping::Kind::program);
    CHECK (session.midi.feedback.playing == 100);
    const auto written = SessionManifest::toJson (session);
    CHECK (nlohmann::json::parse (written["midi"].dump()) == json["midi"]);
    CHECK (SessionManifest::toJson (SessionManifest::parse (written.dump(), path)).dump() == written.dump());

    json["midi"]["mappings"][1]["channel"] = 17;
    try
    {
        SessionManifest::parse (json.dump(), path);
        FAIL ("a channel 17 was accepted");
    }
    catch (const std::exception& error)
    {
        CHECK (std::string (error.what()).find ("midi") != std::string::npos);
        CHECK (std::string (error.what()).find ("mappings[1]: channel must be 1 to 16") != std::string::npos);
    }
}
