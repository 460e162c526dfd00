// CueGrid — GPL-3.0-or-later
// `cuegrid analyze --classifier sessionprep` against the SessionPrep reference results on the
// shared corpus (Tests/data/reference): classification exactly, every dB value within
// 0.01 dB (decay only where the reference is below 100 dB), file by file.
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace cuegrid::test;
using Json = nlohmann::json;

namespace
{
    Json analyse (const std::string& folder, TemporaryFolder& work)
    {
        const auto out = work / (folder + ".json");
        const auto result = run (quote (cliPath()) + " analyze --classifier sessionprep " + quote (dataPath (folder).string())
                                 + " --json " + quote (out.string()));
        INFO (result.output);
        REQUIRE (result.exitCode == 0);
        return Json::parse (readText (out));
    }

    void compareWithReference (const std::string& folder, const std::string& referenceFile)
    {
        TemporaryFolder work ("analyze-" + folder);
        const auto ours = analyse (folder, work);
        const auto reference = Json::parse (readText (dataPath ("reference/" + referenceFile)));
        REQUIRE (ours["tracks"].size() == reference["tracks"].size());
        CHECK (ours["diagnostic_summary_text"] == reference["diagnostic_summary_text"]);
        for (const auto* bucket : { "problems", "attention", "information", "clean" })
        {
            INFO (bucket);
            REQUIRE (ours["diagnostic_summary"][bucket].size() == reference["diagnostic_summary"][bucket].size());
            for (size_t i = 0; i < reference["diagnostic_summary"][bucket].size(); ++i)
                for (const auto* key : { "title", "hint", "items", "standalone" })
                    CHECK (ours["diagnostic_summary"][bucket][i][key] == reference["diagnostic_summary"][bucket][i][key]);
        }
        CHECK (ours["diagnostic_summary"]["clean_count"] == reference["diagnostic_summary"]["clean_count"]);

        for (size_t i = 0; i < reference["tracks"].size(); ++i)
        {
            const auto& expected = reference["tracks"][i];
            const auto& actual = ours["tracks"][i];
            const auto name = expected["filename"].get<std::string>();
            INFO (name);
            REQUIRE (actual["filename"] == name);  // same (Pro Tools) order
            CHECK (actual["classification"] == expected["classification"]);
            CHECK (actual["method"] == expected["method"]);
            CHECK (actual["samplerate"] == expected["samplerate"]);
            CHECK (actual["channels"] == expected["channels"]);
            CHECK (actual["bitdepth"] == expected["bitdepth"]);
            CHECK (actual["total_samples"] == expected["total_samples"]);

            for (const auto* key : { "peak_dbfs", "rms_max_dbfs", "rms_anchor_dbfs", "crest_db", "decay_db", "gain_db",
                                     "gain_db_individual", "gain_for_peak", "gain_for_rms", "fader_offset_db", "density" })
            {
                INFO (key);
                if (! expected.contains (key) || expected[key].is_null())
                    continue;
                if (expected[key].is_string())
                {
                    CHECK (actual[key] == expected[key]);  // "-inf" etc.
                    continue;
                }
                const auto want = expected[key].get<double>();
                if (std::string (key) == "decay_db" && want >= 100.0)
                    continue;  // prefix-sum noise of digital silence (spec 1.6 note 9)
                REQUIRE (actual[key].is_number());
                CHECK (actual[key].get<double>() == Approx (want).margin (std::string (key) == "density" ? 1e-6 : 0.01));
            }

            for (const auto* key : { "lr_corr", "mono_loss_db" })
            {
                INFO (key);
                const auto& want = expected["detectors"]["stereo_compat"]["data"][key];
                const auto& got = actual["detectors"]["stereo_compat"]["data"];
                if (want.is_null())
                    continue;
                REQUIRE (got.contains (key));
                if (want.is_string())
                    CHECK (got[key] == want);
                else
                    CHECK (got[key].get<double>() == Approx (want.get<double>()).margin (std::string (key) == "lr_corr" ? 1e-6 : 0.01));
            }

            if (const auto& want = expected["detectors"]["subsonic"]["data"]["subsonic_ratio_db"]; want.is_number())
            {
                INFO ("subsonic_ratio_db");
                const auto& got = actual["detectors"]["subsonic"]["data"]["subsonic_ratio_db"];
                REQUIRE (got.is_number());
                CHECK (got.get<double>() == Approx (want.get<double>()).margin (0.01));
            }

            for (const auto* detector : { "silence", "clipping", "dc_offset", "dual_mono", "one_sided_silence", "subsonic",
                                          "format_consistency", "length_consistency", "stereo_compat", "tail_exceedance" })
            {
                INFO (detector);
                const auto& want = expected["detectors"][detector];
                const auto& got = actual["detectors"][detector];
                CHECK (got["severity"] == want["severity"]);
                if (want["severity"] != "clean")
                    CHECK (got["summary"] == want["summary"]);
            }
        }
    }
} // namespace

TEST_CASE ("analyze matches the SessionPrep reference on the real corpus", "[analysis][reference]")
{
    compareWithReference ("corpus", "sessionprep_public.json");
}

TEST_CASE ("analyze matches the SessionPrep reference on the synthetic edge cases", "[analysis][reference]")
{
    compareWithReference ("synthetic", "sessionprep_synthetic.json");
}
