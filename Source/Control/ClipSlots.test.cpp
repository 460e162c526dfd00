// CueGrid — GPL-3.0-or-later
#include "ClipSlots.h"
#include "SessionEditor.h"
#include "ShowController.h"

#include "Session/SessionManifest.h"
#include "Support/ManualAudioDevice.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <functional>
#include <thread>

using namespace cuegrid;
using Cell = SessionEditor::Cell;

namespace
{
    ClipDefinition clipOf (const std::string& id, const std::string& file)
    {
        ClipDefinition clip;
        clip.id = id;
        clip.file = file;
        return clip;
    }

    /** The GUI tests' show (gui-v2.cuegrid: organ, hum, bed, speech … on page "Act 1" tab
        "Scene 1", 3 x 5) played by a ShowController on a ManualAudioDevice, block by block. */
    struct LiveShow
    {
        juce::AudioDeviceManager devices;
        ShowController controller { devices };
        juce::UndoManager undoManager;
        std::unique_ptr<SessionEditor> editor;
        test::ManualAudioDevice* device = nullptr;
        int blocks = 0;   // rendered so far

        LiveShow()
        {
            test::ManualAudioDevice::addTo (devices);
            controller.loadSession (test::dataPath ("sessions/gui-v2.cuegrid").string());
            REQUIRE (controller.waitForMedia (30.0));   // read in the background (SessionMediaLoader)
            REQUIRE (controller.openDefaultDevice (test::ManualAudioDevice::typeName).empty());
            device = test::ManualAudioDevice::current (devices);
            REQUIRE (device != nullptr);
            editor = std::make_unique<SessionEditor> (controller.getEditableSession(), undoManager);
            editor->onChange = [this] (const SessionEditor::Change& change) { controller.sessionEdited (change); };
            controller.update();
        }

        int clip (const std::string& id) const { return controller.getSession().findClip (id); }

        /** Renders `count` blocks, the UI's update() after each. */
        void play (int count)
        {
            for (int i = 0; i < count; ++i)
            {
                device->renderBlock();
                controller.update();
                ++blocks;
            }
        }
    };

    /** Fires bed (a loop until stopped) and organ, plays 80 blocks with `edits` (which may
        play some of them) after block 20, then STOP ALL and 400 blocks more (bed's 2 s
        fade-out, organ's 1.5 s). */
    std::vector<float> playWith (const std::function<void (LiveShow&)>& edits, const std::function<void (LiveShow&)>& checks = {})
    {
        LiveShow show;
        show.controller.fireClip (show.clip ("bed"));
        show.controller.fireClip (show.clip ("organ"));
        show.play (20);
        edits (show);
        REQUIRE (show.blocks <= 60);
        show.play (80 - show.blocks);
        if (checks)
            checks (show);
        show.controller.stopAll();
        show.play (400);
        CHECK (show.controller.getActiveClips().empty());
        CHECK (show.controller.getRetiredVoices() == 0);
        auto output = show.device->output[0];
        output.insert (output.end(), show.device->output[1].begin(), show.device->output[1].end());
        return output;
    }

    /** Index of the first sample where a and b differ, or -1. */
    long firstDifference (const std::vector<float>& a, const std::vector<float>& b)
    {
        if (a.size() != b.size())
            return 0;
        for (size_t i = 0; i < a.size(); ++i)
            if (a[i] != b[i])
                return (long) i;
        return -1;
    }
}

