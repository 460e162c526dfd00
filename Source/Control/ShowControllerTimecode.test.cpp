// CueGrid — GPL-3.0-or-later
// The GUI app's timecode triggers (issue 12, "Timecode in the show"): ShowController hands the
// session's trigger table to the running engine, and new tables swapped in while a clip plays
// neither lose nor repeat a trigger, which fires at the sample its timecode maps to.
#include "ShowController.h"

#include "Clock/Timecode.h"
#include "Support/ManualAudioDevice.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace cuegrid;

TEST_CASE ("ShowController: trigger tables swapped while a clip plays fire a timecode clip once at its exact sample")
{
    juce::AudioDeviceManager devices;
    ShowController controller { devices };
    test::ManualAudioDevice::addTo (devices);
    // version4: kick at 01:00:00;02 (29.97 drop-frame), organ chases from 01:00:10;00.
    controller.loadSession (test::dataPath ("sessions/version4.cuegrid").string());
    REQUIRE (controller.waitForMedia (30.0));
    // A timecode source the test publishes into, as the LTC decoder does (frame starts at samples).
    auto& manager = controller.getTimecode().getManager();
    const auto source = manager.addSource (ClockSourceKind::ltc, "test LTC");
    REQUIRE (source >= 0);
    REQUIRE (controller.openDefaultDevice (test::ManualAudioDevice::typeName).empty());
    auto* device = test::ManualAudioDevice::current (devices);
    REQUIRE (device != nullptr);
    controller.update();

    const auto rate = test::ManualAudioDevice::rate;
    const auto fps = 30000.0 / 1001.0;
    const auto start = Timecode::parse ("00:59:59;00", FrameRate::fps2997drop)->toFrameNumber();
    const auto kick = Timecode::parse ("01:00:00;02", FrameRate::fps2997drop)->toSeconds();
    // The master at sample s is start/fps + s/rate: the kick's timecode maps to this sample.
    const auto expected = (int64_t) std::ceil ((kick - (double) start / fps) * rate - 1.0e-6);

    int64_t frame = 0, published = 0;
    int fires = 0;
    TimecodeFire fired;
    for (int block = 0; block < 400; ++block)
    {
        const auto blockEnd = (int64_t) (block + 1) * test::ManualAudioDevice::blockSize;
        // Frames whose start falls before this block's end (the decoder reports a frame a block late at worst).
        while ((int64_t) std::llround ((double) frame * rate / fps) < blockEnd)
        {
            ClockObservation observation;
            observation.sample = (int64_t) std::llround ((double) frame * rate / fps);
            observation.frames = (double) (start + frame);
            observation.fps = fps;
            observation.dropFrame = true;
            REQUIRE (manager.getSource (source)->publish (observation));
            ++frame;
            ++published;
        }
        device->renderBlock();
        controller.update();
        // A new table every other block, around the trigger and while the kick plays.
        if (block % 2 == 0)
            controller.setChaseKeepsRolling (block % 4 == 0);
        TimecodeFire fire;
        while (controller.getTimecode().popFire (fire))
            if (fire.kind == TimecodeFire::Kind::trigger)
            {
                ++fires;
                fired = fire;
            }
    }
    CHECK (published > 50);
    CHECK (fires == 1);
    CHECK (fired.clipSlot == controller.getSession().findClip ("kick"));
    // Exact up to the flywheel's rounding of frame starts to whole samples.
    CHECK (std::abs (fired.sample - expected) <= 1);
    // The kick sounds from there: silence before its start, audio after.
    const auto& left = device->output[0];
    REQUIRE ((int64_t) left.size() > fired.sample + 4800);
    float before = 0.0f, after = 0.0f;
    for (int64_t i = 0; i < fired.sample; ++i)
        before = std::max (before, std::abs (left[(size_t) i]));
    for (int64_t i = fired.sample; i < fired.sample + 4800; ++i)
        after = std::max (after, std::abs (left[(size_t) i]));
    CHECK (before == 0.0f);
    CHECK (after > 0.01f);
}

TEST_CASE ("ShowController: the LTC input channel preference reopens the device with that input decoded by the engine")
{
    juce::AudioDeviceManager devices;
    ShowController controller { devices };
    test::ManualAudioDevice::addTo (devices);
    controller.loadSession (test::dataPath ("sessions/version4.cuegrid").string());
    REQUIRE (controller.waitForMedia (30.0));
    REQUIRE (controller.openDefaultDevice (test::ManualAudioDevice::typeName).empty());
    controller.update();
    CHECK (controller.getTimecode().getLtcInputChannel() == -1);
    CHECK (controller.getTimecode().getLtcSource() == -1);

    CHECK (controller.setLtcInputChannel (2).empty());
    controller.update();
    CHECK (controller.isAudioRunning());
    CHECK (controller.getTimecode().getLtcInputChannel() == 1);   // engine inputs count from 0
    CHECK (controller.getTimecode().getLtcSource() >= 0);          // the decoder's source, made by prepare
}
