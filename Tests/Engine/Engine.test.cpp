// CueGrid — GPL-3.0-or-later
// Engine unit tests: protection fades, sample-exact commands, voices, gains, audition.
#include "Engine/ClipReleasePool.h"
#include "Engine/CommandFeeder.h"
#include "Engine/Engine.h"
#include "Engine/OfflineRenderer.h"
#include "Session/MediaLoader.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <random>

using namespace cuegrid;

namespace
{
    constexpr double rate = 48000.0;
    constexpr int fade = 48;  // round(0.001 × 48000)

    ClipAudioPtr constantClip (float value, int frames, int channels = 1)
    {
        return std::make_shared<const ClipAudio> (
            std::vector<std::vector<float>> ((size_t) channels, std::vector<float> ((size_t) frames, value)), rate);
    }

    EngineCommand trigger (int slot, const ClipAudio* audio, int64_t time, int group = 0)
    {
        EngineCommand command;
        command.type = EngineCommand::Type::trigger;
        command.clipSlot = slot;
        command.audio = audio;
        command.group = group;
        command.sampleTime = time;
        return command;
    }

    EngineCommand command (EngineCommand::Type type, int64_t time, int slot = -1, int group = 0, float value = 0, int ramp = 0)
    {
        EngineCommand result;
        result.type = type;
        result.sampleTime = time;
        result.clipSlot = slot;
        result.group = group;
        result.value = value;
        result.rampSamples = ramp;
        return result;
    }

    struct Rendered
    {
        std::vector<float> left, right;
        std::vector<EngineEvent> events;
    };

    Rendered render (std::vector<EngineCommand> plan, int64_t frames, int blockSize)
    {
        auto engine = std::make_unique<Engine>();
        engine->prepare (rate, blockSize);
        CommandFeeder feeder (std::move (plan));
        Rendered result;
        renderOffline (
            *engine, feeder, frames, blockSize, 2,
            [&] (const float* const* channels, int, int n)
            {
                const float* l = channels[0];
                const float* r = channels[1];
                result.left.insert (result.left.end(), l, l + n);
                result.right.insert (result.right.end(), r, r + n);
            },
            [&] (const EngineEvent& event) { if (event.type != EngineEvent::Type::meter) result.events.push_back (event); });
        return result;
    }

    const EngineEvent* findEvent (const Rendered& rendered, EngineEvent::Type type, int nth = 0)
    {
        for (const auto& event : rendered.events)
            if (event.type == type && nth-- == 0)
                return &event;
        return nullptr;
    }
} // namespace

TEST_CASE ("Protection fade: 1 ms linear ramps at both ends of a clip, first and last samples silent", "[engine][fade]")
{
    const auto clip = constantClip (0.5f, 1000);
    const auto out = render ({ trigger (0, clip.get(), 100) }, 1300, 64);

    CHECK (out.left[99] == 0.0f);
    for (int k = 0; k < fade; ++k)
    {
        INFO ("k = " << k);
        CHECK (out.left[(size_t) (100 + k)] == Approx (0.5 * k / fade).margin (1e-7));
        CHECK (out.left[(size_t) (100 + 999 - k)] == Approx (0.5 * k / fade).margin (1e-7));
    }
    CHECK (out.left[100] == 0.0f);
    CHECK (out.left[100 + 999] == 0.0f);
    CHECK (out.left[100 + fade] == 0.5f);
    CHECK (out.left[600] == 0.5f);
    CHECK (out.left[1100] == 0.0f);
    CHECK (out.left == out.right);  // mono plays on both channels at unity

    const auto* ended = findEvent (out, EngineEvent::Type::voiceEnded);
    REQUIRE (ended != nullptr);
    CHECK (ended->sampleTime == 1100);
    CHECK (ended->reason == VoiceEndReason::finished);
}

TEST_CASE ("Stop fades the voice out over 1 ms starting at the exact sample", "[engine][fade]")
{
    const auto clip = constantClip (0.5f, 48000);
    const auto out = render ({ trigger (0, clip.get(), 0), command (EngineCommand::Type::stop, 333, 0) }, 1000, 128);

    CHECK (out.left[332] == 0.5f);
    for (int j = 0; j < fade; ++j)
        CHECK (out.left[(size_t) (333 + j)] == Approx (0.5 * (fade - 1 - j) / fade).margin (1e-7));
    CHECK (out.left[333 + fade] == 0.0f);
    const auto* ended = findEvent (out, EngineEvent::Type::voiceEnded);
    REQUIRE (ended != nullptr);
    CHECK (ended->sampleTime == 333 + fade);
    CHECK (ended->reason == VoiceEndReason::stopped);
}

