// CueGrid — GPL-3.0-or-later
// Record A/B (issue 10): the engine's record buses (sample-exact takes, the ring, gaps when the
// writer falls behind) and the writer (real files read back with libsndfile, silence for lost
// frames, the sidecar, RF64 for WAV, FLAC, a header kept valid for a crash).
#include "Control/ShowController.h"
#include "Engine/DeviceSetup.h"
#include "Engine/Engine.h"
#include "Session/RecordingWriter.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sndfile.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

using namespace cuegrid;
namespace fs = std::filesystem;

namespace
{
    constexpr double rate = 48000.0;
    constexpr int block = 128;

    /** A distinct value for every input sample: channel c at engine time t. */
    float inputSample (int channel, int64_t time)
    {
        return (float) (((time * 7 + channel * 1301) % 20001) - 10000) / 16384.0f;
    }

    /** Runs the engine for `frames` with 4 inputs carrying inputSample(); drains the writer
        after each block when `writer` is given. Collects the events. */
    struct Rig
    {
        Engine engine;
        std::vector<EngineEvent> events;
        std::vector<std::vector<float>> in = std::vector<std::vector<float>> (4, std::vector<float> (block));
        std::vector<std::vector<float>> out = std::vector<std::vector<float>> (2, std::vector<float> (block));

        explicit Rig (double ringSeconds = 4.0)
        {
            engine.setRecordRingSeconds (ringSeconds);
            engine.prepare (rate, block);
        }

        void run (int64_t frames, RecordingWriter* writer = nullptr)
        {
            for (int64_t done = 0; done < frames; done += block)
            {
                const auto start = engine.getSamplePosition();
                for (int c = 0; c < 4; ++c)
                    for (int i = 0; i < block; ++i)
                        in[(size_t) c][(size_t) i] = inputSample (c, start + i);
                const float* inputs[4] = { in[0].data(), in[1].data(), in[2].data(), in[3].data() };
                float* outputs[2] = { out[0].data(), out[1].data() };
                engine.process (inputs, 4, outputs, 2, block);
                EngineEvent event;
                while (engine.popEvent (event))
                    if (event.type != EngineEvent::Type::meter)
                        events.push_back (event);
                if (writer != nullptr)
                    writer->drain();
            }
        }

        void post (EngineCommand::Type type, int buses, int64_t time)
        {
            EngineCommand command;
            command.type = type;
            command.group = buses;
            command.sampleTime = time;
            REQUIRE (engine.post (command));
        }

        std::array<RecordBus*, recordBusCount> buses() { return { &engine.getRecordBus (0), &engine.getRecordBus (1) }; }
    };

    RecordingTarget targetIn (const test::TemporaryFolder& folder, RecordingFormat format = {})
    {
        RecordingTarget target;
        target.folder = folder.path.string();
        target.stem = "show";
        target.format = format;
        target.sampleRate = rate;
        return target;
    }

    std::vector<fs::path> recordings (const test::TemporaryFolder& folder, const std::string& extension)
    {
        std::vector<fs::path> files;
        if (fs::exists (folder / "Recordings"))
            for (const auto& entry : fs::directory_iterator (folder / "Recordings"))
                if (entry.path().extension() == extension)
                    files.push_back (entry.path());
        std::sort (files.begin(), files.end());
        return files;
    }
} // namespace

