// CueGrid — GPL-3.0-or-later
// The media cache follows the open session: a replaced session's files are closed once no clip
// uses them (and their chunks freed), and a cue-in edit re-pins the head a start needs.
#include "MediaCache.h"

#include "Control/ShowController.h"
#include "Support/ManualAudioDevice.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <thread>

using namespace cuegrid;

namespace
{
    /** The corpus files are short: make them stream; files unused for 50 ms close. Restored after. */
    struct CacheSettings
    {
        CacheSettings()
        {
            cache.setStreamMinSeconds (0.5);
            cache.unusedFileSeconds = 0.05;
        }
        ~CacheSettings()
        {
            cache.setStreamMinSeconds (threshold);
            cache.unusedFileSeconds = unusedSeconds;
        }
        MediaCache& cache = MediaCache::instance();
        const double threshold = cache.getStreamMinSeconds();
        const double unusedSeconds = cache.unusedFileSeconds.load();
    };
} // namespace

TEST_CASE ("MediaCache: replacing the session closes every file only its clips used, and frees their chunks", "[mediacache]")
{
    CacheSettings settings;
    auto& cache = settings.cache;
    std::this_thread::sleep_for (std::chrono::milliseconds (300));   // files earlier tests left unused close first
    const auto openBefore = cache.getOpenFileCount();

    juce::AudioDeviceManager devices;
    test::ManualAudioDevice::addTo (devices);
    ShowController controller (devices);
    const auto path = test::dataPath ("sessions/gui-v2.cuegrid").string();
    controller.loadSession (path);
    REQUIRE (controller.openDefaultDevice (test::ManualAudioDevice::typeName).empty());
    auto* device = test::ManualAudioDevice::current (devices);
    REQUIRE (device != nullptr);
    REQUIRE (controller.waitForMedia (30.0));
    const auto opened = cache.getOpenFileCount() - openBefore;
    const auto usedWithSession = cache.getUsedBytes();
    INFO ("files open with the session: " << opened << ", chunk bytes " << usedWithSession);
    CHECK (opened >= 3);
    CHECK (usedWithSession > 0);

    // Another show, with no clips (the same manifest, emptied): the first show's clips are
    // freed by update() once the engine took every command naming them, and the readers close
    // their files.
    test::TemporaryFolder folder ("mediacache-replaced");
    auto manifest = nlohmann::json::parse (std::ifstream (path));
    manifest["clips"] = nlohmann::json::array();
    for (auto& page : manifest["pages"])
        for (auto& tab : page["tabs"])
            tab["slots"] = nlohmann::json::array();
    const auto emptyShow = (folder / "empty.cuegrid").string();
    std::ofstream (emptyShow) << manifest.dump (2);
    controller.loadSession (emptyShow);
    REQUIRE (controller.waitForMedia (30.0));
    for (int attempt = 0; attempt < 250 && cache.getOpenFileCount() != openBefore; ++attempt)
    {
        device->renderBlock();
        controller.update();
        std::this_thread::sleep_for (std::chrono::milliseconds (20));
    }
    CHECK (cache.getOpenFileCount() == openBefore);   // 0 when run alone (ctest runs each case alone)
    CHECK (cache.getUsedBytes() < usedWithSession);
    CHECK (controller.getSession().clips.empty());
}

TEST_CASE ("MediaCache: a cue-in edit in the app pins and reads the new head off the message thread", "[mediacache]")
{
    CacheSettings settings;
    auto& cache = settings.cache;
    juce::AudioDeviceManager devices;   // never opened
    ShowController controller (devices);
    controller.loadSession (test::dataPath ("sessions/gui-v2.cuegrid").string());
    REQUIRE (controller.waitForMedia (30.0));
    juce::UndoManager undoManager;
    SessionEditor editor (controller.getEditableSession(), undoManager);
    editor.onChange = [&] (const SessionEditor::Change& change) { controller.sessionEdited (change); };

    const auto bed = controller.getSession().findClip ("bed");   // 10.4 s, cue in 0
    REQUIRE (bed >= 0);
    const auto pinnedBefore = cache.getPinnedBytes();
    const auto readBefore = cache.getChunksRead();
    const auto started = std::chrono::steady_clock::now();
    REQUIRE (editor.setCueIn (bed, 6.0).ok);
    const auto editMs = std::chrono::duration<double, std::milli> (std::chrono::steady_clock::now() - started).count();
    // The readers load the new head (1 s from 6 s: 6 or 7 chunks); the edit did not wait for them.
    for (int attempt = 0; attempt < 500 && cache.getChunksRead() < readBefore + 6; ++attempt)
        std::this_thread::sleep_for (std::chrono::milliseconds (10));
    INFO ("the edit took " << editMs << " ms; chunks read after it " << cache.getChunksRead() - readBefore);
    CHECK (cache.getChunksRead() >= readBefore + 6);
    CHECK (cache.getQueuedHeadChunks() == 0);
    // The old head (from 0) is unpinned: the pinned bytes did not grow by a whole head.
    CHECK (cache.getPinnedBytes() <= pinnedBefore + (int64_t) MediaChunks::chunkFrames * 2 * 4);

    // Undo puts the head back at 0, pinned again.
    undoManager.undo();
    CHECK (controller.getSession().clips[(size_t) bed].cueInSec.value_or (0.0) == 0.0);
    CHECK (cache.getPinnedBytes() <= pinnedBefore + (int64_t) MediaChunks::chunkFrames * 2 * 4);
}
