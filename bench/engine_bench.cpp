// CueGrid — GPL-3.0-or-later
// engine_bench: cost of Engine::process() with all 24 group voices and the audition voice
// playing real media, 48 kHz, 128 frames, against (a) the 2.67 ms deadline and (b) a bare
// mixing loop over the same buffers (25 stereo voices summed into 4 group buses, group gain,
// sum to master), both measured in this run. Not a test: prints numbers for docs/benchmarks.md.
#include "Engine/Engine.h"
#include "Session/MediaLoader.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

using namespace cuegrid;
using Clock = std::chrono::steady_clock;

namespace
{
    constexpr double rate = 48000.0;
    constexpr int blockSize = 128, blocks = 10000, voices = 24;  // 10000 blocks = 26.7 s < 30 s clips

    /** 30 s of real audio: corpus files back to back, resampled to 48 kHz, stereo. */
    ClipAudioPtr longClip (const std::string& corpus, int offset)
    {
        const char* names[] = { "p05_lmms_e_organ.wav", "p08_sonicpi_haunted_hum.wav", "p07_sonicpi_bass_thick.wav",
                                "p09_lmms_chorus_dc_offset.wav", "p11_lmms_epiano_chord.wav" };
        std::vector<std::vector<float>> channels (2);
        for (int i = 0; channels[0].size() < (size_t) (30 * rate); ++i)
        {
            const auto loaded = loadMedia (corpus + "/" + names[(i + offset) % 5], rate);
            for (int c = 0; c < 2; ++c)
                channels[(size_t) c].insert (channels[(size_t) c].end(), loaded.audio->getChannel (c),
                                             loaded.audio->getChannel (c) + loaded.audio->getNumFrames());
        }
        return std::make_shared<const ClipAudio> (std::move (channels), rate);
    }

    struct Timing { double mean = 0, worst = 0; };

    template <typename Work>
    Timing measure (Work&& work)
    {
        Timing timing;
        for (int block = 0; block < blocks; ++block)
        {
            const auto start = Clock::now();
            work (block);
            const auto micros = std::chrono::duration<double, std::micro> (Clock::now() - start).count();
            timing.mean += micros;
            timing.worst = std::max (timing.worst, micros);
        }
        timing.mean /= blocks;
        return timing;
    }
} // namespace

int main (int argc, char** argv)
{
    const std::string corpus = argc > 1 ? argv[1] : CUEGRID_BENCH_CORPUS;
    std::vector<ClipAudioPtr> clips;
    for (int i = 0; i < 5; ++i)
        clips.push_back (longClip (corpus, i));

    auto engine = std::make_unique<Engine>();
    engine->prepare (rate, blockSize);
    for (int voice = 0; voice < voices; ++voice)
    {
        EngineCommand trigger;
        trigger.type = EngineCommand::Type::trigger;
        trigger.clipSlot = voice;
        trigger.group = voice % 4;
        trigger.audio = clips[(size_t) voice % clips.size()].get();
        trigger.sampleTime = 0;
        engine->post (trigger);
        EngineCommand gain;
        gain.type = EngineCommand::Type::setClipGain;
        gain.clipSlot = voice;
        gain.value = -12.0f;
        engine->post (gain);
    }
    EngineCommand audition;
    audition.type = EngineCommand::Type::audition;
    audition.audio = clips[0].get();
    engine->post (audition);

    std::vector<float> buffers (4 * blockSize);
    float* outputs[] = { buffers.data(), buffers.data() + blockSize, buffers.data() + 2 * blockSize, buffers.data() + 3 * blockSize };
    EngineEvent event;
    const auto engineTiming = measure ([&] (int) { engine->process (outputs, 4, blockSize); });
    while (engine->popEvent (event)) {}
    const auto status = engine->getVoiceStatus();
    int playing = 0;
    for (const auto& entry : status.voices)
        playing += entry.clipSlot >= 0 || entry.cueOut > 0 ? 1 : 0;

    // The bare loop: the same sample reads, gains and sums, nothing else.
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

    const double deadline = blockSize / rate * 1.0e6;
    std::printf ("engine_bench: %d blocks of %d frames at %.0f Hz, %d voices playing (24 group + audition)\n",
                 blocks, blockSize, rate, playing);
    std::printf ("  deadline            %8.1f us\n", deadline);
    std::printf ("  engine  mean        %8.2f us  = %5.2f %% of deadline\n", engineTiming.mean, 100.0 * engineTiming.mean / deadline);
    std::printf ("  engine  worst       %8.2f us  = %5.2f %% of deadline\n", engineTiming.worst, 100.0 * engineTiming.worst / deadline);
    std::printf ("  bare loop mean      %8.2f us  (worst %.2f us)\n", bareTiming.mean, bareTiming.worst);
    std::printf ("  engine / bare loop  %8.2f x\n", engineTiming.mean / bareTiming.mean);
    return 0;
}
