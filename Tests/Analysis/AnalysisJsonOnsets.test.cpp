// CueGrid — GPL-3.0-or-later
// The CueGrid classifier's measures survive the analysis cache: a track's `onsets` object and
// its speech flag are written by trackToJson and read back by trackFromJson (the app's
// AnalysisQueue serves cached results through this round trip).
#include "Analysis/AnalysisJson.h"
#include "Analysis/SessionAnalysis.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

using namespace cuegrid::analysis;
using namespace cuegrid::test;

TEST_CASE ("The classifier measures and the speech flag survive the analysis cache's JSON", "[analysis][classifier]")
{
    AnalysisConfig config;
    auto track = analyseTrack (dataPath ("corpus/p04_lmms_breakbeat.wav"), config);
    REQUIRE (track.ok());
    REQUIRE (track.onsets.onsets >= 6);           // a loop: enough onsets for a rhythm
    CHECK (track.onsets.periodicity > 0.1);       // its hits sit on a metre
    CHECK_FALSE (track.classification.speech);
    track.classification.speech = true;           // as the rule sets it for speech

    const auto back = trackFromJson (nlohmann::json::parse (trackToJson (track).dump()));
    const auto& a = track.onsets;
    const auto& b = back.onsets;
    CHECK (b.onsets == a.onsets);
    CHECK (b.measured == a.measured);
    CHECK (b.percussive == a.percussive);
    CHECK (b.held == a.held);
    CHECK (b.ringing == a.ringing);
    CHECK (b.pauses == a.pauses);
    CHECK (b.medianAttackMs == Approx (a.medianAttackMs));
    CHECK (b.medianDecayDbPerSecond == Approx (a.medianDecayDbPerSecond));
    CHECK (b.medianMonotonic == Approx (a.medianMonotonic));
    CHECK (b.onsetsPerSecond == Approx (a.onsetsPerSecond));
    CHECK (b.periodicity == Approx (a.periodicity));
    CHECK (b.gridMs == Approx (a.gridMs));
    CHECK (b.medianCrossingsPerSecond == Approx (a.medianCrossingsPerSecond));
    CHECK (back.classification.speech);
    CHECK (back.classification.reason == track.classification.reason);
}
