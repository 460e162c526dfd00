// CueGrid — GPL-3.0-or-later
#pragma once

#include "EngineMessages.h"

#include <array>
#include <cstdint>
#include <vector>


namespace cuegrid
{

/** What the meters last measured, published by the audio thread (a SeqLock snapshot and a
    meter event) every 25 ms. Channels: groups A–D (L, R), audition (L, R), master (L, R). */
struct MeterSnapshot
{
    static constexpr int channels = EngineEvent::meterChannels;
    int64_t sampleTime = 0;                   // engine time of the measurement's end
    std::array<float, channels> peak {};      // sample peak over the last 25 ms, linear
    std::array<float, channels> peakHold {};  // highest peak of the last 1.5 s, linear
    std::array<float, channels> rms {};       // RMS over the last 300 ms, linear
    std::array<uint32_t, channels> clips {};  // samples at or above 0 dBFS since prepare (clip indicator)
    float lufsMomentary = -200.0f;            // master, LUFS, 400 ms (EBU R 128 via libebur128), every 100 ms; -200 = silence
    float lufsShortTerm = -200.0f;            // master, LUFS, 3 s, every 100 ms
    float gainReductionDb = 0.0f;             // master limiter, deepest over the last 25 ms, dB ≥ 0
};

/** The engine's meters: sample peak with hold and clip count, RMS over 300 ms (thirty 10 ms
    bins, so the window moves in 10 ms steps), and for the master EBU R 128 momentary (400 ms)
    and short-term (3 s) loudness, updated every 100 ms (EBU Tech 3341 asks for ≥ 10 Hz).
    libebur128 (histogram mode: it never allocates) K-weights the master and gives the
    loudness of each 100 ms block; momentary and short-term are the mean energy of the last 4
    and 30 blocks (ITU-R BS.1770 sums mean squares over the window, so this is exact). Asking
    libebur128 for the 400 ms and 3 s windows directly re-sums them on every query (31 µs and
    236 µs per call, design-facts §6), too much for the audio thread at 10 Hz.
    Audio thread only after prepare().
*/
class BusMeters
{
public:
    BusMeters() = default;
    ~BusMeters();
    BusMeters (const BusMeters&) = delete;
    BusMeters& operator= (const BusMeters&) = delete;

    /** Allocates for blocks up to maximumBlockSize. Not on the audio thread. */
    void prepare (double sampleRate, int maximumBlockSize);

    /** Measures from `offset` on: `channels[c]` holds the samples of meter channel c (the
        master pair last, after the limiter), `limiterGain` the limiter's gain per sample.
        Stops after at most `numFrames` samples, or at the end of a 25 ms measuring window, so
        that every snapshot covers exactly the same samples whatever the block size; returns
        the samples it took. After a call, isSnapshotReady() says whether a window ended. */
    int measure (const float* const* channels, const float* limiterGain, int offset, int numFrames) noexcept;

    bool isSnapshotReady() const noexcept { return snapshotReady; }

    /** The latest snapshot (sampleTime: samples measured since prepare()). */
    const MeterSnapshot& getSnapshot() const noexcept { return snapshot; }

private:
    void measurePiece (const float* const* channels, const float* limiterGain, int offset, int numFrames) noexcept;
    void publish() noexcept;

    static constexpr int binsInWindow = 30;   // 30 × 10 ms = 300 ms
    static constexpr int loudnessBlocks = 30; // 30 × 100 ms = 3 s (short-term); the last 4 make 400 ms (momentary)
    void* loudness = nullptr;                 // ebur128_state*, opaque here to keep <ebur128.h> out of the engine's header
    std::vector<float> interleaved;           // the master pair, interleaved for libebur128
    int binLength = 480, binFill = 0;
    int64_t publishInterval = 1200, publishCountdown = 1200, holdLength = 72000;
    int64_t loudnessInterval = 4800, loudnessCountdown = 4800;  // 100 ms
    std::array<double, loudnessBlocks> blockEnergy {};           // K-weighted mean square of each 100 ms block
    int blockIndex = 0;
    void measureLoudnessBlock() noexcept;
    std::array<float, MeterSnapshot::channels> peaks {};
    std::array<double, MeterSnapshot::channels> binSums {};
    std::array<std::array<double, binsInWindow>, MeterSnapshot::channels> binHistory {};
    int binIndex = 0;
    std::array<int64_t, MeterSnapshot::channels> holdLeft {};
    float lowestGain = 1.0f;                  // the limiter's, over the current window
    bool snapshotReady = false;
    int64_t time = 0;
    MeterSnapshot snapshot;
};

} // namespace cuegrid
