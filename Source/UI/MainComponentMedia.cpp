// CueGrid — GPL-3.0-or-later
// Runtime media warnings (issue 13, "Missing files"): the shown and playing clips' files are
// polled by MediaWatch (stat only, its own thread); the database's replaced files come from
// MediaFactsRefresher. Both end up on the buttons as MISSING or CHANGED.
#include "MainComponent.h"

#include "Control/MediaFactsRefresher.h"
#include "Session/MediaLoader.h"

namespace cuegrid
{

namespace
{
    constexpr double watchListSeconds = 0.25;   // how often the watched set and the buttons are brought up to date
}

void MainComponent::resetMediaWatch()
{
    mediaWatch.reset();
    readFacts = nullptr;   // a relink changes what the database says too: read it again when it has
    replaced.clear();
    recordedHashes.clear();
}

void MainComponent::updateMediaWarnings()
{
    const auto now = juce::Time::getMillisecondCounterHiRes() / 1000.0;
    if (now - lastMediaWatchSeconds < watchListSeconds)
        return;
    lastMediaWatchSeconds = now;
    const auto& session = controller.getSession();
    const auto sessionFile = sessionFileForMedia ? sessionFileForMedia() : std::string();
    if (sessionFile.empty())
        return;

    // What the operator can fire (the shown pages) and hears (every playing clip).
    std::vector<MediaWatch::Watched> files;
    std::vector<char> watched (session.clips.size(), 0);
    const auto add = [&] (int clip)
    {
        if (clip < 0 || clip >= (int) session.clips.size() || watched[(size_t) clip] != 0)
            return;
        watched[(size_t) clip] = 1;
        const auto& definition = session.clips[(size_t) clip];
        // The recorded content, while the clip still names the file it was recorded for (not
        // after a relink): a touched file of the same size is hashed and compared with it.
        const auto recorded = recordedHashes.find (definition.id);
        const auto hash = recorded != recordedHashes.end() && recorded->second.first == definition.file ? recorded->second.second : std::string();
        files.push_back ({ definition.id, resolveMediaPath (sessionFile, definition.file).string(), hash });
    };
    for (auto& view : views)
        if (view != nullptr && view->isVisible())
            for (auto& button : view->getButtons())
                add (button->getClipIndex());
    for (const auto clip : controller.getActiveClips())
        add (clip);
    mediaWatch.watch (std::move (files));

    // Replaced files, as recorded when the session opened (read once per refresher).
    const auto* facts = mediaFactsForWarnings ? mediaFactsForWarnings() : nullptr;
    bool changed = false;
    if (facts != readFacts && (facts == nullptr || facts->isDone()))
    {
        readFacts = facts;
        replaced.clear();
        recordedHashes.clear();
        if (facts != nullptr)
            for (const auto& check : facts->getChecks())
            {
                if (check.state == MediaFactsCheck::State::changed)
                    replaced[check.clipId] = juce::String::fromUTF8 (check.detail.c_str());
                else if (! check.contentHash.empty())
                    recordedHashes[check.clipId] = { check.file, check.contentHash };
            }
        changed = true;
    }
    if (const auto generation = mediaWatch.getGeneration(); generation != shownWatchGeneration)
    {
        shownWatchGeneration = generation;
        changed = true;
    }
    if (changed)
    {
        std::map<std::string, std::pair<juce::String, juce::String>> warnings;
        for (const auto& [id, detail] : replaced)
            warnings[id] = { "CHANGED", "The file holds other content than recorded: " + detail };
        for (const auto& [id, state] : mediaWatch.getWarnings())
        {
            if (state == MediaWatch::State::missing)
                warnings[id] = { "MISSING", "The file is gone from disk (the clip plays from memory until the session is reopened): "
                                                "File > Relink Missing Media..." };
            else if (warnings.count (id) == 0)
                warnings[id] = { "CHANGED", "The file was modified on disk since it was seen: other content (or another size) than recorded" };
        }
        if (warnings != mediaWarnings)
        {
            for (const auto& [id, warning] : warnings)
                if (mediaWarnings.count (id) == 0 || mediaWarnings[id] != warning)
                    controller.writeEventLog ({ { "event", "mediaWarning" }, { "clip", id }, { "warning", warning.first.toStdString() } });
            mediaWarnings = std::move (warnings);
        }
    }
    // Every time: a rebuilt grid has new buttons.
    for (auto& view : views)
        if (view != nullptr && view->isVisible())
            for (auto& button : view->getButtons())
            {
                const auto clip = button->getClipIndex();
                const auto found = clip >= 0 && clip < (int) session.clips.size() ? mediaWarnings.find (session.clips[(size_t) clip].id)
                                                                                  : mediaWarnings.end();
                if (found == mediaWarnings.end())
                    button->setMediaWarning ({}, {});
                else
                    button->setMediaWarning (found->second.first, found->second.second);
            }
}

} // namespace cuegrid
