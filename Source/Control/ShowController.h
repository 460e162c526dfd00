// CueGrid — GPL-3.0-or-later
#pragma once

#include "Engine/ClipReleasePool.h"
#include "Engine/TimecodeTriggerTable.h"
#include "Session/TimecodeEventLog.h"
#include "Engine/DeviceSetup.h"
#include "Engine/Engine.h"
#include "Engine/EngineDeviceCallback.h"
#include "Control/ClipSlots.h"
#include "Control/SessionEditor.h"
#include "Session/EventLog.h"
#include "Session/MediaLoadQueue.h"
#include "Session/SessionMediaLoader.h"
#include "Session/RecordingWriter.h"
#include "Session/SessionMedia.h"

#include <juce_audio_devices/juce_audio_devices.h>

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cuegrid
{

/** The live-show side of CueGrid for one session: owns the Engine and its device callback,
    turns operator actions (fire, stop, pause, fade all, panic, audition, faders, mutes,
    routing) into engine commands, and turns engine events into state the UI shows and the
    NDJSON event log.

    Message thread only (it is the engine's single command producer and event consumer).
    No GUI dependency: the app's components and tests drive it alike.
*/
class ShowController
{
public:
    explicit ShowController (juce::AudioDeviceManager& deviceManager);
    ~ShowController();

    /** Loads a session: the manifest here (throws InputError when malformed; the previous
        session stays loaded), the media in the background. The session is installed at once,
        every clip loading (isMediaLoading; a trigger is refused with that reason); two loader
        threads (SessionMediaLoader) read each file once, in the grid's order (page by page, tab
        by tab; prioritiseMedia() moves the tab on screen ahead), and update() gives each file's
        media to its clips as soon as its head is in memory. getMediaProgress() counts them;
        a "mediaLoaded" event is logged when all are. Media errors are per clip (mediaError).
        Message thread; never reads media. */
    void loadSession (const std::string& path);

    /** Loads `session` as if read from `path` (media resolved against path's folder): a
        session restored from a recovery point keeps its own file's path. */
    void loadSession (const std::string& path, Session session);

    /** Opens the default device (JACK, else ALSA; or the first device of the JUCE device type
        `type`, e.g. a test's) at the session's rate. Returns "" or why not; without a device
        the app keeps running and says so. */
    std::string openDefaultDevice (const std::string& type = {});

    /** Writes every engine event as NDJSON to `path` from now on. Throws OutputError if the
        file cannot be created; later write failures (a full disk) never throw: lines are
        dropped, the write is retried every 3 s, and getWriteProblem() says so. */
    void setEventLog (const std::string& path);

    const Session& getSession() const noexcept { return loaded.session; }
    const std::string& getSessionPath() const noexcept { return loaded.path; }
    bool hasMedia (int clip) const;
    /** The clip's media length in frames at the engine's rate; 0 without media. */
    int64_t getMediaFrames (int clip) const;
    std::string mediaError (int clip) const;
    /** A clip that loads with a warning (e.g. a truncated file): the warning, else empty. */
    std::string mediaWarning (int clip) const;
    /** The engine clip slot clip index `clip` plays in (ClipSlots), or -1. */
    int engineSlotOf (int clip) const noexcept { return slots.slotOf (clip); }
    /** True while the clip's media is decoded in the background (a clip just added): it has
        no media yet, and a trigger is refused with that reason (getActionProblem). */
    bool isMediaLoading (int clip) const;
    /** Called on the message thread (from update()) when media decoded in the background
        was given to its clips: hasMedia() and mediaError() have changed. */
    std::function<void()> onMediaLoaded;
    /** Blocks until the background loading is done (an opened session's and added clips')
        and gives the media to its clips (tests, scripted starts, the CLI-like paths). False
        after `timeoutSeconds`. Message thread. */
    bool waitForMedia (double timeoutSeconds);

    /** The media of these clips (indices) is loaded before any other still waiting: the UI
        calls it with the clips of the tab it shows, whenever that changes. Message thread. */
    void prioritiseMedia (const std::vector<int>& clips);

    /** How far the loading of the session's media is (the status bar's "Loading media
        120 / 4096"): clips given their media (or an error) of all clips, files read of the
        distinct files (0 until the loader has grouped them), seconds since the session was
        installed (the whole load once done). Message thread. */
    struct MediaProgress
    {
        int clipsLoaded = 0, clipsTotal = 0, filesLoaded = 0, filesTotal = 0;
        double seconds = 0.0;
        bool done = true;
    };
    MediaProgress getMediaProgress() const;

    /** Media decoded ahead, off the message thread (MediaImporter), for a clip about to be
        added with `file` (as the manifest writes it): the next edit that adds clips uses it
        instead of decoding the file on the message thread. Unused media is dropped after that
        edit. Message thread. */
    void useDecodedMedia (const std::string& file, MediaLoadResult media) { decodedAhead[file] = std::move (media); }
    /** The rate (Hz) clip media is decoded at: the running device's, else the session's. */
    double getMediaRate() const noexcept { return mediaRate > 0.0 ? mediaRate : loaded.session.sampleRate; }

    // Operator actions. Each takes effect at the start of the next audio block.
    /** A click on a clip button: a Trigger. The clip's `retrigger` mode decides what it does
        to a voice of the clip that is already playing (restart, stop, pause, layer). */
    void fireClip (int clip) { triggerClip (clip); }
    /** Where the next triggerClip() came from ("mouse", "osc" …) and when its input arrived
        (juce::Time::getMillisecondCounterHiRes(), ms: CLOCK_MONOTONIC, as steady_clock). When
        the voice it starts renders its first sample, the arrival → first sample time is written
        in the voiceStart event line ("source", "latencyMs") and kept per source
        (getTriggerLatencies). ShowActions calls it. Message thread. */
    void setTriggerOrigin (const std::string& source, double arrivalMs) { nextOrigin = { source, arrivalMs }; }
    struct TriggerLatency
    {
        double lastMs = 0.0, maxMs = 0.0;   // arrival → first sample
        int count = 0;
    };
    /** By source name. Message thread. */
    const std::map<std::string, TriggerLatency>& getTriggerLatencies() const noexcept { return triggerLatencies; }
    /** The last clip start with a known origin: "3.1 ms (osc)", or "". */
    std::string describeLastTriggerLatency() const;

    /** Starts the clip with its VoicePlayback (fades, cue region, loop, solo, retrigger),
        `offsetSec` (s) into its cue region (a backup catching up with its primary).
        Without a running device: not played, getActionProblem() says so. */
    void triggerClip (int clip, double offsetSec = 0.0);

    /** Mirroring (the backup): the engine commands posted from now on go at engine sample
        `sampleTime` instead of the next block, until it is set back to `immediately`.
        Message thread. */
    void setCommandTime (int64_t sampleTime) noexcept { commandTime = sampleTime; }

    /** The engine, for threads that read its lock-free clock (mirroring). Its getters marked
        "any thread" only. */
    const Engine& getEngine() const noexcept { return *engine; }
    /** The engine's master clock (issue 12): its clock manager for the MIDI inputs' MTC peers,
        PTP, the clock panel and the event log. See EngineTimecode for each call's thread. */
    EngineTimecode& getTimecode() noexcept { return engine->getTimecode(); }
    /** Message thread: what chasing clips do when the timecode stops (preference
        ClockPreferences::chaseKeepsRolling): a new trigger table goes to the running engine. */
    void setChaseKeepsRolling (bool keepRolling);
    /** Message thread: the device input carrying LTC (ClockPreferences::ltcChannel, from 1; 0:
        none). The device opens with the inputs up to it enabled and the engine decodes it; a
        change reopens a running device (the LTC decoder is made when the engine is prepared), a
        short audio restart. Returns the device's error, or "". */
    std::string setLtcInputChannel (int channelFrom1);
    /** Message thread: samples from the LTC connector to the engine's input, subtracted from the
        decoded positions (ClockPreferences::ltcLatency), or EngineTimecode::autoLatency (negative):
        what the device reports. A change reopens a running device with an LTC input, as
        setLtcInputChannel does. Returns the device's error, or "". */
    std::string setLtcInputLatency (int64_t samplesOrAuto);
    /** Every voice of the clip fades out over the clip's fadeOutMs (withFade), or with the
        1 ms protection fade (! withFade: "stop now"). */
    void stopClip (int clip, bool withFade = true);
    void stopClipNow (int clip) { stopClip (clip, false); }
    void pauseClip (int clip);        // 1 ms fade, then the read position holds
    void resumeClip (int clip);       // from where it held, with a 1 ms fade-in
    void togglePauseClip (int clip);  // resume if a voice of the clip is paused, else pause
    void stopAll();                   // every group voice and the audition voice, each with its own fadeOut
    /** Every voice, audition included, fades out over `fadeMs` (ms) with `curve`. */
    void fadeAll (double fadeMs = 1000.0, FadeCurve curve = FadeCurve::linear);
    void pauseAll();                  // every group voice pauses
    /** Every voice of group 0–3 fades out with its own fadeOut (stopGroup) or over `fadeMs`
        (ms, fadeGroup). */
    void stopGroup (int group);
    void fadeGroup (int group, double fadeMs, FadeCurve curve = FadeCurve::linear);
    void resumeAll();                 // every paused group voice resumes
    /** Every voice ends with the 1 ms protection fade and every command queued in the engine
        is dropped. Logged as a "panic" event. */
    void panic();
    /** Previews the clip on the Audition bus (its own fades, cue region and loop); the
        previous preview is cut. */
    void auditionClip (int clip);
    void stopAudition();
    void setGroupGain (int group, double decibels);
    void setGroupMute (int group, bool muted);
    /** Master gain (dB), in the session and the engine, with a 20 ms ramp. */
    void setMasterGain (double decibels);
    /** Output routing (1-based device channel pairs), in the session (kept in memory) and the
        engine. A pair the device does not have, or has not enabled, falls back to the master
        (the audition bus to the master's channels). Logged as a "routing" event. */
    void setRouting (const RoutingSettings& routing);

    /** Record A/B (ShowControllerRecording.cpp). recordStart: the buses (recordBusA,
        recordBusB or recordBusBoth) start a take at the next block, written by the recording
        writer thread to `<session folder>/Recordings/` (RecordingWriter); recordStop ends it.
        Without a running device nothing records and getActionProblem() says so. Logged as
        recordStart / recordStop / recordDiscontinuity engine events and the writer's
        recordFile / recordClosed / recordError lines. Message thread. */
    void recordStart (int buses);
    void recordStop (int buses);

    /** What a record button shows. Message thread (takes the bus's input peak since the last
        call: one reader). */
    struct RecordState
    {
        bool recording = false;
        double elapsedSec = 0.0;      // the running (or last) take's length, lost frames included
        float peakLeft = 0.0f, peakRight = 0.0f;   // input sample peak since the last call, linear
        bool hasInputs = false;       // the device passes both of the bus's input channels
        std::string file;             // the running (or last) take's file
    };
    RecordState getRecordState (int bus);

    /** Sets a clip's gain and level trim (dB) in the session and the engine; the voice plays
        at their sum. Logged as a "clipLevels" event. Message thread. */
    void setClipLevels (int clip, double gainDb, double levelTrimDb);

    /** The session, for the SessionEditor (the one writer of the grid and the clips'
        properties while editing). After each edit, undo or redo, call sessionEdited().
        Message thread. */
    Session& getEditableSession() noexcept { return loaded.session; }

    /** Brings the engine and the clips' media in line with an edit of getEditableSession()
        (SessionEditor::onChange). Fades, cue points, loops, retrigger and solo need nothing:
        every trigger computes its VoicePlayback from the session.
        - Change::levelsChanged: the changed clips' gain (gain + level trim) and pan are sent
          with a 20 ms ramp, so a playing voice follows without a click, and logged as a
          "clipLevels" event (gainDb, levelTrimDb, pan).
        - Change::clipListChanged (clips added or removed): every clip keeps its engine slot
          (ClipSlots), so no voice of another clip is touched; a new clip gets a free slot, its
          levels, and its media: decoded ahead (useDecodedMedia), shared with a clip of the
          same file, else decoded on a background thread (MediaLoadQueue) at the engine's rate
          and given to the clip by update() (isMediaLoading() until then). A removed clip's
          voices play on to their end (or until STOP ALL, FADE ALL, PANIC); its slot is freed
          when no voice uses it.
        Message thread. */
    void sessionEdited (const SessionEditor::Change& change);

    /** Appends one line to the event log, if there is one (app-level events). Message thread. */
    void writeEventLog (const nlohmann::ordered_json& line);

    /** Call ~30 times a second: drains events, follows device restarts, notices a lost
        device and tries to reopen it once a second, retries a failing event log, frees
        retired media. Never throws. */
    void update();

    /** What the operator sees of a clip: its most recently started voice that is not fading
        out (else its most recent fading voice). Times in seconds at the engine's rate. */
    struct ClipState
    {
        bool playing = false;         // a voice of the clip is live (playing or paused), not fading out to its end
        bool fading = false;          // every voice of the clip is fading out to its end (stop, fade all)
        bool fadingIn = false;        // in its fade-in or a resume fade
        bool paused = false;          // pausing or paused (holding its read position)
        bool looping = false;         // will still wrap back to loop in
        bool auditioning = false;     // the clip plays on the Audition bus
        int loopsLeft = 0;            // loop wraps still to come; -1 = until stopped
        int voices = 0;               // voices of the clip (layers and fading tails included)
        double progress = 0.0;        // 0 … 1: read position in the cue region
        double elapsedSec = 0.0;      // played (a held pause does not count)
        double remainingSec = 0.0;    // to the end, loops to come and a stop fade counted; -1 = loops until stopped
        double fadeLeft = 0.0;        // fading: 1 … 0, the part of the fade-out still to come
    };
    ClipState getClipState (int clip) const;

    /** Clip indices with a voice in a group (playing, paused or fading), sorted, each once. A
        removed clip that still sounds has no index: see getRetiredVoices(). */
    std::vector<int> getActiveClips() const;
    /** The clip on the Audition bus (not fading out), or -1. */
    int getAuditionClip() const;
    /** Voices (any bus, fading ones too) of clips no longer in the session: a deleted clip
        plays on until its end or STOP ALL. A voice of a relinked clip still playing its old
        media is the clip's, not retired (ClipSlots::clipOfVoice): getClipState shows it. */
    int getRetiredVoices() const;
    /** Voices of group 0–3 playing now (fading tails not counted). */
    int getPlayingVoices (int group) const;

    /** Meters for the UI. `snapshot` is the engine's last measurement (peak hold, RMS, clip
        counts, LUFS); `peaks` and `gainReductionDb` are the highest peak (linear) and deepest
        limiter gain reduction (dB ≥ 0) of every meter event since the last call, so no peak
        between two UI frames is lost. Channels: A–D (L, R), audition (L, R), master (L, R). */
    struct MeterReading
    {
        MeterSnapshot snapshot;
        std::array<float, EngineEvent::meterChannels> peaks {};
        float gainReductionDb = 0.0f;
    };
    MeterReading takeMeters();

    /** Samples every output is delayed by (the limiter's look-ahead) at the engine's rate. */
    int getLatencySamples() const noexcept { return engine->getLatency(); }
    double getSampleRate() const noexcept { return engine->getSampleRate(); }

    /** The session's routing (1-based device channel pairs) in the engine's channel numbers
        for a device that enabled the outputs `enabled` (a bit per device channel, 0-based):
        the engine sees only enabled channels, in order (JUCE passes those alone), so device
        channel c becomes "enabled channels below c". A channel that is not enabled becomes
        one past every engine channel, so the engine falls back (a group to the master, the
        audition bus to the master's channels, the master to the first two). Any thread. */
    static OutputRouting routingForDevice (const RoutingSettings& routing, const juce::BigInteger& enabled);

    /** Output channel names of the open device (all of them, enabled or not), and which are
        enabled (a bit per channel). Empty without a device. */
    juce::StringArray getOutputChannelNames() const;
    juce::BigInteger getActiveOutputChannels() const;

    bool isAudioRunning() const;
    /** True between a device that stopped by itself (a JACK server killed) and its return. */
    bool isDeviceLost() const noexcept { return deviceState == DeviceState::lost; }
    std::string getDeviceDescription() const;
    /** Why there is no audio: "no output devices …", or for a lost device "Audio device
        lost: JACK server stopped — reconnecting… (attempt 4)". */
    std::string getDeviceProblem() const;
    /** A write that failed (event log), in words, while it fails; else "". */
    std::string getWriteProblem() const;
    /** The last operator action that could not be honoured ("\"hum\" not played: no audio
        device"), for 5 s after it; else "". */
    std::string getActionProblem() const;
    float getLoad() const noexcept { return engine->getLoad(); }
    int getPlayingVoices() const noexcept { return voiceStatus.playingGroupVoices; }
    int getXrunCount() const noexcept { return xruns; }
    /** Underrun events so far: a streamed clip's data was late and played as silence. */
    int getUnderrunCount() const noexcept { return underruns; }

private:
    enum class DeviceState { none, running, lost };

    bool post (EngineCommand command);
    void followDevice();
    void deviceWasLost (const std::string& reason);
    void notice (const std::string& text);
    void postSessionState();
    /** Message thread: a new timecode trigger table (the session's clips with a `timecode`, by
        engine slot, with their loaded media) posted to the engine, swapped in at a block boundary;
        the previous one retired to releasePool. Nothing without a running device. */
    void postTimecodeTriggers();
    void reloadMediaIfRateChanged();
    void logEvent (const EngineEvent& event);
    void postCommand (EngineCommand::Type type);
    bool postClipVoice (EngineCommand::Type type, int clip);
    OutputRouting deviceRouting() const;

    juce::AudioDeviceManager& devices;
    std::unique_ptr<Engine> engine;
    EngineDeviceCallback callback;
    LoadedSession loaded;
    ClipSlots slots;                  // clip → engine slot, and each slot's media
    double mediaRate = 0.0;
    std::map<std::string, MediaLoadResult> decodedAhead;  // by file, for clipListEdited (useDecodedMedia)
    void clipListEdited();
    void sendClipLevels (int slot, const ClipDefinition& clip, int32_t rampSamples);
    void releaseRetiredSlots();
    void refuseTrigger (const std::string& id, const std::string& reason);
    /** A voice of `clip` still playing its media from before a relink plays in a retired slot
        the engine's retrigger (per slot) does not see: the clip's retrigger mode is applied to
        it here, from the last voice table (one UI frame old at most). True when the trigger is
        done with (stop, pause), false when the new media should start. */
    bool retriggerEarlierMedia (int clip);
    void takeLoadedMedia();
    void loadAllMedia();              // every clip's media again, in the background (opened session, rate change)
    void takeOpenedMedia (bool& any);
    SessionMediaLoader sessionLoader { 2 };   // reads an opened session's media off the message thread
    uint64_t openingTicket = 0;       // the slots' loadTicket while the opened session's media loads
    bool openingLogged = true;        // the "mediaLoaded" event of openingTicket was written
    static constexpr uint64_t openingTicketBit = uint64_t (1) << 62;   // apart from MediaLoadQueue's tickets
    MediaLoadQueue mediaQueue;        // decodes added clips' media off the message thread
    std::map<uint64_t, std::vector<int>> loadingSlots;  // ticket → the slots it decodes for
    std::string clipIdOfSlot (int slot) const;
    ClipReleasePool releasePool;
    ClipGainTablePtr sessionClipGains;   // the clip gains last sent; the engine may still point at it
    TimecodeTriggerTablePtr sessionTimecodeTriggers;   // the timecode triggers last sent; the engine may still point at it
    bool chaseKeepsRolling = false;      // preference (ClockPreferences); message thread
    int ltcInputChannel = 0;             // preference (ClockPreferences, from 1; 0: none); message thread
    int64_t ltcInputLatency = -1;        // preference (ClockPreferences, samples; -1: the device's); message thread
    void logLtcInput();                  // the "ltcInput" event line after a device (re)start
    std::unique_ptr<TimecodeEventLog> timecodeLog;   // the timecode's fires as event lines; made at each device start
    std::unique_ptr<LiveEventLog> eventLog;
    VoiceStatus voiceStatus;
    std::array<float, EngineEvent::meterChannels> meterPeaks {};
    float meterGainReduction = 0.0f;
    std::array<int64_t, VoiceStatus::groupVoiceSlots + VoiceStatus::auditionVoiceSlots> fadeLengths {};  // per voice slot, from voiceFading
    juce::BigInteger routedChannels;  // the device's enabled outputs the last routing was sent for
    int seenPreparations = 0;
    int xruns = 0, lastDeviceXruns = 0;
    // Record A/B (ShowControllerRecording.cpp), message thread. The writer is declared after
    // the engine, so it stops before the engine (its rings' owner) goes.
    std::unique_ptr<RecordingWriter> recorder;
    juce::BigInteger recordedInputs;  // the device's enabled inputs the last record inputs were sent for
    RecordInputs deviceRecordInputs() const;
    void setRecordingTarget();
    void updateRecording();
    int underruns = 0;   // message thread
    std::string deviceProblem;        // why the last open failed

    // Device loss and reconnect (message thread only).
    DeviceState deviceState = DeviceState::none;
    DeviceSnapshot runningDevice;     // the device to reopen after a loss
    int snapshotPreparations = -1;    // device start the snapshot was taken at
    std::string lostReason, lastReconnectError;
    double lostAtSeconds = 0.0, lastReconnectSeconds = 0.0;
    int reconnectAttempts = 0;
    double longestAttemptSeconds = 0.0;   // how long the message thread was held by one attempt
    bool unreceivedAtLoss = false;        // commands posted just before the loss, still queued
    static constexpr double reconnectIntervalSeconds = 1.0;

    // No device at start (the app opened before the JACK server or the USB interface): the
    // default device is tried again until one opens (message thread only).
    bool waitingForFirstDevice = false;
    int firstDeviceAttempts = 0;
    std::string firstDeviceError;         // the last attempt's reason, without the retry note
    static constexpr double firstDeviceIntervalSeconds = 2.0;
    void tryFirstDevice();
    std::string openDefault();            // the default device at the session's rate; "" or why not
    std::string deviceType;               // openDefaultDevice's type ("" = JACK, else ALSA)

    std::string actionProblem;
    double actionProblemSeconds = 0.0;
    int64_t commandTime = immediately;    // setCommandTime (message thread)

    // Trigger latency (message thread): the origin of the next trigger, then of each posted
    // trigger until its voice starts (by engine slot, in post order). A voiceStarted event names
    // its trigger's sequence, so a trigger that started no voice (a retrigger that stopped
    // instead) is never paired with a later start.
    struct TriggerOrigin { std::string source; double arrivalMs = -1.0; uint64_t sequence = 0; };
    std::optional<TriggerOrigin> nextOrigin;
    std::map<int, std::vector<TriggerOrigin>> pendingOrigins;
    std::map<std::string, TriggerLatency> triggerLatencies;
    std::string lastLatencySource;
    void noteVoiceStart (const EngineEvent& event, nlohmann::ordered_json* line);
};

} // namespace cuegrid
