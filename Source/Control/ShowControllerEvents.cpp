// CueGrid — GPL-3.0-or-later
// ShowController's side of the engine's events: update() drains them on the message thread,
// pairs each voice start with the trigger that asked for it (trigger latency), and writes the
// event log; the problems shown in the status bar.
#include "ShowController.h"

#include "Session/ClipPlayback.h"
#include "Session/Limits.h"
#include "Session/OutputGuard.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <unordered_map>
#include <utility>

namespace cuegrid
{

namespace
{
    double nowSeconds() { return juce::Time::getMillisecondCounterHiRes() / 1000.0; }
}

void ShowController::noteVoiceStart (const EngineEvent& event, nlohmann::ordered_json* line)
{
    auto found = pendingOrigins.find (event.clipSlot);
    if (found == pendingOrigins.end() || event.wallNanos == 0)
        return;
    auto& origins = found->second;
    const auto startedMs = (double) event.wallNanos / 1.0e6;
    // The voice names the trigger command that started it. Earlier triggers of this slot started
    // no voice (a retrigger that stopped or paused instead): they are done.
    while (! origins.empty() && origins.front().sequence < event.commandSequence)
        origins.erase (origins.begin());
    if (origins.empty() || origins.front().sequence != event.commandSequence)
    {
        if (origins.empty())
            pendingOrigins.erase (found);
        return;   // started by a command without an origin (a show script, an edit's restart)
    }
    const auto origin = origins.front();
    origins.erase (origins.begin());
    if (origins.empty())
        pendingOrigins.erase (found);
    const auto latencyMs = startedMs - origin.arrivalMs;
    auto& stats = triggerLatencies[origin.source];
    stats.lastMs = latencyMs;
    stats.maxMs = stats.count == 0 ? latencyMs : std::max (stats.maxMs, latencyMs);
    ++stats.count;
    lastLatencySource = origin.source;
    if (line != nullptr)
    {
        (*line)["source"] = origin.source;
        (*line)["latencyMs"] = std::round (latencyMs * 1000.0) / 1000.0;
    }
}

std::string ShowController::describeLastTriggerLatency() const
{
    const auto found = triggerLatencies.find (lastLatencySource);
    if (found == triggerLatencies.end())
        return {};
    char text[64];
    std::snprintf (text, sizeof (text), "%.1f ms (%s)", found->second.lastMs, lastLatencySource.c_str());
    return text;
}

void ShowController::update()
{
    try
    {
        if (const auto preparations = callback.getPreparationCount(); preparations != seenPreparations)
        {
            // The device (re)started: the engine is fresh at the device's rate. A lost device
            // reopened from Audio Settings is marked restored first, or post() would refuse
            // the session state (faders, mutes, clip gains) as sent to a lost device.
            if (deviceState == DeviceState::lost)
                followDevice();
            seenPreparations = preparations;
            reloadMediaIfRateChanged();
            postSessionState();
            setRecordingTarget();
            logLtcInput();
            timecodeLog = std::make_unique<TimecodeEventLog> (loaded.session, engine->getSampleRate(),
                                                              [this] (int32_t slot) { return clipIdOfSlot (slot); });
        }
        // The timecode's fires before the engine's events of the same blocks (their voiceStart
        // lines then say "source": "timecode").
        if (timecodeLog != nullptr)
        {
            for (const auto& line : timecodeLog->drain (engine->getTimecode()))
                writeEventLog (line);
        }

        EngineEvent event;
        while (engine->popEvent (event))
        {
            if (event.type == EngineEvent::Type::meter)
            {
                for (size_t i = 0; i < meterPeaks.size(); ++i)
                    meterPeaks[i] = std::max (meterPeaks[i], event.peaks[i]);
                meterGainReduction = std::max (meterGainReduction, event.gainReductionDb);
            }
            else
                logEvent (event);
        }
        if (deviceState != DeviceState::lost)
            voiceStatus = engine->getVoiceStatus();
        updateRecording();

        // JACK enables exactly the ports that are connected: a connection made or undone
        // outside the app renumbers the engine's channels.
        if (deviceState == DeviceState::running && getActiveOutputChannels() != routedChannels)
        {
            routedChannels = getActiveOutputChannels();
            EngineCommand routing;
            routing.type = EngineCommand::Type::setRouting;
            routing.routing = deviceRouting();
            post (routing);
        }

        followDevice();

        if (auto* device = devices.getCurrentAudioDevice(); device != nullptr && deviceState == DeviceState::running)
        {
            const auto deviceXruns = device->getXRunCount();
            if (deviceXruns > lastDeviceXruns)
            {
                xruns += deviceXruns - lastDeviceXruns;
                writeEventLog (describeXrun (xruns, voiceStatus.samplePosition, engine->getSampleRate()));
            }
            lastDeviceXruns = deviceXruns;
        }
        takeLoadedMedia();
        releaseRetiredSlots();
        releasePool.collect (engine->getCommandsReceived());

        if (eventLog)
        {
            eventLog->retryIfDue();
            if (const auto report = eventLog->takeReport(); ! report.empty())
                notice (report);
        }
    }
    catch (const std::exception& error)
    {
        // Nothing may throw through the UI's timer (JUCE would terminate the app mid-show).
        notice (std::string ("unexpected error (the show goes on): ") + error.what());
    }
}

void ShowController::notice (const std::string& text)
{
    std::fprintf (stderr, "CueGrid: %s\n", text.c_str());
    std::fflush (stderr);
}

std::string ShowController::getWriteProblem() const
{
    return eventLog ? eventLog->getProblem() : std::string();
}

std::string ShowController::getActionProblem() const
{
    if (actionProblem.empty() || nowSeconds() - actionProblemSeconds > 5.0)
        return {};
    return actionProblem;
}

void ShowController::logEvent (const EngineEvent& event)
{
    if (event.type == EngineEvent::Type::overload)
        ++xruns;
    if (event.type == EngineEvent::Type::underrun)
        ++underruns;
    if (event.voice >= 0 && (size_t) event.voice < fadeLengths.size())
    {
        if (event.type == EngineEvent::Type::voiceFading)
            fadeLengths[(size_t) event.voice] = event.length;
        else if (event.type == EngineEvent::Type::voiceStarted)
            fadeLengths[(size_t) event.voice] = 0;
    }
    if (event.type == EngineEvent::Type::voiceStarted && ! eventLog)
        noteVoiceStart (event, nullptr);
    if (! eventLog)
        return;
    if (auto line = describeEvent (event, loaded.session, engine->getSampleRate()); ! line.is_null())
    {
        if (event.type == EngineEvent::Type::voiceStarted)
        {
            noteVoiceStart (event, &line);
            if (timecodeLog != nullptr)
            {
                // A fire the audio thread made after update() drained them, and its voice started.
                for (const auto& fire : timecodeLog->drain (engine->getTimecode()))
                    writeEventLog (fire);
                timecodeLog->annotate (event, line);
            }
        }
        // The event names a slot; the clip in it (a removed clip still sounding keeps its id).
        if (line.contains ("clip"))
        {
            const auto id = clipIdOfSlot (event.clipSlot);
            line["clip"] = id.empty() ? nlohmann::ordered_json (nullptr) : nlohmann::ordered_json (id);
        }
        eventLog->write (line);  // never throws
    }
}

void ShowController::writeEventLog (const nlohmann::ordered_json& line)
{
    if (eventLog)
        eventLog->write (line);
}

} // namespace cuegrid
