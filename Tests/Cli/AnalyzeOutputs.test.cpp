// CueGrid — GPL-3.0-or-later
// `cuegrid analyze` outputs and bad input: --write copies (gain applied, same format, never
// over an original) and their sessionprep.json against the reference's, --report, per-file
// errors for broken media with the rest analysed, odd shapes (short, 6-channel), and memory
// on a 60-minute file.
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sndfile.h>

#include <cmath>
#include <sys/resource.h>

using namespace cuegrid::test;
using Json = nlohmann::json;

namespace
{
    CommandResult analyze (const std::string& arguments)
    {
        return run (quote (cliPath()) + " analyze --classifier sessionprep " + arguments);
    }

    int sndfileFormat (const std::filesystem::path& file)
    {
        SF_INFO info {};
        auto* sound = sf_open (file.c_str(), SFM_READ, &info);
        REQUIRE (sound != nullptr);
        sf_close (sound);
        return info.format;
    }

    /** Writes channels × frames of float to a float WAV (libsndfile, no checks on values). */
    void writeFloatWav (const std::filesystem::path& file, int channels, const std::vector<float>& interleaved, int rate = 48000)
    {
        SF_INFO info {};
        info.samplerate = rate;
        info.channels = channels;
        info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
        auto* sound = sf_open (file.c_str(), SFM_WRITE, &info);
        REQUIRE (sound != nullptr);
        sf_writef_float (sound, interleaved.data(), (sf_count_t) (interleaved.size() / (size_t) channels));
        sf_close (sound);
    }

    std::vector<float> sine (int channels, int frames, double amplitude, double hz = 997.0, int rate = 48000)
    {
        std::vector<float> samples ((size_t) (channels * frames));
        for (int i = 0; i < frames; ++i)
            for (int c = 0; c < channels; ++c)
                samples[(size_t) (i * channels + c)] = (float) (amplitude * std::sin (2 * M_PI * hz * i / rate));
        return samples;
    }

    const Json* findTrack (const Json& root, const std::string& name)
    {
        for (const auto& track : root["tracks"])
            if (track["filename"] == name)
                return &track;
        return nullptr;
    }
} // namespace

TEST_CASE ("analyze --write: gained copies in the same format and a sessionprep.json like the reference's", "[analysis][write]")
{
    TemporaryFolder work ("analyze-write");
    const auto out = work / "processed";
    const auto result = analyze (quote (dataPath ("corpus").string()) + " --write " + quote (out.string()) + " --json " + quote ((work / "a.json").string()));
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    const auto analysis = Json::parse (readText (work / "a.json"));

    for (const auto& track : analysis["tracks"])
    {
        const auto name = track["filename"].get<std::string>();
        INFO (name);
        const auto source = dataPath ("corpus/" + name), copy = out / name;
        REQUIRE (std::filesystem::exists (copy));
        CHECK (sndfileFormat (copy) == sndfileFormat (source));   // same container and sample format
        const auto original = readAudio (source), processed = readAudio (copy);
        REQUIRE (processed.frames() == original.frames());
        REQUIRE (processed.channels.size() == original.channels.size());
        const auto gain = std::pow (10.0, track["gain_db"].get<double>() / 20.0);
        const auto lsb = track["bitdepth"] == "16-bit" ? 1.0 / 32768 : 1.0 / 8388608;
        double worst = 0;
        for (size_t c = 0; c < original.channels.size(); ++c)
            for (size_t i = 0; i < original.frames(); ++i)
                worst = std::max (worst, std::abs (processed.channels[c][i] - original.channels[c][i] * gain));
        CHECK (worst <= 1.01 * lsb);   // one rounding of the new value, no other change
    }

    const auto ours = Json::parse (readText (out / "sessionprep.json"));
    const auto reference = Json::parse (readText (dataPath ("reference/sessionprep_public.sessionprep.json")));
    CHECK (ours["schema_version"] == reference["schema_version"]);
    CHECK (ours["session"]["warnings"] == reference["session"]["warnings"]);
    CHECK (ours["session"]["config"] == reference["session"]["config"]);
    REQUIRE (ours["tracks"].size() == reference["tracks"].size());
    for (size_t i = 0; i < reference["tracks"].size(); ++i)
    {
        const auto& want = reference["tracks"][i];
        const auto& got = ours["tracks"][i];
        INFO (want["filename"]);
        CHECK (got["sort_index"] == want["sort_index"]);
        CHECK (got["filename"] == want["filename"]);
        for (const auto* key : { "samplerate", "bitdepth", "samples", "is_clipped", "is_silent", "mono_loss_warn" })
            CHECK (got["diagnostics"][key] == want["diagnostics"][key]);
        CHECK (got["diagnostics"]["duration_sec"].get<double>() == Approx (want["diagnostics"]["duration_sec"].get<double>()));
        CHECK (got["diagnostics"]["mono_loss_db"].is_null() == want["diagnostics"]["mono_loss_db"].is_null());
        CHECK (got["processing"]["classification"] == want["processing"]["classification"]);
        CHECK (got["processing"]["group"] == want["processing"]["group"]);
        for (const auto* key : { "fader_db", "gain_applied_db", "gain_individual_db" })
            CHECK (got["processing"][key].get<double>() == Approx (want["processing"][key].get<double>()).margin (0.0101));
    }
}

