// CueGrid — GPL-3.0-or-later
// `cuegrid render` of real corpus files against the same mix built independently with sox,
// and block-size independence of the rendered file.
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

using namespace cuegrid::test;

namespace
{
    constexpr double rate = 44100.0;
    constexpr int fade = 44;  // round(0.001 × 44100)

    struct ClipSpec { std::string id, file, group; double clipDb; int channels; };
    struct GroupSpec { std::string id; double gainDb; };
    struct Trigger { std::string clip; double timeSec; double stopSec = -1; };

    const std::vector<GroupSpec> groups { { "A", 0.0 }, { "B", -3.0 }, { "C", 0.0 }, { "D", -4.5 } };
    const std::vector<ClipSpec> clips {
        { "kick", "p01_sonicpi_heavy_kick.wav", "A", -9.5, 1 },
        { "snare", "p03_colombo_snare.wav", "B", -8.0, 2 },
        { "break", "p04_lmms_breakbeat.wav", "C", -12.0, 1 },
        { "bass", "p07_sonicpi_bass_thick.wav", "D", -5.5, 2 },
        { "clap", "p10_millo_clap_dualmono.wav", "A", -10.0, 2 },
    };
    const std::vector<Trigger> triggers {
        { "bass", 0.0333, 2.5 }, { "kick", 0.1234567 }, { "snare", 0.377777 }, { "break", 0.61 },
        { "clap", 1.2345 }, { "kick", 2.1003 },
    };
    constexpr double durationSec = 4.0;

    std::string sessionJson()
    {
        std::ostringstream json;
        json << R"({"format": "cuegrid.session", "version": 1, "name": "sox null test", "sampleRate": 44100, "groups": [)";
        for (size_t i = 0; i < groups.size(); ++i)
            json << (i ? "," : "") << R"({"id": ")" << groups[i].id << R"(", "gainDb": )" << groups[i].gainDb << "}";
        json << R"(], "clips": [)";
        for (size_t i = 0; i < clips.size(); ++i)
            json << (i ? "," : "") << R"({"id": ")" << clips[i].id << R"(", "file": ")"
                 << dataPath ("corpus/" + clips[i].file).string() << R"(", "group": ")" << clips[i].group
                 << R"(", "gainDb": )" << clips[i].clipDb << "}";
        json << "]}";
        return json.str();
    }

    std::string scriptJson()
    {
        std::ostringstream json;
        json.precision (10);
        json << R"({"durationSec": )" << durationSec << R"(, "commands": [)";
        bool first = true;
        for (const auto& trigger : triggers)
        {
            json << (first ? "" : ",") << R"({"timeSec": )" << trigger.timeSec << R"(, "type": "Trigger", "clip": ")" << trigger.clip << "\"}";
            if (trigger.stopSec >= 0)
                json << R"(,{"timeSec": )" << trigger.stopSec << R"(, "type": "Stop", "clip": ")" << trigger.clip << "\"}";
            first = false;
        }
        json << "]}";
        return json.str();
    }

    const ClipSpec& clipNamed (const std::string& id)
    {
        for (const auto& clip : clips)
            if (clip.id == id)
                return clip;
        throw std::runtime_error ("no clip " + id);
    }

    double groupGainDb (const std::string& id)
    {
        for (const auto& group : groups)
            if (group.id == id)
                return group.gainDb;
        return 0;
    }
} // namespace

