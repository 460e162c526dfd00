// CueGrid — GPL-3.0-or-later
// The GUI app's timecode triggers (issue 12, "Timecode in the show"): ShowController hands the
// session's trigger table to the running engine, and new tables swapped in while a clip plays
// neither lose nor repeat a trigger, which fires at the sample its timecode maps to; the fires are
// the app's event-log lines (timecodeTrigger, voiceStart with "source": "timecode").
#include "ShowController.h"

#include "Clock/Timecode.h"
#include "Support/ManualAudioDevice.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

using namespace cuegrid;

TEST_CASE ("ShowController: trigger tables swapped while a clip plays fire a timecode clip once at its exact sample")
{
    juce::AudioDeviceManager devices;
    ShowController controller { devices };
    test::ManualAudioDevice::addTo (devices);
    test::TemporaryFolder folder ("showcontroller-timecode");
    const auto logPath = folder / "events.ndjson";
    controller.setEventLog (logPath.string());
    // version4: kick at 01:00:00;02 (29.97 drop-frame), organ chases from 01:00:10;00.
    controller.loadSession (test::dataPath ("sessions/version4.cuegrid").string());
    REQUIRE (controller.waitForMedia (30.0));
    // A timecode source the test publishes into, as the LTC decoder does (frame starts at samples).
    auto& manager = controller.getTimecode().getManager();
    const auto source = manager.addSource (ClockSourceKind::ltc, "test LTC");
    REQUIRE (source >= 0);
    REQUIRE (controller.openDefaultDevice (test::ManualAudioDevice::typeName).empty());
    auto* device = test::ManualAudioDevice::current (devices);
    REQUIRE (device != nullptr);
    controller.update();

    const auto rate = test::ManualAudioDevice::rate;
    const auto fps = 30000.0 / 1001.0;
    const auto start = Timecode::parse ("00:59:59;00", FrameRate::fps2997drop)->toFrameNumber();
    const auto kick = Timecode::parse ("01:00:00;02", FrameRate::fps2997drop)->toSeconds();
    // The master at sample s is start/fps + s/rate: the kick's timecode maps to this sample.
    const auto expected = (int64_t) std::ceil ((kick - (double) start / fps) * rate - 1.0e-6);

    int64_t frame = 0, published = 0;
    for (int block = 0; block < 400; ++block)
    {
        const auto blockEnd = (int64_t) (block + 1) * test::ManualAudioDevice::blockSize;
        // Frames whose start falls before this block's end (the decoder reports a frame a block late at worst).
        while ((int64_t) std::llround ((double) frame * rate / fps) < blockEnd)
        {
            ClockObservation observation;
            observation.sample = (int64_t) std::llround ((double) frame * rate / fps);
            observation.frames = (double) (start + frame);
            observation.fps = fps;
            observation.dropFrame = true;
            REQUIRE (manager.getSource (source)->publish (observation));
            ++frame;
            ++published;
        }
        device->renderBlock();
        controller.update();
        // A new table every other block, around the trigger and while the kick plays.
        if (block % 2 == 0)
            controller.setChaseKeepsRolling (block % 4 == 0);
    }
    CHECK (published > 50);
    // The controller drains the engine's fires into the event log: one trigger, its voice marked.
    std::vector<nlohmann::json> triggers, starts;
    std::istringstream lines (test::readText (logPath));
    for (std::string line; std::getline (lines, line);)
    {
        const auto json = nlohmann::json::parse (line);
        if (json["event"] == "timecodeTrigger")
            triggers.push_back (json);
        if (json["event"] == "voiceStart" && json["clip"] == "kick")
            starts.push_back (json);
    }
    REQUIRE (triggers.size() == 1);
    CHECK (triggers[0]["clip"] == "kick");
    CHECK (triggers[0]["timecode"] == "01:00:00;02");
    CHECK (triggers[0]["source"] == "timecode");
    const auto fired = triggers[0]["sample"].get<int64_t>();
    // Exact up to the flywheel's rounding of frame starts to whole samples.
    CHECK (std::abs (fired - expected) <= 1);
    REQUIRE (starts.size() == 1);
    CHECK (starts[0]["sample"] == fired);
    CHECK (starts[0]["source"] == "timecode");
    // The kick sounds from there: silence before its start, audio after.
    const auto& left = device->output[0];
    REQUIRE ((int64_t) left.size() > fired + 4800);
    float before = 0.0f, after = 0.0f;
    for (int64_t i = 0; i < fired; ++i)
        before = std::max (before, std::abs (left[(size_t) i]));
    for (int64_t i = fired; i < fired + 4800; ++i)
        after = std::max (after, std::abs (left[(size_t) i]));
    CHECK (before == 0.0f);
    CHECK (after > 0.01f);
}

