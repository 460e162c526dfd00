// CueGrid — GPL-3.0-or-later
#include "ShowActions.h"
#include "ShowController.h"

#include "Support/ManualAudioDevice.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
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