TEST_CASE ("cuegrid render nulls against an independent sox mix below -90 dBFS outside the 1 ms fades", "[cli][render][sox]")
{
    TemporaryFolder folder ("sox-null");
    writeText (folder / "show.cuegrid", sessionJson());
    writeText (folder / "script.json", scriptJson());
    const auto rendered = folder / "render.wav";
    const auto result = run (quote (cliPath()) + " render " + quote ((folder / "show.cuegrid").string()) + " --script "
                             + quote ((folder / "script.json").string()) + " --out " + quote (rendered.string()));
    INFO (result.output);
    REQUIRE (result.exitCode == 0);

    // The reference: each trigger as its own sox chain (channels, gain, trim at a stop, 1 ms
    // fades, delay), then all mixed at unity by sox -m.
    std::vector<std::pair<int64_t, int64_t>> fadeWindows;  // [start, end) samples excluded
    std::string mixCommand = "sox -m";
    int part = 0;
    for (const auto& trigger : triggers)
    {
        const auto& clip = clipNamed (trigger.clip);
        const auto start = std::llround (trigger.timeSec * rate);
        const auto source = readAudio (dataPath ("corpus/" + clip.file));
        auto length = (int64_t) source.frames();
        if (trigger.stopSec >= 0)
            length = std::min<int64_t> (length, std::llround (trigger.stopSec * rate) - start + fade);
        const auto gain = std::pow (10.0, (clip.clipDb + groupGainDb (clip.group)) / 20.0);
        const auto partFile = folder / ("part" + std::to_string (part++) + ".wav");
        std::ostringstream chain;
        chain.precision (17);
        chain << "sox " << quote (dataPath ("corpus/" + clip.file).string()) << " -e floating-point -b 32 "
              << quote (partFile.string()) << " remix " << (clip.channels == 1 ? "1 1" : "1 2") << " vol " << gain
              << " trim 0 " << length << "s fade t " << fade << "s 0 " << fade << "s pad " << start << "s";
        REQUIRE (run (chain.str()).exitCode == 0);
        mixCommand += " -v 1 " + quote (partFile.string());
        fadeWindows.push_back ({ start, start + fade });
        fadeWindows.push_back ({ start + length - fade, start + length });
    }
    const auto reference = folder / "reference.wav";
    const auto mix = run (mixCommand + " -e floating-point -b 32 " + quote (reference.string()));
    INFO (mix.output);
    REQUIRE (mix.exitCode == 0);
    REQUIRE (mix.output.find ("clipped") == std::string::npos);  // sox must not clip its reference

    const auto ours = readAudio (rendered), theirs = readAudio (reference);
    REQUIRE (ours.frames() == (size_t) std::llround (durationSec * rate));
    REQUIRE (theirs.frames() <= ours.frames());

    double residualPeak = 0, signalPeak = 0;
    size_t compared = 0;
    for (size_t i = 0; i < ours.frames(); ++i)
    {
        bool inFade = false;
        for (const auto& [begin, end] : fadeWindows)
            inFade = inFade || ((int64_t) i >= begin && (int64_t) i < end);
        if (inFade)
            continue;
        ++compared;
        for (size_t c = 0; c < 2; ++c)
        {
            const double expected = i < theirs.frames() ? theirs.channels[c][i] : 0.0;
            residualPeak = std::max (residualPeak, std::abs (ours.channels[c][i] - expected));
            signalPeak = std::max (signalPeak, std::abs ((double) ours.channels[c][i]));
        }
    }
    INFO ("signal peak " << toDecibels (signalPeak) << " dBFS, residual peak " << toDecibels (residualPeak) << " dBFS");
    CHECK (compared > ours.frames() * 9 / 10);
    CHECK (toDecibels (signalPeak) > -20.0);   // a real mix, not silence
    CHECK (toDecibels (residualPeak) < -90.0);
}

TEST_CASE ("Block sizes 32, 128, 512 and 1031 render bit-identical files", "[cli][render][blocks]")
{
    TemporaryFolder folder ("blocks");
    writeText (folder / "show.cuegrid", sessionJson());
    // Ramps and mutes as well, so every parameter path is split at odd block boundaries.
    writeText (folder / "script.json", R"({"durationSec": 3, "tailSec": 0.5, "commands": [
        {"timeSec": 0.0101, "type": "Trigger", "clip": "bass"},
        {"timeSec": 0.2, "type": "Trigger", "clip": "break"},
        {"timeSec": 0.5, "type": "SetParam", "target": "group:D:gainDb", "value": -12, "rampMs": 733},
        {"timeSec": 0.9, "type": "SetParam", "target": "clip:break:gainDb", "value": 3, "rampMs": 17},
        {"timeSec": 1.0, "type": "Trigger", "clip": "kick"},
        {"timeSec": 1.00001, "type": "Trigger", "clip": "kick"},
        {"timeSec": 1.3, "type": "SetParam", "target": "group:C:muted", "value": 1},
        {"timeSec": 1.7, "type": "SetParam", "target": "master:gainDb", "value": -2, "rampMs": 100},
        {"timeSec": 2.2, "type": "StopGroup", "group": "D"},
        {"timeSec": 2.4, "type": "Trigger", "clip": "clap"},
        {"timeSec": 2.9, "type": "StopAll"}]})");
    std::string first;
    for (int blockSize : { 32, 128, 512, 1031 })
    {
        const auto out = folder / ("block" + std::to_string (blockSize) + ".wav");
        const auto result = run (quote (cliPath()) + " render " + quote ((folder / "show.cuegrid").string()) + " --script "
                                 + quote ((folder / "script.json").string()) + " --out " + quote (out.string())
                                 + " --block-size " + std::to_string (blockSize));
        INFO (result.output);
        REQUIRE (result.exitCode == 0);
        const auto bytes = readText (out);
        REQUIRE (bytes.size() > 300000);
        CHECK (bytes.find ("PEAK") == std::string::npos);  // no timestamped chunk: same render, same bytes
        if (first.empty())
            first = bytes;
        else
            CHECK ((bytes == first));
    }
}
