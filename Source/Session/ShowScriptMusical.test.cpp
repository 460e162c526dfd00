// CueGrid — GPL-3.0-or-later
// Musical time, durations, loops and scenes of show scripts (issue 15, "Show scripts"): bar/step/res
// resolved with the script's transport at several tempos and signatures, tempo ramps, the
// warnings (timeSec and bar, invalid steps, overlapping ramps) and RecallScene.
#include "Errors.h"
#include "SessionManifest.h"
#include "ShowScript.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

using namespace cuegrid;

namespace
{
    Session session()
    {
        return SessionManifest::parse (R"({"format": "cuegrid.session", "version": 2, "sampleRate": 48000,
            "clips": [{"id": "kick", "file": "k.wav", "group": "A"},
                      {"id": "pad", "file": "p.wav", "group": "B", "cueInSec": 0.5, "cueOutSec": 1.5}]})", "s.cuegrid");
    }

    /** Silent mono media, `frames` long. */
    std::vector<ClipAudioPtr> media (int64_t frames)
    {
        auto audio = std::make_shared<const ClipAudio> (std::vector<std::vector<float>> { std::vector<float> ((size_t) frames) }, 48000.0);
        return { audio, audio };
    }

    ShowScript parse (const std::string& text) { return parseShowScript (text, "show.json"); }

    std::string errorOf (const std::string& text)
    {
        try
        {
            parse (text);
        }
        catch (const InputError& error)
        {
            return error.what();
        }
        return "(no error)";
    }

    /** Samples of every script command of `text` at `rate`. */
    std::vector<int64_t> samplesOf (const std::string& text, double rate = 48000.0)
    {
        const auto script = parse (text);
        return resolveShowScript (script, session(), media (4800), rate).commandSamples;
    }

    std::string at (int bar, int step = 1, int res = 16)
    {
        return R"({"bar": )" + std::to_string (bar) + R"(, "step": )" + std::to_string (step) + R"(, "res": )"
               + std::to_string (res) + R"(, "type": "StopAll"})";
    }
} // namespace

TEST_CASE ("Bars and steps resolve exactly at 120 bpm in 4/4: a bar is 2 s, a sixteenth 0.125 s", "[script][musical]")
{
    const auto samples = samplesOf (R"({"bpm": 120, "commands": [)" + at (1) + "," + at (2) + "," + at (2, 5) + "," + at (3, 3, 4)
                                    + "," + at (9, 2, 8) + R"(, {"bar": 4, "type": "StopAll"}]})");
    CHECK (samples == std::vector<int64_t> { 0, 96000, 96000 + 24000, 192000 + 48000, 8 * 96000 + 12000, 3 * 96000 });
}

TEST_CASE ("Tempo and signature: 6/8 at 90 bpm (eighths), 7/8 at 140, 3/4 at 128.5, with exact rounding", "[script][musical]")
{
    // 6/8 at 90 eighths per minute: a bar is 6 × 60/90 = 4 s; a sixteenth is half an eighth.
    CHECK (samplesOf (R"({"bpm": 90, "timeSignature": [6, 8], "commands": [)" + at (2) + "," + at (2, 4) + "," + at (3, 2, 8) + "]}")
           == std::vector<int64_t> { 192000, 192000 + 48000, 384000 + 32000 });
    // 7/8 at 140: beat = 60/140 s; bar 2 = 7 beats = 3 s = 144000 samples; bar 5 step 3 (res 16) = 29 beats.
    CHECK (samplesOf (R"({"bpm": 140, "timeSignature": [7, 8], "commands": [)" + at (2) + "," + at (5, 3) + "]}")
           == std::vector<int64_t> { 144000, 596571 });   // 29 × 60 × 48000 / 140 = 596571.43
    // 3/4 at 128.5: bar 2 = 3 × 60 / 128.5 s = 67237.35 samples; at 44.1 kHz 61774.32.
    CHECK (samplesOf (R"({"bpm": 128.5, "timeSignature": [3, 4], "commands": [)" + at (2) + "]}")
           == std::vector<int64_t> { 67237 });
    CHECK (samplesOf (R"({"bpm": 128.5, "timeSignature": [3, 4], "commands": [)" + at (2) + "]}", 44100.0)
           == std::vector<int64_t> { 61774 });
    // A 1/96 note at 300 bpm is 1/24 of a 9600-sample beat: 400; at 44.1 kHz 8820 / 24 = 367.5, a half: up to 368.
    CHECK (samplesOf (R"({"bpm": 300, "commands": [)" + at (1, 2, 96) + "]}") == std::vector<int64_t> { 400 });
    CHECK (samplesOf (R"({"bpm": 300, "commands": [)" + at (1, 2, 96) + "]}", 44100.0) == std::vector<int64_t> { 368 });
    // … and a position far into a long show keeps its exactness: bar 5000 at 60 bpm = 19996 beats.
    CHECK (samplesOf (R"({"bpm": 60, "durationSec": 86000, "commands": [)" + at (5000) + "]}")
           == std::vector<int64_t> { (int64_t) 19996 * 48000 });
}

