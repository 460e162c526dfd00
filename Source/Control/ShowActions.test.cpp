// CueGrid — GPL-3.0-or-later
#include "ShowActions.h"
#include "ShowController.h"

#include "Support/ManualAudioDevice.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <sstream>
#include <thread>

using namespace cuegrid;
using T = ShowAction::Type;

namespace
{
    /** gui-v2.cuegrid (organ, hum, bed, speech … on "Act 1" / "Scene 1") on a ShowController,
        with or without a ManualAudioDevice rendered block by block. */
    struct Show
    {
        juce::AudioDeviceManager devices;
        ShowController controller { devices };
        ShowActions actions { controller };
        test::ManualAudioDevice* device = nullptr;

        explicit Show (bool withDevice)
        {
            test::ManualAudioDevice::addTo (devices);
            controller.loadSession (test::dataPath ("sessions/gui-v2.cuegrid").string());
            REQUIRE (controller.waitForMedia (30.0));
            if (withDevice)
            {
                REQUIRE (controller.openDefaultDevice (test::ManualAudioDevice::typeName).empty());
                device = test::ManualAudioDevice::current (devices);
                REQUIRE (device != nullptr);
            }
            controller.update();
        }

        int clip (const std::string& id) const { return controller.getSession().findClip (id); }

        void play (int blocks)
        {
            for (int i = 0; i < blocks; ++i)
            {
                device->renderBlock();
                controller.update();
            }
        }
    };

    /** The same show script twice: once with direct ShowController calls, once through
        ShowActions; returns the left channel. */
    std::vector<float> render (const std::function<void (Show&, int step)>& step)
    {
        Show show (true);
        for (int i = 0; i < 8; ++i)
        {
            step (show, i);
            show.play (25);
        }
        return show.device->output[0];
    }
}

TEST_CASE ("ShowActions: every action plays the same samples as the ShowController calls the GUI made")
{
    const auto direct = render ([] (Show& s, int step)
    {
        auto& c = s.controller;
        switch (step)
        {
            case 0: c.fireClip (s.clip ("organ")); c.fireClip (s.clip ("bed")); break;
            case 1: c.setGroupGain (1, -6.0); c.setMasterGain (-3.0); break;
            case 2: c.pauseClip (s.clip ("organ")); c.setClipLevels (s.clip ("bed"), c.getSession().clips[(size_t) s.clip ("bed")].gainDb, -4.0); break;
            case 3: c.resumeClip (s.clip ("organ")); c.fireClip (s.clip ("kick")); break;
            case 4: c.setGroupMute (2, true); c.stopClip (s.clip ("kick")); break;
            case 5: c.setGroupMute (2, false); c.fadeGroup (1, 200.0); break;
            case 6: c.pauseAll(); break;
            default: c.resumeAll(); c.fadeAll (500.0); break;
        }
    });
    const auto viaActions = render ([] (Show& s, int step)
    {
        auto& a = s.actions;
        const auto ok = [&a] (const ShowAction& action) { REQUIRE (a.perform (action, ActionSource::osc).reason == ""); };
        switch (step)
        {
            case 0: ok (ShowAction::forClipId (T::fire, "organ")); ok (ShowAction::forCell (T::fire, { 0, 0, 0, 2 })); break;
            case 1: ok (ShowAction::forGroup (T::groupLevel, 1, -6.0)); ok (ShowAction::of (T::masterLevel, -3.0)); break;
            case 2: ok (ShowAction::forClipId (T::pause, "organ")); break;
            case 3: ok (ShowAction::forClip (T::resume, s.clip ("organ"))); ok (ShowAction::forCell (T::fire, { 0, 0, 1, 0 })); break;
            case 4: ok (ShowAction::forGroup (T::groupMute, 2, 1.0)); ok (ShowAction::forClipId (T::gateRelease, "kick")); break;
            case 5: ok (ShowAction::forGroup (T::groupMute, 2, 0.0)); ok (ShowAction::forGroup (T::groupFade, 1, 0.2)); break;
            case 6: ok (ShowAction::of (T::pauseAll)); break;
            default: ok (ShowAction::of (T::resumeAll)); ok (ShowAction::of (T::fadeAll, 0.5)); break;
        }
        if (step == 2)   // a clip level: the value set after the factory
        {
            auto level = ShowAction::forClipId (T::clipLevel, "bed");
            level.value = -4.0;
            REQUIRE (a.perform (level, ActionSource::osc).ok);
        }
    });
    REQUIRE (direct.size() == viaActions.size());
    REQUIRE (direct.size() == 8u * 25u * test::ManualAudioDevice::blockSize);
    long firstDifference = -1;
    double energy = 0.0;
    for (size_t i = 0; i < direct.size(); ++i)
    {
        energy += (double) direct[i] * direct[i];
        if (firstDifference < 0 && direct[i] != viaActions[i])
            firstDifference = (long) i;
    }
    CHECK (firstDifference == -1);
    CHECK (energy > 1.0);   // the script played something
}

