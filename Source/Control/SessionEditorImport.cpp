// CueGrid — GPL-3.0-or-later
// Imports from packages and exports (issue 13) as editor edits: one undo step each.
#include "SessionEditor.h"

#include "Session/SessionManifest.h"

#include <algorithm>
#include <unordered_set>

namespace cuegrid
{

SessionEditor::Result SessionEditor::applyMerge (const Session& merged, const std::vector<std::string>& addedClips,
                                                 const std::string& actionName)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    if (auto result = checkMediaUnlocked(); ! result)
        return result;
    std::vector<ClipDefinition> added;
    const std::unordered_set<std::string> addedIds (addedClips.begin(), addedClips.end());
    for (const auto& id : addedClips)
    {
        const auto index = merged.findClip (id);
        if (index < 0)
            return Result::refused ("the import names no clip \"" + id + "\"");
        if (const auto problem = validateClip (merged.clips[(size_t) index]); ! problem.empty())
            return Result::refused ("clip '" + id + "': " + problem);
        added.push_back (merged.clips[(size_t) index]);
    }
    const auto gesture = beginGesture (actionName);
    // First the cells without the incoming clips: clips a replace removes leave the list (so an
    // incoming clip may take the id one of them had), then the incoming clips in their cells.
    auto withoutIncoming = merged.pages;
    for (auto& page : withoutIncoming)
        for (auto& tab : page.tabs)
            tab.slots.erase (std::remove_if (tab.slots.begin(), tab.slots.end(), [&] (const auto& slot) { return addedIds.count (slot.clip) != 0; }),
                             tab.slots.end());
    if (auto result = commitStructure (actionName, std::move (withoutIncoming), {}, true); ! result)
        return result;
    for (const auto& id : addedClips)
        if (session.findClip (id) >= 0)
            return Result::refused ("clip id \"" + id + "\" is taken: the session changed since the import was prepared");
    if (auto result = commitStructure (actionName, merged.pages, std::move (added), true); ! result)
        return result;
    return setHotkeys (merged.hotkeys, actionName);
}

SessionEditor::Result SessionEditor::applyClipProperties (const Session& applied, const std::string& actionName)
{
    if (auto result = checkUnlocked(); ! result)
        return result;
    const auto asJson = [] (const ClipDefinition& clip)
    {
        Session one;
        one.clips = { clip };
        return SessionManifest::toJson (one)["clips"][0];
    };
    const auto gesture = beginGesture (actionName);
    for (const auto& clip : applied.clips)
    {
        const auto index = session.findClip (clip.id);
        if (index < 0 || asJson (clip) == asJson (session.clips[(size_t) index]))
            continue;
        if (auto result = setClip (index, clip, actionName); ! result)
            return Result::refused ("clip '" + clip.id + "': " + result.reason);
    }
    return {};
}

} // namespace cuegrid
