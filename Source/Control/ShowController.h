// CueGrid — GPL-3.0-or-later
#pragma once

#include "Engine/ClipReleasePool.h"
#include "Engine/DeviceSetup.h"
#include "Engine/Engine.h"
#include "Engine/EngineDeviceCallback.h"
#include "Session/EventLog.h"
#include "Session/SessionMedia.h"

#include <juce_audio_devices/juce_audio_devices.h>

#include <array>
#include <memory>
#include <string>

namespace cuegrid
{

/** The live-show side of CueGrid for one session: owns the Engine and its device callback,
    turns operator actions (fire, stop, stop all, faders, mutes) into engine commands, and
    turns engine events into state the UI shows and the NDJSON event log.

    Message thread only (it is the engine's single command producer and event consumer).
    No GUI dependency: the app's components and tests drive it alike.
*/
class ShowController
{
public:
    explicit ShowController (juce::AudioDeviceManager& deviceManager);
    ~ShowController();

    /** Loads a session and its media at the engine's rate. Throws InputError for a malformed
        manifest (the previous session stays loaded); media errors are per clip (mediaError). */
    void loadSession (const std::string& path);

    /** Opens the default device (JACK, else ALSA) at the session's rate. Returns "" or why not;
        without a device the app keeps running and says so. */
    std::string openDefaultDevice();

    /** Writes every engine event as NDJSON to `path` from now on. Throws OutputError if the
        file cannot be created; later write failures (a full disk) never throw: lines are
        dropped, the write is retried every 3 s, and getWriteProblem() says so. */
    void setEventLog (const std::string& path);

    const Session& getSession() const noexcept { return loaded.session; }
    const std::string& getSessionPath() const noexcept { return loaded.path; }
    bool hasMedia (int clip) const;
    std::string mediaError (int clip) const;
    /** A clip that loads with a warning (e.g. a truncated file): the warning, else empty. */
    std::string mediaWarning (int clip) const;

    // Operator actions. Each takes effect at the start of the next audio block.
    void toggleClip (int clip);       // fire, or stop if it is playing (cart-player behaviour)
    void triggerClip (int clip);      // without a running device: not played, getActionProblem() says so
    void stopClip (int clip);
    void stopAll();                   // panic: every group voice and the audition voice
    void setGroupGain (int group, double decibels);
    void setGroupMute (int group, bool muted);

    /** Sets a clip's gain and level trim (dB) in the session and the engine; the voice plays
        at their sum. Logged as a "clipLevels" event. Message thread. */
    void setClipLevels (int clip, double gainDb, double levelTrimDb);

    /** Appends one line to the event log, if there is one (app-level events). Message thread. */
    void writeEventLog (const nlohmann::ordered_json& line);

    /** Call ~30 times a second: drains events, follows device restarts, notices a lost
        device and tries to reopen it once a second, retries a failing event log, frees
        retired media. Never throws. */
    void update();

    struct ClipState
    {
        bool playing = false;
        double progress = 0.0;        // 0 … 1 of the most recent voice of the clip
    };
    ClipState getClipState (int clip) const;

    /** Peak levels since the last call, linear: A–D (L, R), audition (L, R), master (L, R). */
    std::array<float, EngineEvent::meterChannels> takeMeterPeaks();

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

private:
    enum class DeviceState { none, running, lost };

    bool post (EngineCommand command);
    void followDevice();
    void deviceWasLost (const std::string& reason);
    void notice (const std::string& text);
    void postSessionState();
    void reloadMediaIfRateChanged();
    void logEvent (const EngineEvent& event);

    juce::AudioDeviceManager& devices;
    std::unique_ptr<Engine> engine;
    EngineDeviceCallback callback;
    LoadedSession loaded;
    double mediaRate = 0.0;
    ClipReleasePool releasePool;
    ClipGainTablePtr sessionClipGains;   // the clip gains last sent; the engine may still point at it
    std::unique_ptr<LiveEventLog> eventLog;
    VoiceStatus voiceStatus;
    std::array<float, EngineEvent::meterChannels> meterPeaks {};
    int seenPreparations = 0;
    int xruns = 0, lastDeviceXruns = 0;
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

    std::string actionProblem;
    double actionProblemSeconds = 0.0;
};

} // namespace cuegrid