TEST_CASE ("ShowActions: refusals say why and change nothing")
{
    Show show (false);
    auto& actions = show.actions;
    int performed = 0;
    actions.onPerformed = [&performed] (const ShowAction&, ActionSource, const ShowActions::Result&) { ++performed; };

    auto r = actions.perform (ShowAction::forClipId (T::fire, "nope"), ActionSource::osc);
    CHECK_FALSE (r.ok);
    CHECK (r.reason == "no clip \"nope\"");
    r = actions.perform (ShowAction::forCell (T::fire, { 0, 0, 3, 7 }), ActionSource::midi);
    CHECK (r.reason == "no clip at page 1 tab 1 row 4 column 8");
    r = actions.perform (ShowAction::forCell (T::fire, { 5, 0, 0, 0 }), ActionSource::midi);
    CHECK (r.reason == "no page 6");
    r = actions.perform (ShowAction::forClip (T::stop, 99), ActionSource::key);
    CHECK (r.reason == "no clip 99");

    // A known clip without an audio device: refused with the controller's own reason.
    r = actions.perform (ShowAction::forCell (T::fire, { 0, 0, 0, 1 }), ActionSource::mouse);
    CHECK_FALSE (r.ok);
    CHECK (r.clip == show.clip ("hum"));
    CHECK (r.reason == "\"hum\" not played: no audio device");
    CHECK (actions.perform (ShowAction::of (T::stopAll), ActionSource::osc).reason == "no audio device");
    CHECK (actions.perform (ShowAction::forClipId (T::pause, "hum"), ActionSource::osc).reason == "no audio device");

    CHECK (actions.perform (ShowAction::forGroup (T::groupLevel, 4, -6.0), ActionSource::osc).reason == "group must be A-D");
    CHECK (actions.perform (ShowAction::of (T::masterLevel, std::nan ("")), ActionSource::osc).reason == "not a number");
    CHECK (show.controller.getSession().master.gainDb == 0.0);
    CHECK (actions.perform (ShowAction::of (T::go), ActionSource::key).reason == "no clip selected");
    CHECK (actions.perform (ShowAction::of (T::page, 1), ActionSource::osc).reason == "no window to navigate");
    CHECK (performed == 0);

    // Faders change the session without a device (they apply when one opens).
    REQUIRE (actions.perform (ShowAction::forGroup (T::groupLevel, 3, 30.0), ActionSource::osc).ok);
    CHECK (show.controller.getSession().groups[3].gainDb == 24.0);   // clamped to the manifest's range
    REQUIRE (actions.perform (ShowAction::of (T::masterLevel, -12.0), ActionSource::osc).ok);
    CHECK (show.controller.getSession().master.gainDb == -12.0);
    CHECK (performed == 2);

    // UI hooks: navigation and GO's selection are the app's.
    std::vector<std::string> navigated;
    actions.navigate = [&navigated] (const ShowAction& a) -> std::string
    {
        if (a.type == T::page && a.value > 1)
            return "no page " + std::to_string ((int) a.value + 1);
        navigated.push_back (std::to_string ((int) a.type) + ":" + std::to_string ((int) a.value));
        return {};
    };
    CHECK (actions.perform (ShowAction::of (T::page, 1), ActionSource::osc).ok);
    CHECK (actions.perform (ShowAction::of (T::page, 5), ActionSource::osc).reason == "no page 6");
    CHECK (actions.perform (ShowAction::of (T::nextTab), ActionSource::key).ok);
    CHECK (navigated.size() == 2);
    actions.selectedClip = [&show] { return show.clip ("bed"); };
    r = actions.perform (ShowAction::of (T::go), ActionSource::osc);
    CHECK (r.clip == show.clip ("bed"));
    CHECK (r.reason == "\"bed\" not played: no audio device");
    CHECK (std::string (actionSourceName (ActionSource::timecode)) == "timecode");
}

