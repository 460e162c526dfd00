// CueGrid — GPL-3.0-or-later
#pragma once

#include "BusMeters.h"
#include "ClipAudio.h"
#include "CommandScheduler.h"
#include "EngineMessages.h"
#include "EngineTimecode.h"
#include "GainRamp.h"
#include "PeakLimiter.h"
#include "RecordBus.h"
#include "SeqLock.h"
#include "SpscFifo.h"
#include "StreamPlayheads.h"
#include "Voice.h"

#include <array>
#include <atomic>
#include <memory>
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
        int64_t position = 0;    // next frame of the file to read
        int64_t played = 0;      // samples played (elapsed; a held pause does not count)
        int64_t remaining = 0;   // samples to the end (loops to come and a stop fade counted); -1 = loops until stopped
        int64_t cueIn = 0, cueOut = 0;  // the played region of the file, frames
        int32_t loopsLeft = 0;   // loop wraps still to come; -1 = until stopped
        bool stopping = false;   // fading out to its end (stop, fade, cut)
        bool paused = false;     // pausing or paused
        bool looping = false;    // will still wrap back to loop in
        bool fadingIn = false;   // in its fade-in (or resume fade)
    };

    static constexpr int groupVoiceSlots = 48;  // 24 playing voices + 24 fade-out tails
    static constexpr int auditionVoiceSlots = 2;
    std::array<Entry, groupVoiceSlots + auditionVoiceSlots> voices {};
    int64_t samplePosition = 0;
    int32_t playingGroupVoices = 0;
};

/** One callback's place on the engine timeline against the monotonic clock: what mirroring
    needs to stamp a command with the sample it ran at and to compare two machines' timelines
    (Control/MirrorClock). Plain data, published by the audio thread every callback. */
struct EngineClockMark
{
    uint64_t callback = 0;          // callbacks since the engine was made (1-based; 0 = none yet)
    int64_t blockStart = 0;         // engine time of the callback's first sample
    int64_t wallNanos = 0;          // std::chrono::steady_clock (ns) when the callback began
    int32_t frames = 0;             // the callback's length
    double sampleRate = 0.0;        // the engine's rate
    uint64_t commandsReceived = 0;  // commands taken from the queue up to and including this callback
};

