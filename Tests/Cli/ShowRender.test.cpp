// CueGrid — GPL-3.0-or-later
// `cuegrid render --channels 6` of the show that uses every playback feature (issue 8 test 3,
// offline half; Tests/Realtime/jack_play_test.sh plays the same show on a 6-output JACK
// device): block-size independence of the file and the event log, the routing of group D to
// outputs 5/6, the limiter's ceiling, and a Panic that ends everything and cancels the rest.
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <sstream>

using namespace cuegrid::test;

namespace
{
    constexpr double rate = 48000.0;

    CommandResult renderShow (const std::filesystem::path& out, const std::string& options)
    {
        return run (quote (cliPath()) + " render " + quote (dataPath ("sessions/show-v2.cuegrid").string()) + " --script "
                    + quote (dataPath ("sessions/show-v2-script.json").string()) + " --out " + quote (out.string()) + " "
                    + options);
    }

    std::vector<nlohmann::json> readEvents (const std::filesystem::path& file)
    {
        std::vector<nlohmann::json> events;
        std::istringstream lines (readText (file));
        for (std::string line; std::getline (lines, line);)
            events.push_back (nlohmann::json::parse (line));
        return events;
    }

    /** Peak of channel `c` over [fromSec, toSec). */
    double peakOf (const AudioData& audio, size_t c, double fromSec, double toSec)
    {
        double peak = 0;
        const auto from = (size_t) std::llround (fromSec * rate);
        const auto to = std::min (audio.frames(), (size_t) std::llround (toSec * rate));
        for (size_t i = from; i < to; ++i)
            peak = std::max (peak, std::abs ((double) audio.channels[c][i]));
        return peak;
    }
} // namespace

TEST_CASE ("The v2 show renders bit-identical 6-channel files and event logs (meters included) at block sizes 32, 128, 512 and 1031", "[cli][render][blocks][show]")
{
    TemporaryFolder folder ("show-v2-blocks");
    std::string firstWav, firstLog;
    for (int blockSize : { 32, 128, 512, 1031 })
    {
        const auto name = "block" + std::to_string (blockSize);
        const auto result = renderShow (folder / (name + ".wav"), "--channels 6 --meters --block-size " + std::to_string (blockSize)
                                                                      + " --event-log " + quote ((folder / (name + ".ndjson")).string()));
        INFO (result.output);
        REQUIRE (result.exitCode == 0);
        CHECK_THAT (result.output, Catch::Contains ("6 channels"));
        const auto wav = readText (folder / (name + ".wav"));
        const auto log = readText (folder / (name + ".ndjson"));
        REQUIRE (wav.size() > (size_t) 408000 * 6 * 4);   // 8.5 s of 6 float channels
        if (firstWav.empty())
        {
            firstWav = wav;
            firstLog = log;
            continue;
        }
        INFO ("block size " << blockSize);
        CHECK ((wav == firstWav));
        CHECK ((log == firstLog));
    }
}

