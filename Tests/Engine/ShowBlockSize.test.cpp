// CueGrid — GPL-3.0-or-later
// Issue 8: block-size independence of a dense show using every command, on 6 outputs with the
// limiter working, and offline render = the realtime process() loop (shifted by the latency).
#include "EngineTestSupport.h"
#include "Session/MediaLoader.h"
#include "Support/TestSupport.h"

#include <random>
#include <tuple>

using namespace cuegrid;
using namespace cuegrid::enginetest;

namespace
{
    using T = EngineCommand::Type;
    constexpr int channels = 6;
    constexpr int64_t showLength = 8 * 48000, panicAt = 6 * 48000 + 12345;

    FadeCurve randomCurve (std::mt19937& random) { return allCurves[random() % 4]; }

    /** A random VoicePlayback of `audio`: cue points, a Trigger offset, edge fade, fades of every
        curve, short loops (so wraps and crossfades happen often), solo, any retrigger mode. */
    VoicePlayback randomPlayback (std::mt19937& random, const ClipAudio& audio)
    {
        const auto frames = audio.getNumFrames();
        VoicePlayback p;
        p.cueIn = (int64_t) (random() % (uint32_t) (frames / 4));
        p.cueOut = random() % 3 == 0 ? -1 : p.cueIn + 2000 + (int64_t) (random() % (uint32_t) (frames - p.cueIn - 2000));
        const auto end = p.cueOut < 0 ? frames : p.cueOut;
        p.startFrame = p.cueIn + (random() % 4 == 0 ? (int64_t) (random() % 1000) : 0);
        p.edgeFade = random() % 2 ? -1 : 12 + (int) (random() % 469);
        p.fadeIn = random() % 2 ? 0 : (int) (random() % 4800);
        p.fadeInCurve = randomCurve (random);
        p.fadeOut = random() % 2 ? 0 : (int) (random() % 4800);
        p.fadeOutCurve = randomCurve (random);
        if (random() % 3 == 0)
        {
            p.loopIn = p.cueIn + (int64_t) (random() % (uint32_t) ((end - p.cueIn) / 2));
            p.loopOut = std::min (end, p.loopIn + 200 + (int64_t) (random() % 4000));
            p.loopCount = (int) (random() % 4);
            p.loopCrossfade = random() % 2 ? -1 : 12 + (int) (random() % 469);
        }
        p.solo = random() % 8 == 0;
        p.soloCrossfade = (int) (random() % 4800);
        p.soloCurve = randomCurve (random);
        p.retrigger = (RetriggerMode) (random() % 4);
        return p;
    }