/** CueGrid's audio engine: a fixed voice pool, four Clip Group buses (A–D), the Audition
    bus and a stereo master with a safety limiter, driven by sample-timed commands.

    The same process() runs in the device callback and in offline render, so both produce
    the same samples. Everything process() touches is allocated in prepare().

    Threads:
    - audio thread: process() (device callback, or the offline renderer's loop);
    - control thread: post(), popEvent() and the getters (GUI message thread, CLI main or
      feeder thread). post() has one producer at a time; popEvent() one consumer.
    - prepare() only while process() cannot run (before the device starts).

    Voice pool (session spec "Voice Pool Configuration"): 24 voices shared by Groups A–D, plus
    24 slots that only finish the fade-outs of stopped, faded, stolen or retriggered voices;
    1 dedicated Audition voice (+1 fade-out slot). When 24 voices play, a new trigger steals
    the oldest one (FIFO allocation order) with the 1 ms protection fade. A group in choke mode
    (limit 1–3) steals its own oldest voice the same way. Voices fading out never count.

    Signal flow (per sample, split exactly at every command): voices (envelopes × clip gain ×
    pan) → group buses (× fader × mute) → the master (× master gain → limiter, which delays by
    getLatency()), or a group's own output channels; the audition bus (× audition gain) to its
    channels. Every bus that bypasses the limiter is delayed by the same latency, so all outputs
    stay aligned. Routing: OutputRouting (setRouting).
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
    static constexpr int maxChokeLimit = 3;

    Engine();

    /** Allocates buses for blocks up to maximumBlockSize at sampleRate and resets all state
        (voices stop, gains to unity, pans centred, routing and limiter to defaults, timeline
        to 0). Not on the audio thread. */
    void prepare (double sampleRate, int maximumBlockSize);

    /** Renders numFrames into outputs[0 … numOutputChannels-1] (each numFrames floats),
        executing every command whose time falls inside the block at its exact sample.
        Audio thread. Wait-free: no allocation, lock, I/O or exception. */
    void process (float* const* outputs, int numOutputChannels, int numFrames) noexcept
    {
        process (nullptr, 0, outputs, numOutputChannels, numFrames);
    }

    /** The same, with the device's inputs (numInputChannels channels of numFrames floats, may
        be none): the record buses take their channels from them (RecordInputs), sample-exact
        from a recordStart's sample to a recordStop's. Audio thread; wait-free. */
    void process (const float* const* inputs, int numInputChannels,
                  float* const* outputs, int numOutputChannels, int numFrames) noexcept;

    /** Record A (0) or B (1): its ring, read by the recording writer thread (the ring's one
        consumer), and its meter and take length for any thread. See RecordBus. */
    RecordBus& getRecordBus (int bus) noexcept { return recordBuses[(size_t) bus]; }

    /** Before prepare(). Seconds of audio each record bus's ring holds (default 4 s): how long
        the recording writer may fall behind before frames are lost. */
    void setRecordRingSeconds (double seconds) noexcept { recordRingSeconds = seconds; }

    /** Control thread. Queues a command; false if the queue is full (nothing queued). */
    bool post (EngineCommand command) noexcept;

    /** Control thread. Takes the next event; false if none. */
    bool popEvent (EngineEvent& event) noexcept { return events.pop (event); }

    /** Any thread. Samples processed since prepare() (the engine timeline). */
    int64_t getSamplePosition() const noexcept { return samplePosition.load (std::memory_order_acquire); }

    double getSampleRate() const noexcept { return sampleRate; }
    int getProtectionFadeLength() const noexcept { return fadeLength; }

    /** Samples every output is delayed by (the limiter's look-ahead, enabled or not): an event
        at engine time t is heard at output sample t + getLatency(). Offline render drops them. */
    int getLatency() const noexcept { return limiter.getLatency(); }

    /** Any thread. The voice table as of the end of the last block. */
    VoiceStatus getVoiceStatus() const noexcept { return voiceStatus.read(); }

    /** Any thread. The meters as of their last measurement (every 25 ms of audio). */
    MeterSnapshot getMeters() const noexcept { return meterSnapshot.read(); }

    /** Any thread. Callback time / block duration, smoothed (0 … 1+). */
    float getLoad() const noexcept { return load.load (std::memory_order_relaxed); }

    /** Any thread. Commands the audio thread has taken from its queue so far. */
    uint64_t getCommandsReceived() const noexcept { return commandsReceived.load (std::memory_order_acquire); }

    /** Any thread. The last `clockMarkCount` callbacks' marks, newest first, into `marks`
        (at most marks.size()); returns how many (0 before the first callback). Lock-free: a
        mark overwritten while read is skipped. */
    static constexpr int clockMarkCount = 32;
    int getClockMarks (EngineClockMark* marks, int maxMarks) const noexcept;

    /** Any thread. The mark of the callback that received the command posted as number
        `postCount` (getCommandsPosted() right after its post), i.e. where an immediate command
        ran: its blockStart. False while it is not received yet, or when that callback is
        older than the last clockMarkCount. */
    bool findClockMarkOfCommand (uint64_t postCount, EngineClockMark& mark) const noexcept;

    /** Control thread. Commands posted so far (the fence ClipReleasePool waits for). */
    uint64_t getCommandsPosted() const noexcept { return commandsPosted; }

    /** Any thread. Events lost because the event queue was full. */
    int getEventsDropped() const noexcept { return eventsDropped.load (std::memory_order_relaxed); }

    /** Before start. Whether to time each process() call against its deadline and report
        overloads (true for a device callback, false for offline render). */
    void setReportOverloads (bool shouldReport) noexcept { reportOverloads = shouldReport; }

    /** Before start. Offline render: a streamed clip's chunk that is not in memory is loaded
        (the call blocks) instead of playing as silence with an underrun event. */
    void setWaitForMedia (bool shouldWait) noexcept { waitForMedia = shouldWait; }

    /** Before start. When the audio bus's channels are past the device's, add it to the master's. */
    void setAuditionToMainOutputs (bool shouldAdd) noexcept { auditionToMain = shouldAdd; }

    /** The master clock (issue 12): the LTC input, the clock manager run at every callback's
        start and the clips' timecode triggers. Configure it before prepare(); see EngineTimecode
        for the threads of each call. */
    EngineTimecode& getTimecode() noexcept { return *timecode; }

