// CueGrid — GPL-3.0-or-later
// media_bench: opening a show of 64, 1024 and 4096 clips (issue 10, "Opening a show").
//
// For each size, in its own process (so peak RSS is that size's), with the media's pages
// dropped from the page cache before each phase (posix_fadvise DONTNEED: these files only):
//   - bare: a sequential read of every distinct clip head (1 s from its cue in) with libsndfile,
//     nothing else: what the disk gives for the heads;
//   - installed: ShowController::loadSession (the manifest parsed, slots made, the loaders
//     started) - what the window waits for;
//   - all playable: until every clip has its media (update() polled every 2 ms, as the app's timer);
//   - peak RSS (VmHWM) against the chunk budget;
//   - underruns: 24 clips of 24 different files fired at once on an Engine run at real-time pace
//     (128-frame blocks at 48 kHz) for 10 s, with the media cache's readers streaming.
// The ratio all-playable / bare is the goal's "within 2x the bare read of their heads".
//
// Media: the large-session test's files (ARTIFACT_DIR/media/bed<n>.wav, 200 three-minute
// stereo 48 kHz WAVs) - make them by running that test once.
// Usage: media_bench MEDIA_DIR [budget MiB = 768]
#include "Control/ShowController.h"
#include "Engine/Engine.h"
#include "Session/ClipPlayback.h"
#include "Session/SessionManifest.h"
#include "Session/SessionMedia.h"

#include <sndfile.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cuegrid;
namespace fs = std::filesystem;

namespace
{
    double now() { return std::chrono::duration<double> (std::chrono::steady_clock::now().time_since_epoch()).count(); }

    long peakRssKb()
    {
        std::ifstream status ("/proc/self/status");
        std::string key;
        long value = 0;
        while (status >> key)
            if (key == "VmHWM:" && status >> value)
                return value;
        return 0;
    }

    void dropFromPageCache (const std::vector<fs::path>& files)
    {
        for (const auto& file : files)
            if (const auto fd = ::open (file.c_str(), O_RDONLY); fd >= 0)
            {
                ::posix_fadvise (fd, 0, 0, POSIX_FADV_DONTNEED);
                ::close (fd);
            }
    }

    /** The session the large-session test makes: clip n plays bed<n % files> from one of four
        cue points (0, 30, 60, 90 s), 32 clips a tab, 8 tabs a page. */
    Session makeSession (int clips, int files)
    {
        Session session;
        session.sampleRate = 48000.0;
        session.pages.clear();
        for (int n = 0; n < clips; ++n)
        {
            ClipDefinition clip;
            clip.id = "c" + std::to_string (n);
            clip.label = clip.id;
            clip.file = "media/bed" + std::to_string (n % files) + ".wav";
            clip.group = n % 4;
            clip.gainDb = -24.0;
            if (const auto cue = ((n / files) % 4) * 37.5; cue > 0.0)
                clip.cueInSec = cue;
            session.clips.push_back (clip);
        }
        for (int first = 0; first < clips; first += 32 * 8)
        {
            Page page;
            page.name = "Page " + std::to_string (first / 256 + 1);
            for (int tabFirst = first; tabFirst < std::min (clips, first + 256); tabFirst += 32)
            {
                Tab tab;
                tab.name = "T";
                for (int k = 0; k < 32 && tabFirst + k < clips; ++k)
                    tab.slots.push_back ({ k / 8, k % 8, "c" + std::to_string (tabFirst + k) });
                page.tabs.push_back (tab);
            }
            session.pages.push_back (page);
        }
        return session;
    }

    double bareHeadRead (const Session& session, const fs::path& sessionPath)
    {
        std::set<std::pair<std::string, int64_t>> heads;
        for (const auto& clip : session.clips)
            heads.insert ({ resolveMediaPath (sessionPath, clip.file).string(), (int64_t) std::floor (clip.cueInSec.value_or (0.0) * 48000.0) });
        std::vector<float> buffer (48000 * 2);
        const auto started = now();
        for (const auto& [path, start] : heads)
        {
            SF_INFO info {};
            auto* file = sf_open (path.c_str(), SFM_READ, &info);
            if (file == nullptr)
                continue;
            sf_seek (file, start, SEEK_SET);
            sf_readf_float (file, buffer.data(), 48000);
            sf_close (file);
        }
        return now() - started;
    }

