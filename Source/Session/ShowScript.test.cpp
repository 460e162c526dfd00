// CueGrid — GPL-3.0-or-later
#include "Errors.h"
#include "SessionManifest.h"
#include "ShowScript.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace cuegrid;

namespace
{
    Session twoClipSession()
    {
        return SessionManifest::parse (R"({"format": "cuegrid.session", "version": 1, "sampleRate": 48000,
            "groups": [{"id": "B", "gainDb": -3.0, "muted": true}],
            "clips": [{"id": "kick", "file": "k.wav", "group": "A", "gainDb": -2.5},
                      {"id": "pad", "file": "p.wav", "group": "C"}]})", "s.cuegrid");
    }

    std::string errorOf (const std::string& text)
    {
        try
        {
            validateShowScript (parseShowScript (text, "script.json"), twoClipSession());
        }
        catch (const InputError& error)
        {
            return error.what();
        }
        return "(no error)";
    }
} // namespace

TEST_CASE ("Script commands resolve to round(timeSec × rate), session state first", "[script]")
{
    const auto script = parseShowScript (R"({"durationSec": 2, "tailSec": 0.5, "commands": [
        {"timeSec": 1.0000104, "type": "Trigger", "clip": "pad"},
        {"timeSec": 0.00001, "type": "Trigger", "clip": "kick"},
        {"timeSec": 1.5, "type": "SetParam", "target": "group:A:gainDb", "value": -6, "rampMs": 250},
        {"timeSec": 1.5, "type": "SetParam", "target": "clip:kick:gainDb", "value": 3},
        {"timeSec": 1.6, "type": "SetParam", "target": "group:D:muted", "value": true},
        {"timeSec": 1.7, "type": "StopGroup", "group": "C"},
        {"timeSec": 1.8, "type": "Stop", "clip": "kick"},
        {"timeSec": 1.9, "type": "StopAll"}]})", "script.json");
    const auto session = twoClipSession();
    ClipAudio dummy ({ std::vector<float> (10) }, 48000.0);
    const std::vector<ClipAudioPtr> media { std::shared_ptr<const ClipAudio> (&dummy, [] (const ClipAudio*) {}),
                                            std::shared_ptr<const ClipAudio> (&dummy, [] (const ClipAudio*) {}) };
    const auto plan = resolveShowScript (script, session, media, 48000.0);

    CHECK (plan.totalFrames == 120000);
    // 4 groups × (gain, mute) + one table of every clip's gain, all at once, before the script.
    REQUIRE (plan.commands.size() == 9 + 8);
    CHECK (plan.commands[2].type == EngineCommand::Type::setGroupGain);
    CHECK (plan.commands[2].group == 1);
    CHECK (plan.commands[2].value == -3.0f);
    CHECK (plan.commands[3].type == EngineCommand::Type::setGroupMute);
    CHECK (plan.commands[3].value == 1.0f);
    CHECK (plan.commands[8].type == EngineCommand::Type::setClipGains);
    REQUIRE (plan.commands[8].clipGains == plan.clipGains.get());
    REQUIRE (plan.clipGains->size() == 2);
    CHECK (plan.clipGains->gain (0) == Approx (std::pow (10.0, -2.5 / 20.0)));
    CHECK (plan.clipGains->gain (1) == Approx (1.0));
    for (int i = 0; i < 9; ++i)
        CHECK (plan.commands[(size_t) i].sampleTime == immediately);

    const auto* timed = plan.commands.data() + 9;
    CHECK (timed[0].type == EngineCommand::Type::trigger);
    CHECK (timed[0].clipSlot == 0);
    CHECK (timed[0].sampleTime == 0);          // round(0.48)
    CHECK (timed[1].clipSlot == 1);
    CHECK (timed[1].group == 2);
    CHECK (timed[1].sampleTime == 48000);      // round(48000.4992)
    CHECK (timed[2].type == EngineCommand::Type::setGroupGain);
    CHECK (timed[2].sampleTime == 72000);
    CHECK (timed[2].rampSamples == 12000);
    CHECK (timed[3].type == EngineCommand::Type::setClipGain);
    CHECK (timed[4].type == EngineCommand::Type::setGroupMute);
    CHECK (timed[4].group == 3);
    CHECK (timed[5].type == EngineCommand::Type::stopGroup);
    CHECK (timed[6].type == EngineCommand::Type::stop);
    CHECK (timed[7].type == EngineCommand::Type::stopAll);
    CHECK (plan.warnings.empty());
}

TEST_CASE ("Bad scripts are rejected before rendering, with the command's index and position", "[script][errors]")
{
    CHECK (errorOf (R"({"durationSec": 4, "commands": [
  {"timeSec": 1, "type": "Trigger", "clip": "kick"},
  {"timeSec": 2, "type": "Trigger", "clip": "snare"}]})")
           == "script.json:3:3: commands[1]: no clip with id \"snare\" in session \"Untitled\"");
    CHECK_THAT (errorOf (R"({"durationSec": 4, "commands": [{"timeSec": -0.5, "type": "Trigger", "clip": "kick"}]})"),
                Catch::Contains ("commands[0].timeSec: negative time"));
    CHECK_THAT (errorOf (R"({"durationSec": 4, "commands": [{"timeSec": 0, "type": "Trigger", "clip": "kick"}, {"timeSec": 1, "type": "Jump"}]})"),
                Catch::Contains ("commands[1].type: unknown command type \"Jump\""));
    CHECK_THAT (errorOf (R"({"durationSec": 4, "commands": [{"timeSec": 0, "type": "SetParam", "target": "group:Q:gainDb", "value": 0}]})"),
                Catch::Contains ("commands[0].target: unknown target \"group:Q:gainDb\""));
    CHECK_THAT (errorOf (R"({"durationSec": 4, "commands": [{"timeSec": 0, "type": "SetParam", "target": "clip:ghost:gainDb", "value": 0}]})"),
                Catch::Contains ("commands[0]: no clip with id \"ghost\""));
    CHECK_THAT (errorOf (R"({"commands": []})"), Catch::Contains ("durationSec: is missing"));
    CHECK_THAT (errorOf (R"({"durationSec": 4, "commands": [{"timeSec": "soon", "type": "StopAll"}]})"),
                Catch::Contains ("commands[0].timeSec: expected a number, found string"));
}
