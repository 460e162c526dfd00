// CueGrid — GPL-3.0-or-later
#include "MirrorProtocol.h"
#include "MirrorClock.h"

#include <catch2/catch.hpp>

#include <cstring>

using namespace cuegrid;

namespace
{
    MirrorMessage roundTrip (const MirrorMessage& message)
    {
        const auto bytes = mirror::encode (message);
        REQUIRE (bytes.size() > 4);
        const auto length = ((size_t) bytes[0] << 24) | ((size_t) bytes[1] << 16) | ((size_t) bytes[2] << 8) | bytes[3];
        REQUIRE (length == bytes.size() - 4);   // OSC 1.0's TCP framing: the length, then the message
        std::string error;
        auto decoded = mirror::decodePacket (bytes.data() + 4, length, error);
        INFO (error);
        REQUIRE (decoded.has_value());
        return *decoded;
    }
}

TEST_CASE ("MirrorProtocol: hello, heartbeat, action and snapshot survive encoding")
{
    MirrorMessage hello;
    hello.kind = MirrorMessage::Kind::hello;
    hello.run = 0x123456789abcLL;
    hello.session = "gui-v2";
    hello.clips = 11;
    hello.lastCommand = 42;
    auto h = roundTrip (hello);
    CHECK (h.kind == MirrorMessage::Kind::hello);
    CHECK (h.run == hello.run);
    CHECK (h.session == "gui-v2");
    CHECK (h.clips == 11);
    CHECK (h.lastCommand == 42);

    MirrorMessage beat;
    beat.kind = MirrorMessage::Kind::heartbeat;
    beat.sequence = 7;
    beat.run = 99;
    beat.lastCommand = 3;
    beat.position = 1234567.25;
    beat.nanos = 987654321012345LL;
    beat.sampleRate = 48000.0;
    auto b = roundTrip (beat);
    CHECK (b.kind == MirrorMessage::Kind::heartbeat);
    CHECK (b.sequence == 7);
    CHECK (b.position == 1234567.25);
    CHECK (b.nanos == beat.nanos);
    CHECK (b.sampleRate == 48000.0);

    MirrorMessage action;
    action.kind = MirrorMessage::Kind::action;
    action.sequence = 12;
    action.stamp = 480128;
    action.stampNanos = 5'000'000'123LL;
    action.exact = true;
    action.action = ShowAction::forClipId (ShowAction::Type::fire, "kick");
    auto a = roundTrip (action);
    CHECK (a.kind == MirrorMessage::Kind::action);
    CHECK (a.sequence == 12);
    CHECK (a.stamp == 480128);
    CHECK (a.stampNanos == 5'000'000'123LL);
    CHECK (a.exact);
    CHECK (a.action.type == ShowAction::Type::fire);
    CHECK (a.action.clipId == "kick");

    action.action = ShowAction::forGroup (ShowAction::Type::groupFade, 2, 0.75);
    action.exact = false;
    a = roundTrip (action);
    CHECK (a.action.type == ShowAction::Type::groupFade);
    CHECK (a.action.group == 2);
    CHECK (a.action.value == 0.75);
    CHECK_FALSE (a.exact);

    MirrorMessage snapshot;
    snapshot.kind = MirrorMessage::Kind::snapshot;
    snapshot.stamp = 96000;
    snapshot.stampNanos = 77;
    snapshot.playing = { { "bed", 12345 }, { "hum", 67890 } };
    auto s = roundTrip (snapshot);
    CHECK (s.kind == MirrorMessage::Kind::snapshot);
    CHECK (s.stamp == 96000);
    CHECK (s.stampNanos == 77);
    REQUIRE (s.playing.size() == 2);
    CHECK (s.playing[1].clipId == "hum");
    CHECK (s.playing[1].frame == 67890);
}

TEST_CASE ("MirrorProtocol: foreign, malformed and wrong-version messages are refused with a reason")
{
    std::string error;
    CHECK_FALSE (mirror::decode ("/cuegrid/clip/kick/start", "", nullptr, 0, error));
    CHECK (error.find ("not a mirror message") != std::string::npos);
    CHECK_FALSE (mirror::decode (nullptr, nullptr, nullptr, 0, error));

    MirrorMessage action;
    action.kind = MirrorMessage::Kind::action;
    action.action = ShowAction::forClipId (ShowAction::Type::fire, "");   // a clip action needs its id
    auto bytes = mirror::encode (action);
    CHECK_FALSE (mirror::decodePacket (bytes.data() + 4, bytes.size() - 4, error));
    CHECK (error.find ("without a clip id") != std::string::npos);

    action.action = ShowAction::of (ShowAction::Type::go);   // the primary sends GO as the fire it was
    bytes = mirror::encode (action);
    CHECK_FALSE (mirror::decodePacket (bytes.data() + 4, bytes.size() - 4, error));

    MirrorMessage hello;
    hello.kind = MirrorMessage::Kind::hello;
    bytes = mirror::encode (hello);
    // The version is the first argument, big-endian, right after the address and type tags.
    const std::string address = "/cuegrid/mirror/hello";
    const auto versionAt = 4 + 24 + 8;   // length, address (padded to 24), ",ihsih" (padded to 8)
    REQUIRE (bytes[(size_t) versionAt + 3] == MirrorMessage::version);
    bytes[(size_t) versionAt + 3] = 9;
    CHECK_FALSE (mirror::decodePacket (bytes.data() + 4, bytes.size() - 4, error));
    CHECK (error.find ("protocol version 9") != std::string::npos);

    // Random bytes never decode (nor crash).
    std::vector<uint8_t> junk (64);
    for (size_t i = 0; i < junk.size(); ++i)
        junk[i] = (uint8_t) (i * 37 + 11);
    CHECK_FALSE (mirror::decodePacket (junk.data(), junk.size(), error));
}

TEST_CASE ("MirrorClock: the earliest of the recent callbacks gives the timeline, a late one does not")
{
    // Callbacks of 128 frames at 48 kHz every 2.667 ms from t = 1 s; one in three starts 0.4 ms late.
    std::vector<EngineClockMark> marks;
    for (int i = 20; i >= 1; --i)   // newest first
    {
        EngineClockMark mark;
        mark.callback = (uint64_t) i;
        mark.blockStart = (int64_t) (i - 1) * 128;
        mark.frames = 128;
        mark.sampleRate = 48000.0;
        mark.wallNanos = 1'000'000'000LL + (int64_t) std::llround ((double) mark.blockStart * 1.0e9 / 48000.0) + (i % 3 == 0 ? 400'000 : 0);
        marks.push_back (mark);
    }
    const auto timeline = mirrorclock::timelineOf (marks.data(), (int) marks.size());
    REQUIRE (timeline);
    CHECK (timeline->epochNanos == Approx (1.0e9).margin (1.0));
    CHECK (timeline->positionAt (1.0e9 + 0.5e9) == Approx (24000.0).margin (0.01));
    CHECK (timeline->nanosAt (48000.0) == Approx (2.0e9).margin (1.0));

    // A restarted timeline (the device reopened): the marks before it do not count.
    marks[3].blockStart = 999999;
    marks[0].wallNanos += 300'000;   // the newest is late, and the only ones left are 0-2
    marks[1].wallNanos += 300'000;
    marks[2].wallNanos += 300'000;
    const auto restarted = mirrorclock::timelineOf (marks.data(), (int) marks.size());
    REQUIRE (restarted);
    CHECK (restarted->epochNanos == Approx (1.0e9 + 300'000.0).margin (1.0));
    CHECK_FALSE (mirrorclock::timelineOf (marks.data(), 0));
}