TEST_CASE ("Tempo ramps: linear in beats, the integral of 60 / bpm, then the new tempo holds", "[script][musical][ramps]")
{
    // 120 → 60 bpm from bar 2 to bar 3 (4 beats): k = -15 bpm per beat, t = 60/k × ln(60/120) = 2.7726 s.
    const auto text = R"({"bpm": 120, "tempoRamps": [{"fromBar": 2, "toBar": 3, "bpm": 60}], "commands": [)" + at (2) + ","
                      + at (3) + "," + at (4) + "," + at (2, 9) + "]}";
    const auto samples = samplesOf (text);
    const double rampSec = 60.0 / -15.0 * std::log (60.0 / 120.0);
    CHECK (samples[0] == 96000);
    CHECK (samples[1] == std::llround ((2.0 + rampSec) * 48000));
    CHECK (samples[2] == std::llround ((2.0 + rampSec + 4.0) * 48000));   // a 4/4 bar at 60 bpm
    // Halfway through the ramp (2 beats): the tempo is 90, t = 60/-15 × ln(90/120).
    CHECK (samples[3] == std::llround ((2.0 - 4.0 * std::log (0.75)) * 48000));
    CHECK (parse (text).warnings.empty());
}

TEST_CASE ("Warnings: timeSec wins over bar, a step beyond its bar, overlapping tempo ramps, with file, line and column", "[script][musical][warnings]")
{
    const auto script = parse (R"({"bpm": 120,
        "tempoRamps": [{"fromBar": 2, "toBar": 6, "bpm": 150}, {"fromBar": 4, "toBar": 5, "bpm": 90}],
        "commands": [
        {"timeSec": 0.5, "bar": 3, "type": "StopAll"},
        {"bar": 2, "step": 17, "res": 16, "type": "StopAll"},
        {"bar": 2, "step": 16, "res": 16, "type": "StopAll"}]})");
    REQUIRE (script.warnings.size() == 3);
    CHECK_THAT (script.warnings[0], Catch::StartsWith ("show.json:4:9: commands[0]: both timeSec and bar are given; timeSec 0.5 s wins (bar 3 step 1/16 ignored)"));
    CHECK_THAT (script.warnings[1], Catch::StartsWith ("show.json:5:9: commands[1]: step 17 is beyond bar 2 at res 16 (16 steps per bar)"));
    CHECK_THAT (script.warnings[2], Catch::StartsWith ("show.json:2:64: tempoRamps[1]: starts at beat 12, inside an earlier tempo ramp (to beat 20); ignored"));
    CHECK_THAT (script.warnings[2], Catch::EndsWith ("ignored"));
    const auto plan = resolveShowScript (script, session(), media (4800), 48000.0);
    CHECK (plan.commandSamples[0] == 24000);
    // The invalid step still resolves: step 17 of bar 2 is bar 3 step 1 (the ramp to 150 begins at bar 2).
    CHECK (plan.commandSamples[1] > plan.commandSamples[2]);

    // A step that fits 7/8 at res 4 (3.5 steps): step 4 starts at beat 6, inside the bar, so no warning.
    CHECK (parse (R"({"bpm": 100, "timeSignature": [7, 8], "commands": [)" + at (1, 4, 4) + "]}").warnings.empty());
    CHECK (parse (R"({"bpm": 100, "timeSignature": [7, 8], "commands": [)" + at (1, 5, 4) + "]}").warnings.size() == 1);
}