TEST_CASE ("ClipSlots: a clip keeps its slot by id, a removed one is retired and comes back to it")
{
    Session session;
    for (const auto* id : { "a", "b", "c" })
        session.clips.push_back (clipOf (id, std::string (id) + ".wav"));
    ClipSlots slots;
    slots.reset (session, {});
    CHECK (slots.slotOf (2) == 2);

    auto removed = session;
    removed.clips.erase (removed.clips.begin());  // a leaves: b and c move down a clip index
    auto changes = slots.follow (removed, 7);
    CHECK (changes.retired == std::vector<int> { 0 });
    CHECK (changes.added.empty());
    CHECK (slots.slotOf (0) == 1);
    CHECK (slots.slotOf (1) == 2);
    CHECK (slots.clipOf (0) == -1);
    CHECK (slots.find (0)->clipId == "a");
    CHECK (slots.find (0)->retiredFence == 7);

    // A new clip while a is retired: a's slot is not free yet.
    removed.clips.push_back (clipOf ("d", "d.wav"));
    changes = slots.follow (removed, 8);
    CHECK (changes.added == std::vector<int> { 3 });

    // a comes back (undo): its own slot again.
    changes = slots.follow (session, 9);
    CHECK (changes.reattached == std::vector<int> { 0 });
    CHECK (changes.retired == std::vector<int> { 3 });
    CHECK (slots.slotOf (0) == 0);

    // A clip with a's id but another file is another clip: a new slot; a's stays retired.
    auto relinked = session;
    relinked.clips[0].file = "elsewhere/a.wav";
    changes = slots.follow (relinked, 10);
    CHECK (changes.added == std::vector<int> { 4 });
    CHECK (changes.retired == std::vector<int> { 0 });

    // A released slot is reused, lowest first.
    CHECK (slots.release (0) == nullptr);  // no media in this test
    CHECK (slots.release (1) == nullptr);  // b is in the session: not retired, not released
    CHECK (slots.slotOf (1) == 1);
    relinked.clips.push_back (clipOf ("e", "e.wav"));
    changes = slots.follow (relinked, 11);
    CHECK (changes.added == std::vector<int> { 0 });
    CHECK (slots.size() == 5);
}

TEST_CASE ("ClipSlots: a relinked clip's old slot hands its voices on to the clip's new slot")
{
    Session session;
    for (const auto* id : { "a", "b" })
        session.clips.push_back (clipOf (id, std::string (id) + ".wav"));
    ClipSlots slots;
    slots.reset (session, {});

    auto relinked = session;
    relinked.clips[0].file = "found/a.wav";   // a relink: the same clip, another file
    auto changes = slots.follow (relinked, 1);
    CHECK (changes.retired == std::vector<int> { 0 });
    CHECK (changes.added == std::vector<int> { 2 });
    CHECK (slots.slotOf (0) == 2);
    CHECK (slots.clipOf (0) == -1);           // no clip plays a new trigger there
    CHECK (slots.clipOfVoice (0) == 0);       // but a voice there is still clip a's
    CHECK (slots.clipOfVoice (2) == 0);
    CHECK (slots.clipOfVoice (1) == 1);
    CHECK (slots.slotsOfClip (0) == std::vector<int> { 2, 0 });
    CHECK (slots.slotsOfClip (1) == std::vector<int> { 1 });

    // Relinked again while that voice plays: a chain of two retired slots.
    auto again = relinked;
    again.clips[0].file = "found/again/a.wav";
    changes = slots.follow (again, 2);
    CHECK (changes.retired == std::vector<int> { 2 });
    CHECK (changes.added == std::vector<int> { 3 });
    CHECK (slots.clipOfVoice (0) == 0);
    CHECK (slots.clipOfVoice (2) == 0);
    CHECK (slots.slotsOfClip (0) == std::vector<int> { 3, 0, 2 });

    // The middle slot freed (no voice left there): the first hands on past it.
    CHECK (slots.release (2) == nullptr);
    CHECK (slots.clipOfVoice (0) == 0);
    CHECK (slots.slotsOfClip (0) == std::vector<int> { 3, 0 });

    // Undo back to the first file: a takes its first slot again, and the slot it leaves hands on to it.
    changes = slots.follow (session, 3);
    CHECK (changes.reattached == std::vector<int> { 0 });
    CHECK (changes.retired == std::vector<int> { 3 });
    CHECK (slots.slotOf (0) == 0);
    CHECK (slots.clipOfVoice (3) == 0);
    CHECK (slots.slotsOfClip (0) == std::vector<int> { 0, 3 });

    // A clip that leaves the session: its voices are nobody's (retired), whatever the chain.
    auto removed = session;
    removed.clips.erase (removed.clips.begin());
    slots.follow (removed, 4);
    CHECK (slots.clipOfVoice (0) == -1);
    CHECK (slots.clipOfVoice (3) == -1);
    CHECK (slots.slotsOfClip (0) == std::vector<int> { 1 });   // clip index 0 is b now
}

