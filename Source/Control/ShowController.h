// CueGrid — GPL-3.0-or-later
#pragma once

#include "Engine/ClipReleasePool.h"
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

    /** Writes every engine event as NDJSON to `path` from now on. Throws OutputError. */
    void setEventLog (const std::string& path);

    const Session& getSession() const noexcept { return loaded.session; }
    const std::string& getSessionPath() const noexcept { return loaded.path; }
    bool hasMedia (int clip) const;
    std::string mediaError (int clip) const;

    // Operator actions. Each takes effect at the start of the next audio block.
    void toggleClip (int clip);       // fire, or stop if it is playing (cart-player behaviour)
    void triggerClip (int clip);
    void stopClip (int clip);
    void stopAll();                   // panic: every group voice and the audition voice
    void setGroupGain (int group, double decibels);
    void setGroupMute (int group, bool muted);

    /** Sets a clip's gain and level trim (dB) in the session and the engine; the voice plays
        at their sum. Logged as a "clipLevels" event. Message thread. */
    void setClipLevels (int clip, double gainDb, double levelTrimDb);

    /** Appends one line to the event log, if there is one (app-level events). Message thread. */
    void writeEventLog (const nlohmann::ordered_json& line);

    /** Call ~30 times a second: drains events, follows device restarts, frees retired media. */
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
    std::string getDeviceDescription() const;
    std::string getDeviceProblem() const noexcept { return deviceProblem; }
    float getLoad() const noexcept { return engine->getLoad(); }
    int getPlayingVoices() const noexcept { return voiceStatus.playingGroupVoices; }
    int getXrunCount() const noexcept { return xruns; }

private:
    void post (EngineCommand command);
    void postSessionState();
    void reloadMediaIfRateChanged();
    void logEvent (const EngineEvent& event);

    juce::AudioDeviceManager& devices;
    std::unique_ptr<Engine> engine;
    EngineDeviceCallback callback;
    LoadedSession loaded;
    double mediaRate = 0.0;
    ClipReleasePool releasePool;
    std::unique_ptr<EventLogWriter> eventLog;
    VoiceStatus voiceStatus;
    std::array<float, EngineEvent::meterChannels> meterPeaks {};
    int seenPreparations = 0;
    int xruns = 0, lastDeviceXruns = 0;
    std::string deviceProblem;
};

} // namespace cuegrid
