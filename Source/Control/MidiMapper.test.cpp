// CueGrid — GPL-3.0-or-later
#include "Control/MidiMapper.h"

#include <catch2/catch.hpp>

using namespace cuegrid;

namespace
{
    MidiBytes noteOn (int ch, int n, int v) { return MidiBytes::make ((std::uint8_t) (0x90 | ch), (std::uint8_t) n, (std::uint8_t) v); }
    MidiBytes noteOff (int ch, int n) { return MidiBytes::make ((std::uint8_t) (0x80 | ch), (std::uint8_t) n, 0); }
    MidiBytes cc (int ch, int n, int v) { return MidiBytes::make ((std::uint8_t) (0xb0 | ch), (std::uint8_t) n, (std::uint8_t) v); }
    MidiBytes program (int ch, int p) { return MidiBytes::make ((std::uint8_t) (0xc0 | ch), (std::uint8_t) p, 0); }
    MidiTarget target (const char* text) { return *MidiTarget::parse (text); }
}

TEST_CASE ("MidiMapper: absolute CC maps 0-127 to dB on the fader curve")
{
    CHECK (MidiMapper::ccToDecibels (0) == MidiMapper::offDb);
    CHECK (MidiMapper::ccToDecibels (100) == Approx (0.0));
    CHECK (MidiMapper::ccToDecibels (127) == Approx (6.0));            // +6.2 capped at +6
    CHECK (MidiMapper::ccToDecibels (64) == Approx (-11.63).margin (0.01));
    CHECK (MidiMapper::ccToDecibels (1) == Approx (-120.0));
    for (int v = 1; v < 125; ++v)    // monotonic: a fader never jumps back
        CHECK (MidiMapper::ccToDecibels (v) < MidiMapper::ccToDecibels (v + 1));
    CHECK (MidiMapper::ccToDecibels (126) == Approx (6.0));
    for (int v = 2; v <= 125; ++v)   // feedback's inverse finds the same position
        CHECK (MidiMapper::decibelsToCc (MidiMapper::ccToDecibels (v)) == v);
    CHECK (MidiMapper::decibelsToCc (-200.0) == 0);
}

TEST_CASE ("MidiMapper: relative CC steps are two's complement, 0.5 dB each")
{
    CHECK (MidiMapper::relativeSteps (1) == 1);
    CHECK (MidiMapper::relativeSteps (3) == 3);
    CHECK (MidiMapper::relativeSteps (127) == -1);
    CHECK (MidiMapper::relativeSteps (125) == -3);
    CHECK (MidiMapper::relativeSteps (64) == 0);
    CHECK (MidiMapper::relativeSteps (0) == 0);

    MidiMapper mapper;
    mapper.armLearn (target ("group:B"));
    const auto learned = mapper.handle (cc (2, 20, 1)).learned;   // an encoder's first tick
    REQUIRE (learned);
    CHECK (learned->mode == MidiMapping::CcMode::relative);
    auto up = mapper.handle (cc (2, 20, 2));
    REQUIRE (up.actions.size() == 1);
    CHECK (up.actions[0].relative);
    CHECK (up.actions[0].decibels == Approx (1.0));
    CHECK (up.actions[0].target.group == 1);
    auto down = mapper.handle (cc (2, 20, 126));
    REQUIRE (down.actions.size() == 1);
    CHECK (down.actions[0].decibels == Approx (-1.0));
    CHECK (mapper.handle (cc (2, 20, 64)).actions.empty());   // no step, no action
}

TEST_CASE ("MidiMapper: learn binds the next note, CC or program change and nothing fires meanwhile")
{
    MidiMapper mapper;
    mapper.armLearnSequence ({ target ("fire:kick"), target ("group:A"), target ("page") });
    CHECK (mapper.learningTarget() == target ("fire:kick"));

    CHECK_FALSE (mapper.handle (noteOff (0, 36)).learned);          // a note off does not learn
    auto kick = mapper.handle (noteOn (0, 36, 100));
    REQUIRE (kick.learned);
    CHECK (kick.actions.empty());
    CHECK (kick.learned->kind == MidiMapping::Kind::note);
    CHECK (kick.learned->number == 36);

    CHECK_FALSE (mapper.handle (noteOn (0, 40, 100)).learned);      // a fader waits for a CC
    auto fader = mapper.handle (cc (0, 7, 90));
    REQUIRE (fader.learned);
    CHECK (fader.learned->kind == MidiMapping::Kind::cc);
    CHECK (fader.learned->mode == MidiMapping::CcMode::absolute);

    auto page = mapper.handle (program (0, 3));
    REQUIRE (page.learned);
    CHECK (page.learned->kind == MidiMapping::Kind::program);
    CHECK_FALSE (mapper.isLearning());
    CHECK (mapper.getMappings().size() == 3);

    // Learning the same control again replaces its binding.
    mapper.armLearn (target ("toggle:snare"));
    mapper.handle (noteOn (0, 36, 1));
    REQUIRE (mapper.getMappings().size() == 3);
    auto played = mapper.handle (noteOn (0, 36, 127));
    REQUIRE (played.actions.size() == 1);
    CHECK (played.actions[0].target == target ("toggle:snare"));
}

