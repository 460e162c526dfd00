// CueGrid — GPL-3.0-or-later
#include "ClipPlayback.h"
#include "Errors.h"
#include "SessionManifest.h"
#include "ShowScript.h"
#include "Support/TestSupport.h"

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

    // Session state ahead of every plan: see sessionStateCommands.
    constexpr size_t stateCount = 4 * 3 + 3 + 1 + 1;   // … and Record A/B's input channels, last

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

    /** A ClipAudio of `frames` silent mono frames at 48 kHz, shared. */
    ClipAudioPtr silence (int64_t frames)
    {
        return std::make_shared<const ClipAudio> (std::vector<std::vector<float>> { std::vector<float> ((size_t) frames) }, 48000.0);
    }

    Session playbackSession()
    {
        return SessionManifest::parse (R"({"format": "cuegrid.session", "version": 2, "sampleRate": 48000,
            "fadeDefaults": {"outMs": 200, "outCurve": "equalPower"},
            "clips": [{"id": "kick", "file": "k.wav", "group": "A"},
                      {"id": "pad", "file": "p.wav", "group": "B", "cueInSec": 0.5, "cueOutSec": 1.5, "fadeInMs": 100,
                       "loop": {"count": 2}, "retrigger": "layer"}]})", "s.cuegrid");
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
    // 4 groups × (gain, mute, choke limit), master gain, limiter, routing, and one table of
    // every clip's gain and pan, all at once, before the script.
    REQUIRE (plan.commands.size() == stateCount + 8);
    CHECK (plan.commands[3].type == EngineCommand::Type::setGroupGain);
    CHECK (plan.commands[3].group == 1);
    CHECK (plan.commands[3].value == -3.0f);
    CHECK (plan.commands[4].type == EngineCommand::Type::setGroupMute);
    CHECK (plan.commands[4].value == 1.0f);
    CHECK (plan.commands[15].type == EngineCommand::Type::setClipGains);
    REQUIRE (plan.commands[15].clipGains == plan.clipGains.get());
    REQUIRE (plan.clipGains->size() == 2);
    CHECK (plan.clipGains->gain (0) == Approx (std::pow (10.0, -2.5 / 20.0)));
    CHECK (plan.clipGains->gain (1) == Approx (1.0));
    for (size_t i = 0; i < stateCount; ++i)
        CHECK (plan.commands[i].sampleTime == immediately);

    const auto* timed = plan.commands.data() + stateCount;
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

TEST_CASE ("Session state carries choke limits, master gain, limiter, routing and clip pans", "[script][v2]")
{
    const auto session = SessionManifest::load (test::dataPath ("sessions/version2.cuegrid").string());
    const auto state = sessionStateCommands (session);
    REQUIRE (state.commands.size() == stateCount);
    const int chokeLimits[] { 2, 1, 0, 3 };
    for (int group = 0; group < groupCount; ++group)
    {
        const auto& choke = state.commands[(size_t) (group * 3 + 2)];
        CHECK (choke.type == EngineCommand::Type::setChokeLimit);
        CHECK (choke.group == group);
        CHECK (choke.value == (float) chokeLimits[group]);
        CHECK (choke.sampleTime == immediately);
    }
    const auto& master = state.commands[12];
    CHECK (master.type == EngineCommand::Type::setMasterGain);
    CHECK (master.value == -2.0f);
    CHECK (master.rampSamples == 0);
    const auto& limiter = state.commands[13];
    CHECK (limiter.type == EngineCommand::Type::setLimiter);
    CHECK (limiter.enabled);
    CHECK (limiter.value == -0.5f);
    const auto& routing = state.commands[14];
    CHECK (routing.type == EngineCommand::Type::setRouting);
    CHECK (routing.routing.masterLeft == 2);
    CHECK (routing.routing.masterRight == 3);
    CHECK (routing.routing.auditionLeft == 6);
    CHECK (routing.routing.auditionRight == 7);
    CHECK (routing.routing.groupLeft[3] == 4);
    CHECK (routing.routing.groupRight[3] == 5);
    CHECK (routing.routing.groupLeft[0] == -1);
    const auto& table = state.commands[15];
    CHECK (table.type == EngineCommand::Type::setClipGains);
    REQUIRE (table.clipGains == state.clipGains.get());
    REQUIRE (state.clipGains->size() == 5);
    CHECK (state.clipGains->pan (0) == 0.0);
    CHECK (state.clipGains->pan (1) == -0.25);
    CHECK (state.clipGains->pan (2) == 1.0);
    CHECK (state.clipGains->gain (1) == Approx (std::pow (10.0, -4.0 / 20.0)));

    // A version 1 session's state leaves the limiter off and the routing at its default.
    const auto v1 = sessionStateCommands (twoClipSession());
    CHECK_FALSE (v1.commands[13].enabled);
    CHECK (v1.commands[13].value == -1.0f);
    CHECK (v1.commands[14].routing.auditionLeft == 2);
    CHECK (v1.clipGains->pan (0) == 0.0);
}

