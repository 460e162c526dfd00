// CueGrid — GPL-3.0-or-later
// session_edit_bench: what one SessionEditor edit, and its undo, costs on the message thread
// at 64, 1024 and 4096 clips (issue 9). Grid edits keep the pages before and after (the undo
// snapshot), so their floor is copying the session's pages: that copy, timed in the same
// process, is the baseline. Engine and media side effects (ShowController::sessionEdited) are
// not included. Not a test: prints numbers for docs/benchmarks.md.
//
// Usage: session_edit_bench
#include "BenchSupport.h"
#include "Control/SessionEditor.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace cuegrid;

namespace
{
    /** Every clip in one cell, a quarter with a cue-in point and a fade out; one more page with
        an empty tab leaves room for imports and a shrink. */
    Session makeEditSession (int clipCount)
    {
        auto session = bench::makeSession (clipCount, bench::TabLayout::asNeeded, [] (ClipDefinition& clip, int i)
        {
            if (i % 4 == 0)
            {
                clip.cueInSec = 0.5;
                clip.fadeOutMs = 800.0;
            }
        });
        session.pages.push_back ({ "Spare", { Tab { "Spare", Tab::maxRows, Tab::maxColumns, {} } } });
        return session;
    }

    void check (const SessionEditor::Result& result)
    {
        if (! result.ok)
        {
            std::fprintf (stderr, "session_edit_bench: refused: %s\n", result.reason.c_str());
            std::exit (1);
        }
    }
}

int main()
{
    constexpr int runs = 20;
    std::printf ("| clips | pages copy (baseline) | rename + undo | swap + undo | delete clip 0 + undo | import 16 + undo | shrink 16x16 to 8x8 (8 clips move) + undo | ratio swap/baseline |\n");
    std::printf ("|---|---|---|---|---|---|---|---|\n");
    for (const int clips : { 64, 1024, 4096 })
    {
        auto session = makeEditSession (clips);
        juce::UndoManager undoManager;
        SessionEditor editor (session, undoManager);
        const auto spare = (int) session.pages.size() - 1;

        std::vector<Page> copy;
        const auto baseline = bench::bestMs (runs, [&] { copy = session.pages; });
        const auto rename = bench::bestMs (runs, [&]
        {
            check (editor.setLabel (clips / 2, "Renamed"));
            check (editor.undo());
        });
        const auto swap = bench::bestMs (runs, [&]
        {
            check (editor.moveCell ({ 0, 0, 0, 0 }, { 0, 0, 0, 1 }));
            check (editor.undo());
        });
        // Clip 0 leaves the clip list: every clip after it moves one index down, and back.
        const auto remove = bench::bestMs (runs, [&]
        {
            check (editor.deleteCells ({ { 0, 0, 0, 0 } }));
            check (editor.undo());
        });
        std::vector<SessionEditor::ImportedFile> files;
        for (int i = 0; i < 16; ++i)
            files.push_back ({ "media/import-" + std::to_string (i) + ".wav", "", 0, 0.0 });
        const auto import = bench::bestMs (runs, [&]
        {
            check (editor.importFiles (files, { spare, 0, 0, 0 }));
            check (editor.undo());
        });
        check (editor.importFiles (files, { spare, 0, 0, 0 }));  // 16 clips in row 0: an 8 x 8 shrink moves the 8 in columns 9-16
        const auto shrink = bench::bestMs (runs, [&]
        {
            check (editor.resizeTab (spare, 0, 8, 8));
            check (editor.undo());
        });
        std::printf ("| %d | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.1f |\n", clips, baseline, rename, swap,
                     remove, import, shrink, swap / std::max (baseline, 1e-6));
    }
    return 0;
}
