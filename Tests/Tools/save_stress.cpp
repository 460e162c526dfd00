// CueGrid — GPL-3.0-or-later
// Saves and autosaves a real session in a loop, for the kill -9 test
// (Tests/Recovery/kill_during_save_test.sh), checks what a killed run left, and times saving.
//
//   save_stress make SESSION CLIPS [--version 1]    a session of CLIPS corpus clips (relative media paths)
//   save_stress stress SESSION AUTOSAVE_ROOT LOG     recover as `--recover latest` would, then save (and
//                                                    mirror into the session database) and make recovery
//                                                    points alternately until killed; each finished step
//                                                    appends "save N" or "point N" to LOG
//   save_stress check SESSION AUTOSAVE_ROOT LOG      after a kill: the session, its backups and the newest
//                                                    recovery point load; the database passes PRAGMA
//                                                    integrity_check; what is offered holds every step
//                                                    LOG says finished. Exit 0, or 1 with the reason
//   save_stress save SESSION AUTOSAVE_ROOT           one save of the session, renamed; exit 4 and the
//                                                    OutputError on stderr if it cannot be written
//   save_stress point SESSION AUTOSAVE_ROOT          one recovery point of the session, renamed; exit 4 likewise
//   save_stress crash SESSION AUTOSAVE_ROOT          open, add a clip "recovered" in a free cell, make a
//                                                    recovery point, die of SIGKILL (for the app's --recover test)
//   save_stress bench WORK_DIR                       save, recovery point and load times at 64/1024/4096 clips
#include "Session/Errors.h"
#include "Session/MetadataDatabase.h"
#include "Session/SessionManifest.h"
#include "Session/SessionStore.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

using namespace cuegrid;
namespace fs = std::filesystem;

namespace
{
    const char* corpusFiles[] = { "p01_sonicpi_heavy_kick.wav", "p02_sonicpi_hihat_open.wav", "p03_colombo_snare.wav",
                                  "p07_sonicpi_bass_thick.wav", "p08_sonicpi_haunted_hum.wav", "p11_lmms_epiano_chord.wav" };

    /** A session like one an editor builds: CLIPS clips over tabs of 8 × 8, every version 2
        field in use on some clips, version 3's Record A/B settings set, media referred to
        relative to the session's folder. */
    Session makeSession (const fs::path& sessionFolder, int clips)
    {
        Session session;
        session.name = "stress 0";
        session.master.limiterEnabled = true;
        session.routing.recordA = { 5, 6 };
        session.recording.flac = true;
        const auto corpus = fs::relative (fs::path (CUEGRID_TEST_DATA_DIR) / "corpus", sessionFolder);
        Page page { "Page 1", {} };
        for (int i = 0; i < clips; ++i)
        {
            ClipDefinition clip;
            clip.id = "clip" + std::to_string (i);
            clip.file = (corpus / corpusFiles[(size_t) i % std::size (corpusFiles)]).string();
            clip.label = "Clip " + std::to_string (i);
            clip.colour = i % 2 == 0 ? "#d04040" : "#40a0d0";
            clip.group = i % 4;
            clip.gainDb = -(i % 12) * 0.5;
            if (i % 3 == 0)
            {
                clip.fadeInMs = 250.0;
                clip.fadeOutCurve = FadeCurve::sCurve;
                clip.cueInSec = 0.1;
                clip.loop = LoopSettings { 0.2, 0.8, 4, 2.0 };
                clip.pan = -0.25;
            }
            session.clips.push_back (clip);
            if (page.tabs.empty() || page.tabs.back().slots.size() == 64)
            {
                if (page.tabs.size() == (size_t) Page::maxTabs)
                {
                    session.pages.push_back (std::move (page));
                    page = { "Page " + std::to_string (session.pages.size() + 1), {} };
                }
                page.tabs.push_back ({ "Tab " + std::to_string (page.tabs.size() + 1), 8, 8, {} });
            }
            auto& tab = page.tabs.back();
            const auto cell = (int) tab.slots.size();
            tab.slots.push_back ({ cell / 8, cell % 8, clip.id });
        }
        session.pages.push_back (std::move (page));
        return session;
    }

    /** "stress 17" → 17. */
    long counterOf (const Session& session)
    {
        if (session.name.rfind ("stress ", 0) != 0)
            return -1;
        return std::strtol (session.name.c_str() + 7, nullptr, 10);
    }

    void change (Session& session, long counter)
    {
        session.name = "stress " + std::to_string (counter);
        auto& clip = session.clips[(size_t) counter % session.clips.size()];
        clip.gainDb = -(double) (counter % 40) * 0.25;
        clip.label = "Edit " + std::to_string (counter);
    }

    StoreSettings settingsFor (const std::string& autosaveRoot) { return { autosaveRoot, 5, 10 }; }