TEST_CASE ("ShowController: the LTC input channel preference reopens the device with that input decoded by the engine")
{
    juce::AudioDeviceManager devices;
    ShowController controller { devices };
    test::ManualAudioDevice::addTo (devices);
    controller.loadSession (test::dataPath ("sessions/version4.cuegrid").string());
    REQUIRE (controller.waitForMedia (30.0));
    REQUIRE (controller.openDefaultDevice (test::ManualAudioDevice::typeName).empty());
    controller.update();
    CHECK (controller.getTimecode().getLtcInputChannel() == -1);
    CHECK (controller.getTimecode().getLtcSource() == -1);

    CHECK (controller.setLtcInputChannel (2).empty());
    controller.update();
    CHECK (controller.isAudioRunning());
    CHECK (controller.getTimecode().getLtcInputChannel() == 1);   // engine inputs count from 0
    CHECK (controller.getTimecode().getLtcSource() >= 0);          // the decoder's source, made by prepare
}

TEST_CASE ("ShowController: the LTC latency preference is the device's reported input latency (auto) or its own samples")
{
    test::ManualAudioDevice::reportedInputLatency = 128;   // as JUCE's JACK device reports the dummy driver's period
    struct Restore { ~Restore() { test::ManualAudioDevice::reportedInputLatency = 0; } } restore;
    juce::AudioDeviceManager devices;
    ShowController controller { devices };
    test::ManualAudioDevice::addTo (devices);
    test::TemporaryFolder folder ("showcontroller-ltc-latency");
    const auto logPath = folder / "events.ndjson";
    controller.setEventLog (logPath.string());
    controller.loadSession (test::dataPath ("sessions/version4.cuegrid").string());
    REQUIRE (controller.waitForMedia (30.0));
    CHECK (controller.setLtcInputChannel (1).empty());
    REQUIRE (controller.openDefaultDevice (test::ManualAudioDevice::typeName).empty());
    controller.update();
    auto& timecode = controller.getTimecode();
    CHECK (timecode.isLtcLatencyAuto());                  // the default
    CHECK (timecode.getLtcInputLatency() == 128);

    // A number: used as it is, the running device reopened to take it.
    CHECK (controller.setLtcInputLatency (0).empty());
    controller.update();
    CHECK_FALSE (timecode.isLtcLatencyAuto());
    CHECK (timecode.getLtcInputLatency() == 0);
    CHECK (timecode.getDeviceInputLatency() == 128);
    CHECK (controller.setLtcInputLatency (300).empty());
    controller.update();
    CHECK (timecode.getLtcInputLatency() == 300);
    CHECK (controller.setLtcInputLatency (EngineTimecode::autoLatency).empty());
    controller.update();
    CHECK (timecode.getLtcInputLatency() == 128);

    // Each device start says so in the event log.
    std::vector<nlohmann::json> lines;
    std::istringstream text (test::readText (logPath));
    for (std::string line; std::getline (text, line);)
        if (line.find ("\"ltcInput\"") != std::string::npos)
            lines.push_back (nlohmann::json::parse (line));
    REQUIRE (lines.size() == 4);
    CHECK (lines[0]["latencySamples"] == 128);
    CHECK (lines[0]["latencyFrom"] == "device");
    CHECK (lines[1]["latencySamples"] == 0);
    CHECK (lines[1]["latencyFrom"] == "preference");
    CHECK (lines[1]["deviceReportsSamples"] == 128);
    CHECK (lines[2]["latencySamples"] == 300);
    CHECK (lines[3]["latencyFrom"] == "device");
    CHECK (lines[3]["channel"] == 1);
}