TEST_CASE ("Every script type parses and resolves to its engine command", "[script][v2]")
{
    const auto script = parseShowScript (R"({"durationSec": 10, "commands": [
        {"timeSec": 0.0, "type": "Trigger", "clip": "kick"},
        {"timeSec": 0.5, "type": "Trigger", "clip": "pad", "offsetSec": 0.25},
        {"timeSec": 1.0, "type": "Stop", "clip": "kick"},
        {"timeSec": 1.1, "type": "Stop", "clip": "pad", "fadeMs": 250},
        {"timeSec": 1.2, "type": "Pause", "clip": "pad"},
        {"timeSec": 1.3, "type": "Resume", "clip": "pad"},
        {"timeSec": 1.4, "type": "TogglePause", "clip": "kick"},
        {"timeSec": 1.5, "type": "StopGroup", "group": "C"},
        {"timeSec": 1.6, "type": "FadeGroup", "group": "B", "fadeMs": 2000, "curve": "sCurve"},
        {"timeSec": 1.7, "type": "FadeGroup", "group": "A", "fadeMs": 0},
        {"timeSec": 1.8, "type": "StopAll"},
        {"timeSec": 1.9, "type": "FadeAll"},
        {"timeSec": 2.0, "type": "FadeAll", "fadeMs": 3000, "curve": "exponential"},
        {"timeSec": 2.1, "type": "PauseAll"},
        {"timeSec": 2.2, "type": "ResumeAll"},
        {"timeSec": 2.3, "type": "Audition", "clip": "pad"},
        {"timeSec": 2.4, "type": "Audition", "file": "media/preview.wav"},
        {"timeSec": 2.5, "type": "StopAudition"},
        {"timeSec": 2.6, "type": "SetParam", "target": "clip:pad:pan", "value": -0.5, "rampMs": 100},
        {"timeSec": 2.7, "type": "SetParam", "target": "master:gainDb", "value": -6},
        {"timeSec": 2.8, "type": "SetParam", "target": "audition:gainDb", "value": -12, "rampMs": 10},
        {"timeSec": 2.9, "type": "Panic"}]})", "script.json");
    using T = ScriptCommand::Type;
    REQUIRE (script.commands.size() == 22);
    CHECK (script.commands[1].offsetSec == 0.25);
    CHECK_FALSE (script.commands[2].fadeMs.has_value());
    CHECK (script.commands[3].fadeMs == 250.0);
    CHECK (script.commands[8].type == T::fadeGroup);
    CHECK (script.commands[8].curve == FadeCurve::sCurve);
    CHECK (script.commands[11].fadeMs == 1000.0);      // FadeAll's default
    CHECK (script.commands[11].curve == FadeCurve::linear);
    CHECK (script.commands[16].file == "media/preview.wav");
    CHECK (script.commands[16].clip.empty());
    CHECK (script.commands[18].target == ScriptCommand::Target::clipPan);
    CHECK (script.commands[18].clip == "pad");
    CHECK (script.commands[20].target == ScriptCommand::Target::auditionGain);

    const auto session = playbackSession();
    const auto kickAudio = silence (4800), padAudio = silence (96000), preview = silence (1000);
    CHECK (scriptMediaFiles (script) == std::vector<std::string> { "media/preview.wav" });
    const auto plan = resolveShowScript (script, session, { kickAudio, padAudio }, 48000.0, { { "media/preview.wav", preview } });
    CHECK (plan.warnings.empty());
    REQUIRE (plan.commands.size() == stateCount + 22);
    const auto* c = plan.commands.data() + stateCount;
    using E = EngineCommand::Type;

    CHECK (c[0].type == E::trigger);
    CHECK (c[0].audio == kickAudio.get());
    CHECK (c[0].playback.cueOut == 4800);
    CHECK (c[0].playback.fadeOut == 9600);   // the session's 200 ms
    CHECK (c[0].playback.fadeOutCurve == FadeCurve::equalPower);

    CHECK (c[1].type == E::trigger);
    CHECK (c[1].sampleTime == 24000);
    CHECK (c[1].group == 1);
    CHECK (c[1].playback.cueIn == 24000);
    CHECK (c[1].playback.cueOut == 72000);
    CHECK (c[1].playback.startFrame == 36000);
    CHECK (c[1].playback.fadeIn == 4800);
    CHECK (c[1].playback.loopIn == 24000);
    CHECK (c[1].playback.loopOut == 72000);
    CHECK (c[1].playback.loopCount == 2);
    CHECK (c[1].playback.retrigger == RetriggerMode::layer);

    CHECK (c[2].type == E::stop);
    CHECK (c[2].clipSlot == 0);
    CHECK (c[2].fadeSamples == -1);          // the clip's own fadeOut
    CHECK (c[3].type == E::stop);
    CHECK (c[3].clipSlot == 1);
    CHECK (c[3].fadeSamples == 12000);
    CHECK (c[4].type == E::pause);
    CHECK (c[4].clipSlot == 1);
    CHECK (c[5].type == E::resume);
    CHECK (c[5].clipSlot == 1);
    CHECK (c[6].type == E::togglePause);
    CHECK (c[6].clipSlot == 0);
    CHECK (c[7].type == E::stopGroup);
    CHECK (c[7].group == 2);
    CHECK (c[8].type == E::fadeGroup);
    CHECK (c[8].group == 1);
    CHECK (c[8].fadeSamples == 96000);
    CHECK (c[8].curve == FadeCurve::sCurve);
    CHECK (c[9].type == E::fadeGroup);
    CHECK (c[9].group == 0);
    CHECK (c[9].fadeSamples == 0);
    CHECK (c[10].type == E::stopAll);
    CHECK (c[11].type == E::fadeAll);
    CHECK (c[11].fadeSamples == 48000);
    CHECK (c[11].curve == FadeCurve::linear);
    CHECK (c[12].type == E::fadeAll);
    CHECK (c[12].fadeSamples == 144000);
    CHECK (c[12].curve == FadeCurve::exponential);
    CHECK (c[13].type == E::pauseAll);
    CHECK (c[14].type == E::resumeAll);

    CHECK (c[15].type == E::audition);
    CHECK (c[15].clipSlot == 1);
    CHECK (c[15].group == auditionGroup);
    CHECK (c[15].audio == padAudio.get());
    CHECK (c[15].playback.startFrame == 24000);   // the clip's cue region, from its start
    CHECK (c[15].playback.cueOut == 72000);
    CHECK (c[16].type == E::audition);
    CHECK (c[16].clipSlot == -1);
    CHECK (c[16].audio == preview.get());
    CHECK (c[16].playback.cueIn == 0);            // a plain file plays whole
    CHECK (c[16].playback.cueOut == -1);
    CHECK (c[16].playback.loopOut == 0);
    REQUIRE (plan.fileMedia.size() == 1);
    CHECK (plan.fileMedia[0] == preview);         // the plan keeps it alive
    CHECK (c[17].type == E::stopAudition);

    CHECK (c[18].type == E::setClipPan);
    CHECK (c[18].clipSlot == 1);
    CHECK (c[18].value == -0.5f);
    CHECK (c[18].rampSamples == 4800);
    CHECK (c[19].type == E::setMasterGain);
    CHECK (c[19].value == -6.0f);
    CHECK (c[20].type == E::setAuditionGain);
    CHECK (c[20].value == -12.0f);
    CHECK (c[20].rampSamples == 480);
    CHECK (c[21].type == E::panic);
    CHECK (c[21].sampleTime == 139200);
}