TEST_CASE ("The v2 show: group D on outputs 5 and 6 alone, the master under its ceiling, Panic ends everything and cancels the rest", "[cli][render][show]")
{
    TemporaryFolder folder ("show-v2-facts");
    const auto result = renderShow (folder / "show.wav", "--channels 6 --event-log " + quote ((folder / "show.ndjson").string()));
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    const auto audio = readAudio (folder / "show.wav");
    REQUIRE (audio.channels.size() == 6);
    REQUIRE (audio.frames() == 408000);

    // 0–0.5 s only the hum (group D, routed to 5/6) plays: it is on 5/6 and nowhere else.
    for (size_t c = 0; c < 4; ++c)
        CHECK (peakOf (audio, c, 0.0, 0.5) == 0.0);
    CHECK (toDecibels (peakOf (audio, 4, 0.05, 0.45)) > -30.0);
    CHECK (toDecibels (peakOf (audio, 5, 0.05, 0.45)) > -30.0);
    // The auditions (1.6–3.0 s the bass clip, from 3.1 s a file) are on 3/4.
    CHECK (toDecibels (peakOf (audio, 2, 1.6, 3.0)) > -30.0);
    CHECK (toDecibels (peakOf (audio, 3, 3.1, 4.0)) > -30.0);

    // +8 dB of master gain from 4 s drives the limiter: the master reaches its −1 dBFS ceiling
    // and never passes it.
    const auto ceiling = std::pow (10.0, -1.0 / 20.0);
    for (size_t c = 0; c < 2; ++c)
    {
        CHECK (peakOf (audio, c, 0.0, 8.5) <= ceiling + 1.0e-6);
        CHECK (peakOf (audio, c, 4.2, 6.0) > ceiling - 0.01);
    }

    // Panic at 7 s: every voice ends with the 1 ms protection fade; the Trigger commands at
    // 7.2 and 7.5 s never run, so from 7.001 s every output is digital silence.
    for (size_t c = 0; c < 6; ++c)
        CHECK (peakOf (audio, c, 7.001, 8.5) == 0.0);
    CHECK (toDecibels (peakOf (audio, 0, 6.75, 7.0)) > -40.0);   // the kick and organ started after FadeAll play up to it

    const auto events = readEvents (folder / "show.ndjson");
    int64_t panicSample = -1;
    std::map<std::string, int> reasons, kinds;
    for (const auto& event : events)
    {
        ++kinds[event["event"].get<std::string>()];
        if (event["event"] == "panic")
            panicSample = event["sample"];
        if (event["event"] == "voiceEnd")
            ++reasons[event["reason"].get<std::string>()];
        if (event["event"] == "voiceStart" && panicSample >= 0)
            FAIL ("a voice started after the Panic: " << event.dump());
    }
    CHECK (panicSample == 336000);
    CHECK (reasons["choked"] == 2);        // the third kick and the snare each steal the oldest kick (limit 2)
    CHECK (reasons["retriggered"] == 1);   // the clap's restart
    CHECK (reasons["panic"] >= 1);
    CHECK (kinds["voicePaused"] == 4);     // Pause, TogglePause, PauseAll (hum and epiano)
    CHECK (kinds["voiceResumed"] == 4);    // Resume, retrigger "pause", ResumeAll (hum and epiano)
    CHECK (kinds["voiceFading"] >= 4);     // solo crossfade, Stop with fadeMs, FadeGroup, FadeAll
}

TEST_CASE ("With 2 channels the v2 show folds group D, routed to 5 and 6, back onto the master", "[cli][render][show]")
{
    TemporaryFolder folder ("show-v2-stereo");
    const auto result = renderShow (folder / "show.wav", "");
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    const auto audio = readAudio (folder / "show.wav");
    REQUIRE (audio.channels.size() == 2);
    CHECK (toDecibels (peakOf (audio, 0, 0.05, 0.45)) > -30.0);
    CHECK (toDecibels (peakOf (audio, 1, 0.05, 0.45)) > -30.0);
}

TEST_CASE ("render --meters logs meter lines at 40 Hz with the master's loudness and the limiter at work", "[cli][render][show]")
{
    TemporaryFolder folder ("show-v2-meters");
    const auto result = renderShow (folder / "show.wav", "--channels 6 --meters --event-log " + quote ((folder / "show.ndjson").string()));
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    int meters = 0;
    double deepestReduction = 0, loudest = -1000;
    for (const auto& event : readEvents (folder / "show.ndjson"))
    {
        if (event["event"] != "meter")
            continue;
        ++meters;
        REQUIRE (event["peakDbfs"].size() == 6);   // A–D, Audition, master
        deepestReduction = std::max (deepestReduction, event["limiterReductionDb"].get<double>());
        if (! event["lufsShortTerm"].is_null())
            loudest = std::max (loudest, event["lufsShortTerm"].get<double>());
        if (event["sample"].get<int64_t>() < 24000)   // only the hum (group D on 5/6) plays: the master is silent
        {
            CHECK (event["peakDbfs"]["master"][0].is_null());
            CHECK_FALSE (event["peakDbfs"]["D"][0].is_null());
        }
    }
    CHECK (meters == 340);                 // 8.5 s / 25 ms
    CHECK (deepestReduction > 1.0);        // +8 dB of master gain from 4 s
    CHECK (loudest > -30.0);
    CHECK (loudest < 0.0);
}