TEST_CASE ("ShowController: a playing clip's samples are bit-exact while clips before it are deleted, imported, cut, pasted, undone and redone")
{
    const auto uninterrupted = playWith ([] (LiveShow&) {});
    REQUIRE (uninterrupted.size() == 2u * 480u * test::ManualAudioDevice::blockSize);

    const Cell organCell { 0, 0, 0, 0 }, emptyCell { 0, 0, 2, 3 };
    const auto edited = playWith (
        [&] (LiveShow& show)
        {
            auto& editor = *show.editor;
            const auto bedSlot = show.controller.engineSlotOf (show.clip ("bed"));
            REQUIRE (show.clip ("organ") == 0);
            REQUIRE (editor.deleteCells ({ organCell }).ok);   // organ (clip 0, playing) leaves
            CHECK (show.clip ("bed") == 1);                      // bed's clip index moved ...
            CHECK (show.controller.engineSlotOf (1) == bedSlot); // ... its slot did not
            show.play (5);
            CHECK (show.controller.getClipState (show.clip ("bed")).playing);
            CHECK (show.controller.getRetiredVoices() == 1);     // organ plays on
            REQUIRE (editor.importFiles ({ { "../corpus/p03_colombo_snare.wav", "Snare 2", 0, 0.0 } }, emptyCell).ok);
            show.play (5);
            REQUIRE (editor.undo().ok);                          // the import
            REQUIRE (editor.undo().ok);                          // the delete: organ back in slot 0, still playing
            CHECK (show.controller.engineSlotOf (show.clip ("organ")) == 0);
            CHECK (show.controller.getClipState (show.clip ("organ")).playing);
            CHECK (show.controller.getRetiredVoices() == 0);
            show.play (5);
            REQUIRE (editor.cutCells ({ organCell }).ok);
            show.play (3);
            REQUIRE (editor.paste (emptyCell).ok);               // cut + paste keeps the id: the same slot
            CHECK (show.controller.engineSlotOf (show.clip ("organ")) == 0);
            CHECK (show.controller.getClipState (show.clip ("organ")).playing);
            REQUIRE (editor.copyCell (emptyCell, { 0, 0, 2, 4 }).ok);  // organ-2: another slot, same media
            CHECK (show.controller.engineSlotOf (show.clip ("organ-2")) > show.controller.engineSlotOf (show.clip ("bed")));
            CHECK (show.controller.hasMedia (show.clip ("organ-2")));
            show.play (3);
            REQUIRE (editor.undo().ok);
            REQUIRE (editor.undo().ok);
            REQUIRE (editor.undo().ok);
            REQUIRE (editor.redo().ok);
            CHECK (show.controller.engineSlotOf (show.clip ("bed")) == bedSlot);
        },
        [] (LiveShow& show)
        {
            CHECK (show.controller.getClipState (show.clip ("bed")).playing);
            CHECK (show.controller.getRetiredVoices() == 1);  // the cut organ, not pasted back after the redo
        });
    CHECK (firstDifference (uninterrupted, edited) == -1);
}

