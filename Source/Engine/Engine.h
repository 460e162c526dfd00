// CueGrid — GPL-3.0-or-later
#pragma once

#include "ClipAudio.h"
#include "CommandScheduler.h"
#include "EngineMessages.h"
#include "GainRamp.h"
#include "SeqLock.h"
#include "SpscFifo.h"
#include "Voice.h"

#include <array>
#include <atomic>
#include <vector>

namespace cuegrid
{

/** What the audio thread last reported about its voices; read by the GUI for progress. */
struct VoiceStatus
{
    struct Entry
    {
        int32_t clipSlot = -1;   // -1: free
        int32_t group = -1;
        int64_t position = 0;    // frames played
        int64_t length = 0;      // frames in the clip
        bool stopping = false;
    };

    static constexpr int groupVoiceSlots = 32;  // 24 playing voices + 8 fade-out tails
    static constexpr int auditionVoiceSlots = 2;
    std::array<Entry, groupVoiceSlots + auditionVoiceSlots> voices {};
    int64_t samplePosition = 0;
    int32_t playingGroupVoices = 0;
};

/** CueGrid's audio engine: a fixed voice pool, four Clip Group buses (A–D), the Audition
    bus and a stereo master, driven by sample-timed commands.

    The same process() runs in the device callback and in offline render, so both produce
    the same samples. Everything process() touches is allocated in prepare().

    Threads:
    - audio thread: process() (device callback, or the offline renderer's loop);
    - control thread: post(), popEvent() and the getters (GUI message thread, CLI main or
      feeder thread). post() has one producer at a time; popEvent() one consumer.
    - prepare() only while process() cannot run (before the device starts).

    Voice pool (session spec "Voice Pool Configuration"): 24 stereo voices shared by Groups
    A–D, plus 8 slots that only finish 1 ms fade-outs of stopped, stolen or retriggered
    voices; 1 dedicated Audition voice (+1 fade-out slot). When 24 voices play, a new trigger
    steals the oldest one (FIFO allocation order), which fades out over 1 ms.

    Output channels: 0/1 = master (Groups A–D). Audition goes to channels 2/3 when the device
    has them, otherwise it is added to 0/1 (see setAuditionToMainOutputs).
*/
class Engine
{
public:
    static constexpr int maxPlayingGroupVoices = 24;
    static constexpr int groupVoiceSlots = VoiceStatus::groupVoiceSlots;
    static constexpr int auditionVoiceSlots = VoiceStatus::auditionVoiceSlots;
    static constexpr int maxClipSlots = 100000;  // = limits::maxClips (Session/Limits.h)
    static constexpr int commandQueueCapacity = 8192;
    static constexpr int eventQueueCapacity = 16384;

    Engine();

    /** Allocates buses for blocks up to maximumBlockSize at sampleRate and resets all state
        (voices stop, gains to unity, timeline to 0). Not on the audio thread. */
    void prepare (double sampleRate, int maximumBlockSize);

    /** Renders numFrames into outputs[0 … numOutputChannels-1] (each numFrames floats),
        executing every command whose time falls inside the block at its exact sample.
        Audio thread. Wait-free: no allocation, lock, I/O or exception. */
    void process (float* const* outputs, int numOutputChannels, int numFrames) noexcept;

    /** Control thread. Queues a command; false if the queue is full (nothing queued). */
    bool post (EngineCommand command) noexcept;

    /** Control thread. Takes the next event; false if none. */
    bool popEvent (EngineEvent& event) noexcept { return events.pop (event); }

    /** Any thread. Samples processed since prepare() (the engine timeline). */
    int64_t getSamplePosition() const noexcept { return samplePosition.load (std::memory_order_acquire); }

    double getSampleRate() const noexcept { return sampleRate; }
    int getProtectionFadeLength() const noexcept { return fadeLength; }

    /** Any thread. The voice table as of the end of the last block. */
    VoiceStatus getVoiceStatus() const noexcept { return voiceStatus.read(); }