TEST_CASE ("A show script's Audition file is media: missing it is exit 3, as an output it is refused", "[cli][render][errors]")
{
    TemporaryFolder folder ("audition-file");
    writeText (folder / "show.cuegrid", R"({"format": "cuegrid.session", "version": 2, "name": "A", "sampleRate": 48000,
        "clips": [{"id": "kick", "file": ")" + dataPath ("corpus/p01_sonicpi_heavy_kick.wav").string() + R"("}]})");
    writeText (folder / "script.json", R"({"durationSec": 1, "commands": [
        {"timeSec": 0, "type": "Trigger", "clip": "kick"}, {"timeSec": 0.1, "type": "Audition", "file": "preview.wav"}]})");
    auto render = [&] (const std::string& out, const std::string& options)
    {
        return run (quote (cliPath()) + " render " + quote ((folder / "show.cuegrid").string()) + " --script "
                    + quote ((folder / "script.json").string()) + " --out " + quote (out) + " " + options);
    };

    const auto missing = render ((folder / "out.wav").string(), "--channels 4");
    INFO (missing.output);
    CHECK (missing.exitCode == 3);
    CHECK_THAT (missing.output, Catch::Contains ("Audition file 'preview.wav'") && Catch::Contains ("file not found"));
    CHECK_FALSE (std::filesystem::exists (folder / "out.wav"));
    const auto allowed = render ((folder / "out.wav").string(), "--channels 4 --allow-missing");
    CHECK (allowed.exitCode == 0);
    CHECK (readAudio (folder / "out.wav").channels.size() == 4);

    std::filesystem::copy_file (dataPath ("corpus/p02_sonicpi_hihat_open.wav"), folder / "preview.wav");
    const auto before = readText (folder / "preview.wav");
    const auto refused = render ((folder / "preview.wav").string(), "");
    INFO (refused.output);
    CHECK (refused.exitCode == 4);
    CHECK_THAT (refused.output, Catch::Contains ("it is the Audition file 'preview.wav' of the show script"));
    CHECK ((readText (folder / "preview.wav") == before));

    // With the file there, it plays on the Audition bus: outputs 3/4 of a 4-channel render.
    const auto played = render ((folder / "out.wav").string(), "--channels 4");
    INFO (played.output);
    REQUIRE (played.exitCode == 0);
    const auto audio = readAudio (folder / "out.wav");
    CHECK (toDecibels (peakOf (audio, 2, 0.1, 0.5)) > -20.0);
    CHECK (toDecibels (peakOf (audio, 0, 0.3, 0.5)) < -60.0);   // the kick (0.27 s) is over; the hi-hat is not on the master
}

TEST_CASE ("render and play take 1 to 64 channels", "[cli][errors]")
{
    for (const char* command : { "render", "play" })
        for (const char* channels : { "0", "65", "two" })
        {
            const auto result = run (quote (cliPath()) + " " + command + " " + quote (dataPath ("sessions/show-v2.cuegrid").string())
                                     + " --script " + quote (dataPath ("sessions/show-v2-script.json").string())
                                     + (std::string (command) == "render" ? " --out /nonexistent/x.wav" : "") + " --channels " + channels);
            INFO (command << " --channels " << channels << ": " << result.output);
            CHECK (result.exitCode == 2);
            CHECK_THAT (result.output, Catch::Contains ("--channels"));
        }
}
