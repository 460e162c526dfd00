// CueGrid — GPL-3.0-or-later
#include "AnalysisGain.h"

#include "Session/Limits.h"
#include "Session/MetadataDatabase.h"

#include <algorithm>

namespace cuegrid
{

std::vector<AnalysisGainChange> planAnalysisGain (const Session& session,
                                                  const std::map<std::string, analysis::TrackAnalysis>& resultsByClipId,
                                                  const analysis::AnalysisConfig& config, const AnalysisGainOptions& options)
{
    // Each clip becomes one track named by a token, so the reference's group matcher
    // (`name$` = exactly this name) links clips, not file names that several clips may share.
    auto token = [] (size_t clip) { return "clip" + std::to_string (clip); };
    analysis::SessionAnalysisResult plan;
    std::array<std::string, 4> members;
    for (size_t clip = 0; clip < session.clips.size(); ++clip)
    {
        const auto found = resultsByClipId.find (session.clips[clip].id);
        if (found == resultsByClipId.end() || ! found->second.ok())
            continue;
        auto track = found->second;
        track.fileName = token (clip);
        plan.tracks.push_back (std::move (track));
        const auto group = std::clamp (session.clips[clip].group, 0, 3);
        if (options.linkedGroups[(size_t) group])
            members[(size_t) group] += (members[(size_t) group].empty() ? "" : ",") + token (clip) + "$";
    }
    auto settings = config;
    settings.groups.clear();
    settings.anchor.clear();
    for (int group = 0; group < 4; ++group)
        if (! members[(size_t) group].empty())
            settings.groups.push_back (std::string (1, groupLetter (group)) + ":" + members[(size_t) group]);
    analysis::planSession (plan, settings);

    std::map<std::string, const analysis::TrackAnalysis*> byToken;
    for (const auto& track : plan.tracks)
        byToken[track.fileName] = &track;
    std::vector<AnalysisGainChange> rows;
    for (size_t clip = 0; clip < session.clips.size(); ++clip)
    {
        const auto found = byToken.find (token (clip));
        if (found == byToken.end())
            continue;
        const auto& definition = session.clips[clip];
        const auto& track = *found->second;
        AnalysisGainChange row;
        row.clipId = definition.id;
        row.label = definition.label;
        row.group = definition.group;
        row.linked = track.group.has_value();
        row.classification = track.classification.label;
        row.oldGainDb = definition.gainDb;
        row.oldTrimDb = definition.levelTrimDb;
        row.newGainDb = std::clamp (track.gainDb, limits::minGainDb, limits::maxGainDb);
        row.newTrimDb = options.keepBalance ? std::clamp (track.faderOffsetDb, limits::minGainDb, limits::maxGainDb) : definition.levelTrimDb;
        rows.push_back (row);
    }
    return rows;
}

std::vector<AnalysisGainChange> changesForSelection (const std::vector<AnalysisGainChange>& plan, const std::set<std::string>& selected)
{
    std::array<bool, 4> pulledIn {};
    for (const auto& row : plan)
        if (row.linked && selected.count (row.clipId) > 0)
            pulledIn[(size_t) std::clamp (row.group, 0, 3)] = true;
    std::vector<AnalysisGainChange> rows;
    for (const auto& row : plan)
        if (selected.count (row.clipId) > 0 || (row.linked && pulledIn[(size_t) std::clamp (row.group, 0, 3)]))
            rows.push_back (row);
    return rows;
}

std::array<bool, 4> loadGainLinkedGroups (const std::string& sessionPath) noexcept
{
    std::array<bool, 4> linked {};
    try
    {
        const auto path = MetadataDatabase::pathForSession (sessionPath);
        if (sessionPath.empty() || ! std::filesystem::is_regular_file (path))
            return linked;
        const MetadataDatabase database (path);
        for (const auto letter : database.getSetting ("gainLinkedGroups").value_or (""))
            if (const auto group = groupFromLetter (std::string (1, letter)))
                linked[(size_t) *group] = true;
    }
    catch (const std::exception&)
    {
        return {};
    }
    return linked;
}

void saveGainLinkedGroups (const std::string& sessionPath, const std::array<bool, 4>& linked)
{
    std::string letters;
    for (int group = 0; group < 4; ++group)
        if (linked[(size_t) group])
            letters += groupLetter (group);
    MetadataDatabase (MetadataDatabase::pathForSession (sessionPath)).setSetting ("gainLinkedGroups", letters);
}

SessionEditor::Result applyAnalysisGain (SessionEditor& editor, const Session& session, const std::vector<AnalysisGainChange>& rows)
{
    if (editor.isLocked())
        return SessionEditor::Result::refused ("Show mode: editing is locked");
    std::vector<std::pair<int, const AnalysisGainChange*>> edits;
    for (const auto& row : rows)
        if (const auto clip = session.findClip (row.clipId); clip >= 0 && row.changes())
            edits.emplace_back (clip, &row);
    if (edits.empty())
        return SessionEditor::Result::refused ("nothing to change");
    auto gesture = editor.beginGesture ("Apply analysis gain");
    for (const auto& [clip, row] : edits)
        if (auto result = editor.setLevels (clip, row->newGainDb, row->newTrimDb); ! result)
            return result;
    return {};
}

} // namespace cuegrid