TEST_CASE ("RecordStart and RecordStop resolve to the record buses, and a render can leave them out", "[script][recording]")
{
    const auto script = parseShowScript (R"({"durationSec": 10, "commands": [
        {"timeSec": 1.0, "type": "RecordStart", "bus": "A"},
        {"timeSec": 1.5, "type": "RecordStart"},
        {"timeSec": 2.0, "type": "RecordStop", "bus": "B"},
        {"timeSec": 3.0, "type": "RecordStop", "bus": "both"}]})", "script.json");
    auto plan = resolveShowScript (script, twoClipSession(), { nullptr, nullptr }, 48000.0);
    REQUIRE (plan.commands.size() == stateCount + 4);
    CHECK (plan.recordCommands == 4);
    const auto* timed = plan.commands.data() + stateCount;
    CHECK (timed[0].type == EngineCommand::Type::recordStart);
    CHECK (timed[0].group == recordBusA);
    CHECK (timed[0].sampleTime == 48000);
    CHECK (timed[1].group == recordBusBoth);   // no bus: both
    CHECK (timed[2].type == EngineCommand::Type::recordStop);
    CHECK (timed[2].group == recordBusB);
    CHECK (timed[3].group == recordBusBoth);
    CHECK (describeScriptCommand (script.commands[0]) == "RecordStart A");
    CHECK (describeScriptCommand (script.commands[3]) == "RecordStop A and B");
    // The session's record inputs (1-based pairs) reach the engine 0-based, after the state.
    const auto& inputs = plan.commands[stateCount - 1];
    CHECK (inputs.type == EngineCommand::Type::setRecordInputs);
    CHECK (inputs.recordInputs.left[0] == 0);
    CHECK (inputs.recordInputs.right[1] == 3);
    CHECK (removeRecordCommands (plan) == 4);
    CHECK (plan.commands.size() == stateCount);

    CHECK (errorOf (R"({"durationSec": 10, "commands": [
        {"timeSec": 1.0, "type": "RecordStart", "bus": "C"}]})")
           == "script.json:2:56: commands[0].bus: unknown record bus \"C\" (expected A, B or both)");
}

