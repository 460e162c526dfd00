// CueGrid — GPL-3.0-or-later
// A session on disk for the media tests: made as `cuegrid new` makes one, its media folder
// holding corpus files, one clip each on page 1, tab 1.
#pragma once

#include "Session/NewSession.h"
#include "Session/SessionManifest.h"
#include "Support/TestSupport.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace cuegrid::test
{

/** `folder`/show.cuegrid whose media folder "show Media" holds, for each {clip id, corpus
    name}, Tests/data/corpus/<corpus name>.wav copied as "<clip id>.wav", a clip of that id in
    the next slot of page 1, tab 1. Returns the session file's path. Throws on I/O errors. */
inline std::string makeShowWithMedia (const TemporaryFolder& folder,
                                      const std::vector<std::pair<std::string, std::string>>& clips)
{
    namespace fs = std::filesystem;
    const auto path = (folder / "show.cuegrid").string();
    createSessionFiles (path, (folder / "show Media").string());
    auto session = SessionManifest::load (path);
    for (const auto& [id, corpus] : clips)
    {
        fs::copy_file (dataPath ("corpus/" + corpus + ".wav"), folder / "show Media" / (id + ".wav"));
        ClipDefinition clip;
        clip.id = id;
        clip.file = "show Media/" + id + ".wav";
        session.clips.push_back (clip);
        session.pages[0].tabs[0].slots.push_back ({ 0, (int) session.clips.size() - 1, id });
    }
    SessionManifest::save (session, path);
    return path;
}

/** Kick and snare from the corpus, as clips "kick" and "snare". */
inline std::string makeKickSnareShow (const TemporaryFolder& folder)
{
    return makeShowWithMedia (folder, { { "kick", "p01_sonicpi_heavy_kick" }, { "snare", "p03_colombo_snare" } });
}

} // namespace cuegrid::test