TEST_CASE ("ShowActions: a clip start records its source and the time from arrival to its first sample")
{
    Show show (true);
    const auto arrival = juce::Time::getMillisecondCounterHiRes();
    REQUIRE (show.actions.perform (ShowAction::forClipId (T::fire, "organ"), ActionSource::midi, arrival).ok);
    std::this_thread::sleep_for (std::chrono::milliseconds (20));   // the block renders 20 ms after the note came in
    show.play (1);
    // A start by a direct call (a script) has no origin: no latency.
    show.controller.fireClip (show.clip ("hum"));
    show.play (1);
    const auto& latencies = show.controller.getTriggerLatencies();
    REQUIRE (latencies.count ("midi") == 1);
    const auto& midi = latencies.at ("midi");
    CHECK (midi.count == 1);
    CHECK (midi.lastMs >= 20.0);
    CHECK (midi.lastMs < 200.0);
    CHECK (latencies.size() == 1);
    CHECK_THAT (show.controller.describeLastTriggerLatency(), Catch::Matchers::EndsWith (" ms (midi)"));
}

TEST_CASE ("ShowActions debounce: a GO closer than its source's minimum time is dropped and logged, per source", "[showactions][debounce]")
{
    Show show (true);
    test::TemporaryFolder folder ("showactions-debounce");
    const auto logPath = folder / "events.ndjson";
    show.controller.setEventLog (logPath.string());
    auto& actions = show.actions;
    int performed = 0;
    actions.onPerformed = [&performed] (const ShowAction&, ActionSource, const ShowActions::Result&) { ++performed; };

    // Off by default: two MIDI GOs 1 ms apart both go.
    CHECK (actions.getDebounceMs (ActionSource::midi) == 0.0);
    REQUIRE (actions.perform (ShowAction::forClipId (T::fire, "organ"), ActionSource::midi, 1000.0).ok);
    REQUIRE (actions.perform (ShowAction::forClipId (T::fire, "hum"), ActionSource::midi, 1001.0).ok);
    CHECK (performed == 2);

    actions.setDebounceMs (ActionSource::midi, 100.0);
    actions.setDebounceMs (ActionSource::osc, 50.0);
    REQUIRE (actions.perform (ShowAction::forClipId (T::fire, "bed"), ActionSource::midi, 2000.0).ok);
    auto r = actions.perform (ShowAction::forClipId (T::fire, "speech"), ActionSource::midi, 2040.0);
    CHECK_FALSE (r.ok);
    CHECK (r.dropped);
    CHECK (r.clip == show.clip ("speech"));
    CHECK (r.reason == "GO dropped: 40 ms after the previous midi GO (debounce 100 ms)");
    CHECK (performed == 3);
    // A toggle is a GO too; stops, levels and transport never wait.
    CHECK (actions.perform (ShowAction::forClipId (T::toggle, "organ"), ActionSource::midi, 2060.0).dropped);
    CHECK (actions.perform (ShowAction::forClipId (T::stop, "hum"), ActionSource::midi, 2070.0).ok);
    CHECK (actions.perform (ShowAction::of (T::masterLevel, -3.0), ActionSource::midi, 2075.0).ok);
    // Per source: OSC's own clock and minimum.
    CHECK (actions.perform (ShowAction::forClipId (T::fire, "kick"), ActionSource::osc, 2080.0).ok);
    CHECK (actions.perform (ShowAction::forClipId (T::fire, "clap"), ActionSource::osc, 2120.0).dropped);
    CHECK (actions.perform (ShowAction::forClipId (T::fire, "clap"), ActionSource::osc, 2130.0).ok);   // 50 ms after kick
    // Measured from the last GO let through (2000), not from the dropped ones.
    CHECK (actions.perform (ShowAction::forClipId (T::fire, "speech"), ActionSource::midi, 2100.0).ok);
    // The mouse has no debounce.
    CHECK (actions.perform (ShowAction::forClipId (T::fire, "epiano"), ActionSource::mouse, 2101.0).ok);
    CHECK (actions.getDroppedGos (ActionSource::midi) == 2);
    CHECK (actions.getDroppedGos (ActionSource::osc) == 1);

    // The keyboard's minimum is the session's hotkeys.debounceMs.
    show.controller.getEditableSession().hotkeys.debounceMs = 250.0;
    CHECK (actions.getDebounceMs (ActionSource::key) == 250.0);
    CHECK (actions.perform (ShowAction::forClipId (T::fire, "organ"), ActionSource::key, 3000.0).ok);
    CHECK (actions.perform (ShowAction::forClipId (T::fire, "hum"), ActionSource::key, 3249.0).dropped);
    CHECK (actions.perform (ShowAction::of (T::stopAll), ActionSource::key, 3250.0).ok);
    CHECK (actions.perform (ShowAction::forClipId (T::fire, "hum"), ActionSource::key, 3250.0).ok);

    // Each drop is an event-log line with its source.
    std::vector<nlohmann::json> dropped;
    std::istringstream lines (test::readText (logPath));
    for (std::string line; std::getline (lines, line);)
        if (line.find ("\"goDropped\"") != std::string::npos)
            dropped.push_back (nlohmann::json::parse (line));
    REQUIRE (dropped.size() == 4);
    CHECK (dropped[0]["source"] == "midi");
    CHECK (dropped[0]["clip"] == "speech");
    CHECK (dropped[0]["sinceLastGoMs"] == 40.0);
    CHECK (dropped[0]["debounceMs"] == 100.0);
    CHECK (dropped[1]["clip"] == "organ");
    CHECK (dropped[2]["source"] == "osc");
    CHECK (dropped[3]["source"] == "key");
    CHECK (dropped[3]["clip"] == "hum");
}

