// CueGrid — GPL-3.0-or-later
// Loudness target mode's plan (issue 14): gain to the target, lowered by the true-peak
// ceiling with the shortfall named, gain-linked groups at their lowest gain, no gain for clips
// without an integrated loudness, and the bimodal plan untouched.
#include "Analysis/LoudnessTarget.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace cuegrid::analysis;

namespace
{
    TrackAnalysis clip (const std::string& name, double lufs, double truePeak, std::optional<std::string> group = {}, double seconds = 5)
    {
        TrackAnalysis track;
        track.fileName = name;
        track.sampleRate = 48000;
        track.frames = (int64_t) (seconds * 48000);
        track.loudness.integratedLufs = lufs;
        track.loudness.truePeakDbtp = truePeak;
        track.loudness.samplePeakDbfs = std::isfinite (truePeak) ? truePeak - 0.5 : truePeak;
        track.group = group;
        track.gainDb = 3.5;   // a bimodal gain the target mode must leave alone
        return track;
    }
} // namespace

TEST_CASE ("Loudness target: gain to the target, the true-peak ceiling and its shortfall, groups and clips without loudness", "[analysis][loudness]")
{
    constexpr auto minusInf = -std::numeric_limits<double>::infinity();
    SessionAnalysisResult result;
    result.tracks = { clip ("music.wav", -14.0, -2.0), clip ("speech.wav", -28.0, -12.0), clip ("hot.wav", -26.0, -0.5),
                      clip ("stemA.wav", -30.0, -20.0, "Stems"), clip ("stemB.wav", -18.0, -3.0, "Stems"),
                      clip ("silence.wav", minusInf, minusInf), clip ("kick.wav", minusInf, -0.2, {}, 0.25) };
    planLoudnessTarget (result, { -23.0, -1.0 });
    REQUIRE (result.loudnessTarget);
    auto gainOf = [&] (size_t i) -> const LoudnessGain& { REQUIRE (result.tracks[i].loudnessGain); return *result.tracks[i].loudnessGain; };

    CHECK (gainOf (0).gainDb == Approx (-9.0));
    CHECK (gainOf (0).method == "LUFS → -23");
    CHECK (gainOf (0).resultLufs == Approx (-23.0));
    CHECK_FALSE (gainOf (0).limitedByCeiling);
    CHECK (gainOf (1).gainDb == Approx (5.0));   // speech up to the target, true peak -7 dBTP
    CHECK (gainOf (1).shortfallLu == 0.0);
    // hot.wav wants +3 dB but its true peak allows only -1 - (-0.5) = -0.5 dB: 3.5 LU short.
    CHECK (gainOf (2).limitedByCeiling);
    CHECK (gainOf (2).method == "True Peak Limited");
    CHECK (gainOf (2).gainDb == Approx (-0.5));
    CHECK (gainOf (2).resultTruePeakDbtp == Approx (-1.0));
    CHECK (gainOf (2).shortfallLu == Approx (3.5));
    // The group takes its lowest gain (stemB: -5 dB), so stemA keeps its 12 LU below stemB.
    CHECK (gainOf (3).gainIndividualDb == Approx (7.0));
    CHECK (gainOf (3).gainDb == Approx (-5.0));
    CHECK (gainOf (3).shortfallLu == Approx (12.0));
    CHECK (gainOf (4).gainDb == Approx (-5.0));
    CHECK (gainOf (4).resultLufs == Approx (-23.0));
    CHECK (gainOf (5).method == "None");
    CHECK (gainOf (5).note == "silent");
    CHECK (gainOf (5).gainDb == 0.0);
    CHECK (gainOf (6).note == "shorter than one 400 ms block");
    for (const auto& track : result.tracks)
        CHECK (track.gainDb == 3.5);

    const auto json = loudnessTargetJson (result);
    CHECK (json.at ("limited_by_ceiling") == nlohmann::ordered_json::array ({ "hot.wav" }));
    const auto report = loudnessReportSections (result);
    CHECK (report.find ("Limited by the true-peak ceiling: 1 clip(s)") != std::string::npos);
    CHECK (report.find ("hot.wav: 3.5 LU short of the target (true peak at the ceiling)") != std::string::npos);
    CHECK (report.find ("stemA.wav: 12.0 LU short of the target (gain-linked group Stems)") != std::string::npos);
    CHECK (report.find ("kick.wav: no gain, shorter than one 400 ms block") != std::string::npos);
}