TEST_CASE ("analyze --write never overwrites an original", "[analysis][write][errors]")
{
    TemporaryFolder work ("analyze-write-over");
    for (const auto* name : { "p03_colombo_snare.wav", "p07_sonicpi_bass_thick.wav" })
        std::filesystem::copy_file (dataPath (std::string ("corpus/") + name), work / name);
    const auto before = readText (work / "p03_colombo_snare.wav");
    const auto result = analyze (quote (work.path.string()) + " --write " + quote (work.path.string()));
    INFO (result.output);
    // The output guard refuses the whole run before anything is analysed or written.
    CHECK (result.exitCode == 4);
    CHECK (result.output.find ("p03_colombo_snare.wav: refused as the output of --write: it is an analysed file") != std::string::npos);
    CHECK (result.output.find ("nothing was written") != std::string::npos);
    CHECK (readText (work / "p03_colombo_snare.wav") == before);
    CHECK_FALSE (std::filesystem::exists (work / "sessionprep.json"));
}

TEST_CASE ("analyze --report writes the reference-style text report, at most 100 columns, no colour in files", "[analysis][report]")
{
    TemporaryFolder work ("analyze-report");
    const auto report = work / "report.txt";
    const auto result = analyze (quote (dataPath ("synthetic").string()) + " --report " + quote (report.string()) + " --json " + quote ((work / "a.json").string()));
    REQUIRE (result.exitCode == 0);
    const auto text = readText (report);
    const auto reference = Json::parse (readText (dataPath ("reference/sessionprep_synthetic.json")));
    // The summary's first lines are the reference's, word for word (long lines wrap at 100 columns).
    const auto firstLines = reference["diagnostic_summary_text"].get<std::string>().substr (0, 80);
    CHECK (text.find (firstLines) != std::string::npos);
    CHECK (text.find ("* 03_NoiseClip.wav: clipping detected (729 clipped ranges)") != std::string::npos);
    CHECK (text.find ("13_VoxRide.wav: 1 tail region(s) exceed anchor by >3 dB (max +6.0 dB)") != std::string::npos);
    CHECK (text.find ('\x1b') == std::string::npos);
    CHECK (result.output.find ('\x1b') == std::string::npos);   // stdout is not a terminal here
    size_t start = 0;
    while (start < text.size())
    {
        auto end = text.find ('\n', start);
        if (end == std::string::npos) end = text.size();
        const auto line = text.substr (start, end - start);
        size_t columns = 0;
        for (unsigned char c : line)
            columns += (c & 0xc0) != 0x80 ? 1 : 0;
        INFO (line);
        CHECK (columns <= 100);
        start = end + 1;
    }
}

