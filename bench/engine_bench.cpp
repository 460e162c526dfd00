// CueGrid — GPL-3.0-or-later
// engine_bench: cost of Engine::process() at 48 kHz in 128-frame blocks (deadline 2.67 ms),
// against the deadline and against a bare mixing loop over the same clip buffers (25 stereo
// voices summed with a gain into 4 group buses, the buses summed into the master), measured in
// the same process. Two scenarios:
//  - steady: all 24 group voices and the audition voice play 30 s clips, no envelopes;
//  - show (issue 8): 24 voices with fade-ins and fade-outs of every curve, short loops (wraps
//    and crossfades all the time), mono and stereo clips at non-centre pans, a stop with a 1 s
//    fade and a new voice with a 1 s fade-in every 0.5 s, the audition, meters (LUFS on the
//    master) and the limiter on a master loud enough to reach its ceiling.
// It also times the limiter and the meters alone on the same kind of signal, against the bare
// mixing loop ("the meters and limiter must not cost more than the mixing itself").
// Usage: engine_bench [CORPUS_DIR [SHOW_MASTER_GAIN_DB]]. Not a test: prints numbers for
// docs/benchmarks.md.
#include "Engine/BusMeters.h"
#include "Engine/CommandFeeder.h"
#include "Engine/Engine.h"
#include "Engine/PeakLimiter.h"
#include "Session/MediaLoader.h"

#include <ebur128.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

using namespace cuegrid;
using Clock = std::chrono::steady_clock;

namespace
{
    constexpr double rate = 48000.0;
    constexpr int blockSize = 128, blocks = 10000, voices = 24, channels = 4;  // 10000 blocks = 26.7 s < 30 s clips

    /** 30 s of real audio at 48 kHz: corpus files back to back; stereo or mono (first channel). */
    ClipAudioPtr longClip (const std::string& corpus, const std::vector<const char*>& names, int offset, int numChannels)
    {
        std::vector<std::vector<float>> data ((size_t) numChannels);
        for (int i = 0; data[0].size() < (size_t) (30 * rate); ++i)
        {
            const auto loaded = loadMedia (corpus + "/" + names[(size_t) (i + offset) % names.size()], rate);
            if (loaded.audio == nullptr)
            {
                std::fprintf (stderr, "engine_bench: cannot load %s from %s\n", names[(size_t) (i + offset) % names.size()], corpus.c_str());
                std::exit (1);
            }
            for (int c = 0; c < numChannels; ++c)
                data[(size_t) c].insert (data[(size_t) c].end(), loaded.audio->getChannel (c),
                                         loaded.audio->getChannel (c) + loaded.audio->getNumFrames());
        }
        return std::make_shared<const ClipAudio> (std::move (data), rate);
    }

    struct Timing
    {
        double mean = 0, p99 = 0, worst = 0;
    };

    /** Times work(block) for every block; `between(block)` runs untimed before each one. */
    template <typename Work, typename Between>
    Timing measure (Work&& work, Between&& between)
    {
        std::vector<double> micros ((size_t) blocks);
        for (int block = 0; block < blocks; ++block)
        {
            between (block);
            const auto start = Clock::now();
            work (block);
            micros[(size_t) block] = std::chrono::duration<double, std::micro> (Clock::now() - start).count();
        }
        Timing timing;
        for (const auto m : micros)
            timing.mean += m;
        timing.mean /= blocks;
        timing.worst = *std::max_element (micros.begin(), micros.end());
        std::nth_element (micros.begin(), micros.begin() + blocks * 99 / 100, micros.end());
        timing.p99 = micros[(size_t) (blocks * 99 / 100)];
        return timing;
    }

    template <typename Work>
    Timing measure (Work&& work)
    {
        return measure (std::forward<Work> (work), [] (int) {});
    }

    EngineCommand command (EngineCommand::Type type, int64_t time, int slot = -1)
    {
        EngineCommand c;
        c.type = type;
        c.sampleTime = time;
        c.clipSlot = slot;
        return c;
    }

    constexpr FadeCurve curves[] { FadeCurve::linear, FadeCurve::equalPower, FadeCurve::sCurve, FadeCurve::exponential };