TEST_CASE ("Audition files: listed once each, skipped with a warning when not loaded", "[script][v2]")
{
    const auto script = parseShowScript (R"({"durationSec": 4, "commands": [
        {"timeSec": 0, "type": "Audition", "file": "b.wav"},
        {"timeSec": 1, "type": "Audition", "file": "a.wav"},
        {"timeSec": 2, "type": "Audition", "file": "b.wav"},
        {"timeSec": 3, "type": "Audition", "clip": "pad"}]})", "script.json");
    CHECK (scriptMediaFiles (script) == std::vector<std::string> { "b.wav", "a.wav" });

    const auto session = playbackSession();
    const auto b = silence (10);
    const auto plan = resolveShowScript (script, session, { silence (10), nullptr }, 48000.0, { { "b.wav", b }, { "a.wav", nullptr } });
    REQUIRE (plan.commands.size() == stateCount + 2);     // both b.wav auditions; a.wav and pad have no media
    CHECK (plan.commands[stateCount].audio == b.get());
    CHECK (plan.commands[stateCount + 1].audio == b.get());
    CHECK (plan.fileMedia.size() == 1);
    REQUIRE (plan.warnings.size() == 2);
    CHECK (plan.warnings[0] == "commands[1]: media file \"a.wav\" is not loaded; audition skipped");
    CHECK (plan.warnings[1] == "commands[3]: clip \"pad\" has no media; audition skipped");

    // Without the file media at all, every file audition is skipped.
    const auto bare = resolveShowScript (script, session, { silence (10), silence (10) }, 48000.0);
    CHECK (bare.commands.size() == stateCount + 1);
    CHECK (bare.warnings.size() == 3);
}