    int stress (const std::string& path, const std::string& autosaveRoot, const std::string& logPath)
    {
        SessionStore store (path, settingsFor (autosaveRoot));
        MetadataDatabase database (MetadataDatabase::pathForSession (path));
        auto session = SessionManifest::load (path);
        // As `CueGrid SESSION --recover latest` does: continue from the newest recovery point,
        // noted in the database's audit trail.
        if (const auto offer = SessionStore::findRecovery (path, autosaveRoot); offer.point)
        {
            session = SessionStore::loadRecoveryPoint (offer.point->path).session;
            database.addAudit ("recovery", nlohmann::json ({ { "point", offer.point->path.string() } }).dump());
        }
        store.markOpen();
        const auto log = ::open (logPath.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (log < 0)
            throw OutputError (logPath + ": " + std::strerror (errno));
        // Where this run goes on from: a step the previous run made but was killed before
        // logging (its recovery point) counts as finished from here on, or the check would take
        // this run's next step for one past the step in progress.
        const auto resume = "resume " + std::to_string (counterOf (session)) + "\n";
        if (::write (log, resume.data(), resume.size()) != (ssize_t) resume.size())
            throw OutputError (logPath + ": write failed");
        for (auto counter = counterOf (session) + 1;; ++counter)
        {
            change (session, counter);
            std::string line;
            if (counter % 2 == 0)
            {
                store.save (session);
                database.mirrorSession (session);  // after the manifest: the manifest is the truth
                line = "save " + std::to_string (counter) + "\n";
            }
            else
            {
                store.recoveryPointNow (session);
                line = "point " + std::to_string (counter) + "\n";
            }
            if (::write (log, line.data(), line.size()) != (ssize_t) line.size())
                throw OutputError (logPath + ": write failed");
        }
    }

    int fail (const std::string& message)
    {
        std::fprintf (stderr, "FAIL: %s\n", message.c_str());
        return 1;
    }

    int check (const std::string& path, const std::string& autosaveRoot, const std::string& logPath)
    {
        // The last step the killed run finished (the log may lag one step behind the disk).
        long lastFinished = -1;
        {
            std::ifstream log (logPath);
            std::string kind;
            long counter = 0;
            while (log >> kind >> counter)
                lastFinished = counter;
        }
        Session saved;
        try
        {
            saved = SessionManifest::load (path);
        }
        catch (const std::exception& error)
        {
            return fail (std::string ("the session does not load: ") + error.what());
        }
        for (int n = 1; fs::exists (SessionStore::backupPath (path, n)); ++n)
        {
            try
            {
                SessionManifest::load (SessionStore::backupPath (path, n).string());
            }
            catch (const std::exception& error)
            {
                return fail (std::string ("backup ") + std::to_string (n) + " does not load: " + error.what());
            }
        }
        const auto folder = SessionStore::recoveryFolderFor (path, autosaveRoot);
        const auto points = SessionStore::listRecoveryPoints (folder);
        long newestPoint = -1;
        if (! points.empty())
        {
            try
            {
                const auto recovered = SessionStore::loadRecoveryPoint (points.back().path);
                newestPoint = counterOf (recovered.session);
                // Self-contained: it also loads as a plain manifest from where it lies.
                SessionManifest::load (points.back().path.string());
                if (recovered.sessionPath != fs::absolute (path).lexically_normal().string())
                    return fail ("the newest recovery point names " + recovered.sessionPath);
            }
            catch (const std::exception& error)
            {
                return fail (std::string ("the newest recovery point does not load: ") + error.what());
            }
        }
        const auto offer = SessionStore::findRecovery (path, autosaveRoot);
        if (! offer.crashed && lastFinished >= 0)
            return fail ("a killed run left no run marker");
        if (offer.otherInstanceRunning)
            return fail ("the killed run is taken for a live instance: " + offer.markerText);
        auto restored = counterOf (saved);
        if (offer.point)
        {
            // What is offered must be newer than the saved file, or recovering would undo work.
            const auto offered = counterOf (SessionStore::loadRecoveryPoint (offer.point->path).session);
            if (offered <= restored)
                return fail ("the offered recovery point has step " + std::to_string (offered)
                             + ", the saved file the later step " + std::to_string (restored));
            restored = offered;
        }
        if (restored < lastFinished)
            return fail ("lost work: the log says step " + std::to_string (lastFinished) + " finished, but the saved file has "
                         + std::to_string (counterOf (saved)) + " and the offered recovery point "
                         + (offer.point ? std::to_string (restored) : std::string ("(none)")));
        // Steps count from 1 (the made session is step 0): with nothing logged yet, step 1 was in progress.
        const auto inProgress = std::max (lastFinished, 0L) + 1;
        if (restored > inProgress)
            return fail ("the disk has step " + std::to_string (restored) + ", past the one in progress ("
                         + std::to_string (inProgress) + ")");
        // The database survives too (opening it replays or discards its WAL, as the app would).
        {
            MetadataDatabase database (MetadataDatabase::pathForSession (path));
            if (const auto integrity = database.checkIntegrity(); integrity != "ok")
                return fail ("the session database is damaged: " + integrity);
        }
        int temporaries = 0;
        for (const auto& directory : { fs::path (path).parent_path(), folder })
            if (fs::is_directory (directory))   // a run killed before its first recovery point has no folder yet
                for (const auto& entry : fs::directory_iterator (directory))
                temporaries += entry.path().filename().string().find ("tmp") != std::string::npos;
        std::printf ("ok: saved %ld, newest point %ld, offered %s, last finished %ld, %zu points, %d temporaries\n",
                     counterOf (saved), newestPoint, offer.point ? offer.point->path.filename().c_str() : "none",
                     lastFinished, points.size(), temporaries);
        return 0;
    }

    double millisecondsOf (const std::function<void()>& work, int runs)
    {
        std::vector<double> times;
        for (int run = 0; run < runs; ++run)
        {
            const auto start = std::chrono::steady_clock::now();
            work();
            times.push_back (std::chrono::duration<double, std::milli> (std::chrono::steady_clock::now() - start).count());
        }
        std::sort (times.begin(), times.end());
        return times[times.size() / 2];
    }

    int bench (const fs::path& work)
    {
        std::printf ("clips  manifest KB  toJson+dump ms  save ms  recovery point ms  load ms  (medians of 15)\n");
        for (const int clips : { 64, 1024, 4096 })
        {
            const auto folder = work / ("bench-" + std::to_string (clips));
            fs::remove_all (folder);
            fs::create_directories (folder);
            const auto path = (folder / "show.cuegrid").string();
            auto session = makeSession (folder, clips);
            SessionManifest::save (session, path);
            SessionStore store (path, settingsFor ((folder / "Autosave").string()));
            long counter = 0;
            const auto dump = millisecondsOf ([&] { (void) SessionManifest::toJson (session).dump (2); }, 15);
            const auto save = millisecondsOf ([&] { change (session, ++counter); store.save (session); }, 15);
            const auto point = millisecondsOf ([&] { change (session, ++counter); store.recoveryPointNow (session); }, 15);
            const auto load = millisecondsOf ([&] { (void) SessionManifest::load (path); }, 15);
            std::printf ("%5d  %11.0f  %14.2f  %7.2f  %17.2f  %7.2f\n", clips, (double) fs::file_size (path) / 1024.0,
                         dump, save, point, load);
        }
        return 0;
    }
} // namespace

int main (int argc, char* argv[])
{
    const std::vector<std::string> arguments (argv + 1, argv + argc);
    const auto command = arguments.empty() ? std::string() : arguments[0];
    try
    {
        if (command == "make" && arguments.size() >= 3)
        {
            const fs::path path = fs::absolute (arguments[1]);
            auto session = makeSession (path.parent_path(), std::stoi (arguments[2]));
            auto json = SessionManifest::toJson (session);
            if (arguments.size() == 5 && arguments[3] == "--version")
                json["version"] = std::stoi (arguments[4]);
            std::ofstream (path) << json.dump (2) << "\n";
            return 0;
        }
        if (command == "stress" && arguments.size() == 4)
            return stress (arguments[1], arguments[2], arguments[3]);
        if (command == "check" && arguments.size() == 4)
            return check (arguments[1], arguments[2], arguments[3]);
        if (command == "save" && arguments.size() == 3)
        {
            SessionStore store (arguments[1], settingsFor (arguments[2]));
            auto session = SessionManifest::load (arguments[1]);
            change (session, counterOf (session) + 1);
            for (const auto& warning : store.save (session).warnings)
                std::fprintf (stderr, "warning: %s\n", warning.c_str());
            return 0;
        }
        if (command == "point" && arguments.size() == 3)
        {
            SessionStore store (arguments[1], settingsFor (arguments[2]));
            auto session = SessionManifest::load (arguments[1]);
            change (session, counterOf (session) + 1);
            std::printf ("%s\n", store.recoveryPointNow (session).c_str());
            return 0;
        }
        if (command == "crash" && arguments.size() == 3)
        {
            // An editing run that dies: a clip "recovered" is added in the first free cell of
            // the first tab, a recovery point is made, and the process is killed (no clean close).
            SessionStore store (arguments[1], settingsFor (arguments[2]));
            auto session = SessionManifest::load (arguments[1]);
            store.markOpen();
            ClipDefinition clip = session.clips.front();
            clip.id = "recovered";
            clip.label = "Recovered";
            session.clips.push_back (clip);
            auto& tab = session.pages.front().tabs.front();
            for (int cell = 0; cell < tab.rows * tab.columns; ++cell)
                if (tab.slotAt (cell / tab.columns, cell % tab.columns) == nullptr)
                {
                    tab.slots.push_back ({ cell / tab.columns, cell % tab.columns, clip.id });
                    break;
                }
            std::printf ("%s\n", store.recoveryPointNow (session, "test").c_str());
            std::fflush (stdout);
            ::raise (SIGKILL);
        }
        if (command == "bench" && arguments.size() == 2)
            return bench (arguments[1]);
    }
    catch (const OutputError& error)
    {
        std::fprintf (stderr, "%s\n", error.what());
        return 4;
    }
    catch (const std::exception& error)
    {
        std::fprintf (stderr, "%s\n", error.what());
        return 2;
    }
    std::fprintf (stderr, "usage: save_stress make|stress|check|save|bench … (see the source)\n");
    return 64;
}
