// CueGrid — GPL-3.0-or-later
// `cuegrid render --ltc` (issue 12, "Timecode in the show"): the corpus LTC file fed to the
// engine's input block by block; a clip's timecode trigger starts at the first sample of its
// frame, whatever the block size; a chasing clip that should already be playing starts at its
// offset when the timecode locks; without --ltc nothing fires.
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <sstream>

using namespace cuegrid::test;

namespace
{
    std::vector<nlohmann::json> readLog (const std::filesystem::path& file)
    {
        std::vector<nlohmann::json> lines;
        std::istringstream text (readText (file));
        std::string line;
        while (std::getline (text, line))
            if (! line.empty())
                lines.push_back (nlohmann::json::parse (line));
        return lines;
    }

    std::vector<nlohmann::json> linesOf (const std::vector<nlohmann::json>& log, const std::string& event, const std::string& clip)
    {
        std::vector<nlohmann::json> found;
        for (const auto& line : log)
            if (line.value ("event", "") == event && line.value ("clip", "") == clip)
                found.push_back (line);
        return found;
    }
}

TEST_CASE ("render --ltc starts a clip's timecode trigger at its frame's first sample and chases from the lock", "[cli][render][timecode]")
{
    TemporaryFolder folder ("render-ltc");
    const auto corpus = dataPath ("corpus").string();
    writeText (folder / "show.cuegrid", R"({"format": "cuegrid.session", "version": 4, "name": "LTC", "sampleRate": 48000,
 "timecode": {"fps": "25"},
 "clips": [{"id": "kick", "file": ")" + corpus + R"(/p01_sonicpi_heavy_kick.wav", "group": "A", "timecode": "01:00:02:00"},
           {"id": "snare", "file": ")" + corpus + R"(/p03_colombo_snare.wav", "group": "A", "timecode": "01:00:03:13"},
           {"id": "speech", "file": ")" + corpus + R"(/p06_sc_apollo11_speech.wav", "group": "B", "timecode": "00:59:59:00", "chase": true}],
 "pages": []})");
    writeText (folder / "script.json", R"({"durationSec": 5.0, "tailSec": 0.5, "commands": []})");
    // 10 s of 25 fps LTC from 01:00:00:00, frame n from sample n · 1920.
    const auto ltc = dataPath ("corpus/ltc/ltc_25fps_start_01-00-00-00_48k.wav").string();

    auto render = [&] (int blockSize, const std::string& extra)
    {
        const auto log = folder / ("events-" + std::to_string (blockSize) + ".ndjson");
        const auto result = run (quote (cliPath()) + " render " + quote ((folder / "show.cuegrid").string()) + " --script "
                                 + quote ((folder / "script.json").string()) + " --out " + quote ((folder / ("out-" + std::to_string (blockSize) + ".wav")).string())
                                 + " --event-log " + quote (log.string()) + " --block-size " + std::to_string (blockSize) + " " + extra);
        INFO (result.output);
        REQUIRE (result.exitCode == 0);
        return readLog (log);
    };

    for (const int blockSize : { 512, 64, 1000 })
    {
        INFO ("block size " << blockSize);
        const auto log = render (blockSize, "--ltc " + quote (ltc));
        // Triggers: at 01:00:02:00 = sample 2 · 48000 and 01:00:03:13 = 3.52 s · 48000, the voice with them.
        for (const auto& [clip, sample] : { std::pair<std::string, int64_t> { "kick", 96000 }, { "snare", 168960 } })
        {
            const auto fired = linesOf (log, "timecodeTrigger", clip);
            REQUIRE (fired.size() == 1);
            CHECK (fired[0]["sample"] == sample);
            CHECK (fired[0]["source"] == "timecode");
            const auto started = linesOf (log, "voiceStart", clip);
            REQUIRE (started.size() == 1);
            CHECK (started[0]["sample"] == sample);
            CHECK (started[0]["source"] == "timecode");
        }
        CHECK (linesOf (log, "timecodeTrigger", "kick")[0]["timecode"] == "01:00:02:00");
        // The chasing clip started at 00:59:59:00 should be playing when the LTC locks (within
        // 2 frames and a block): it starts there, its offset the master's distance past 00:59:59:00.
        const auto chased = linesOf (log, "timecodeChase", "speech");
        REQUIRE (chased.size() == 1);
        const auto at = chased[0]["sample"].get<int64_t>();
        CHECK (at <= 2 * 1920 + blockSize + 256);
        CHECK (chased[0]["offsetSec"].get<double>() == Approx (1.0 + at / 48000.0).margin (0.0005));
        CHECK_FALSE (chased[0]["afterJump"].get<bool>());
        const auto chaseStart = linesOf (log, "voiceStart", "speech");
        REQUIRE (chaseStart.size() == 1);
        CHECK (chaseStart[0]["sample"] == at);
        CHECK (chaseStart[0]["lengthFrames"].get<int64_t>() > 0);
    }

    // The rendered kick: silent before sample 96000 on the left (group A; speech is on B but centred, so
    // compare against a render without the kick's trigger is not needed: the kick is far louder).
    const auto audio = readAudio (folder / "out-512.wav");
    double before = 0.0, after = 0.0;
    for (int64_t i = 96000 - 480; i < 96000; ++i) before = std::max (before, (double) std::abs (audio.channels[0][(size_t) i]));
    for (int64_t i = 96000; i < 96000 + 480; ++i) after = std::max (after, (double) std::abs (audio.channels[0][(size_t) i]));
    CHECK (after > 4.0 * before);

    // Without --ltc the master never locks: nothing fires.
    const auto none = render (256, "");
    CHECK (linesOf (none, "timecodeTrigger", "kick").empty());
    CHECK (linesOf (none, "voiceStart", "kick").empty());
    CHECK (linesOf (none, "timecodeChase", "speech").empty());

    // A channel the file does not have.
    const auto bad = run (quote (cliPath()) + " render " + quote ((folder / "show.cuegrid").string()) + " --script "
                          + quote ((folder / "script.json").string()) + " --out " + quote ((folder / "bad.wav").string())
                          + " --ltc " + quote (ltc) + " --ltc-channel 2");
    CHECK (bad.exitCode == 2);
    CHECK_THAT (bad.output, Catch::Contains ("--ltc-channel 2: the file has 1 channel(s)"));
    CHECK_FALSE (std::filesystem::exists (folder / "bad.wav"));
}