TEST_CASE ("Broken media: a per-file error in PROBLEMS, the rest analysed", "[analysis][errors]")
{
    TemporaryFolder work ("analyze-broken");
    std::filesystem::copy_file (dataPath ("corpus/p03_colombo_snare.wav"), work / "good.wav");
    writeText (work / "empty.wav", "");
    writeText (work / "notaudio.wav", "this is a text file, not a WAV\n");
    writeFloatWav (work / "noframes.wav", 2, {});
    const auto organ = readText (dataPath ("corpus/p05_lmms_e_organ.wav"));
    writeText (work / "truncated.wav", organ.substr (0, organ.size() / 3));
    auto samples = sine (2, 48000, 0.5);
    samples[2 * 30000 + 1] = std::numeric_limits<float>::quiet_NaN();
    writeFloatWav (work / "nan.wav", 2, samples);
    samples[2 * 30000 + 1] = std::numeric_limits<float>::infinity();
    writeFloatWav (work / "inf.wav", 2, samples);

    const auto json = work / "a.json";
    const auto result = analyze (quote (work.path.string()) + " --json " + quote (json.string()));
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    const auto root = Json::parse (readText (json));

    const std::pair<const char*, const char*> expected[] = {
        { "empty.wav", "cannot read" }, { "notaudio.wav", "cannot read" }, { "noframes.wav", "empty file" },
        { "truncated.wav", "truncated" }, { "nan.wav", "non-finite sample (NaN or Inf) at frame 30000, channel 2" },
        { "inf.wav", "non-finite sample (NaN or Inf) at frame 30000, channel 2" } };
    const auto& problems = root["diagnostic_summary"]["problems"];
    REQUIRE (! problems.empty());
    CHECK (problems[0]["title"] == "File errors");
    for (const auto& [name, why] : expected)
    {
        INFO (name);
        const auto* track = findTrack (root, name);
        REQUIRE (track != nullptr);
        CHECK ((*track)["status"].get<std::string>().find (why) != std::string::npos);
        bool listed = false;
        for (const auto& item : problems[0]["items"])
            listed = listed || (item.get<std::string>().rfind (std::string (name) + ": ", 0) == 0 && item.get<std::string>().find (why) != std::string::npos);
        CHECK (listed);
    }
    const auto* good = findTrack (root, "good.wav");
    REQUIRE (good != nullptr);
    CHECK ((*good)["status"] == "OK");
    CHECK ((*good)["classification"] == "Transient");
    CHECK ((*good)["peak_dbfs"].get<double>() == Approx (-0.1).margin (0.05));
    CHECK (root["diagnostic_summary"]["total_ok"] == 1);
}