TEST_CASE ("Bad values of the new script types name their line, column and path", "[script][errors][v2]")
{
    struct BadCommand
    {
        const char* fields;      // inside commands[0], after "timeSec": 0
        const char* expected;    // after "script.json:"
    };
    const BadCommand table[] {
        { R"("type": "Trigger", "clip": "kick", "offsetSec": -1)", "2:66: commands[0].offsetSec: must be from 0 to 10800 s (3 hours)" },
        { R"("type": "Trigger", "clip": "kick", "offsetSec": "1")", "2:66: commands[0].offsetSec: expected a number, found string" },
        { R"("type": "Stop", "clip": "kick", "fadeMs": 3001)", "2:60: commands[0].fadeMs: must be from 0 to 3000 ms" },
        { R"("type": "Stop", "clip": "kick", "fadeMs": -5)", "2:60: commands[0].fadeMs: must be from 0 to 3000 ms" },
        { R"("type": "Pause")", "2:3: commands[0].clip: is missing (a string is required)" },
        { R"("type": "TogglePause", "clip": 3)", "2:49: commands[0].clip: expected a string, found number" },
        { R"("type": "FadeGroup", "group": "B")", "2:3: commands[0].fadeMs: is missing (a number is required)" },
        { R"("type": "FadeGroup", "group": "E", "fadeMs": 10)", "2:48: commands[0].group: unknown group \"E\" (expected A, B, C or D)" },
        { R"("type": "FadeGroup", "group": "A", "fadeMs": 10, "curve": "log")", "2:76: commands[0].curve: unknown curve \"log\" (expected linear, equalPower, sCurve or exponential)" },
        { R"("type": "FadeAll", "fadeMs": 3000.5)", "2:47: commands[0].fadeMs: must be from 0 to 3000 ms" },
        { R"("type": "FadeAll", "curve": 1)", "2:46: commands[0].curve: expected a string, found number" },
        { R"("type": "Audition", "clip": "kick", "file": "a.wav")", "2:62: commands[0].file: give either clip or file, not both" },
        { R"("type": "Audition")", "2:3: commands[0]: Audition needs a clip or a file" },
        { R"("type": "Audition", "file": "")", "2:46: commands[0].file: must not be empty" },
        { R"("type": "SetParam", "target": "clip:kick:pan", "value": 1.5)", "2:74: commands[0].value: pan must be from -1 (left) to +1 (right)" },
        { R"("type": "SetParam", "target": "audition:gainDb", "value": 30)", "2:76: commands[0].value: gain must be between -144 and +24 dB" },
        { R"("type": "SetParam", "target": "audition:pan", "value": 0)", "2:48: commands[0].target: unknown target \"audition:pan\" (expected group:<A-D>:gainDb, group:<A-D>:muted, clip:<id>:gainDb, clip:<id>:pan, master:gainDb or audition:gainDb)" },
        { R"("type": "SetParam", "target": "clip::pan", "value": 0)", "2:48: commands[0].target: unknown target \"clip::pan\" (expected group:<A-D>:gainDb, group:<A-D>:muted, clip:<id>:gainDb, clip:<id>:pan, master:gainDb or audition:gainDb)" },
        { R"("type": "Fade")", "2:26: commands[0].type: unknown command type \"Fade\" (expected Trigger, Stop, Pause, Resume, TogglePause, StopGroup, FadeGroup, StopAll, FadeAll, PauseAll, ResumeAll, Panic, Audition, StopAudition, SetParam, RecordStart, RecordStop or RecallScene)" },
        { R"("type": "Pause", "clip": "ghost")", "2:3: commands[0]: no clip with id \"ghost\" in session \"Untitled\"" },
        { R"("type": "Audition", "clip": "ghost")", "2:3: commands[0]: no clip with id \"ghost\" in session \"Untitled\"" },
        { R"("type": "SetParam", "target": "clip:ghost:pan", "value": 0)", "2:3: commands[0]: no clip with id \"ghost\" in session \"Untitled\"" },
    };
    for (const auto& bad : table)
    {
        const auto text = std::string ("{\"durationSec\": 4, \"commands\": [\n  {\"timeSec\": 0, ") + bad.fields + "}]}";
        INFO (text);
        CHECK (errorOf (text) == std::string ("script.json:") + bad.expected);
    }
}

TEST_CASE ("Script commands describe themselves for --dump-events", "[script][v2]")
{
    const auto script = parseShowScript (R"({"durationSec": 4, "commands": [
        {"timeSec": 0, "type": "Trigger", "clip": "pad", "offsetSec": 1.5},
        {"timeSec": 0, "type": "Stop", "clip": "pad", "fadeMs": 250},
        {"timeSec": 0, "type": "TogglePause", "clip": "pad"},
        {"timeSec": 0, "type": "FadeGroup", "group": "D", "fadeMs": 500, "curve": "equalPower"},
        {"timeSec": 0, "type": "FadeAll"},
        {"timeSec": 0, "type": "Audition", "file": "x.wav"},
        {"timeSec": 0, "type": "Panic"},
        {"timeSec": 0, "type": "SetParam", "target": "clip:pad:pan", "value": -0.5, "rampMs": 20}]})", "script.json");
    std::vector<std::string> described;
    for (const auto& command : script.commands)
        described.push_back (describeScriptCommand (command));
    CHECK (described == std::vector<std::string> {
        "Trigger pad from 1.5 s", "Stop pad over 250 ms", "TogglePause pad", "FadeGroup D over 500 ms equalPower",
        "FadeAll over 1000 ms linear", "Audition file x.wav", "Panic", "SetParam clip:pad:pan = -0.5 over 20 ms" });
}