TEST_CASE ("MidiMapper: notes, gate mode, CC faders and program change map to actions")
{
    MidiMapper mapper;
    mapper.armLearn (target ("fire:pad"), true);
    mapper.handle (noteOn (9, 40, 100));
    mapper.armLearn (target ("fire:latch"));
    mapper.handle (noteOn (9, 41, 100));
    mapper.armLearn (target ("master"));
    mapper.handle (cc (0, 7, 100));
    mapper.armLearn (target ("page"));
    mapper.handle (program (0, 0));

    auto on = mapper.handle (noteOn (9, 40, 90));
    REQUIRE (on.actions.size() == 1);
    CHECK_FALSE (on.actions[0].release);
    auto off = mapper.handle (noteOff (9, 40));
    REQUIRE (off.actions.size() == 1);
    CHECK (off.actions[0].release);
    auto offAsZeroVelocity = mapper.handle (noteOn (9, 40, 0));
    REQUIRE (offAsZeroVelocity.actions.size() == 1);
    CHECK (offAsZeroVelocity.actions[0].release);
    CHECK (mapper.handle (noteOff (9, 41)).actions.empty());       // not gate: note off does nothing
    CHECK (mapper.handle (noteOn (8, 40, 90)).actions.empty());    // another channel
    CHECK (mapper.handle (noteOn (9, 42, 90)).actions.empty());    // another note

    auto fader = mapper.handle (cc (0, 7, 64));
    REQUIRE (fader.actions.size() == 1);
    CHECK (fader.actions[0].target.type == MidiTarget::Type::masterLevel);
    CHECK_FALSE (fader.actions[0].relative);
    CHECK (fader.actions[0].decibels == Approx (-11.63).margin (0.01));

    auto page = mapper.handle (program (0, 5));
    REQUIRE (page.actions.size() == 1);
    CHECK (page.actions[0].page == 5);
    CHECK (mapper.handle (MidiBytes { 1, { 0xf8 } }).actions.empty());   // clock byte: ignored
}

TEST_CASE ("MidiMapper: feedback sends each state's configured value to the clip's controls")
{
    MidiMapper mapper;
    mapper.feedbackValues = { 100, 50, 10, 3, 0 };
    mapper.armLearn (target ("fire:kick"));
    mapper.handle (noteOn (0, 36, 100));
    mapper.armLearn (target ("toggle:kick"));
    mapper.handle (noteOn (1, 64, 127));   // a second pad on another channel
    mapper.armLearn (target ("clipLevel:kick"));
    mapper.handle (cc (0, 8, 60));     // faders get no state feedback

    auto playing = mapper.feedbackFor ("kick", MidiMapper::ClipLight::playing);
    REQUIRE (playing.size() == 2);
    CHECK (playing[0] == MidiBytes::make (0x90, 36, 100));
    CHECK (playing[1] == MidiBytes::make (0x91, 64, 100));
    CHECK (mapper.feedbackFor ("kick", MidiMapper::ClipLight::paused)[0] == MidiBytes::make (0x90, 36, 50));
    CHECK (mapper.feedbackFor ("kick", MidiMapper::ClipLight::loaded)[0] == MidiBytes::make (0x90, 36, 10));
    CHECK (mapper.feedbackFor ("kick", MidiMapper::ClipLight::missing)[0] == MidiBytes::make (0x90, 36, 3));
    CHECK (mapper.feedbackFor ("kick", MidiMapper::ClipLight::empty)[0] == MidiBytes::make (0x90, 36, 0));
    CHECK (mapper.feedbackFor ("snare", MidiMapper::ClipLight::playing).empty());
}

TEST_CASE ("MidiMapper: mappings and feedback values round-trip through JSON, bad ones are refused")
{
    MidiMapping m;
    m.kind = MidiMapping::Kind::cc;
    m.channel = 15;
    m.number = 74;
    m.mode = MidiMapping::CcMode::relative;
    m.target = target ("group:D");
    const auto back = MidiMapping::fromJson (nlohmann::json::parse (m.toJson().dump()));
    CHECK (back.kind == m.kind);
    CHECK (back.channel == 15);
    CHECK (back.number == 74);
    CHECK (back.mode == m.mode);
    CHECK (back.target == m.target);
    CHECK (m.toJson().dump() == R"({"message":"cc","channel":16,"number":74,"mode":"relative","target":"group:D"})");

    CHECK_THROWS (MidiMapping::fromJson (nlohmann::json::parse (R"({"message":"cc","channel":17,"number":1,"target":"master"})")));
    CHECK_THROWS (MidiMapping::fromJson (nlohmann::json::parse (R"({"message":"note","channel":1,"number":128,"target":"fire:a"})")));
    CHECK_THROWS (MidiMapping::fromJson (nlohmann::json::parse (R"({"message":"note","channel":1,"number":1,"target":"master"})")));
    CHECK_THROWS (MidiMapping::fromJson (nlohmann::json::parse (R"({"message":"note","channel":1,"number":1,"target":"group:E"})")));
    CHECK_THROWS (MidiMapping::fromJson (nlohmann::json::parse ("[]")));
    CHECK_FALSE (MidiTarget::parse ("fire:"));
    CHECK (MidiTarget::parse ("page:2")->page == 2);

    MidiFeedbackValues v { 1, 2, 3, 4, 5 };
    CHECK (MidiFeedbackValues::fromJson (nlohmann::json::parse (v.toJson().dump())) == v);
    CHECK_THROWS (MidiFeedbackValues::fromJson (nlohmann::json::parse (R"({"playing":128})")));
}