TEST_CASE ("Odd shapes: shorter than a window, 1 and 6 channels, silence", "[analysis][errors]")
{
    TemporaryFolder work ("analyze-shapes");
    writeFloatWav (work / "short_100ms.wav", 1, sine (1, 4800, 0.5));          // < 400 ms: one window
    writeFloatWav (work / "six_channels.wav", 6, sine (6, 96000, 0.25));       // 5.1
    writeFloatWav (work / "tiny_3_frames.wav", 1, { 0.1f, -0.2f, 0.3f });
    writeFloatWav (work / "silent.wav", 2, std::vector<float> (9600, 0.0f));
    const auto json = work / "a.json";
    const auto result = analyze (quote (work.path.string()) + " --json " + quote (json.string()));
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    const auto root = Json::parse (readText (json));

    const auto sineRmsDb = [] (double amplitude) { return 20 * std::log10 (amplitude / std::sqrt (2.0)); };
    const auto* shortTrack = findTrack (root, "short_100ms.wav");
    REQUIRE (shortTrack != nullptr);
    CHECK ((*shortTrack)["status"] == "OK");
    CHECK ((*shortTrack)["peak_dbfs"].get<double>() == Approx (20 * std::log10 (0.5)).margin (0.01));
    CHECK ((*shortTrack)["rms_max_dbfs"].get<double>() == Approx (sineRmsDb (0.5)).margin (0.02));   // the whole-file mean
    CHECK ((*shortTrack)["density"] == 1.0);

    const auto* six = findTrack (root, "six_channels.wav");
    REQUIRE (six != nullptr);
    CHECK ((*six)["channels"] == 6);
    CHECK ((*six)["peak_dbfs"].get<double>() == Approx (20 * std::log10 (0.25)).margin (0.01));
    CHECK ((*six)["rms_anchor_dbfs"].get<double>() == Approx (sineRmsDb (0.25)).margin (0.02));   // avg over channels
    CHECK ((*six)["classification"] == "Sustained");
    CHECK ((*six)["detectors"]["stereo_compat"]["severity"] == "clean");

    const auto* tiny = findTrack (root, "tiny_3_frames.wav");
    REQUIRE (tiny != nullptr);
    CHECK ((*tiny)["status"] == "OK");
    CHECK ((*tiny)["peak_dbfs"].get<double>() == Approx (20 * std::log10 (0.3)).margin (0.01));
    CHECK ((*tiny)["rms_max_dbfs"].get<double>() == Approx (10 * std::log10 ((0.01 + 0.04 + 0.09) / 3)).margin (0.01));

    const auto* silent = findTrack (root, "silent.wav");
    REQUIRE (silent != nullptr);
    CHECK ((*silent)["classification"] == "Silent");
    CHECK ((*silent)["peak_dbfs"] == "-inf");
    CHECK ((*silent)["detectors"]["silence"]["severity"] == "attention");
}

TEST_CASE ("A 60-minute stereo 48 kHz file is analysed within 500 MB", "[analysis][memory]")
{
    TemporaryFolder work ("analyze-hour");
    const auto file = work / "hour.wav";
    {
        SF_INFO info {};
        info.samplerate = 48000;
        info.channels = 2;
        info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
        auto* sound = sf_open (file.c_str(), SFM_WRITE, &info);
        REQUIRE (sound != nullptr);
        // A 220 Hz tone whose level steps every 10 s (-30 … -6 dBFS) plus a little noise.
        std::vector<short> block (2 * 48000);
        uint32_t noise = 1;
        for (int second = 0; second < 3600; ++second)
        {
            const auto amplitude = std::pow (10.0, (-30.0 + 3.0 * ((second / 10) % 9)) / 20.0) * 32767.0;
            for (int i = 0; i < 48000; ++i)
            {
                noise = noise * 1664525u + 1013904223u;
                const auto value = amplitude * std::sin (2 * M_PI * 220.0 * i / 48000.0) + (double) (noise >> 24) - 128.0;
                block[(size_t) (2 * i)] = block[(size_t) (2 * i + 1)] = (short) value;
            }
            REQUIRE (sf_writef_short (sound, block.data(), 48000) == 48000);
        }
        sf_close (sound);
    }
    const auto json = work / "a.json";
    const auto result = analyze (quote (file.string()) + " --json " + quote (json.string()));
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    rusage usage {};
    getrusage (RUSAGE_CHILDREN, &usage);
    const auto peakMegabytes = (double) usage.ru_maxrss / 1024.0;
    INFO ("peak resident memory of the analysis: " << peakMegabytes << " MB");
    CHECK (peakMegabytes < 500.0);

    const auto root = Json::parse (readText (json));
    const auto& track = root["tracks"][0];
    CHECK (track["duration_sec"] == 3600.0);
    const auto loudestTone = std::pow (10.0, -6.0 / 20.0) * 32767.0;   // plus at most 128 LSB of noise
    CHECK (track["peak_dbfs"].get<double>() >= 20 * std::log10 ((loudestTone - 1) / 32768.0));
    CHECK (track["peak_dbfs"].get<double>() <= 20 * std::log10 ((loudestTone + 129) / 32768.0));
    CHECK (track["rms_max_dbfs"].get<double>() == Approx (-9.01).margin (0.05));   // the loudest 10 s: -6 dBFS sine
    CHECK (track["classification"] == "Sustained");
    std::printf ("60-minute file: peak RSS %.0f MB\n", peakMegabytes);
}
