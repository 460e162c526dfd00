// CueGrid — GPL-3.0-or-later
// A media folder change whose sources are written to while it runs (issue 13): a file changed
// after its copy is copied again before the switch, one that keeps changing stops the change
// naming it, and a change after the worker's last check refuses the switch.
#include "MediaFolderChange.h"

#include "MediaLoader.h"
#include "NewSession.h"
#include "SessionManifest.h"
#include "VerifiedCopy.h"
#include "Support/ShowWithMedia.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <thread>

using namespace cuegrid;
namespace fs = std::filesystem;

namespace
{
    /** Another sound under the same name (as a new mix exported over the old one); its size differs. */
    void replaceWith (const fs::path& file, const std::string& corpus)
    {
        fs::copy_file (test::dataPath (corpus), file, fs::copy_options::overwrite_existing);
    }

    void waitWhileBusy (const MediaFolderJob& job)
    {
        for (int i = 0; i < 3000 && job.isBusy(); ++i)
            std::this_thread::sleep_for (std::chrono::milliseconds (10));
    }

    struct HookGuard
    {
        explicit HookGuard (std::function<void (const std::string&)> hook) { setMediaFolderTestHook (std::move (hook)); }
        ~HookGuard() { setMediaFolderTestHook ({}); }
    };

    bool anyWarningNames (const std::vector<std::string>& warnings, const std::string& text)
    {
        for (const auto& warning : warnings)
            if (warning.find (text) != std::string::npos)
                return true;
        return false;
    }
} // namespace

TEST_CASE ("MediaFolderJob: a source changed after its copy is copied again before the switch", "[mediafolder][sources]")
{
    test::TemporaryFolder folder ("media-folder-source-changed");
    const auto path = test::makeKickSnareShow (folder);
    auto session = SessionManifest::load (path);
    const auto kick = folder / "show Media" / "kick.wav";
    const auto plan = planMediaFolderChange (session, path, folder / "Moved", MediaFolderMode::move);
    REQUIRE (plan.canRun());
    REQUIRE (plan.files.size() == 2);
    REQUIRE (plan.files[0].source == kick);

    // The kick is rewritten after its copy was made, while the snare is still being copied.
    const HookGuard hook ([&] (const std::string& at)
                          {
                              if (at == "copied:1")
                                  replaceWith (kick, "corpus/p04_lmms_breakbeat.wav");
                          });
    MediaFolderJob job (plan);
    job.startCopy();
    waitWhileBusy (job);
    REQUIRE (job.getState() == MediaFolderJob::State::readyToSwitch);
    const auto newKick = hashMediaFile (kick);
    REQUIRE (newKick.has_value());
    CHECK (newKick != hashMediaFile (test::dataPath ("corpus/p01_sonicpi_heavy_kick.wav")));
    CHECK (hashMediaFile (folder / "Moved" / "kick.wav") == newKick);   // the copy is of the file as it is now
    CHECK (job.getPlan().files[0].copiedHash == *newKick);
    CHECK (anyWarningNames (job.getWarnings(), kick.string() + " changed while the media folder change ran: copied again"));
    CHECK (job.findChangedSource().empty());

    // A clip added since the plan with the same file follows the switch (by path, not by id).
    auto copyOfKick = session.clips[0];
    copyOfKick.id = "kick-2";
    session.clips.push_back (copyOfKick);
    const auto changes = job.pathChangesFor (session);
    REQUIRE (changes.size() == 3);
    CHECK (changes[2].clipId == "kick-2");
    CHECK (changes[2].newFile == "Moved/kick.wav");
    SessionManifest::save (withMediaPathChanges (session, changes), path);
    job.startFinish (true);
    waitWhileBusy (job);
    REQUIRE (job.getState() == MediaFolderJob::State::done);
    CHECK (! fs::exists (kick));   // moved: the copy holds its new content
    for (const auto& clip : SessionManifest::load (path).clips)
        CHECK (loadMedia (resolveMediaPath (path, clip.file), 48000).audio != nullptr);
}

TEST_CASE ("MediaFolderJob: a source touched with the same content is not copied again", "[mediafolder][sources]")
{
    test::TemporaryFolder folder ("media-folder-source-touched");
    const auto path = test::makeKickSnareShow (folder);
    const auto kick = folder / "show Media" / "kick.wav";
    const auto plan = planMediaFolderChange (SessionManifest::load (path), path, folder / "Copies", MediaFolderMode::copy);
    const HookGuard hook ([&] (const std::string& at)
                          {
                              if (at == "copied:2")
                                  fs::last_write_time (kick, fs::last_write_time (kick) + std::chrono::seconds (5));
                          });
    MediaFolderJob job (plan);
    job.startCopy();
    waitWhileBusy (job);
    REQUIRE (job.getState() == MediaFolderJob::State::readyToSwitch);
    CHECK (job.getWarnings().empty());
    CHECK (job.findChangedSource().empty());   // the new time was taken as the copy's
    CHECK (hashMediaFile (folder / "Copies" / "kick.wav") == hashMediaFile (kick));
}

