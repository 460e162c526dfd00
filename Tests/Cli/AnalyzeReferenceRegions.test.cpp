// CueGrid — GPL-3.0-or-later
// The reference's detector `data` that goes beyond single numbers, track by track against the
// SessionPrep results in Tests/data/reference: the audio_classifier entry, and the per-window
// region lists of stereo_compat, subsonic and tail_exceedance. Sample ranges, counts, channels,
// flags, labels and times must be exact; dB values within 0.01 dB (the spec's tolerance),
// correlations and density within 1e-6.
#include "Analysis/AnalysisJson.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sndfile.h>

#include <cmath>

using namespace cuegrid::test;
using Json = nlohmann::json;

namespace
{
    Json analyse (const std::string& arguments, const std::filesystem::path& out)
    {
        const auto result = run (quote (cliPath()) + " analyze " + arguments + " --json " + quote (out.string()));
        INFO (result.output);
        REQUIRE (result.exitCode == 0);
        return Json::parse (readText (out));
    }

    double tolerance (const std::string& key)
    {
        if (key == "lr_corr" || key == "min_corr" || key == "min_window_corr" || key == "density")
            return 1e-6;
        if (key == "total_duration_sec")
            return 1e-9;
        return 0.01;   // dB
    }

    /** Every key the reference writes is there with the same value: integers (sample ranges,
        counts, channels), strings, booleans and nulls exactly; floats within tolerance(key). */
    void compareValue (const Json& want, const Json& got, const std::string& key, const std::string& where)
    {
        INFO (where);
        if (want.is_object())
        {
            REQUIRE (got.is_object());
            for (const auto& [child, value] : want.items())
            {
                REQUIRE (got.contains (child));
                compareValue (value, got[child], child, where + "." + child);
            }
        }
        else if (want.is_array())
        {
            REQUIRE (got.is_array());
            REQUIRE (got.size() == want.size());
            for (size_t i = 0; i < want.size(); ++i)
                compareValue (want[i], got[i], key, where + "[" + std::to_string (i) + "]");
        }
        else if (want.is_number_integer())
        {
            REQUIRE (got.is_number_integer());
            CHECK (got.get<int64_t>() == want.get<int64_t>());
        }
        else if (want.is_number_float())
        {
            REQUIRE (got.is_number());
            if (key == "rms_anchor_mean" && want.get<double>() > 0)   // a power: compare in dB
                CHECK (10.0 * std::log10 (got.get<double>() / want.get<double>()) == Approx (0.0).margin (0.01));
            else if (key == "decay_db" && want.get<double>() >= 100.0)
                SUCCEED ("decay of a digital-silence tail: prefix-sum noise (spec 1.6 note 9)");
            else
                CHECK (got.get<double>() == Approx (want.get<double>()).margin (tolerance (key)));
        }
        else
            CHECK (got == want);   // strings ("inf", labels, times), booleans, null
    }

    void compareDetectorData (const std::string& folder, const std::string& referenceFile)
    {
        TemporaryFolder work ("regions-" + folder);
        const auto ours = analyse ("--classifier sessionprep " + quote (dataPath (folder).string()), work / "out.json");
        const auto reference = Json::parse (readText (dataPath ("reference/" + referenceFile)));
        REQUIRE (ours["tracks"].size() == reference["tracks"].size());
        int regionsCompared = 0;
        for (size_t i = 0; i < reference["tracks"].size(); ++i)
        {
            const auto& expected = reference["tracks"][i];
            const auto& actual = ours["tracks"][i];
            const auto name = expected["filename"].get<std::string>();
            INFO (name);
            REQUIRE (actual["filename"] == name);
            for (const auto* id : { "audio_classifier", "stereo_compat", "subsonic", "tail_exceedance" })
            {
                INFO (id);
                const auto& want = expected["detectors"][id];
                REQUIRE (actual["detectors"].contains (id));
                const auto& got = actual["detectors"][id];
                CHECK (got["severity"] == want["severity"]);
                CHECK (got["summary"] == want["summary"]);
                compareValue (want["data"], got["data"], "", name + " " + id);
                for (const auto* list : { "windowed_regions", "tail_regions" })
                    if (want["data"].contains (list))
                        regionsCompared += (int) want["data"][list].size();
            }
            // The classifier entry agrees with the track's own keys.
            const auto& classifier = actual["detectors"]["audio_classifier"]["data"];
            CHECK (classifier["classification"] == actual["classification"]);
            CHECK (classifier["is_transient"] == actual["is_transient"]);
        }
        CHECK (regionsCompared > 0);   // the reference sets hold regions: the comparison saw some
    }

    /** A mono float WAV of `seconds` of a `hz` sine at `amplitude`. */
    void writeSine (const std::filesystem::path& file, double hz, double amplitude, double seconds)
    {
        SF_INFO info {};
        info.samplerate = 48000;
        info.channels = 1;
        info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
        auto* sound = sf_open (file.c_str(), SFM_WRITE, &info);
        REQUIRE (sound != nullptr);
        std::vector<float> samples ((size_t) (seconds * 48000));
        for (size_t i = 0; i < samples.size(); ++i)
            samples[i] = (float) (amplitude * std::sin (2.0 * M_PI * hz * (double) i / 48000.0));
        sf_write_float (sound, samples.data(), (sf_count_t) samples.size());
        sf_close (sound);
    }
} // namespace

