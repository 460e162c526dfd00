// CueGrid — GPL-3.0-or-later
// What the session benches share: the timing loop and a generated show. Each bench says only
// what its clips carry and how its pages are laid out.
#pragma once

#include "Session/SessionModel.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <utility>

namespace cuegrid::bench
{

/** The best of `runs` timings of `work`, in ms: the run least disturbed by the rest of the machine. */
template <typename Work>
double bestMs (int runs, Work&& work)
{
    double best = 1e9;
    for (int i = 0; i < runs; ++i)
    {
        const auto start = std::chrono::steady_clock::now();
        work();
        best = std::min (best, std::chrono::duration<double, std::milli> (std::chrono::steady_clock::now() - start).count());
    }
    return best;
}

/** bestMs in seconds, for the work that takes seconds. */
template <typename Work>
double bestSeconds (int runs, Work&& work)
{
    return bestMs (runs, std::forward<Work> (work)) / 1000.0;
}

/** How a generated show's pages hold their tabs. */
enum class TabLayout
{
    asNeeded,    // a page has only the tabs its clips fill
    wholePages   // every page has all 8 tabs, empty ones too (a show laid out ahead)
};

/** A show of `clipCount` clips "clip-00000"… (file media/<id>.wav, label "Cue <n>"), each in one
    cell, in order, on 16 x 16 tabs, 8 tabs a page. `dress (clip, index)` gives each clip what
    the bench needs beyond that. */
template <typename Dress>
Session makeSession (int clipCount, TabLayout layout, Dress&& dress)
{
    Session session;
    for (int i = 0; i < clipCount; ++i)
    {
        ClipDefinition clip;
        char id[32];
        std::snprintf (id, sizeof id, "clip-%05d", i);
        clip.id = id;
        clip.file = std::string ("media/") + id + ".wav";
        clip.label = "Cue " + std::to_string (i + 1);
        dress (clip, i);
        session.clips.push_back (std::move (clip));
    }
    const auto newTab = [] (size_t number) { return Tab { "Tab " + std::to_string (number), Tab::maxRows, Tab::maxColumns, {} }; };
    const int perTab = Tab::maxRows * Tab::maxColumns;
    for (int i = 0; i < clipCount; ++i)
    {
        const auto tabIndex = i / perTab;
        if (tabIndex / Page::maxTabs >= (int) session.pages.size())
        {
            session.pages.push_back ({ "Page " + std::to_string (session.pages.size() + 1), {} });
            if (layout == TabLayout::wholePages)
                for (int t = 0; t < Page::maxTabs; ++t)
                    session.pages.back().tabs.push_back (newTab ((size_t) t + 1));
        }
        auto& page = session.pages.back();
        if (tabIndex % Page::maxTabs >= (int) page.tabs.size())
            page.tabs.push_back (newTab (page.tabs.size() + 1));
        const auto cell = i % perTab;
        page.tabs[(size_t) (tabIndex % Page::maxTabs)].slots.push_back ({ cell / Tab::maxColumns, cell % Tab::maxColumns,
                                                                          session.clips[(size_t) i].id });
    }
    return session;
}

} // namespace cuegrid::bench