private:
    struct StereoBus
    {
        std::vector<float> left, right;
        void allocate (int frames) { left.assign ((size_t) frames, 0.0f); right.assign ((size_t) frames, 0.0f); }
        void clear (int frames) noexcept;
    };

    void receiveCommands() noexcept;
    /** Renders up to numFrames (fewer when a routing or limiter change is due); returns how many. */
    int processChunk (float* const* outputs, int numOutputChannels, int offset, int numFrames) noexcept;
    void renderSegment (int offset, int numFrames, int64_t time) noexcept;
    void routeOutputs (float* const* outputs, int numOutputChannels, int offset, int numFrames) noexcept;
    void execute (const EngineCommand& command, int64_t time) noexcept;
    void startVoice (const EngineCommand& command, int64_t time) noexcept;
    bool handleRetrigger (const EngineCommand& command, int64_t time) noexcept;
    void fadeOut (Voice& voice, int64_t time, int length, FadeCurve curve, VoiceEndReason reason) noexcept;
    void cut (Voice& voice, int64_t time, VoiceEndReason reason) noexcept;
    void pauseVoice (Voice& voice, int64_t time) noexcept;
    void resumeVoice (Voice& voice, int64_t time) noexcept;
    void panic (const EngineCommand& command, int64_t time) noexcept;
    void finishVoice (Voice& voice, int64_t time) noexcept;
    Voice* allocateGroupVoice (int64_t time) noexcept;
    void emit (const EngineEvent& event) noexcept;
    void flushEvents() noexcept;
    void emitVoiceEvent (EngineEvent::Type type, const Voice& voice, int64_t time, int64_t length = 0,
                         uint64_t commandSequence = 0) noexcept;
    void publishStatus() noexcept;
    void publishMeters() noexcept;
    void captureInputs (int64_t until) noexcept;
    void recordCommand (const EngineCommand& command, int64_t time) noexcept;
    void emitRecordEvent (EngineEvent::Type type, int bus, int64_t time, int64_t length, int64_t lateBy = 0) noexcept;
    // Streaming (EngineStreaming.cpp): underrun events and the playheads the readers follow.
    void reportUnderrun (Voice& voice) noexcept;
    void reportUnderruns() noexcept;
    void publishPlayheads() noexcept;
    static bool groupFeedsMaster (const OutputRouting& map, int group, int numOutputChannels) noexcept;
    int voiceIndex (const Voice& voice) const noexcept;
    template <typename Function> void forEachVoice (bool withAudition, Function&& function) noexcept;

    // Written by prepare() (control thread, audio stopped); read by the audio thread.
    double sampleRate = 48000.0;
    int maximumBlock = 0;
    int fadeLength = 48;
    bool reportOverloads = false;
    bool auditionToMain = true;
    double recordRingSeconds = 4.0;
    bool waitForMedia = false;

    // Control thread → audio thread. Producer: the one control thread; consumer: audio thread.
    SpscFifo<EngineCommand, commandQueueCapacity> commands;
    uint64_t commandsPosted = 0;  // control thread only

    // Audio thread → control thread. Producer: audio thread; consumer: the control thread.
    SpscFifo<EngineEvent, eventQueueCapacity> events;

    // Audio thread only (after prepare()).
    CommandScheduler<commandQueueCapacity> scheduler;
    std::array<EngineEvent, 256> pendingEvents;           // this block's events, pushed in timeline order
    std::array<uint16_t, 256> pendingOrder {};
    int pendingEventCount = 0;
    uint64_t panicFence = 0;                              // last Panic's sequence + 1: feeds that started before it are cancelled
    std::array<Voice, groupVoiceSlots> groupVoices {};
    std::array<Voice, auditionVoiceSlots> auditionVoices {};
    uint64_t nextStartOrder = 0;
    std::vector<GainRamp> clipGains, clipPans;            // maxClipSlots entries each
    std::array<GainRamp, groupCount> groupGains {}, groupMutes {};
    std::array<int, groupCount> chokeLimits {};           // 0 = free, 1–3 = choke mode
    GainRamp masterGain, auditionGain, centrePan, unityGain;
    OutputRouting routing;                                // bus side (which groups feed the master), from setRouting's sample
    OutputRouting outputRouting;                          // output side: the same, a latency later
    std::array<int64_t, 8> pendingRoutingTimes {};        // output-side changes still to come, in time order
    std::array<OutputRouting, 8> pendingRoutingValues {};
    int pendingRoutings = 0;
    std::array<StereoBus, groupCount> groupBuses;
    StereoBus auditionBus, masterBus;
    std::array<std::vector<float>, 2 * (groupCount + 1)> delayLines;  // groups and audition: the limiter's latency
    int delayIndex = 0;
    PeakLimiter limiter;
    std::vector<float> limiterGain;                       // the limiter's gain per sample of the chunk
    BusMeters meters;
    int currentOutputChannels = 2;                        // of the process() call under way
    std::array<RecordBus, recordBusCount> recordBuses;    // rings: the audio thread produces, the recording writer consumes
    RecordInputs recordInputs;
    const float* const* currentInputs = nullptr;          // of the process() call under way
    int currentInputChannels = 0;
    int64_t callbackStartNanos = 0;                       // audio thread: steady_clock at process()'s start (ns)
    int64_t blockStart = 0;                               // engine time of the process() call's first sample
    int64_t recordCursor = 0;                             // engine time the record buses have taken the inputs up to
    int64_t timelinePosition = 0;
    double smoothedLoad = 0.0;

    // Written by the audio thread; read by any thread.
    std::atomic<int64_t> samplePosition { 0 };
    std::atomic<uint64_t> commandsReceived { 0 };
    std::atomic<int> eventsDropped { 0 };
    std::atomic<float> load { 0.0f };
    SeqLock<VoiceStatus> voiceStatus;
    SeqLock<MeterSnapshot> meterSnapshot;
    // Mirroring's clock: the audio thread writes clockMarks[callback % clockMarkCount], then
    // bumps clockCallbacks (release); the mirror sender and receiver threads read them.
    std::array<SeqLock<EngineClockMark>, clockMarkCount> clockMarks;
    std::atomic<uint64_t> clockCallbacks { 0 };
    StreamPlayheads playheads;   // the audio thread writes, the media cache's readers read (see there)
    std::unique_ptr<EngineTimecode> timecode;   // see EngineTimecode (its own threads' rules)
    std::array<EngineCommand, EngineTimecode::maxFiresPerBlock> timecodeCommands {};   // audio thread only
};

template <typename Function>
inline void Engine::forEachVoice (bool withAudition, Function&& function) noexcept
{
    for (auto& voice : groupVoices)
        if (voice.isActive())
            function (voice);
    if (withAudition)
        for (auto& voice : auditionVoices)
            if (voice.isActive())
                function (voice);
}

} // namespace cuegrid
