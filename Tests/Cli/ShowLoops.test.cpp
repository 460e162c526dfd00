// CueGrid — GPL-3.0-or-later
// Looping shows through the real CLI on corpus media (issue 15, test 4): `render --loops 3` of a
// script with musical addressing and scenes equals three renders of one pass placed end to end,
// bit for bit, each pass restarting at durationSec with a clean state and the last keeping its tail.
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <sstream>

using namespace cuegrid::test;

namespace
{
    constexpr int64_t passFrames = 192000;   // durationSec 4 at 48 kHz (2 bars of 4/4 at 120 bpm)
    constexpr int64_t tailFrames = 72000;    // tailSec 1.5

    CommandResult render (const std::filesystem::path& script, const std::filesystem::path& out, const std::string& options = {})
    {
        return run (quote (cliPath()) + " render " + quote (dataPath ("sessions/show-v2.cuegrid").string()) + " --script "
                    + quote (script.string()) + " --out " + quote (out.string()) + " " + options);
    }

    std::filesystem::path loopScript() { return dataPath ("sessions/show-v2-loop-script.json"); }

    /** True when frames [from, from + count) of `a` equal frames [at, at + count) of `b`, bit for bit, in every channel. */
    bool sameFrames (const AudioData& a, int64_t from, const AudioData& b, int64_t at, int64_t count)
    {
        if (a.channels.size() != b.channels.size())
            return false;
        for (size_t c = 0; c < a.channels.size(); ++c)
            if (! std::equal (a.channels[c].begin() + from, a.channels[c].begin() + from + count, b.channels[c].begin() + at))
                return false;
        return true;
    }

    double peakOf (const AudioData& audio, int64_t from, int64_t to)
    {
        double peak = 0;
        for (const auto& channel : audio.channels)
            for (auto i = from; i < to; ++i)
                peak = std::max (peak, std::abs ((double) channel[(size_t) i]));
        return peak;
    }
} // namespace

TEST_CASE ("render --loops 3 equals three one-pass renders placed end to end, bit for bit, on corpus media", "[cli][render][loops]")
{
    TemporaryFolder folder ("show-loops");
    // The same script without its tail: one pass is exactly durationSec long.
    auto noTail = nlohmann::json::parse (readText (loopScript()));
    noTail["tailSec"] = 0;
    const auto noTailScript = folder / "no-tail.json";
    writeText (noTailScript, noTail.dump (2));

    auto result = render (noTailScript, folder / "one.wav");
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    result = render (noTailScript, folder / "three.wav", "--loops 3");
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    CHECK_THAT (result.output, Catch::Contains ("3 passes of 192000 frames"));
    const auto one = readAudio (folder / "one.wav"), three = readAudio (folder / "three.wav");
    REQUIRE (one.frames() == (size_t) passFrames);
    REQUIRE (three.frames() == (size_t) (3 * passFrames));
    for (int pass = 0; pass < 3; ++pass)
    {
        INFO ("pass " << pass);
        CHECK (sameFrames (three, pass * passFrames, one, 0, passFrames));
    }
    // Not silence: the drums, the hum and the scenes are heard, and the organ rings on at the loop point.
    CHECK (toDecibels (peakOf (one, 0, passFrames)) > -20.0);
    CHECK (toDecibels (peakOf (one, passFrames - 4800, passFrames)) > -40.0);
}