TEST_CASE ("analyze writes audio_classifier and the region lists as the reference on the real corpus", "[analysis][reference]")
{
    compareDetectorData ("corpus", "sessionprep_public.json");
}

TEST_CASE ("analyze writes audio_classifier and the region lists as the reference on the synthetic edge cases", "[analysis][reference]")
{
    compareDetectorData ("synthetic", "sessionprep_synthetic.json");
}

TEST_CASE ("audio_classifier follows the classifier in use", "[analysis]")
{
    TemporaryFolder work ("regions-cuegrid");
    const auto ours = analyse (quote (dataPath ("corpus").string()), work / "out.json");
    REQUIRE (ours["classifier"] == "cuegrid");
    bool differsFromRule = false;
    for (const auto& track : ours["tracks"])
    {
        INFO (track["filename"].get<std::string>());
        const auto& entry = track["detectors"]["audio_classifier"];
        CHECK (entry["data"]["classification"] == track["classification"]);
        CHECK (entry["data"]["is_transient"] == track["is_transient"]);
        const auto label = track["classification"].get<std::string>();
        CHECK (entry["summary"].get<std::string>().rfind (", " + label) == entry["summary"].get<std::string>().size() - label.size() - 2);
        // The open hi-hat: the reference rule says Sustained, CueGrid's classifier Transient (docs/analysis.md §5).
        if (track["filename"] == "p02_sonicpi_hihat_open.wav")
            differsFromRule = entry["data"]["classification"] == "Transient";
    }
    CHECK (differsFromRule);
}

TEST_CASE ("subsonic regions fall back to the active frames when every frame is under the absolute gate", "[analysis]")
{
    // A 20 Hz sine at 0.005 (-46 dBFS peak, -49.03 dBFS RMS): its whole-file subsonic ratio is
    // about 0 dB (INFO), but each frame's subsonic level (RMS + ratio) is under -40 dB, so no
    // frame has a ratio. The reference then marks the frames within 20 dB of the loudest and
    // writes their RMS level (dBFS) as max_ratio_db.
    TemporaryFolder work ("regions-subsonic-fallback");
    writeSine (work / "rumble.wav", 20.0, 0.005, 3.0);
    const auto ours = analyse (quote ((work / "rumble.wav").string()), work / "out.json");
    const auto& subsonic = ours["tracks"][0]["detectors"]["subsonic"];
    REQUIRE (subsonic["severity"] == "info");
    const auto& regions = subsonic["data"]["windowed_regions"];
    REQUIRE (regions.size() == 1);
    CHECK (regions[0]["sample_start"] == 0);
    CHECK (regions[0]["sample_end"] == 3 * 48000 - 1);
    CHECK (regions[0]["channel"].is_null());
    CHECK (regions[0]["max_ratio_db"].get<double>() == Approx (20.0 * std::log10 (0.005 / std::sqrt (2.0))).margin (0.05));
}

TEST_CASE ("analyze --report lists each tail region as the reference's report does", "[analysis][report]")
{
    TemporaryFolder work ("regions-report");
    const auto report = work / "report.txt";
    const auto result = run (quote (cliPath()) + " analyze --classifier sessionprep " + quote (dataPath ("synthetic").string())
                             + " --report " + quote (report.string()));
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    const auto text = readText (report);
    INFO (text);
    // 13_VoxRide.wav's one region (Tests/data/reference/sessionprep_synthetic.json): samples, times, exceedance, level.
    CHECK (text.find ("  1. 00:09.740 - 00:10.759 | samples 467520-516480 | max +6.00 dB (RMS -23.01 dBFS)") != std::string::npos);
}

TEST_CASE ("Region lists and the classifier entry survive the analysis cache's JSON round trip", "[analysis]")
{
    // The app keeps each track as trackToJson in the session database and reads it back with
    // trackFromJson: the detectors' region lists, flags and per-channel objects must come back.
    cuegrid::analysis::AnalysisConfig config;
    for (const auto* file : { "synthetic/13_VoxRide.wav", "corpus/p09_lmms_chorus_dc_offset.wav", "synthetic/06_PhaseInv.wav" })
    {
        INFO (file);
        const auto track = cuegrid::analysis::analyseTrack (dataPath (file), config);
        REQUIRE (track.ok());
        const auto first = cuegrid::analysis::trackToJson (track);
        const auto again = cuegrid::analysis::trackToJson (cuegrid::analysis::trackFromJson (Json::parse (first.dump())));
        CHECK (Json::parse (again["detectors"].dump()) == Json::parse (first["detectors"].dump()));
        CHECK_FALSE (first["detectors"]["audio_classifier"]["data"].empty());
    }
}