    /** What the show scenario uses; the variants without a feature tell what it costs. */
    struct ShowFeatures
    {
        const char* name = "engine, show";
        bool fades = true, allCurves = true, loops = true, pans = true, limiter = true;
    };

    /** The show scenario's plan: see the file comment. Slots 0–23 and 24–47 alternate. */
    std::vector<EngineCommand> showPlan (const std::vector<ClipAudioPtr>& stereo, const std::vector<ClipAudioPtr>& mono,
                                         float masterGainDb, const ShowFeatures& features)
    {
        std::vector<EngineCommand> plan;
        auto setup = command (EngineCommand::Type::setLimiter, 0);
        setup.enabled = features.limiter;
        setup.value = -1.0f;
        plan.push_back (setup);
        setup = command (EngineCommand::Type::setMasterGain, 0);
        setup.value = masterGainDb;
        plan.push_back (setup);
        for (int slot = 0; slot < 2 * voices; ++slot)
        {
            auto gain = command (EngineCommand::Type::setClipGain, 0, slot);
            gain.value = -12.0f;
            plan.push_back (gain);
            auto pan = command (EngineCommand::Type::setClipPan, 0, slot);
            pan.value = features.pans ? -0.8f + 1.6f * (float) (slot % voices) / (float) (voices - 1) : 0.0f;
            plan.push_back (pan);
        }

        auto voiceTrigger = [&] (int slot, int64_t time, int generation)
        {
            const auto position = slot % voices;
            const auto& audio = position % 3 == 0 ? mono[(size_t) position % mono.size()] : stereo[(size_t) position % stereo.size()];
            auto trigger = command (EngineCommand::Type::trigger, time, slot);
            trigger.group = position % groupCount;
            trigger.audio = audio.get();
            auto& p = trigger.playback;
            p.cueIn = p.startFrame = 4800 * (position + generation % 7);
            p.fadeIn = features.fades ? 48000 : 0;                  // 1 s
            p.fadeInCurve = features.allCurves ? curves[(size_t) (position + generation) % 4] : FadeCurve::linear;
            p.fadeOut = features.fades ? 48000 : 0;                 // 1 s on a stop
            p.fadeOutCurve = features.allCurves ? curves[(size_t) (position + generation + 1) % 4] : FadeCurve::linear;
            p.loopIn = p.cueIn + 2400;
            p.loopOut = features.loops ? p.loopIn + 12000 + 1000 * position : 0;   // 0.25 … 0.73 s loops
            p.loopCount = position % 2 == 0 ? 0 : 40;               // endless, or 40 plays
            p.loopCrossfade = 480;                                  // 10 ms
            p.retrigger = RetriggerMode::layer;
            return trigger;
        };

        for (int position = 0; position < voices; ++position)
            plan.push_back (voiceTrigger (position, 100 * position, 0));
        auto audition = command (EngineCommand::Type::audition, 0);
        audition.audio = stereo[0].get();
        plan.push_back (audition);

        // Every 0.5 s one position changes voice: the old one fades out over 1 s, the new one in.
        std::vector<int> bank ((size_t) voices, 0);   // which of the position's two slots plays
        int generation = 1;
        for (int64_t time = 24000; time < (int64_t) blocks * blockSize; time += 24000, ++generation)
        {
            const auto position = generation % voices;
            auto& current = bank[(size_t) position];
            plan.push_back (command (EngineCommand::Type::stop, time, position + voices * current));
            current = 1 - current;
            plan.push_back (voiceTrigger (position + voices * current, time, generation));
        }
        std::stable_sort (plan.begin(), plan.end(), [] (const auto& a, const auto& b) { return a.sampleTime < b.sampleTime; });
        return plan;
    }

    void printTiming (const char* name, const Timing& timing, double deadline)
    {
        std::printf ("  %-28s mean %7.2f us (%5.2f %% of deadline)   p99 %7.2f us (%5.2f %%)   worst %7.1f us\n", name, timing.mean,
                     100.0 * timing.mean / deadline, timing.p99, 100.0 * timing.p99 / deadline, timing.worst);
    }
} // namespace