TEST_CASE ("ShowController: STOP ALL stops a deleted clip that plays on, then its slot is freed and reused")
{
    LiveShow show;
    show.controller.fireClip (show.clip ("organ"));
    show.controller.fireClip (show.clip ("bed"));
    show.play (10);
    REQUIRE (show.editor->deleteCells ({ { 0, 0, 0, 0 } }).ok);
    show.play (10);
    REQUIRE (show.controller.getRetiredVoices() == 1);
    CHECK (show.controller.getActiveClips() == std::vector<int> { show.clip ("bed") });
    show.controller.stopAll();
    show.play (400);  // longer than organ's 1.5 s and bed's 2 s fade-outs
    CHECK (show.controller.getRetiredVoices() == 0);
    CHECK (show.controller.getActiveClips().empty());
    // Slot 0 is free: the next new clip takes it.
    REQUIRE (show.editor->importFiles ({ { "../corpus/p01_sonicpi_heavy_kick.wav", "Kick 2", 0, 0.0 } }, { 0, 0, 2, 1 }).ok);
    const auto added = (int) show.controller.getSession().clips.size() - 1;
    CHECK (show.controller.engineSlotOf (added) == 0);
    CHECK (show.controller.hasMedia (added));
    show.controller.fireClip (added);
    show.play (2);
    CHECK (show.controller.getClipState (added).playing);
    CHECK_FALSE (show.controller.getClipState (show.clip ("bed")).playing);
}

namespace
{
    /** The longest corpus recording (10.4 s, 44.1 kHz stereo: resampled to 48 kHz on load)
        under a path no clip of the show uses, so adding it needs a decode. */
    std::filesystem::path longFileCopy (const test::TemporaryFolder& folder)
    {
        const auto copy = folder / "long-chorus.wav";
        std::filesystem::copy_file (test::dataPath ("corpus/p09_lmms_chorus_dc_offset.wav"), copy,
                                    std::filesystem::copy_options::overwrite_existing);
        return copy;
    }

    double millisecondsSince (std::chrono::steady_clock::time_point start)
    {
        return std::chrono::duration<double, std::milli> (std::chrono::steady_clock::now() - start).count();
    }

    /** CPU time of the calling thread, ms: what the message thread itself spent, whoever else
        the 2 cores were given to meanwhile. */
    double threadCpuMilliseconds()
    {
        timespec now {};
        clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
        return (double) now.tv_sec * 1000.0 + (double) now.tv_nsec / 1.0e6;
    }
}

TEST_CASE ("ShowController: an imported long file is decoded off the message thread while a clip plays, and a trigger before it is ready is refused with the reason")
{
    test::TemporaryFolder folder ("clip-slots-async");
    const auto file = longFileCopy (folder).string();
    LiveShow show;
    show.controller.fireClip (show.clip ("bed"));
    show.play (10);

    // Before: the work the message thread did inside the edit (decode and resample now).
    Session alone;
    ClipDefinition clip;
    clip.id = "long";
    clip.file = file;
    alone.clips.push_back (clip);
    auto started = std::chrono::steady_clock::now();
    auto cpuStarted = threadCpuMilliseconds();
    const auto decodedHere = loadClipMedia (alone, show.controller.getSessionPath(), 48000.0, 1);
    const auto decodeMs = millisecondsSince (started);
    const auto decodeCpuMs = threadCpuMilliseconds() - cpuStarted;
    REQUIRE (decodedHere[0].audio != nullptr);

    // After: the edit returns once the clip is in the session; the decode runs elsewhere.
    started = std::chrono::steady_clock::now();
    cpuStarted = threadCpuMilliseconds();
    REQUIRE (show.editor->importFiles ({ { file, "Long", 2, 0.0 } }, { 0, 0, 2, 3 }).ok);
    const auto importMs = millisecondsSince (started);
    const auto importCpuMs = threadCpuMilliseconds() - cpuStarted;
    const auto added = show.clip ("long-chorus");
    REQUIRE (added >= 0);
    std::printf ("adding a 10.4 s file on the message thread: %.2f ms (CPU %.2f ms) with the decode in the edit, "
                 "%.2f ms (CPU %.2f ms) with it in the background\n", decodeMs, decodeCpuMs, importMs, importCpuMs);
    CHECK (importCpuMs * 10.0 < decodeCpuMs);

    CHECK (show.controller.isMediaLoading (added));
    CHECK_FALSE (show.controller.hasMedia (added));
    CHECK_THAT (show.controller.mediaError (added), Catch::Matchers::Contains ("media still loading"));
    show.controller.fireClip (added);
    CHECK_THAT (show.controller.getActionProblem(), Catch::Matchers::Contains ("its media is still loading"));

    // Audio blocks paced as a device would (5.3 ms each) while the worker decodes: none is late.
    int mediaLoaded = 0;
    show.controller.onMediaLoaded = [&] { ++mediaLoaded; };
    const auto blockDuration = std::chrono::duration<double> (test::ManualAudioDevice::blockSize / test::ManualAudioDevice::rate);
    auto deadline = std::chrono::steady_clock::now();
    int blocksWhileLoading = 0;
    while (show.controller.isMediaLoading (added) && blocksWhileLoading < 2000)
    {
        deadline += std::chrono::duration_cast<std::chrono::steady_clock::duration> (blockDuration);
        std::this_thread::sleep_until (deadline);
        show.play (1);
        ++blocksWhileLoading;
    }
    std::printf ("blocks rendered while the file decoded: %d (%.0f ms)\n", blocksWhileLoading,
                 blocksWhileLoading * blockDuration.count() * 1000.0);
    CHECK (blocksWhileLoading > 0);
    REQUIRE (show.controller.hasMedia (added));
    CHECK (mediaLoaded == 1);
    CHECK (show.controller.getXrunCount() == 0);
    CHECK (show.controller.getClipState (show.clip ("bed")).playing);
    const auto& audio = *decodedHere[0].audio;
    CHECK (audio.getNumFrames() == std::llround (10.355374149659864 * 48000.0));

    show.controller.fireClip (added);
    show.play (2);
    CHECK (show.controller.getClipState (added).playing);
}