TEST_CASE ("Musical errors: no bpm, bpm out of range, step without bar, bad signatures and ramps are fatal", "[script][musical][errors]")
{
    CHECK_THAT (errorOf (R"({"commands": [{"bar": 2, "type": "StopAll"}]})"), Catch::Contains ("commands[0].bar: needs the script's bpm"));
    CHECK_THAT (errorOf (R"({"bpm": 301, "commands": []})"), Catch::Contains ("bpm: must be from 60 to 300 bpm"));
    CHECK_THAT (errorOf (R"({"bpm": 59.9, "commands": []})"), Catch::Contains ("bpm: must be from 60 to 300 bpm"));
    CHECK_THAT (errorOf (R"({"bpm": 120, "commands": [{"timeSec": 1, "step": 2, "type": "StopAll"}]})"),
                Catch::Contains ("commands[0].step: step needs a bar"));
    CHECK_THAT (errorOf (R"({"bpm": 120, "timeSignature": [4, 3], "commands": []})"), Catch::Contains ("timeSignature: must be [beats, note value]"));
    CHECK_THAT (errorOf (R"({"bpm": 120, "commands": [{"bar": 0, "type": "StopAll"}]})"), Catch::Contains ("commands[0].bar: must be a whole number from 1"));
    CHECK_THAT (errorOf (R"({"bpm": 120, "commands": [{"bar": 2.5, "type": "StopAll"}]})"), Catch::Contains ("must be a whole number"));
    CHECK_THAT (errorOf (R"({"bpm": 120, "tempoRamps": [{"fromBar": 3, "toBar": 3, "bpm": 90}], "commands": []})"),
                Catch::Contains ("tempoRamps[0].toBar: must be after fromBar"));
    CHECK_THAT (errorOf (R"({"commands": [{"timeSec": 1, "type": "StopAll"}], "timeSignature": [3, 4]})"), Catch::Contains ("timeSignature: needs the script's bpm"));
    CHECK_THAT (errorOf (R"({"bpm": 60, "commands": [{"bar": 100000, "type": "StopAll"}]})"), Catch::Contains ("beyond the longest show"));
    CHECK_THAT (errorOf (R"({"commands": []})"), Catch::Contains ("durationSec: is missing and cannot be computed"));
    CHECK_THAT (errorOf (R"({"durationSec": 1, "commands": [{"type": "StopAll"}]})"),
                Catch::Contains ("1:33: commands[0].timeSec: is missing: a command needs timeSec (seconds) or bar"));
    CHECK_THAT (errorOf (R"({"durationSec": 4, "prerollSec": 61, "commands": []})"), Catch::Contains ("prerollSec: must be from 0 to 60 s"));
}

TEST_CASE ("durationSec is computed when omitted: the last command, ramp or clip end, plus tailSec", "[script][duration]")
{
    // pad plays its cue region 0.5 … 1.5 s (48000 frames of 96000 media) from 1 s: ends at 2 s;
    // kick plays its whole 2 s media from 0.2 s: ends at 2.2 s, the last.
    auto plan = resolveShowScript (parse (R"({"tailSec": 0.5, "commands": [{"timeSec": 1, "type": "Trigger", "clip": "pad"},
        {"timeSec": 0.2, "type": "Trigger", "clip": "kick"}]})"), session(), media (96000), 48000.0);
    CHECK (plan.passFrames == 105600);
    CHECK (plan.totalFrames == 105600 + 24000);
    // A ramp that ends later wins; a bare command counts to its own sample.
    plan = resolveShowScript (parse (R"({"commands": [{"timeSec": 1, "type": "Trigger", "clip": "pad"},
        {"timeSec": 1.5, "type": "SetParam", "target": "master:gainDb", "value": -6, "rampMs": 1000},
        {"timeSec": 3, "type": "StopAll"}]})"), session(), media (96000), 48000.0);
    CHECK (plan.passFrames == 144001);
    CHECK (plan.totalFrames == 144001);
    // Given, it is kept as before; loop and prerollSec are read.
    const auto script = parse (R"({"durationSec": 4, "tailSec": 1, "loop": true, "prerollSec": 0.25, "commands": []})");
    CHECK (script.loop);
    plan = resolveShowScript (script, session(), media (96000), 48000.0);
    CHECK (plan.passFrames == 192000);
    CHECK (plan.totalFrames == 240000);
    CHECK (plan.prerollFrames == 12000);
}