    void runOne (int clips, const fs::path& media, int budgetMb)
    {
        const int files = std::min (200, std::max (1, clips / 4));
        const auto folder = fs::temp_directory_path() / ("media_bench_" + std::to_string (::getpid()));
        fs::create_directories (folder);
        fs::create_symlink (fs::absolute (media), folder / "media");
        const auto sessionPath = folder / "bench.cuegrid";
        auto session = makeSession (clips, files);
        SessionManifest::save (session, sessionPath.string());
        std::vector<fs::path> paths;
        for (int i = 0; i < files; ++i)
            paths.push_back (media / ("bed" + std::to_string (i) + ".wav"));

        dropFromPageCache (paths);
        const auto bare = bareHeadRead (session, sessionPath);
        dropFromPageCache (paths);

        juce::AudioDeviceManager devices;   // never opened: the media is what is measured
        ShowController controller (devices);
        auto started = now();
        controller.loadSession (sessionPath.string());
        const auto installed = now() - started;
        while (! controller.getMediaProgress().done)
        {
            controller.update();
            std::this_thread::sleep_for (std::chrono::milliseconds (2));
        }
        controller.update();
        const auto allPlayable = now() - started;
        int playable = 0;
        for (int clip = 0; clip < clips; ++clip)
            playable += controller.hasMedia (clip) ? 1 : 0;
        const auto progress = controller.getMediaProgress();

        // 24 clips of 24 files fired at once on an engine at real-time pace: the heads play
        // from memory, the readers stream the rest (cold: the pages were dropped).
        const auto firstTab = std::min (24, files);
        std::vector<int> fired;
        for (int clip = 0; clip < clips && (int) fired.size() < firstTab; ++clip)
            fired.push_back (clip);
        auto loaded = loadClipMedia (session, sessionPath.string(), 48000.0);   // shared with what is open (MediaCache)
        Engine engine;
        engine.prepare (48000.0, 128);
        for (const auto clip : fired)
        {
            EngineCommand command;
            command.type = EngineCommand::Type::trigger;
            command.clipSlot = clip;
            command.group = session.clips[(size_t) clip].group;
            command.audio = loaded[(size_t) clip].audio.get();
            command.playback = clipPlayback (session, clip, 48000.0, loaded[(size_t) clip].audio->getNumFrames());
            engine.post (command);
        }
        std::vector<float> left (128), right (128);
        float* outputs[] = { left.data(), right.data() };
        int underruns = 0, voices = 0;
        const auto blockSeconds = 128.0 / 48000.0;
        const auto blocks = (int) (10.0 / blockSeconds);
        const auto playStart = now();
        for (int block = 0; block < blocks; ++block)
        {
            engine.process (outputs, 2, 128);
            EngineEvent event;
            while (engine.popEvent (event))
            {
                underruns += event.type == EngineEvent::Type::underrun ? 1 : 0;
                voices += event.type == EngineEvent::Type::voiceStarted ? 1 : 0;
            }
            const auto due = playStart + (block + 1) * blockSeconds;
            if (const auto wait = due - now(); wait > 0)
                std::this_thread::sleep_for (std::chrono::duration<double> (wait));
        }

        const auto rssMb = peakRssKb() / 1024.0;
        std::printf ("| %5d | %3d | %7.3f | %7.3f | %7.3f | %5.2fx | %4d/%d | %6.0f | %5d | %2d/%d | %3d |\n",
                     clips, progress.filesTotal, bare, installed, allPlayable, allPlayable / std::max (1e-6, bare), playable, clips,
                     rssMb, budgetMb, voices, (int) fired.size(), underruns);
        std::fflush (stdout);
        fs::remove_all (folder);
    }
}

int main (int argc, char** argv)
{
    if (argc < 2)
    {
        std::fprintf (stderr, "usage: media_bench MEDIA_DIR [budget MiB]\n");
        return 2;
    }
    const fs::path media = fs::absolute (argv[1]);
    const int budgetMb = argc > 2 ? std::atoi (argv[2]) : 768;
    if (! fs::exists (media / "bed199.wav"))
    {
        std::fprintf (stderr, "media_bench: %s has no bed0..bed199.wav (run the large-session test once)\n", media.c_str());
        return 2;
    }
    ::setenv ("CUEGRID_MEDIA_CACHE_MB", std::to_string (budgetMb).c_str(), 1);
    std::printf ("| clips | files | bare heads s | installed s | all playable s | ratio | playable | peak RSS MiB | budget MiB | voices | underruns |\n");
    std::printf ("|---|---|---|---|---|---|---|---|---|---|---|\n");
    std::fflush (stdout);   // not again from each child
    for (const auto clips : { 64, 1024, 4096 })
    {
        const auto child = ::fork();   // its own process: its own peak RSS and a cold media cache
        if (child == 0)
        {
            runOne (clips, media, budgetMb);
            std::_Exit (0);
        }
        int status = 0;
        ::waitpid (child, &status, 0);
        if (! WIFEXITED (status) || WEXITSTATUS (status) != 0)
            std::printf ("| %d | failed (status %d) |\n", clips, status);
    }
    return 0;
}
