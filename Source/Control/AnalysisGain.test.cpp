// CueGrid — GPL-3.0-or-later
// "Apply analysis gain" without the GUI: the plan from real analyses of the show's corpus clips,
// gain-linked Clip Groups, a selection pulling in its linked group, one undo step, Show mode.
#include "AnalysisGain.h"
#include "SessionEditor.test.h"

#include "Session/MediaLoader.h"

#include <algorithm>

using namespace cuegrid;
using namespace cuegrid::test;

namespace
{
    /** The CueGrid analysis (the app's config) of every clip of the GUI show, by clip id. */
    std::map<std::string, analysis::TrackAnalysis> analyseShow (const Session& session, const analysis::AnalysisConfig& config)
    {
        const auto sessionPath = dataPath ("sessions/gui-v2.cuegrid").string();
        std::map<std::string, analysis::TrackAnalysis> results;
        for (const auto& clip : session.clips)
        {
            results[clip.id] = analysis::analyseTrack (resolveMediaPath (sessionPath, clip.file), config);
            REQUIRE (results[clip.id].ok());
        }
        return results;
    }

    analysis::AnalysisConfig appConfig()
    {
        analysis::AnalysisConfig config;
        config.classifier = "cuegrid";
        return config;
    }

    const AnalysisGainChange& rowOf (const std::vector<AnalysisGainChange>& rows, const std::string& id)
    {
        const auto found = std::find_if (rows.begin(), rows.end(), [&] (const auto& row) { return row.clipId == id; });
        REQUIRE (found != rows.end());
        return *found;
    }
} // namespace

TEST_CASE ("Analysis gain plan: each clip its own gain, linked Clip Groups share their lowest", "[analysis][editor]")
{
    const auto session = loadShow();
    const auto config = appConfig();
    const auto results = analyseShow (session, config);

    AnalysisGainOptions options;
    const auto free = planAnalysisGain (session, results, config, options);
    REQUIRE (free.size() == session.clips.size());
    for (const auto& row : free)
    {
        INFO (row.clipId);
        CHECK_FALSE (row.linked);
        CHECK (row.newGainDb == Approx (results.at (row.clipId).gainIndividualDb));
        CHECK (row.oldGainDb == session.clips[(size_t) session.findClip (row.clipId)].gainDb);
        CHECK (row.newTrimDb <= 4.0 + 1e-9);   // fader offsets: the loudest at most ceiling − headroom
    }
    // Transient and sustained clips get different gains: the table is not all one value.
    CHECK (rowOf (free, "kick").newGainDb != Approx (rowOf (free, "organ").newGainDb).margin (0.1));

    options.linkedGroups[0] = true;   // Clip Group A: speech, kick, snare, clap, breakbeat, hihat
    const auto linked = planAnalysisGain (session, results, config, options);
    double lowest = 1e9;
    for (const auto& clip : session.clips)
        if (clip.group == 0)
            lowest = std::min (lowest, results.at (clip.id).gainIndividualDb);
    int members = 0;
    for (const auto& row : linked)
    {
        INFO (row.clipId);
        if (row.group == 0)
        {
            ++members;
            CHECK (row.linked);
            CHECK (row.newGainDb == Approx (lowest));
        }
        else
        {
            CHECK_FALSE (row.linked);
            CHECK (row.newGainDb == Approx (rowOf (free, row.clipId).newGainDb));
        }
    }
    CHECK (members == 6);
    // The link changed someone: group A's own gains differ.
    CHECK (rowOf (free, "kick").newGainDb != Approx (rowOf (free, "speech").newGainDb).margin (0.1));

    options.keepBalance = false;
    for (const auto& row : planAnalysisGain (session, results, config, options))
        CHECK (row.newTrimDb == row.oldTrimDb);
}

TEST_CASE ("Analysis gain for a selection pulls in its linked group only", "[analysis][editor]")
{
    const auto session = loadShow();
    const auto config = appConfig();
    const auto results = analyseShow (session, config);
    AnalysisGainOptions options;
    CHECK (changesForSelection (planAnalysisGain (session, results, config, options), { "kick" }).size() == 1);
    options.linkedGroups[0] = true;
    const auto plan = planAnalysisGain (session, results, config, options);
    CHECK (changesForSelection (plan, { "kick" }).size() == 6);
    const auto organ = changesForSelection (plan, { "organ" });
    REQUIRE (organ.size() == 1);
    CHECK (organ[0].clipId == "organ");
    CHECK (changesForSelection (plan, {}).empty());
}

TEST_CASE ("Applying analysis gain is one undo step, saved in the manifest, refused in Show mode", "[analysis][editor]")
{
    EditorFixture fixture;
    const auto config = appConfig();
    const auto results = analyseShow (fixture.session, config);
    AnalysisGainOptions options;
    options.linkedGroups[1] = true;   // B: organ, epiano
    const auto plan = planAnalysisGain (fixture.session, results, config, options);
    const auto rows = changesForSelection (plan, { "epiano", "bass" });
    REQUIRE (rows.size() == 3);   // epiano pulls in organ

    fixture.editor.setLocked (true);
    CHECK_FALSE (applyAnalysisGain (fixture.editor, fixture.session, rows).ok);
    CHECK (manifestOf (fixture.session) == fixture.original);
    fixture.editor.setLocked (false);

    REQUIRE (applyAnalysisGain (fixture.editor, fixture.session, rows).ok);
    CHECK (undoName (fixture.undoManager) == "Apply analysis gain");
    TemporaryFolder folder ("analysis-gain-apply");
    const auto saved = roundTrip (fixture.session, folder);
    for (const auto& row : rows)
    {
        INFO (row.clipId);
        const auto& clip = saved.clips[(size_t) saved.findClip (row.clipId)];
        CHECK (clip.gainDb == Approx (row.newGainDb).margin (1e-6));
        CHECK (clip.levelTrimDb == Approx (row.newTrimDb).margin (1e-6));
    }
    CHECK (saved.clips[(size_t) saved.findClip ("organ")].gainDb == Approx (saved.clips[(size_t) saved.findClip ("epiano")].gainDb));
    const auto show = loadShow();
    for (const auto* untouched : { "kick", "speech", "hum" })
    {
        INFO (untouched);
        CHECK (saved.clips[(size_t) saved.findClip (untouched)].gainDb == show.clips[(size_t) show.findClip (untouched)].gainDb);
        CHECK (saved.clips[(size_t) saved.findClip (untouched)].levelTrimDb == show.clips[(size_t) show.findClip (untouched)].levelTrimDb);
    }

    REQUIRE (fixture.editor.undo().ok);   // one step takes all three back
    CHECK (manifestOf (fixture.session) == fixture.original);
    CHECK_FALSE (applyAnalysisGain (fixture.editor, fixture.session, {}).ok);
}

TEST_CASE ("Gain-linked Clip Groups are kept in the session database", "[analysis][editor]")
{
    TemporaryFolder folder ("analysis-gain-links");
    const auto sessionPath = (folder / "show.cuegrid").string();
    CHECK (loadGainLinkedGroups (sessionPath) == std::array<bool, 4> {});   // no database yet: none linked
    saveGainLinkedGroups (sessionPath, { true, false, true, false });
    CHECK (loadGainLinkedGroups (sessionPath) == std::array<bool, 4> { true, false, true, false });
    saveGainLinkedGroups (sessionPath, { false, false, false, true });
    CHECK (loadGainLinkedGroups (sessionPath) == std::array<bool, 4> { false, false, false, true });
    CHECK (loadGainLinkedGroups ((folder / "other.cuegrid").string()) == std::array<bool, 4> {});
}