    std::vector<EngineCommand> randomShow (const std::vector<ClipAudioPtr>& media, unsigned seed)
    {
        std::mt19937 random (seed);
        std::vector<EngineCommand> plan { limiter (true, -1.0f), setValue (T::setMasterGain, 0, 4.0f) };
        for (int64_t time = 0; time < showLength; time += 1 + (int64_t) (random() % 2500))
        {
            if (time >= panicAt && plan.back().type != T::panic && plan.back().sampleTime < panicAt)
                plan.push_back (command (T::panic, panicAt));   // the rest of this feed never runs
            const auto slot = (int) (random() % 12);
            const auto group = (int) (random() % 4);
            const auto& audio = *media[random() % media.size()];
            EngineCommand c;
            switch (random() % 24)
            {
                case 0: case 1: case 2: case 3: case 4: case 5:
                    c = trigger (slot, audio, time, group, randomPlayback (random, audio));
                    break;
                case 6: c = stop (slot, time, random() % 3 == 0 ? -1 : (int) (random() % 4800)); break;
                case 7: c = command (T::pause, time, slot); break;
                case 8: c = command (T::resume, time, slot); break;
                case 9: c = command (T::togglePause, time, slot); break;
                case 10: c = command (random() % 2 ? T::stopGroup : T::fadeGroup, time, -1, group); c.fadeSamples = (int) (random() % 9600); c.curve = randomCurve (random); break;
                case 11: c = random() % 4 == 0 ? fade (T::fadeAll, time, (int) (random() % 9600), randomCurve (random)) : command (T::stopAll, time); break;
                case 12: c = command (T::pauseAll, time); break;
                case 13: c = command (T::resumeAll, time); break;
                case 14: c = setValue (T::setClipPan, time, (float) ((int) (random() % 201) - 100) / 100.0f, slot, 0, (int) (random() % 4000)); break;
                case 15: c = setValue (T::setClipGain, time, (float) ((int) (random() % 24) - 12), slot, 0, (int) (random() % 2000)); break;
                case 16: c = setValue (T::setGroupGain, time, -(float) (random() % 12), -1, group, (int) (random() % 4000)); break;
                case 17: c = setValue (T::setGroupMute, time, (float) (random() % 4 == 0), -1, group); break;
                case 18: c = setValue (T::setMasterGain, time, (float) ((int) (random() % 16) - 6), -1, 0, (int) (random() % 4000)); break;
                case 19: c = setValue (T::setAuditionGain, time, -(float) (random() % 12), -1, 0, (int) (random() % 2000)); break;
                case 20: c = random() % 3 ? audition (audio, time, randomPlayback (random, audio)) : command (T::stopAudition, time); break;
                case 21:
                {
                    OutputRouting outputs;
                    if (random() % 2) { outputs.groupLeft[3] = 4; outputs.groupRight[3] = 5; }
                    if (random() % 2) { outputs.groupLeft[1] = 6; outputs.groupRight[1] = 7; }   // past the 6 channels: the master
                    c = routing (outputs, time);
                    break;
                }
                case 22: c = setValue (T::setChokeLimit, time, (float) (random() % 4), -1, group); break;
                case 23: c = limiter (random() % 4 != 0, -(float) (random() % 6), time); break;
            }
            plan.push_back (c);
        }
        return plan;
    }

    struct Show
    {
        std::vector<ClipAudioPtr> media;
        std::vector<EngineCommand> plan;
        Show()
        {
            for (const auto* name : { "p01_sonicpi_heavy_kick.wav", "p03_colombo_snare.wav", "p04_lmms_breakbeat.wav",
                                      "p06_sc_apollo11_speech.wav", "p07_sonicpi_bass_thick.wav", "p10_millo_clap_dualmono.wav" })
            {
                auto loaded = loadMedia (test::dataPath (std::string ("corpus/") + name), rate);
                REQUIRE (loaded.audio != nullptr);
                media.push_back (loaded.audio);
            }
            plan = randomShow (media, 2026);
        }

        /** After the panic the show script's commands are cancelled; live ones posted after it run. */
        Rendered render (int blockSize) const
        {
            return enginetest::render (plan, showLength, blockSize, channels, [this] (Engine& engine, const EngineEvent& event)
            {
                if (event.type != EngineEvent::Type::panic)
                    return;
                for (int i = 0; i < 6; ++i)
                    engine.post (trigger (20 + i, *media[(size_t) i], event.sampleTime + 2000 + 3000 * i, i % 4));
                engine.post (fade (T::fadeAll, event.sampleTime + 40000, 24000, FadeCurve::sCurve));
            });
        }
    };

    std::vector<std::tuple<int, int, int, int64_t, int>> eventList (const Rendered& rendered)
    {
        std::vector<std::tuple<int, int, int, int64_t, int>> list;
        for (const auto& e : rendered.events)
            list.emplace_back ((int) e.type, e.clipSlot, e.group, e.sampleTime, (int) e.reason);
        return list;
    }
} // namespace