TEST_CASE ("ShowController: a background decode does not change a playing clip's samples")
{
    test::TemporaryFolder folder ("clip-slots-async-exact");
    const auto file = longFileCopy (folder).string();
    const auto uninterrupted = playWith ([] (LiveShow&) {});
    const auto withImport = playWith ([&] (LiveShow& show)
    {
        REQUIRE (show.editor->importFiles ({ { file, "Long", 2, 0.0 } }, { 0, 0, 2, 3 }).ok);
        show.play (5);   // the decode runs while these play
        REQUIRE (show.controller.waitForMedia (30.0));
        CHECK (show.controller.hasMedia (show.clip ("long-chorus")));
    });
    CHECK (firstDifference (uninterrupted, withImport) == -1);
}

TEST_CASE ("ShowController: a clip added with a missing file says why once its background load is done")
{
    LiveShow show;
    REQUIRE (show.editor->importFiles ({ { "../corpus/not-there.wav", "", 0, 0.0 } }, { 0, 0, 2, 3 }).ok);
    const auto added = show.clip ("not-there");
    REQUIRE (show.controller.waitForMedia (30.0));
    CHECK_FALSE (show.controller.isMediaLoading (added));
    CHECK_FALSE (show.controller.hasMedia (added));
    CHECK_THAT (show.controller.mediaError (added), Catch::Matchers::Contains ("not-there.wav"));
    CHECK_THAT (show.controller.mediaError (added), ! Catch::Matchers::Contains ("still loading"));
}

TEST_CASE ("ShowController: a retired slot is freed soon after a device restart (a new timeline)")
{
    LiveShow show;
    show.controller.fireClip (show.clip ("organ"));
    show.play (40);
    REQUIRE (show.editor->deleteCells ({ { 0, 0, 0, 0 } }).ok);
    show.play (2);
    REQUIRE (show.controller.getRetiredVoices() == 1);

    // Reopened before the controller looks (a restart it only sees running again): the engine
    // starts again at sample 0, with no voice.
    show.devices.closeAudioDevice();
    REQUIRE (show.controller.openDefaultDevice (test::ManualAudioDevice::typeName).empty());
    show.device = test::ManualAudioDevice::current (show.devices);
    REQUIRE (show.device != nullptr);
    show.play (3);
    CHECK (show.controller.getRetiredVoices() == 0);
    REQUIRE (show.editor->importFiles ({ { "../corpus/p01_sonicpi_heavy_kick.wav", "Kick 2", 0, 0.0 } }, { 0, 0, 2, 1 }).ok);
    CHECK (show.controller.engineSlotOf ((int) show.controller.getSession().clips.size() - 1) == 0);
}