TEST_CASE ("SetGroupGain without a ramp changes the gain from exactly its sample", "[engine][params]")
{
    const auto clip = constantClip (0.5f, 48000, 2);
    const auto half = (float) (20.0 * std::log10 (0.5));
    const auto out = render ({ trigger (0, clip.get(), 0, 2),
                               command (EngineCommand::Type::setGroupGain, 777, -1, 2, half) },
                             2000, 128);
    CHECK (out.left[776] == 0.5f);
    CHECK (out.left[777] == Approx (0.25f).epsilon (1e-6));
    CHECK (out.right[1999] == Approx (0.25f).epsilon (1e-6));
}

TEST_CASE ("Gain ramps are linear in amplitude and sample-exact, mute ramps over 1 ms", "[engine][params]")
{
    const auto clip = constantClip (0.5f, 48000);
    const auto half = (float) (20.0 * std::log10 (0.5));
    const auto out = render ({ trigger (0, clip.get(), 0, 1),
                               command (EngineCommand::Type::setClipGain, 1000, 0, 0, half, 100),
                               command (EngineCommand::Type::setGroupMute, 3000, -1, 1, 1.0f) },
                             4000, 256);
    CHECK (out.left[1000] == Approx (0.5));
    CHECK (out.left[1050] == Approx (0.5 * 0.75).epsilon (1e-6));
    CHECK (out.left[1100] == Approx (0.25).epsilon (1e-6));
    CHECK (out.left[3000] == Approx (0.25).epsilon (1e-6));
    CHECK (out.left[3024] == Approx (0.125).epsilon (1e-5));
    CHECK (out.left[3000 + fade] == 0.0f);
}

TEST_CASE ("A trigger of a playing clip restarts it and the old voice fades out", "[engine][voices]")
{
    const auto clip = constantClip (0.5f, 48000);
    const auto out = render ({ trigger (0, clip.get(), 0), trigger (0, clip.get(), 500) }, 1000, 64);
    // At 500: old voice (47/48) + new voice (0/48); at 500 + 48: only the new voice at full level.
    CHECK (out.left[500] == Approx (0.5 * 47.0 / 48.0).margin (1e-7));
    CHECK (out.left[510] == Approx (0.5 * 37.0 / 48.0 + 0.5 * 10.0 / 48.0).margin (1e-6));
    CHECK (out.left[548] == 0.5f);
    const auto* ended = findEvent (out, EngineEvent::Type::voiceEnded);
    REQUIRE (ended != nullptr);
    CHECK (ended->reason == VoiceEndReason::retriggered);
    REQUIRE (findEvent (out, EngineEvent::Type::voiceStarted, 1) != nullptr);
    CHECK (findEvent (out, EngineEvent::Type::voiceStarted, 1)->sampleTime == 500);
}

TEST_CASE ("At most 24 group voices play, the 25th trigger steals the oldest", "[engine][voices]")
{
    const auto clip = constantClip (0.01f, 48000);
    std::vector<EngineCommand> plan;
    for (int slot = 0; slot < 25; ++slot)
        plan.push_back (trigger (slot, clip.get(), slot * 10, slot % 4));
    auto engine = std::make_unique<Engine>();
    engine->prepare (rate, 128);
    CommandFeeder feeder (plan);
    Rendered out;
    renderOffline (*engine, feeder, 1000, 128, 2, {}, [&] (const EngineEvent& e) { out.events.push_back (e); });

    CHECK (engine->getVoiceStatus().playingGroupVoices == 24);
    const auto* ended = findEvent (out, EngineEvent::Type::voiceEnded);
    REQUIRE (ended != nullptr);
    CHECK (ended->clipSlot == 0);
    CHECK (ended->reason == VoiceEndReason::stolen);
    CHECK (ended->sampleTime == 240 + fade);
}