TEST_CASE ("A dense show with every command renders bit-identical at block sizes 32, 128, 512 and 1031 on 6 outputs", "[engine][blocks]")
{
    const Show show;
    REQUIRE (show.plan.size() > 300);
    const auto reference = show.render (32);

    // The show really used what it claims to.
    CHECK (peakOf (reference.out[0]) > 0.8f);
    CHECK (peakOf (reference.out[4]) > 0.1f);   // group D on its own outputs 5/6
    CHECK (peakOf (reference.out[2]) > 0.1f);   // audition on 3/4
    float reduction = 0;
    for (const auto& meter : reference.meters)
        reduction = std::max (reduction, meter.gainReductionDb);
    CHECK (reduction > 1.0f);
    int started = 0, paused = 0, fading = 0, choked = 0, panics = 0;
    for (const auto& e : reference.events)
    {
        started += e.type == EngineEvent::Type::voiceStarted;
        paused += e.type == EngineEvent::Type::voicePaused;
        fading += e.type == EngineEvent::Type::voiceFading;
        choked += e.type == EngineEvent::Type::voiceEnded && e.reason == VoiceEndReason::choked;
        panics += e.type == EngineEvent::Type::panic;
    }
    INFO (started << " voices started, " << paused << " paused, " << fading << " fades, " << choked << " choked");
    CHECK (started > 60);
    CHECK (paused > 5);
    CHECK (fading > 20);
    CHECK (choked > 0);
    CHECK (panics == 1);
    CHECK (peakOf (reference.out[0], panicAt + 2000, panicAt + 40000) > 0.1f);   // the live triggers after the panic

    for (const int blockSize : { 128, 512, 1031 })
    {
        INFO ("block size " << blockSize);
        const auto other = show.render (blockSize);
        for (int c = 0; c < channels; ++c)
        {
            INFO ("output " << c + 1);
            const auto at = firstDifference (other.out[(size_t) c], reference.out[(size_t) c]);
            INFO ("first difference at " << at << ": " << (at >= 0 ? other.out[(size_t) c][(size_t) at] : 0.0f) << " against "
                                         << (at >= 0 ? reference.out[(size_t) c][(size_t) at] : 0.0f));
            CHECK (at == -1);
        }
        const auto events = eventList (other), expected = eventList (reference);
        size_t same = 0;
        while (same < std::min (events.size(), expected.size()) && events[same] == expected[same])
            ++same;
        INFO ("events agree up to " << same << " of " << expected.size());
        if (same < std::min (events.size(), expected.size()))
        {
            const auto [type, slot, group, time, reason] = events[same];
            const auto [type2, slot2, group2, time2, reason2] = expected[same];
            INFO ("event: type " << type << " slot " << slot << " group " << group << " time " << time << " reason " << reason
                                 << "; expected type " << type2 << " slot " << slot2 << " group " << group2 << " time " << time2 << " reason " << reason2);
            CHECK (same == expected.size());
        }
        CHECK (events.size() == expected.size());
    }
}

TEST_CASE ("The same show through the realtime loop (process() without compensation) equals the offline render shifted by the latency", "[engine][blocks]")
{
    const Show show;
    const auto offline = show.render (256);

    auto engine = std::make_unique<Engine>();
    engine->prepare (rate, 256);
    CommandFeeder feeder (show.plan);
    std::vector<std::vector<float>> raw ((size_t) channels);
    std::vector<std::vector<float>> buffers ((size_t) channels, std::vector<float> (256));
    std::vector<float*> outputs;
    for (auto& buffer : buffers)
        outputs.push_back (buffer.data());
    EngineEvent event;
    const auto latency = engine->getLatency();
    while (engine->getSamplePosition() < showLength + latency)
    {
        feeder.feedUntil (*engine, engine->getSamplePosition() + 256 + 48000);
        engine->process (outputs.data(), channels, 256);
        for (int c = 0; c < channels; ++c)
            raw[(size_t) c].insert (raw[(size_t) c].end(), buffers[(size_t) c].begin(), buffers[(size_t) c].end());
        while (engine->popEvent (event))
            if (event.type == EngineEvent::Type::panic)
                for (int i = 0; i < 6; ++i)
                {
                    engine->post (trigger (20 + i, *show.media[(size_t) i], event.sampleTime + 2000 + 3000 * i, i % 4));
                    if (i == 5)
                        engine->post (fade (T::fadeAll, event.sampleTime + 40000, 24000, FadeCurve::sCurve));
                }
    }
    for (int c = 0; c < channels; ++c)
    {
        INFO ("output " << c + 1);
        CHECK (silent (raw[(size_t) c], 0, latency));
        const std::vector<float> shifted (raw[(size_t) c].begin() + latency, raw[(size_t) c].begin() + latency + showLength);
        CHECK (firstDifference (shifted, offline.out[(size_t) c]) == -1);
    }
}