TEST_CASE ("ShowActions toggle stops a playing clip and fires a stopped one", "[showactions]")
{
    Show show (true);
    const auto fired = show.actions.perform (ShowAction::forClipId (T::toggle, "organ"), ActionSource::midi);
    REQUIRE (fired.ok);
    CHECK (fired.performedAs == T::fire);   // what a backup mirrors
    show.play (2);
    CHECK (show.controller.getClipState (show.clip ("organ")).playing);
    const auto stopped = show.actions.perform (ShowAction::forClipId (T::toggle, "organ"), ActionSource::midi);
    REQUIRE (stopped.ok);
    CHECK (stopped.performedAs == T::stop);
    show.play (400);   // its fade-out
    CHECK_FALSE (show.controller.getClipState (show.clip ("organ")).playing);
    CHECK (show.actions.perform (ShowAction::forClipId (T::toggle, "nope"), ActionSource::midi).reason == "no clip \"nope\"");
}

TEST_CASE ("ShowActions: a trigger that starts no voice (a retrigger that stops) is never paired with a later start")
{
    Show show (true);
    const auto organ = ShowAction::forClipId (T::fire, "organ");   // retrigger "stop", fadeOutMs 1500
    REQUIRE (show.actions.perform (organ, ActionSource::osc, juce::Time::getMillisecondCounterHiRes()).ok);
    show.play (2);
    REQUIRE (show.controller.getTriggerLatencies().at ("osc").count == 1);

    // The second fire stops the organ: no voice, so no latency, now or for a later start.
    REQUIRE (show.actions.perform (organ, ActionSource::osc, juce::Time::getMillisecondCounterHiRes()).ok);
    show.play (400);   // the 1.5 s fade ends
    show.controller.fireClip (show.clip ("organ"));   // a script's start: no origin of its own
    show.play (2);
    CHECK (show.controller.getTriggerLatencies().at ("osc").count == 1);

    // Stop it again, wait 300 ms, start it: the latency is the last fire's, not the stop's.
    REQUIRE (show.actions.perform (organ, ActionSource::osc, juce::Time::getMillisecondCounterHiRes()).ok);
    show.play (400);
    std::this_thread::sleep_for (std::chrono::milliseconds (300));
    REQUIRE (show.actions.perform (organ, ActionSource::osc, juce::Time::getMillisecondCounterHiRes()).ok);
    show.play (2);
    const auto& osc = show.controller.getTriggerLatencies().at ("osc");
    CHECK (osc.count == 2);
    CHECK (osc.lastMs < 250.0);
}