TEST_CASE ("ShowController: a clip relinked while it plays keeps showing its voice, and STOP and its retrigger mode reach it")
{
    // bed (a loop until stopped, retrigger pause), organ (retrigger stop) and hum (restart)
    // play; the relink panel's accept points each at a copy of its file elsewhere.
    test::TemporaryFolder folder ("clip-slots-relink");
    LiveShow show;
    const auto bed = show.clip ("bed"), organ = show.clip ("organ"), hum = show.clip ("hum");
    for (const auto clip : { bed, organ, hum })
        show.controller.fireClip (clip);
    show.play (20);
    REQUIRE (show.controller.getClipState (bed).playing);
    std::vector<std::pair<std::string, std::string>> relinks;
    for (const auto* id : { "bed", "organ", "hum" })
    {
        const auto& definition = show.controller.getSession().clips[(size_t) show.clip (id)];
        const auto copy = folder / (std::string (id) + "-found.wav");
        std::filesystem::copy_file (std::filesystem::path (show.controller.getSessionPath()).parent_path() / definition.file, copy);
        relinks.emplace_back (id, copy.string());
    }
    const auto slotBefore = show.controller.engineSlotOf (bed);
    REQUIRE (show.editor->relinkMedia (relinks, "Relink").ok);
    REQUIRE (show.controller.waitForMedia (30.0));
    show.play (5);
    CHECK (show.controller.engineSlotOf (bed) != slotBefore);   // the new media has its own slot
    CHECK (show.controller.hasMedia (bed));
    for (const auto clip : { bed, organ, hum })
    {
        INFO ("clip " << show.controller.getSession().clips[(size_t) clip].id);
        CHECK (show.controller.getClipState (clip).playing);
        CHECK (show.controller.getClipState (clip).voices == 1);
        CHECK (show.controller.getClipState (clip).elapsedSec > 0.1);   // the voice from before the relink
    }
    CHECK (show.controller.getRetiredVoices() == 0);
    CHECK (show.controller.getActiveClips() == std::vector<int> { organ, hum, bed });

    // Retrigger modes reach the voice from before: pause (bed) pauses and resumes it, restart
    // (hum) cuts it and starts the new media, stop (organ) fades it out.
    show.controller.fireClip (bed);
    show.play (5);
    CHECK (show.controller.getClipState (bed).paused);
    CHECK (show.controller.getClipState (bed).voices == 1);
    show.controller.fireClip (bed);
    show.play (5);
    CHECK_FALSE (show.controller.getClipState (bed).paused);
    CHECK (show.controller.getClipState (bed).playing);
    show.controller.fireClip (hum);
    show.play (5);
    CHECK (show.controller.getClipState (hum).voices == 1);
    CHECK (show.controller.getClipState (hum).elapsedSec < 0.1);    // the new media's voice, just started
    show.controller.fireClip (organ);
    show.play (5);
    CHECK (show.controller.getClipState (organ).fading);
    CHECK_FALSE (show.controller.getClipState (organ).playing);

    // STOP on the relinked clip stops the voice from before (bed's 2 s fade-out).
    show.controller.stopClip (bed);
    show.play (5);
    CHECK (show.controller.getClipState (bed).fading);
    show.play (500);
    CHECK (show.controller.getClipState (bed).voices == 0);
    CHECK (show.controller.getClipState (organ).voices == 0);
    CHECK (show.controller.getRetiredVoices() == 0);
    CHECK (show.controller.getActiveClips() == std::vector<int> { hum });

    // Fired again, it plays the relinked copy in its new slot.
    show.controller.fireClip (bed);
    show.play (5);
    CHECK (show.controller.getClipState (bed).playing);
    CHECK (show.controller.getClipState (bed).elapsedSec < 0.1);
}