TEST_CASE ("MediaFolderJob: a source that keeps changing stops the change, named, nothing left", "[mediafolder][sources]")
{
    test::TemporaryFolder folder ("media-folder-source-churn");
    const auto path = test::makeKickSnareShow (folder);
    const auto snare = folder / "show Media" / "snare.wav";
    const auto plan = planMediaFolderChange (SessionManifest::load (path), path, folder / "Moved", MediaFolderMode::move);
    int rewrites = 0;
    const HookGuard hook ([&] (const std::string& at)
                          {
                              if (at.rfind ("checking:", 0) == 0)   // before every check: another version
                                  replaceWith (snare, ++rewrites % 2 == 1 ? "corpus/p04_lmms_breakbeat.wav" : "corpus/p05_lmms_e_organ.wav");
                          });
    MediaFolderJob job (plan);
    job.startCopy();
    waitWhileBusy (job);
    REQUIRE (job.getState() == MediaFolderJob::State::failed);
    CHECK (rewrites == 3);
    CHECK (job.getError() == snare.string() + ": changed after it was copied, 3 times; nothing was switched "
                                              "(run the change again when it is no longer written to)");
    CHECK (! fs::exists (folder / "Moved" / "kick.wav"));
    CHECK (! fs::exists (folder / "Moved" / "snare.wav"));
    CHECK (! fs::exists (mediaFolderJournalPath (path)));
    CHECK (fs::exists (folder / "show Media" / "kick.wav"));
    CHECK (SessionManifest::load (path).clips[1].file == "show Media/snare.wav");
}

TEST_CASE ("MediaFolderJob: a source changed after the last check refuses the switch, naming it", "[mediafolder][sources]")
{
    test::TemporaryFolder folder ("media-folder-source-late");
    const auto path = test::makeKickSnareShow (folder);
    const auto kick = folder / "show Media" / "kick.wav";
    const auto plan = planMediaFolderChange (SessionManifest::load (path), path, folder / "Moved", MediaFolderMode::move);
    MediaFolderJob job (plan);
    job.startCopy();
    waitWhileBusy (job);
    REQUIRE (job.getState() == MediaFolderJob::State::readyToSwitch);
    CHECK (job.findChangedSource().empty());

    replaceWith (kick, "corpus/p04_lmms_breakbeat.wav");   // between the worker's check and the switch
    const auto changed = job.findChangedSource();
    CHECK (changed == kick.string() + " changed after it was copied (its size or modification time differs): "
                                      "the switch is refused, nothing changed; run the change again");
    job.startFinish (false);
    waitWhileBusy (job);
    CHECK (job.getState() == MediaFolderJob::State::cancelled);
    CHECK (! fs::exists (folder / "Moved" / "kick.wav"));
    CHECK (hashMediaFile (kick) == hashMediaFile (test::dataPath ("corpus/p04_lmms_breakbeat.wav")));   // the new file stays
    CHECK (SessionManifest::load (path).clips[0].file == "show Media/kick.wav");
}

TEST_CASE ("MediaFolderJob: a move keeps an original changed after the switch or still used", "[mediafolder][sources]")
{
    test::TemporaryFolder folder ("media-folder-source-kept");
    const auto path = test::makeKickSnareShow (folder);
    const auto kick = folder / "show Media" / "kick.wav", snare = folder / "show Media" / "snare.wav";
    auto session = SessionManifest::load (path);
    const auto plan = planMediaFolderChange (session, path, folder / "Moved", MediaFolderMode::move);
    MediaFolderJob job (plan);
    job.startCopy();
    waitWhileBusy (job);
    REQUIRE (job.getState() == MediaFolderJob::State::readyToSwitch);
    // Switched, but only the kick: the snare's clip stays on its original (as a switch that
    // skipped it would), and the kick's original is rewritten right after the switch.
    auto changes = job.pathChangesFor (session);
    changes.erase (changes.begin() + 1);
    SessionManifest::save (withMediaPathChanges (session, changes), path);
    replaceWith (kick, "corpus/p04_lmms_breakbeat.wav");
    job.startFinish (true);
    waitWhileBusy (job);
    REQUIRE (job.getState() == MediaFolderJob::State::done);
    CHECK (fs::exists (kick));
    CHECK (fs::exists (snare));
    CHECK (anyWarningNames (job.getWarnings(), kick.string() + " changed after its copy was made: not deleted"));
    CHECK (anyWarningNames (job.getWarnings(), snare.string() + " is still used by a clip: not deleted"));
}
