// CueGrid — GPL-3.0-or-later
#include "SessionMediaLoader.h"

#include "Control/ShowController.h"
#include "MediaCache.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

using namespace cuegrid;

namespace
{
    ClipDefinition clipOf (const std::string& id, const std::string& file)
    {
        ClipDefinition clip;
        clip.id = id;
        clip.file = file;
        return clip;
    }

    std::string corpus (const char* name) { return test::dataPath (std::string ("corpus/") + name).string(); }
}

TEST_CASE ("SessionMediaLoader reads each file once for all its clips, also under a second path, and names the clips", "[medialoader]")
{
    test::TemporaryFolder folder ("session-media-loader-share");
    const auto kick = corpus ("p01_sonicpi_heavy_kick.wav");
    const auto link = (folder / "kick-link.wav").string();
    std::filesystem::create_hard_link (kick, link);   // another path, the same file (device and inode)

    SessionMediaLoader loader (2);
    SessionMediaLoader::Request request;
    request.sessionPath = (folder / "show.cuegrid").string();
    request.clips = { clipOf ("a", kick), clipOf ("b", corpus ("p03_colombo_snare.wav")), clipOf ("c", link),
                      clipOf ("skipped", ""), clipOf ("d", kick), clipOf ("gone", (folder / "missing.wav").string()) };
    const auto generation = loader.start (request);
    REQUIRE (loader.waitUntilIdle (30.0));
    const auto loaded = loader.takeLoaded();

    REQUIRE (loaded.size() == 3);   // kick (3 clips over 2 paths), snare, the missing file
    const auto progress = loader.getProgress();
    CHECK (progress.done);
    CHECK (progress.clipsLoaded == 5);
    CHECK (progress.clipsTotal == 5);
    CHECK (progress.filesTotal == 3);
    for (const auto& file : loaded)
    {
        CHECK (file.generation == generation);
        if (std::find (file.clips.begin(), file.clips.end(), 0) != file.clips.end())
        {
            CHECK (file.clips == std::vector<int> { 0, 2, 4 });
            REQUIRE (file.media.audio != nullptr);
        }
        else if (file.clips == std::vector<int> { 5 })
        {
            CHECK (file.media.audio == nullptr);
            CHECK (file.media.error.find ("missing.wav") != std::string::npos);
        }
        else
        {
            CHECK (file.clips == std::vector<int> { 1 });
            CHECK (file.media.audio != nullptr);
        }
    }
}

TEST_CASE ("SessionMediaLoader reads in the order asked, and prioritised clips' files before the rest", "[medialoader]")
{
    test::TemporaryFolder folder ("session-media-loader-order");
    const char* names[] = { "p01_sonicpi_heavy_kick.wav", "p02_sonicpi_hihat_open.wav", "p03_colombo_snare.wav",
                            "p04_lmms_breakbeat.wav", "p05_lmms_e_organ.wav", "p07_sonicpi_bass_thick.wav",
                            "p10_millo_clap_dualmono.wav", "p11_lmms_epiano_chord.wav" };
    SessionMediaLoader::Request request;
    request.sessionPath = (folder / "show.cuegrid").string();
    for (int i = 0; i < 8; ++i)
        request.clips.push_back (clipOf (std::string (1, (char) ('a' + i)), corpus (names[i])));
    request.order = { 7, 6, 5, 4, 3, 2, 1, 0 };   // the grid's order: reversed

    SessionMediaLoader loader (1);   // one worker: the order is the reading order
    loader.start (request);
    loader.prioritise ({ 2, 3 });    // the tab on screen: before every file not started
    REQUIRE (loader.waitUntilIdle (30.0));
    std::vector<int> order;
    for (const auto& file : loader.takeLoaded())
        order.push_back (file.clips.front());
    REQUIRE (order.size() == 8);
    // The worker may have taken the first file (7) before prioritise(); then 2, 3, then the rest.
    const auto skip = order.front() == 7 ? 1u : 0u;
    CHECK (order[skip] == 2);
    CHECK (order[skip + 1] == 3);
    std::vector<int> rest (order.begin() + skip + 2, order.end());
    std::vector<int> expected;
    for (const auto clip : { 7, 6, 5, 4, 1, 0 })
        if (! (skip == 1 && clip == 7))
            expected.push_back (clip);
    CHECK (rest == expected);
}

TEST_CASE ("ShowController opens a session at once: every clip loading and refused, then each playable with its media", "[medialoader]")
{
    juce::AudioDeviceManager devices;   // never opened
    ShowController controller (devices);
    const auto started = juce::Time::getMillisecondCounterHiRes();
    controller.loadSession (test::dataPath ("sessions/gui-v2.cuegrid").string());
    const auto installedMs = juce::Time::getMillisecondCounterHiRes() - started;
    const auto clips = (int) controller.getSession().clips.size();
    REQUIRE (clips > 2);
    INFO ("installed in " << installedMs << " ms");
    // Nothing was read on this thread: the clips are loading (unless a worker was already quick).
    int loading = 0;
    for (int clip = 0; clip < clips; ++clip)
        loading += controller.isMediaLoading (clip) ? 1 : 0;
    CHECK (loading > 0);
    for (int clip = 0; clip < clips; ++clip)
        if (controller.isMediaLoading (clip))
        {
            CHECK_FALSE (controller.hasMedia (clip));
            controller.triggerClip (clip);
            CHECK (controller.getActionProblem().find ("still loading") != std::string::npos);
            break;
        }

    REQUIRE (controller.waitForMedia (30.0));
    for (int clip = 0; clip < clips; ++clip)
    {
        CHECK_FALSE (controller.isMediaLoading (clip));
        CHECK (controller.hasMedia (clip));
    }
    const auto progress = controller.getMediaProgress();
    CHECK (progress.done);
    CHECK (progress.clipsLoaded == clips);
    CHECK (progress.clipsTotal == clips);
}

TEST_CASE ("ShowController: reopening a session reads no chunk the media cache still holds", "[medialoader]")
{
    // The corpus files are short: make them stream (restored after), so their heads are chunks.
    auto& cache = MediaCache::instance();
    const auto threshold = cache.getStreamMinSeconds();
    cache.setStreamMinSeconds (0.5);
    struct Restore { MediaCache& cache; double seconds; ~Restore() { cache.setStreamMinSeconds (seconds); } } restore { cache, threshold };

    juce::AudioDeviceManager devices;   // never opened
    ShowController controller (devices);
    const auto path = test::dataPath ("sessions/gui-v2.cuegrid").string();
    cache.evictUnpinned();   // a cold cache, whatever ran before
    const auto before = cache.getChunksRead();
    controller.loadSession (path);
    REQUIRE (controller.waitForMedia (30.0));
    const auto afterFirst = cache.getChunksRead();
    INFO ("chunks read: first open " << afterFirst - before);
    CHECK (afterFirst > before);   // the heads were read

    controller.loadSession (path);   // the same show again: its heads are still in memory
    REQUIRE (controller.waitForMedia (30.0));
    CHECK (cache.getChunksRead() == afterFirst);
    for (int clip = 0; clip < (int) controller.getSession().clips.size(); ++clip)
        CHECK (controller.hasMedia (clip));
}