int main (int argc, char** argv)
{
    const std::string corpus = argc > 1 ? argv[1] : CUEGRID_BENCH_CORPUS;
    const std::vector<const char*> stereoNames { "p05_lmms_e_organ.wav", "p08_sonicpi_haunted_hum.wav", "p07_sonicpi_bass_thick.wav",
                                                 "p09_lmms_chorus_dc_offset.wav", "p11_lmms_epiano_chord.wav" };
    const std::vector<const char*> monoNames { "p04_lmms_breakbeat.wav", "p06_sc_apollo11_speech.wav", "p01_sonicpi_heavy_kick.wav" };
    std::vector<ClipAudioPtr> clips, monoClips;
    for (int i = 0; i < 5; ++i)
        clips.push_back (longClip (corpus, stereoNames, i, 2));
    for (int i = 0; i < 3; ++i)
        monoClips.push_back (longClip (corpus, monoNames, i, 1));

    std::vector<float> buffers (channels * blockSize);
    float* outputs[] = { buffers.data(), buffers.data() + blockSize, buffers.data() + 2 * blockSize, buffers.data() + 3 * blockSize };
    EngineEvent event;
    const double deadline = blockSize / rate * 1.0e6;
    // Master gain of the show: loud enough that the limiter reaches its ceiling now and then.
    const auto showMasterGainDb = argc > 2 ? (float) std::atof (argv[2]) : 1.0f;

    // ---- steady: 24 voices + audition, no envelopes (the foundation issue's scenario) ----
    auto steadyEngine = std::make_unique<Engine>();
    steadyEngine->prepare (rate, blockSize);
    for (int voice = 0; voice < voices; ++voice)
    {
        auto trigger = command (EngineCommand::Type::trigger, 0, voice);
        trigger.group = voice % 4;
        trigger.audio = clips[(size_t) voice % clips.size()].get();
        steadyEngine->post (trigger);
        auto gain = command (EngineCommand::Type::setClipGain, 0, voice);
        gain.value = -12.0f;
        steadyEngine->post (gain);
    }
    auto audition = command (EngineCommand::Type::audition, immediately);
    audition.audio = clips[0].get();
    steadyEngine->post (audition);
    const auto steadyTiming = measure ([&] (int) { steadyEngine->process (outputs, channels, blockSize); },
                                       [&] (int) { while (steadyEngine->popEvent (event)) {} });

    // ---- show, and variants without one feature each ----
    struct ShowResult
    {
        ShowFeatures features;
        Timing timing;
        int limitingBlocks = 0, wraps = 0, fading = 0, minPlaying = voices, maxPlaying = 0;
        float deepestReduction = 0, loudest = -200;
    };
    auto runShow = [&] (const ShowFeatures& features)
    {
        ShowResult result;
        result.features = features;
        auto engine = std::make_unique<Engine>();
        engine->prepare (rate, blockSize);
        CommandFeeder feeder (showPlan (clips, monoClips, showMasterGainDb, features));
        std::vector<int64_t> lastPosition (VoiceStatus::groupVoiceSlots, -1);
        std::vector<int32_t> lastSlot (VoiceStatus::groupVoiceSlots, -1);
        result.timing = measure ([&] (int) { engine->process (outputs, channels, blockSize); },
                                 [&] (int block)
        {
            // Untimed: feed the plan, drain events, and observe what the engine did.
            feeder.feedUntil (*engine, engine->getSamplePosition() + blockSize + (int64_t) rate);
            while (engine->popEvent (event))
                result.fading += event.type == EngineEvent::Type::voiceFading ? 1 : 0;
            if (block == 0)
                return;
            const auto meters = engine->getMeters();
            result.limitingBlocks += meters.gainReductionDb > 0.0f ? 1 : 0;
            result.deepestReduction = std::max (result.deepestReduction, meters.gainReductionDb);
            result.loudest = std::max (result.loudest, meters.lufsMomentary);
            const auto status = engine->getVoiceStatus();
            for (int i = 0; i < VoiceStatus::groupVoiceSlots; ++i)
            {
                const auto& entry = status.voices[(size_t) i];
                if (entry.clipSlot >= 0 && entry.clipSlot == lastSlot[(size_t) i] && entry.position < lastPosition[(size_t) i])
                    ++result.wraps;
                lastSlot[(size_t) i] = entry.clipSlot;
                lastPosition[(size_t) i] = entry.position;
            }
            if (block > 400)
            {
                result.minPlaying = std::min (result.minPlaying, status.playingGroupVoices);
                result.maxPlaying = std::max (result.maxPlaying, status.playingGroupVoices);
            }
        });
        return result;
    };
    std::vector<ShowResult> shows;
    shows.push_back (runShow ({}));
    shows.push_back (runShow ({ "show, linear fades only", true, false, true, true, true }));
    shows.push_back (runShow ({ "show without fades", false, false, true, true, true }));
    shows.push_back (runShow ({ "show without loops", true, true, false, true, true }));
    shows.push_back (runShow ({ "show, centre pans", true, true, true, false, true }));
    shows.push_back (runShow ({ "show, limiter off", true, true, true, true, false }));
    const auto& show = shows.front();

    // ---- the bare loop: the same sample reads, gains and sums, nothing else ----
    std::vector<std::vector<float>> groups (8, std::vector<float> (blockSize));
    const auto bareTiming = measure ([&] (int block)
    {
        const auto position = (size_t) block * blockSize;
        for (auto& bus : groups)
            std::fill (bus.begin(), bus.end(), 0.0f);
        for (int voice = 0; voice < voices + 1; ++voice)
        {
            const auto& clip = *clips[(size_t) voice % clips.size()];
            auto& left = groups[(size_t) (voice % 4) * 2];
            auto& right = groups[(size_t) (voice % 4) * 2 + 1];
            const float* inLeft = clip.getChannel (0) + position;
            const float* inRight = clip.getChannel (1) + position;
            for (int i = 0; i < blockSize; ++i)
            {
                left[(size_t) i] += inLeft[i] * 0.25f;
                right[(size_t) i] += inRight[i] * 0.25f;
            }
        }
        for (int i = 0; i < blockSize; ++i)
        {
            float l = 0, r = 0;
            for (int g = 0; g < 4; ++g)
            {
                l += groups[(size_t) g * 2][(size_t) i] * 0.5f;
                r += groups[(size_t) g * 2 + 1][(size_t) i] * 0.5f;
            }
            outputs[0][i] = l;
            outputs[1][i] = r;
        }
    });

    // ---- the limiter and the meters alone, on 12 meter channels of real clip audio; the master
    //      pair at +9 dB so the limiter works about as often as in the show ----
    PeakLimiter limiter;
    limiter.prepare (rate);
    limiter.setParameters (true, -1.0);
    BusMeters meters;
    meters.prepare (rate, blockSize);
    std::vector<std::vector<float>> meterBuffers (MeterSnapshot::channels, std::vector<float> (blockSize));
    std::vector<float> gains (blockSize);
    const float* meterChannels[MeterSnapshot::channels];
    for (int c = 0; c < MeterSnapshot::channels; ++c)
        meterChannels[c] = meterBuffers[(size_t) c].data();
    const auto masterGain = (float) std::pow (10.0, 9.0 / 20.0);
    auto fillMeterBuffers = [&] (int block)
    {
        const auto position = (size_t) block * blockSize;
        for (int c = 0; c < MeterSnapshot::channels; ++c)
        {
            const auto& clip = *clips[(size_t) (c / 2) % clips.size()];
            const float* in = clip.getChannel (c % 2) + position;
            const auto gain = c >= MeterSnapshot::channels - 2 ? masterGain : 1.0f;
            for (int i = 0; i < blockSize; ++i)
                meterBuffers[(size_t) c][(size_t) i] = in[i] * gain;
        }
    };
    auto runLimiter = [&] (int)
    {
        limiter.process (meterBuffers[MeterSnapshot::channels - 2].data(), meterBuffers[MeterSnapshot::channels - 1].data(), blockSize, gains.data());
    };
    auto runMeters = [&] (int)
    {
        for (int done = 0; done < blockSize;)
            done += meters.measure (meterChannels, gains.data(), done, blockSize - done);
    };
    const auto limiterTiming = measure (runLimiter, fillMeterBuffers);
    limiter.reset();
    const auto metersTiming = measure ([&] (int block) { runLimiter (block); runMeters (block); }, fillMeterBuffers);

    // ---- inside the meters: libebur128 (histogram mode, M, as BusMeters sets it up) ----
    auto* loudness = ebur128_init (2, (unsigned long) rate, EBUR128_MODE_M | EBUR128_MODE_HISTOGRAM);
    std::vector<float> interleaved (2 * blockSize);
    double blockQuerySum = 0, blockQueryWorst = 0, value = 0;
    int blockQueries = 0;
    const auto filterTiming = measure ([&] (int) { ebur128_add_frames_float (loudness, interleaved.data(), (size_t) blockSize); },
                                       [&] (int block)
    {
        // Untimed here: the 100 ms block query at BusMeters' rate (every 4800 samples).
        const auto time = (int64_t) block * blockSize;
        if (block > 0 && time / 4800 != (time - blockSize) / 4800)
        {
            const auto start = Clock::now();
            ebur128_loudness_window (loudness, 100, &value);
            const auto micros = std::chrono::duration<double, std::micro> (Clock::now() - start).count();
            blockQuerySum += micros;
            blockQueryWorst = std::max (blockQueryWorst, micros);
            ++blockQueries;
        }
        fillMeterBuffers (block);
        for (int i = 0; i < blockSize; ++i)
        {
            interleaved[(size_t) (2 * i)] = meterBuffers[MeterSnapshot::channels - 2][(size_t) i];
            interleaved[(size_t) (2 * i + 1)] = meterBuffers[MeterSnapshot::channels - 1][(size_t) i];
        }
    });
    ebur128_destroy (&loudness);
    const auto queryPerBlock = blockQuerySum / blocks;

    std::printf ("engine_bench: %d blocks of %d frames at %.0f Hz, deadline %.1f us\n", blocks, blockSize, rate, deadline);
    std::printf ("show: %d-%d group voices playing (+ fade-out tails and the audition), %d loop wraps, %d fades begun,\n"
                 "      master at %+.1f dB: limiter reducing in %.1f %% of blocks (deepest %.1f dB), loudest %.1f LUFS momentary\n",
                 show.minPlaying, show.maxPlaying, show.wraps, show.fading, showMasterGainDb, 100.0 * show.limitingBlocks / (blocks - 1),
                 show.deepestReduction, show.loudest);
    printTiming ("engine, steady 24 + audition", steadyTiming, deadline);
    for (const auto& each : shows)
        printTiming (each.features.name, each.timing, deadline);
    printTiming ("bare mixing loop (25 voices)", bareTiming, deadline);
    printTiming ("limiter alone", limiterTiming, deadline);
    printTiming ("limiter + meters alone", metersTiming, deadline);
    std::printf ("  inside the meters:\n");
    printTiming ("  K-weighting (add_frames)", filterTiming, deadline);
    std::printf ("    LUFS 100 ms block query    %7.2f us a call (worst %.1f), every 100 ms: %5.2f us a block\n",
                 blockQuerySum / std::max (1, blockQueries), blockQueryWorst, queryPerBlock);
    std::printf ("    the rest (peak, RMS, clip count, hold, limiter gain)  about %5.2f us a block\n",
                 metersTiming.mean - limiterTiming.mean - filterTiming.mean - queryPerBlock);
    std::printf ("  engine show / bare loop        %6.2f x   (goal <= 2)\n", show.timing.mean / bareTiming.mean);
    std::printf ("  engine steady / bare loop      %6.2f x\n", steadyTiming.mean / bareTiming.mean);
    std::printf ("  limiter + meters / bare loop   %6.2f x   (goal <= 1: no more than the mixing)\n", metersTiming.mean / bareTiming.mean);
    std::printf ("  show mean                      %6.2f %% of the deadline (goal <= 3 %%)\n", 100.0 * show.timing.mean / deadline);
    return 0;
}