TEST_CASE ("Commands split blocks: any block size renders bit-identical output", "[engine][blocks]")
{
    const auto kick = loadMedia (test::dataPath ("corpus/p01_sonicpi_heavy_kick.wav"), rate);
    const auto organ = loadMedia (test::dataPath ("corpus/p05_lmms_e_organ.wav"), rate);
    REQUIRE (kick.audio != nullptr);
    REQUIRE (organ.audio != nullptr);

    std::mt19937 random (1234);
    std::vector<EngineCommand> plan;
    for (int64_t time = 0; time < 4 * 48000; time += 1 + (int64_t) (random() % 3000))
    {
        switch (random() % 6)
        {
            case 0: case 1: plan.push_back (trigger ((int) (random() % 8), (random() % 2 ? kick : organ).audio.get(), time, (int) (random() % 4))); break;
            case 2: plan.push_back (command (EngineCommand::Type::stop, time, (int) (random() % 8))); break;
            case 3: plan.push_back (command (EngineCommand::Type::setGroupGain, time, -1, (int) (random() % 4), -(float) (random() % 20), (int) (random() % 2000))); break;
            case 4: plan.push_back (command (EngineCommand::Type::setClipGain, time, (int) (random() % 8), 0, -(float) (random() % 20), (int) (random() % 500))); break;
            case 5: plan.push_back (command (EngineCommand::Type::setGroupMute, time, -1, (int) (random() % 4), (float) (random() % 2))); break;
        }
    }
    const auto reference = render (plan, 5 * 48000, 32);
    float peak = 0;
    for (auto s : reference.left) peak = std::max (peak, std::abs (s));
    CHECK (peak > 0.1f);  // the plan really made sound
    for (int blockSize : { 128, 512, 1031 })
    {
        INFO ("block size " << blockSize);
        const auto other = render (plan, 5 * 48000, blockSize);
        CHECK (other.left == reference.left);
        CHECK (other.right == reference.right);
    }
}

TEST_CASE ("Audition plays on its own outputs and never changes the groups' mix", "[engine][audition]")
{
    const auto clip = constantClip (0.25f, 48000, 2);
    const auto preview = constantClip (0.5f, 48000, 2);
    auto renderFour = [&] (bool withAudition)
    {
        auto engine = std::make_unique<Engine>();
        engine->prepare (rate, 256);
        engine->post (trigger (0, clip.get(), 0, 3));
        if (withAudition)
        {
            auto audition = trigger (1, preview.get(), 100);
            audition.type = EngineCommand::Type::audition;
            engine->post (audition);
        }
        std::vector<std::vector<float>> buffers (4, std::vector<float> (1024));
        float* outputs[] = { buffers[0].data(), buffers[1].data(), buffers[2].data(), buffers[3].data() };
        engine->process (outputs, 4, 1024);
        return buffers;
    };
    const auto with = renderFour (true), without = renderFour (false);
    CHECK (with[0] == without[0]);
    CHECK (with[1] == without[1]);
    CHECK (with[2][500] == 0.5f);
    CHECK (without[2][500] == 0.0f);
}

TEST_CASE ("Audio at another sample rate is rejected, not played at the wrong speed", "[engine][voices]")
{
    const auto clip = std::make_shared<const ClipAudio> (std::vector<std::vector<float>> { std::vector<float> (100, 0.5f) }, 44100.0);
    const auto out = render ({ trigger (0, clip.get(), 0) }, 256, 64);
    CHECK (findEvent (out, EngineEvent::Type::triggerRejected) != nullptr);
    CHECK (findEvent (out, EngineEvent::Type::voiceStarted) == nullptr);
}

TEST_CASE ("Clip audio is freed only after the audio thread has let go of it", "[engine][memory]")
{
    auto engine = std::make_unique<Engine>();
    engine->prepare (rate, 64);
    ClipReleasePool pool;
    std::weak_ptr<const ClipAudio> watch;
    {
        auto clip = constantClip (0.5f, 1000);
        watch = clip;
        engine->post (trigger (0, clip.get(), 0));
        pool.retire (std::move (clip), engine->getCommandsPosted());
    }
    float left[64], right[64];
    float* outputs[] = { left, right };
    CHECK (pool.collect (engine->getCommandsReceived()) == 0);  // trigger not received yet
    engine->process (outputs, 2, 64);
    CHECK (pool.collect (engine->getCommandsReceived()) == 0);  // voice playing
    CHECK_FALSE (watch.expired());
    for (int block = 0; block < 20; ++block)
        engine->process (outputs, 2, 64);
    CHECK (pool.collect (engine->getCommandsReceived()) == 1);  // 1000 frames have played out
    CHECK (watch.expired());
}