TEST_CASE ("Scenes: RecallScene sets group levels and mutes and the master, morphed over morphMs", "[script][scenes]")
{
    const auto script = parse (R"({"durationSec": 10, "bpm": 120,
        "scenes": [{"id": "verse", "groups": {"A": {"gainDb": -6, "muted": false}, "C": {"muted": true}}, "masterGainDb": -3},
                   {"id": "chorus", "groups": {"B": {"gainDb": 2}}, "bpm": 60}],
        "commands": [
        {"timeSec": 1, "type": "RecallScene", "scene": "verse", "morphMs": 500},
        {"bar": 3, "type": "RecallScene", "scene": "chorus"},
        {"bar": 4, "type": "StopAll"}]})");
    CHECK (script.warnings.empty());
    const auto plan = resolveShowScript (script, session(), media (4800), 48000.0);
    std::vector<EngineCommand> timed (plan.commands.end() - 6, plan.commands.end());
    const auto find = [&] (EngineCommand::Type type, int group)
    {
        return *std::find_if (timed.begin(), timed.end(), [&] (const EngineCommand& c) { return c.type == type && c.group == group; });
    };
    const auto gainA = find (EngineCommand::Type::setGroupGain, 0);
    CHECK (gainA.sampleTime == 48000);
    CHECK (gainA.value == -6.0f);
    CHECK (gainA.rampSamples == 24000);
    CHECK (find (EngineCommand::Type::setGroupMute, 0).sampleTime == 48000);   // unmuted as the morph begins
    CHECK (find (EngineCommand::Type::setGroupMute, 0).value == 0.0f);
    CHECK (find (EngineCommand::Type::setGroupMute, 2).sampleTime == 72000);   // muted as it ends
    CHECK (find (EngineCommand::Type::setGroupMute, 2).value == 1.0f);
    CHECK (find (EngineCommand::Type::setMasterGain, 0).value == -3.0f);
    CHECK (find (EngineCommand::Type::setMasterGain, 0).rampSamples == 24000);
    const auto gainB = find (EngineCommand::Type::setGroupGain, 1);
    CHECK (gainB.sampleTime == 192000);   // bar 3 at 120 bpm
    CHECK (gainB.rampSamples == 0);
    // The chorus's bpm 60 holds from bar 3 on: bar 4 is 4 s later.
    CHECK (plan.commandSamples[2] == 192000 + 192000);

    CHECK_THAT (errorOf (R"({"durationSec": 1, "commands": [{"timeSec": 0, "type": "RecallScene", "scene": "x"}]})"),
                Catch::Contains ("commands[0].scene: no scene with id \"x\""));
    CHECK_THAT (errorOf (R"({"durationSec": 1, "scenes": [{"id": "a", "groups": {"E": {}}}], "commands": []})"),
                Catch::Contains ("unknown group \"E\""));
    CHECK_THAT (errorOf (R"({"durationSec": 1, "scenes": [{"id": "a"}, {"id": "a"}], "commands": []})"),
                Catch::Contains ("scene \"a\" is defined twice"));
    // A scene's bpm recalled at timeSec does not move the musical timeline: warned.
    CHECK (parse (R"({"bpm": 120, "durationSec": 4, "scenes": [{"id": "a", "bpm": 90}],
        "commands": [{"timeSec": 1, "type": "RecallScene", "scene": "a"}]})").warnings.size() == 1);
}

TEST_CASE ("Overlapping SetParam ramps on one target are warned with the command's place", "[script][warnings][ramps]")
{
    const auto script = parse (R"({"durationSec": 10, "scenes": [{"id": "s", "masterGainDb": 0}], "commands": [
        {"timeSec": 1, "type": "SetParam", "target": "group:A:gainDb", "value": -6, "rampMs": 2000},
        {"timeSec": 2, "type": "SetParam", "target": "group:A:gainDb", "value": 0, "rampMs": 100},
        {"timeSec": 2, "type": "SetParam", "target": "group:B:gainDb", "value": 0, "rampMs": 100},
        {"timeSec": 3.5, "type": "SetParam", "target": "group:A:gainDb", "value": -1},
        {"timeSec": 5, "type": "SetParam", "target": "master:gainDb", "value": -6, "rampMs": 1000},
        {"timeSec": 5.5, "type": "RecallScene", "scene": "s"}]})");
    const auto plan = resolveShowScript (script, session(), media (4800), 48000.0);
    REQUIRE (plan.placedWarnings.size() == 2);
    CHECK_THAT (plan.placedWarnings[0], Catch::StartsWith ("show.json:3:9: commands[1]: group:A:gainDb at sample 96000 starts while the ramp of commands[0] runs"));
    CHECK_THAT (plan.placedWarnings[1], Catch::StartsWith ("show.json:7:9: commands[5]: master:gainDb"));
}

TEST_CASE ("The dump-events plan carries bar and step labels", "[script][musical][dump]")
{
    const auto script = parse (R"({"bpm": 120, "timeSignature": [3, 4], "commands": [
        {"bar": 2, "step": 5, "type": "StopAll"}, {"timeSec": 3.8, "type": "PauseAll"}, {"timeSec": 0.1, "type": "ResumeAll"}]})");
    const auto plan = resolveShowScript (script, session(), media (4800), 48000.0);
    const auto lines = describePlan (script, plan, 48000.0);
    REQUIRE (lines.size() == 3);
    CHECK (lines[0] == "plan 4800 (0.1 s) ResumeAll [bar 1 step 1.8/16]");
    CHECK (lines[1] == "plan 96000 (2 s) StopAll [bar 2 step 5/16]");
    CHECK (lines[2] == "plan 182400 (3.8 s) PauseAll [bar 3 step 7.4/16]");
}