    /** Any thread. Callback time / block duration, smoothed (0 … 1+). */
    float getLoad() const noexcept { return load.load (std::memory_order_relaxed); }

    /** Any thread. Commands the audio thread has taken from its queue so far. */
    uint64_t getCommandsReceived() const noexcept { return commandsReceived.load (std::memory_order_acquire); }

    /** Control thread. Commands posted so far (the fence ClipReleasePool waits for). */
    uint64_t getCommandsPosted() const noexcept { return commandsPosted; }

    /** Any thread. Events lost because the event queue was full. */
    int getEventsDropped() const noexcept { return eventsDropped.load (std::memory_order_relaxed); }

    /** Before start. Whether to time each process() call against its deadline and report
        overloads (true for a device callback, false for offline render). */
    void setReportOverloads (bool shouldReport) noexcept { reportOverloads = shouldReport; }

    /** Before start. With fewer than 4 output channels, add Audition to the main pair. */
    void setAuditionToMainOutputs (bool shouldAdd) noexcept { auditionToMain = shouldAdd; }

private:
    struct StereoBus
    {
        std::vector<float> left, right;
        void allocate (int frames) { left.assign ((size_t) frames, 0.0f); right.assign ((size_t) frames, 0.0f); }
        void clear (int frames) noexcept;
    };

    void receiveCommands() noexcept;
    void processChunk (float* const* outputs, int numOutputChannels, int offset, int numFrames) noexcept;
    void renderSegment (int offset, int numFrames, int64_t time) noexcept;
    void execute (const EngineCommand& command, int64_t time) noexcept;
    void startVoice (const EngineCommand& command, int64_t time) noexcept;
    void beginStop (Voice& voice, int64_t time, VoiceEndReason reason) noexcept;
    void finishVoice (Voice& voice, int64_t time) noexcept;
    Voice* allocateGroupVoice (int64_t time) noexcept;
    void emit (const EngineEvent& event) noexcept;
    void publishStatus() noexcept;
    void updateMeters (int numFrames) noexcept;
    void accumulatePeak (int meterChannel, const float* samples, int numFrames) noexcept;
    int voiceIndex (const Voice& voice) const noexcept;

    // Written by prepare() (control thread, audio stopped); read by the audio thread.
    double sampleRate = 48000.0;
    int maximumBlock = 0;
    int fadeLength = 48;
    bool reportOverloads = false;
    bool auditionToMain = true;

    // Control thread → audio thread. Producer: the one control thread; consumer: audio thread.
    SpscFifo<EngineCommand, commandQueueCapacity> commands;
    uint64_t commandsPosted = 0;  // control thread only

    // Audio thread → control thread. Producer: audio thread; consumer: the control thread.
    SpscFifo<EngineEvent, eventQueueCapacity> events;

    // Audio thread only (after prepare()).
    CommandScheduler<commandQueueCapacity> scheduler;
    std::array<Voice, groupVoiceSlots> groupVoices {};
    std::array<Voice, auditionVoiceSlots> auditionVoices {};
    uint64_t nextStartOrder = 0;
    std::vector<GainRamp> clipGains;                      // maxClipSlots entries
    std::array<GainRamp, groupCount> groupGains {}, groupMutes {};
    GainRamp masterGain, auditionGain;
    std::array<StereoBus, groupCount> groupBuses;
    StereoBus auditionBus, masterBus;
    int64_t timelinePosition = 0;
    std::array<float, EngineEvent::meterChannels> meterPeaks {};
    int64_t meterInterval = 2400, meterCountdown = 2400;
    double smoothedLoad = 0.0;

    // Written by the audio thread; read by any thread.
    std::atomic<int64_t> samplePosition { 0 };
    std::atomic<uint64_t> commandsReceived { 0 };
    std::atomic<int> eventsDropped { 0 };
    std::atomic<float> load { 0.0f };
    SeqLock<VoiceStatus> voiceStatus;
};

} // namespace cuegrid