TEST_CASE ("render --loops: every pass but the last is cut at durationSec, the last keeps its tail, at any block size", "[cli][render][loops]")
{
    TemporaryFolder folder ("show-loops-tail");
    auto result = render (loopScript(), folder / "one.wav", "--event-log " + quote ((folder / "one.ndjson").string()));
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    result = render (loopScript(), folder / "three.wav", "--loops 3 --event-log " + quote ((folder / "three.ndjson").string()));
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    result = render (loopScript(), folder / "three-37.wav", "--loops 3 --block-size 37");
    INFO (result.output);
    REQUIRE (result.exitCode == 0);

    const auto one = readAudio (folder / "one.wav"), three = readAudio (folder / "three.wav");
    REQUIRE (one.frames() == (size_t) (passFrames + tailFrames));
    REQUIRE (three.frames() == (size_t) (3 * passFrames + tailFrames));
    CHECK (sameFrames (three, 0, one, 0, passFrames));
    CHECK (sameFrames (three, passFrames, one, 0, passFrames));
    CHECK (sameFrames (three, 2 * passFrames, one, 0, passFrames + tailFrames));
    // The tail of a single pass is not what the next pass starts with: the loop point really cuts.
    CHECK (! sameFrames (one, passFrames, three, passFrames, 4800));
    CHECK (toDecibels (peakOf (one, passFrames, passFrames + tailFrames)) > -40.0);
    CHECK ((readText (folder / "three-37.wav") == readText (folder / "three.wav")));

    // The event log runs on the file's timeline: each pass's first kick at its pass start.
    std::vector<int64_t> kicks;
    std::istringstream lines (readText (folder / "three.ndjson"));
    for (std::string line; std::getline (lines, line);)
    {
        const auto event = nlohmann::json::parse (line);
        if (event.value ("event", "") == "voiceStart" && event.value ("clip", "") == "kick")
            kicks.push_back (event["sample"].get<int64_t>());
    }
    CHECK (kicks == std::vector<int64_t> { 0, 48000, passFrames, passFrames + 48000, 2 * passFrames, 2 * passFrames + 48000 });
}

TEST_CASE ("prerollSec: the render starts with that much silence, then the show as without it", "[cli][render][loops]")
{
    TemporaryFolder folder ("show-preroll");
    auto script = nlohmann::json::parse (readText (loopScript()));
    script["prerollSec"] = 0.25;
    writeText (folder / "preroll.json", script.dump (2));
    auto result = render (folder / "preroll.json", folder / "preroll.wav", "--loops 2");
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    result = render (loopScript(), folder / "plain.wav", "--loops 2");
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    const auto preroll = readAudio (folder / "preroll.wav"), plain = readAudio (folder / "plain.wav");
    REQUIRE (preroll.frames() == plain.frames() + 12000);
    CHECK (peakOf (preroll, 0, 12000) == 0.0);
    CHECK (sameFrames (preroll, 12000, plain, 0, (int64_t) plain.frames()));
}

TEST_CASE ("render --dump-events prints the plan with bar and step labels and the loop", "[cli][render][loops][dump]")
{
    TemporaryFolder folder ("show-loops-dump");
    const auto result = render (loopScript(), folder / "out.wav", "--loops 2 --dump-events");
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    CHECK_THAT (result.output, Catch::Contains ("plan 120000 (2.5 s) Trigger epiano [bar 2 step 3/8]"));
    CHECK_THAT (result.output, Catch::Contains ("plan 96000 (2 s) RecallScene full over 750 ms [bar 2 step 1/16]"));
    CHECK_THAT (result.output, Catch::Contains ("plan 187200 (3.9 s) SetParam clip:organ:pan = 0.5 over 50 ms [bar 2 step 16.2/16]"));
    CHECK_THAT (result.output, Catch::Contains ("plan loop: 2 passes, each restarted at 192000 samples with a clean state"));
}

TEST_CASE ("Script warnings name the file, line and column, and do not stop the render", "[cli][render][warnings]")
{
    TemporaryFolder folder ("show-warnings");
    const auto script = folder / "warn.json";
    writeText (script, "{\"bpm\": 120, \"durationSec\": 2,\n"
                       " \"commands\": [\n"
                       "  {\"timeSec\": 0.5, \"bar\": 2, \"type\": \"Trigger\", \"clip\": \"kick\"},\n"
                       "  {\"bar\": 1, \"step\": 20, \"type\": \"Trigger\", \"clip\": \"snare\"}]}\n");
    const auto result = render (script, folder / "out.wav");
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    CHECK_THAT (result.output, Catch::Contains ("cuegrid: warning: " + script.string() + ":3:3: commands[0]: both timeSec and bar are given"));
    CHECK_THAT (result.output, Catch::Contains ("cuegrid: warning: " + script.string() + ":4:3: commands[1]: step 20 is beyond bar 1"));
}
