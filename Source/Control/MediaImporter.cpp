// CueGrid — GPL-3.0-or-later
#include "MediaImporter.h"

#include "Session/MediaImport.h"
#include "Session/MediaRelink.h"
#include "Session/VerifiedCopy.h"

namespace cuegrid
{

MediaImporter::MediaImporter() = default;

MediaImporter::~MediaImporter()
{
    alive->store (false);
    pool.removeAllJobs (true, 10000);
}

void MediaImporter::start (std::vector<std::filesystem::path> paths, SessionEditor::Cell startCell, std::string sessionPath,
                           double mediaRate, std::function<void (Outcome)> done)
{
    ++running;
    pool.addJob ([this, flag = alive, paths = std::move (paths), startCell, sessionPath = std::move (sessionPath), mediaRate,
                  done = std::move (done)]
    {
        Outcome outcome;
        outcome.start = startCell;
        const auto collectInto = collectOnImportFolder (sessionPath);   // "" unless the session collects
        for (auto path : expandImportPaths (paths))
        {
            if (! flag->load())
                return;
            const auto name = path.filename().string();
            const auto check = checkImportFile (path);
            if (! check.ok)
            {
                outcome.rejected.push_back (name + ": " + check.error);
                continue;
            }
            if (! collectInto.empty())
            {
                try
                {
                    path = collectMediaFile (path, collectInto);   // the clip uses the verified copy
                }
                catch (const std::exception& error)
                {
                    outcome.rejected.push_back (name + ": not copied into the media folder: " + error.what());
                    continue;
                }
            }
            // Loaded here, not when the clip is added: the message thread only swaps it in. A long
            // file streams (its head from the clip's cue in, 0, pinned), a short one is decoded whole.
            auto media = loadMediaForPlayback (path, mediaRate);
            if (media.audio == nullptr)
            {
                outcome.rejected.push_back (name + ": " + media.error);
                continue;
            }
            if (! check.warning.empty())
                outcome.warnings.push_back (name + ": " + check.warning);
            SessionEditor::ImportedFile file;
            file.file = sessionPath.empty() ? std::filesystem::absolute (path).lexically_normal().generic_string()
                                            : sessionRelativePath (sessionPath, path);
            file.label = importLabel (path);
            outcome.files.push_back (std::move (file));
            outcome.paths.push_back (path);
            outcome.media.push_back (std::move (media));
        }
        juce::MessageManager::callAsync ([this, flag, done, outcome = std::move (outcome)]() mutable
        {
            if (! flag->load())
                return;
            --running;
            done (std::move (outcome));
        });
    });
}

} // namespace cuegrid