TEST_CASE ("MidiMapper: a clip learn binds a note to fire the clip, a CC to its level, a program change to nothing")
{
    MidiMapper mapper;
    mapper.armLearnClip ("hum");
    CHECK (mapper.learningTarget() == target ("fire:hum"));
    CHECK_FALSE (mapper.handle (program (0, 2)).learned);            // not a clip control: still armed
    auto note = mapper.handle (noteOn (1, 48, 100));
    REQUIRE (note.learned);
    CHECK (note.learned->target == target ("fire:hum"));
    CHECK_FALSE (note.learned->gate);

    mapper.armLearnClip ("hum", true);
    auto gate = mapper.handle (noteOn (1, 49, 100));
    REQUIRE (gate.learned);
    CHECK (gate.learned->gate);

    mapper.armLearnClip ("hum");
    auto level = mapper.handle (cc (1, 21, 127));                   // an encoder's first tick: relative
    REQUIRE (level.learned);
    CHECK (level.learned->target == target ("clipLevel:hum"));
    CHECK (level.learned->mode == MidiMapping::CcMode::relative);
    CHECK (mapper.getMappings().size() == 3);
    auto turned = mapper.handle (cc (1, 21, 2));
    REQUIRE (turned.actions.size() == 1);
    CHECK (turned.actions[0].relative);
    CHECK (turned.actions[0].decibels == Approx (1.0));
}

TEST_CASE ("MIDI targets: page and tab navigation by note, and conflicts of one control mapped twice")
{
    for (const char* name : { "nextPage", "previousPage", "nextTab", "previousTab" })
    {
        const auto parsed = MidiTarget::parse (name);
        REQUIRE (parsed);
        CHECK (parsed->toString() == name);
        CHECK_FALSE (parsed->isFader());
    }
    CHECK_FALSE (MidiTarget::parse ("nextPage:2"));

    MidiMapper mapper;
    mapper.armLearn (target ("nextTab"));
    auto learned = mapper.handle (noteOn (0, 60, 100));
    REQUIRE (learned.learned);
    auto next = mapper.handle (noteOn (0, 60, 100));
    REQUIRE (next.actions.size() == 1);
    CHECK (next.actions[0].target.type == MidiTarget::Type::nextTab);

    auto mapping = [] (const char* json) { return MidiMapping::fromJson (nlohmann::json::parse (json)); };
    const std::vector<MidiMapping> list {
        mapping (R"({"message": "note", "channel": 1, "number": 36, "target": "fire:kick"})"),
        mapping (R"({"message": "note", "channel": 2, "number": 36, "target": "fire:snare"})"),    // another channel
        mapping (R"({"message": "cc", "channel": 1, "number": 36, "target": "group:A"})"),        // a CC, not a note
        mapping (R"({"message": "note", "channel": 1, "number": 36, "gate": true, "target": "toggle:hum"})"),
        mapping (R"({"message": "program", "channel": 1, "target": "page"})"),
        mapping (R"({"message": "program", "channel": 1, "target": "page"})"),
    };
    const auto conflicts = findMidiConflicts (list);
    REQUIRE (conflicts.size() == 2);
    CHECK (conflicts[0].mappings == std::vector<size_t> { 0, 3 });
    CHECK (conflicts[0].description == "note 36 ch 1 is mapped 2 times: fire:kick, toggle:hum");
    CHECK (conflicts[1].mappings == std::vector<size_t> { 4, 5 });
    CHECK (findMidiConflicts ({ list[0], list[1], list[2] }).empty());
}

TEST_CASE ("MIDI targets: Show mode toggled, on and off by a note")
{
    for (const char* name : { "showMode", "showModeOn", "showModeOff" })
    {
        const auto parsed = MidiTarget::parse (name);
        REQUIRE (parsed);
        CHECK (parsed->toString() == name);
        CHECK_FALSE (parsed->isFader());
    }
    CHECK_FALSE (MidiTarget::parse ("showMode:1"));

    MidiMapper mapper;
    mapper.armLearn (target ("showMode"));
    REQUIRE (mapper.handle (noteOn (0, 61, 100)).learned);
    CHECK (mapper.getMappings()[0].toJson().dump() == R"({"message":"note","channel":1,"number":61,"target":"showMode"})");
    const auto pressed = mapper.handle (noteOn (0, 61, 100));
    REQUIRE (pressed.actions.size() == 1);
    CHECK (pressed.actions[0].target.type == MidiTarget::Type::showMode);
    CHECK (MidiMapping::fromJson (nlohmann::json::parse (R"({"message":"note","channel":2,"number":5,"target":"showModeOff"})")).target.type
           == MidiTarget::Type::showModeOff);
}