TEST_CASE ("Record A and B take their input channels sample-exact from RecordStart to RecordStop, written as 24-bit WAV", "[recording]")
{
    test::TemporaryFolder folder ("record-exact");
    Rig rig;
    RecordingWriter writer (rig.buses());
    writer.setTarget (targetIn (folder));

    // A: inputs 1/2 from 1000 to 9001; B: inputs 3/4 from 5003 to 7777 (mid-block both).
    rig.post (EngineCommand::Type::recordStart, recordBusA, 1000);
    rig.post (EngineCommand::Type::recordStart, recordBusB, 5003);
    rig.post (EngineCommand::Type::recordStop, recordBusB, 7777);
    rig.post (EngineCommand::Type::recordStop, recordBusA, 9001);
    rig.run (12800, &writer);
    writer.closeAll();

    const auto files = recordings (folder, ".wav");
    REQUIRE (files.size() == 2);
    const auto fileA = writer.getFile (0), fileB = writer.getFile (1);
    REQUIRE (fs::path (fileA).filename().string().rfind ("show A ", 0) == 0);
    REQUIRE (fs::path (fileB).filename().string().rfind ("show B ", 0) == 0);

    SF_INFO info {};
    SNDFILE* sound = sf_open (fileA.c_str(), SFM_READ, &info);
    REQUIRE (sound != nullptr);
    CHECK ((info.format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_24);
    sf_close (sound);
    // Under 4 GiB a plain WAV: "RIFF", then the JUNK chunk that would become ds64 (RF64).
    const auto head = test::readText (fileA).substr (0, 16);
    CHECK (head.substr (0, 4) == "RIFF");
    CHECK (head.substr (12, 4) == "JUNK");

    for (int bus = 0; bus < 2; ++bus)
    {
        const auto audio = test::readAudio (bus == 0 ? fileA : fileB);
        const int64_t from = bus == 0 ? 1000 : 5003, to = bus == 0 ? 9001 : 7777;
        REQUIRE (audio.channels.size() == 2);
        REQUIRE ((int64_t) audio.frames() == to - from);
        double worst = 0.0;
        for (int c = 0; c < 2; ++c)
            for (int64_t i = 0; i < to - from; ++i)
                worst = std::max (worst, (double) std::abs (audio.channels[(size_t) c][(size_t) i] - inputSample (2 * bus + c, from + i)));
        INFO ("bus " << bus << ": largest error " << worst);
        CHECK (worst <= 1.0 / 8388608.0);   // 24-bit quantisation: half a step at most, plus rounding
    }

    // The events: starts and stops at their samples, each take's length.
    std::vector<std::tuple<int, int, int64_t, int64_t>> seen;
    for (const auto& event : rig.events)
        if (event.type == EngineEvent::Type::recordStarted || event.type == EngineEvent::Type::recordStopped)
            seen.emplace_back ((int) event.type, event.group, event.sampleTime, event.length);
    const auto started = (int) EngineEvent::Type::recordStarted, stopped = (int) EngineEvent::Type::recordStopped;
    CHECK (seen == std::vector<std::tuple<int, int, int64_t, int64_t>> {
        { started, 0, 1000, 0 }, { started, 1, 5003, 0 }, { stopped, 1, 7777, 2774 }, { stopped, 0, 9001, 8001 } });

    const auto reports = writer.takeReports();
    int opened = 0, closed = 0;
    for (const auto& line : reports)
    {
        opened += line["event"] == "recordFile";
        closed += line["event"] == "recordClosed";
    }
    CHECK (opened == 2);
    CHECK (closed == 2);
}

TEST_CASE ("A full record ring loses frames without blocking - the take gets silence of their exact length and a sidecar line", "[recording]")
{
    test::TemporaryFolder folder ("record-gap");
    Rig rig (0.1);   // 4800 frames
    RecordingWriter writer (rig.buses());
    writer.setTarget (targetIn (folder, { RecordingFormat::Container::wav, RecordingFormat::Sample::float32 }));
    REQUIRE (rig.engine.getRecordBus (0).getRingFrames() == 4800);

    rig.post (EngineCommand::Type::recordStart, recordBusBoth, 256);
    rig.run (2560, &writer);        // drained: no loss
    rig.run (12800);                // the writer stalls for 12800 frames: the ring fills after 4800
    rig.run (2560, &writer);        // it catches up; the gap is closed at the next block with room
    const auto stopAt = rig.engine.getSamplePosition() + 1000;
    rig.post (EngineCommand::Type::recordStop, recordBusBoth, stopAt);
    rig.run (2560, &writer);
    writer.closeAll();

    std::vector<EngineEvent> gaps;
    int64_t takeLength = 0;
    for (const auto& event : rig.events)
    {
        if (event.type == EngineEvent::Type::recordDiscontinuity && event.group == 0)
            gaps.push_back (event);
        if (event.type == EngineEvent::Type::recordStopped && event.group == 0)
            takeLength = event.length;
    }
    REQUIRE (gaps.size() == 1);
    // Frames 0 … 2304 of the take were drained; the ring then took 4800 more; the rest of the
    // stall (12800 - 4800) was lost, and the first block after it too (the writer had not
    // drained yet when it came: the gap closes only once the ring has room).
    const int64_t lossStart = 2560 + 4800;                // engine time: 256 + (2560 - 256) + 4800
    CHECK (gaps[0].sampleTime == lossStart);
    CHECK (gaps[0].lateBy == lossStart - 256);
    CHECK (gaps[0].length == 2560 + 12800 - lossStart + block);
    CHECK (takeLength == stopAt - 256);

    const auto audio = test::readAudio (writer.getFile (0));
    REQUIRE ((int64_t) audio.frames() == takeLength);   // the take's length is the time it ran
    // Before the gap: the input exactly (float); in it: silence; after it: the input again.
    for (int64_t i = 0; i < takeLength; ++i)
    {
        const auto time = 256 + i;
        const bool lost = time >= gaps[0].sampleTime && time < gaps[0].sampleTime + gaps[0].length;
        const auto expected = lost ? 0.0f : inputSample (0, time);
        if (audio.channels[0][(size_t) i] != expected)
            FAIL ("sample " << i << " (engine " << time << "): " << audio.channels[0][(size_t) i] << ", expected " << expected);
    }

    const auto sidecar = writer.getFile (0) + ".discontinuities.ndjson";
    REQUIRE (fs::exists (sidecar));
    std::ifstream lines (sidecar);
    std::string text;
    std::vector<nlohmann::json> entries;
    while (std::getline (lines, text))
        entries.push_back (nlohmann::json::parse (text));
    REQUIRE (entries.size() == 1);
    CHECK (entries[0]["positionFrames"] == gaps[0].lateBy);
    CHECK (entries[0]["lengthFrames"] == gaps[0].length);
    CHECK (entries[0]["bus"] == "A");
    CHECK (rig.engine.getRecordBus (0).getLostFrames() == gaps[0].length);
}

TEST_CASE ("A take still losing frames when it stops is padded to its length", "[recording]")
{
    test::TemporaryFolder folder ("record-trailing-gap");
    Rig rig (0.1);   // 4800 frames
    RecordingWriter writer (rig.buses());
    writer.setTarget (targetIn (folder));
    rig.post (EngineCommand::Type::recordStart, recordBusA, 0);
    rig.post (EngineCommand::Type::recordStop, recordBusA, 6400);
    rig.run (7680);   // never drained while it runs
    writer.drain();
    writer.closeAll();
    const auto audio = test::readAudio (writer.getFile (0));
    CHECK (audio.frames() == 6400);
    int gaps = 0;
    for (const auto& event : rig.events)
        if (event.type == EngineEvent::Type::recordDiscontinuity)
        {
            ++gaps;
            CHECK (event.sampleTime == 4800);
            CHECK (event.length == 1600);
        }
    CHECK (gaps == 1);
}

TEST_CASE ("Recording as FLAC writes 24-bit FLAC that reads back as the input", "[recording]")
{
    test::TemporaryFolder folder ("record-flac");
    Rig rig;
    RecordingWriter writer (rig.buses());
    writer.setTarget (targetIn (folder, { RecordingFormat::Container::flac, RecordingFormat::Sample::float32 }));
    rig.post (EngineCommand::Type::recordStart, recordBusB, 100);
    rig.post (EngineCommand::Type::recordStop, recordBusB, 48100);
    rig.run (48640, &writer);
    writer.closeAll();
    SF_INFO info {};
    SNDFILE* sound = sf_open (writer.getFile (1).c_str(), SFM_READ, &info);
    REQUIRE (sound != nullptr);
    CHECK ((info.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_FLAC);
    CHECK ((info.format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_24);
    CHECK (info.frames == 48000);
    sf_close (sound);
    const auto audio = test::readAudio (writer.getFile (1));
    double worst = 0.0;
    for (int64_t i = 0; i < 48000; ++i)
        worst = std::max (worst, (double) std::abs (audio.channels[1][(size_t) i] - inputSample (3, 100 + i)));
    CHECK (worst <= 1.0 / 8388608.0);
}

TEST_CASE ("A WAV take survives a crash of the app up to the last second written", "[recording]")
{
    test::TemporaryFolder folder ("record-crash");
    const auto marker = folder / "file.txt";
    const auto pid = fork();
    REQUIRE (pid >= 0);
    if (pid == 0)
    {
        // The child records 2.6 s of input in real time, then dies without closing anything.
        Rig rig;
        RecordingWriter writer (rig.buses());
        writer.setTarget (targetIn (folder));
        rig.post (EngineCommand::Type::recordStart, recordBusA, 0);
        for (int i = 0; i < 26; ++i)
        {
            rig.run (4800, &writer);
            std::this_thread::sleep_for (std::chrono::milliseconds (100));
        }
        std::ofstream (marker) << writer.getFile (0);
        _exit (0);
    }
    int status = 0;
    waitpid (pid, &status, 0);
    REQUIRE (WIFEXITED (status));
    const auto file = test::readText (marker);
    SF_INFO info {};
    SNDFILE* sound = sf_open (file.c_str(), SFM_READ, &info);
    INFO (file << ": " << sf_strerror (nullptr));
    REQUIRE (sound != nullptr);
    // Written: 26 × 4800 frames (minus the last block's rounding); the header was last
    // updated at most a second before the end.
    INFO ("frames in the header: " << info.frames);
    CHECK (info.frames >= 26 * 4800 - 48000 - 4800);
    CHECK (info.frames <= 26 * 4800);
    std::vector<float> samples ((size_t) info.frames * 2);
    CHECK (sf_readf_float (sound, samples.data(), info.frames) == info.frames);
    sf_close (sound);
    CHECK (samples[2 * 48000] == Approx (inputSample (0, 48000)).margin (1.0e-6));
}

TEST_CASE ("The recording writer sustains many times real time to disk", "[recording]")
{
    test::TemporaryFolder folder ("record-throughput");
    Rig rig (30.0);
    RecordingWriter writer (rig.buses());
    writer.setTarget (targetIn (folder, { RecordingFormat::Container::wav, RecordingFormat::Sample::float32 }));
    rig.post (EngineCommand::Type::recordStart, recordBusBoth, 0);
    rig.run (48000 * 20);   // 20 s on both buses, not drained yet (a 30 s ring)
    const auto started = std::chrono::steady_clock::now();
    const auto taken = writer.drain();
    const auto seconds = std::chrono::duration<double> (std::chrono::steady_clock::now() - started).count();
    writer.closeAll();
    CHECK (taken == 2 * 48000 * 20);
    const auto realtime = (double) taken / 2.0 / rate / seconds;
    WARN ("writer: " << taken << " frames (2 buses x 20 s, float stereo) in " << seconds << " s: "
          << realtime << " x real time for both buses, " << (double) taken * 8.0 / seconds / 1.0e6 << " MB/s");
    CHECK (realtime > 10.0);
}

TEST_CASE ("Record inputs follow the device's enabled inputs, as the outputs do", "[recording]")
{
    // Session pairs A = 1-2, B = 3-4, i.e. device inputs 0-1 and 2-3.
    RecordInputs wanted;
    juce::BigInteger enabled;
    enabled.setRange (0, 4, true);
    auto mapped = recordInputsForDevice (wanted, enabled);
    CHECK (mapped.left[0] == 0);
    CHECK (mapped.right[0] == 1);
    CHECK (mapped.left[1] == 2);
    CHECK (mapped.right[1] == 3);
    // JACK with only inputs 3 and 4 connected: the engine gets two inputs, and they are B's.
    enabled.clear();
    enabled.setBit (2);
    enabled.setBit (3);
    mapped = recordInputsForDevice (wanted, enabled);
    CHECK (mapped.left[0] == -1);    // not enabled: A records silence
    CHECK (mapped.right[0] == -1);
    CHECK (mapped.left[1] == 0);
    CHECK (mapped.right[1] == 1);
    CHECK (recordInputChannels (wanted) == 4);
}

TEST_CASE ("Without an audio device REC is refused and says why", "[recording]")
{
    juce::AudioDeviceManager devices;   // never opened
    ShowController controller (devices);
    controller.loadSession (test::dataPath ("sessions/gui-v2.cuegrid").string());
    controller.recordStart (recordBusA);
    CHECK (controller.getActionProblem() == "not recorded: no audio device");
    controller.update();
    const auto state = controller.getRecordState (0);
    CHECK_FALSE (state.recording);
    CHECK_FALSE (state.hasInputs);
    CHECK (state.file.empty());
}
