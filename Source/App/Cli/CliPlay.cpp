// CueGrid — GPL-3.0-or-later
#include "CliCommands.h"
#include "CliMediaFacts.h"
#include "CliShow.h"
#include "CliTimecodeShow.h"

#include "Engine/CommandFeeder.h"
#include "Engine/DeviceSetup.h"
#include "Engine/EngineDeviceCallback.h"
#include "Session/Errors.h"
#include "Session/OutputGuard.h"
#include "Session/EventLog.h"
#include "Session/MediaCache.h"
#include "Session/ClipPlayback.h"
#include "Session/RecordingWriter.h"
#include "Session/SessionManifest.h"
#include "Session/SessionMedia.h"
#include "Session/ShowScript.h"
#include "Session/TimecodeTriggers.h"

#include <algorithm>
#include <atomic>
#include <algorithm>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <limits>
#include <memory>
#include <thread>

namespace cuegrid::cli
{

namespace
{
    std::atomic<bool> interrupted { false };
    extern "C" void onInterrupt (int) { interrupted = true; }
}

int runPlay (const PlayOptions& options)
{
    Session session;
    ShowScript script;
    try
    {
        session = SessionManifest::load (options.session);
        script = loadShowScript (options.script);
        validateShowScript (script, session);
    }
    catch (const InputError& error)
    {
        std::cerr << "cuegrid: error: " << error.what() << "\n";
        return invalidInput;
    }
    recordMediaFacts (session, options.session);   // before the device opens: a replaced file is warned about, not silently played

    // A log that cannot be created stops play before it starts (exit 4); a log that fails
    // later (a full disk) never stops the playing show: lines are dropped, retried, reported.
    std::unique_ptr<LiveEventLog> eventLog;
    try
    {
        if (! options.eventLog.empty())
        {
            OutputGuard guard;  // the log may not replace the session, its script or its media
            protectShowInputs (guard, options.session, session, options.script, script);
            guard.claimOutput (options.eventLog, "--event-log");
            eventLog = std::make_unique<LiveEventLog> (options.eventLog);
        }
    }
    catch (const OutputError& error)
    {
        std::cerr << "cuegrid: error: " << error.what() << "\n";
        return outputUnwritable;
    }

    // A script that records opens the inputs Record A/B use (routing.recordA / recordB).
    const bool records = std::any_of (script.commands.begin(), script.commands.end(), [] (const ScriptCommand& command)
                                      { return command.type == ScriptCommand::Type::recordStart; });
    // The LTC input (1-based device input; 0: none) is opened too.
    const auto ltcInput = options.ltcChannel;
    const auto inputChannels = std::max (records ? recordInputChannels (recordInputs (session.routing)) : 0, ltcInput);

    juce::ScopedJuceInitialiser_GUI juceInitialiser;  // message manager for AudioDeviceManager
    juce::AudioDeviceManager deviceManager;
    const auto deviceError = openAudioDevice (deviceManager, { options.deviceType, options.deviceName,
                                                               session.sampleRate, options.blockSize, options.channels, inputChannels });
    if (! deviceError.empty())
    {
        std::cerr << "cuegrid: error: cannot open audio device: " << deviceError << "\n";
        return noAudioDevice;
    }
    auto* device = deviceManager.getCurrentAudioDevice();
    // A device with fewer outputs opens anyway with what it has; the engine would then fold
    // the routed buses back onto the master. A show that asked for N outputs is refused instead.
    const auto deviceChannels = device->getOutputChannelNames().size();
    const auto openChannels = device->getActiveOutputChannels().countNumberOfSetBits();
    if (openChannels < options.channels)
    {
        std::cerr << "cuegrid: error: cannot open audio device: " << device->getTypeName().toStdString() << " \""
                  << device->getName().toStdString() << "\" has " << deviceChannels << " output channel(s); --channels " << options.channels << " needs "
                  << options.channels << "\n";
        deviceManager.closeAudioDevice();
        return noAudioDevice;
    }
    const auto rate = device->getCurrentSampleRate();
    std::cerr << "cuegrid: playing on " << describeAudioDevice (deviceManager) << ", " << openChannels << " of "
              << deviceChannels << " output channels\n";
    if (rate != session.sampleRate)
        std::cerr << "cuegrid: warning: device runs at " << rate << " Hz, session at " << session.sampleRate
                  << " Hz; media is resampled to the device rate\n";

    const LoadedSession loaded { options.session, session, loadClipMedia (session, options.session, rate) };
    auto mediaErrors = loaded.mediaErrors();
    auto mediaWarnings = loaded.mediaWarnings();
    const auto fileMedia = loadScriptMedia (script, options.session, rate, mediaErrors, mediaWarnings);
    for (const auto& error : mediaErrors)
        std::cerr << "cuegrid: warning: " << error << "\n";
    for (const auto& warning : mediaWarnings)
        std::cerr << "cuegrid: warning: " << warning << "\n";
    if (options.meters && ! eventLog)
        std::cerr << "cuegrid: warning: --meters logs into --event-log, which was not given\n";
    const auto media = loaded.audio();
    if (const auto streamed = std::count_if (media.begin(), media.end(), [] (const auto& audio) { return audio != nullptr && audio->isStreamed(); }); streamed > 0)
        std::cerr << "cuegrid: " << streamed << " of " << media.size() << " clips stream from disk\n";
    auto plan = resolveShowScript (script, session, media, rate, fileMedia);
    for (const auto& warning : script.warnings)
        std::cerr << "cuegrid: warning: " << warning << "\n";
    for (const auto& warning : plan.placedWarnings)
        std::cerr << "cuegrid: warning: " << warning << "\n";
    for (const auto& warning : plan.warnings)
        std::cerr << "cuegrid: warning: " << options.script << ": " << warning << "\n";
    if (options.dumpEvents)
        printPlan (std::cout, script, plan, rate, script.loop ? 0 : 1);

    // Record A/B: the session's input pairs as the device numbers its enabled inputs.
    const auto deviceInputs = recordInputsForDevice (recordInputs (session.routing), device->getActiveInputChannels());
    for (auto& command : plan.commands)
        if (command.type == EngineCommand::Type::setRecordInputs)
            command.recordInputs = deviceInputs;
    if (records)
    {
        std::cerr << "cuegrid: recording from " << device->getActiveInputChannels().countNumberOfSetBits() << " of "
                  << device->getInputChannelNames().size() << " input channels into "
                  << (std::filesystem::absolute (options.session).parent_path() / "Recordings").string() << "\n";
        for (int bus = 0; bus < recordBusCount; ++bus)
            if (deviceInputs.left[bus] < 0 || deviceInputs.right[bus] < 0)
                std::cerr << "cuegrid: warning: Record " << recordBusName (bus) << ": the device has no input "
                          << (bus == 0 ? session.routing.recordA : session.routing.recordB)[deviceInputs.left[bus] < 0 ? 0 : 1]
                          << " (enabled); that side records silence\n";
    }

    auto engine = std::make_unique<Engine>();
    // The show's timecode: the LTC input (as the device numbers its enabled inputs) with the
    // device's input latency, and the clips' timecode triggers.
    TimecodeEventLog timecodeLog (session, rate);
    {
        auto& timecode = engine->getTimecode();
        const auto enabled = device->getActiveInputChannels();
        if (ltcInput > 0 && ! enabled[ltcInput - 1])
            std::cerr << "cuegrid: warning: the device has no input " << ltcInput << " (enabled) for the LTC; no timecode\n";
        else if (ltcInput > 0)
        {
            int engineInput = 0;
            for (int i = 0; i < ltcInput - 1; ++i)
                engineInput += enabled[i] ? 1 : 0;
            // JUCE reports the driver's capture latency; a JACK client connected straight to our
            // input (jack-play, another program) delivers in the same cycle: --ltc-latency 0.
            const auto latency = options.ltcLatency >= 0 ? options.ltcLatency : device->getInputLatencyInSamples();
            timecode.setLtcInput (engineInput, latency);
            std::cerr << "cuegrid: LTC from input " << ltcInput << " (input latency " << latency << " samples"
                      << (options.ltcLatency >= 0 ? ", --ltc-latency" : ", the device's") << ")\n";
        }
        timecode.setTriggers (timecodeTriggers (session, media, rate), options.chaseKeepsRolling);
    }
    EngineDeviceCallback callback (*engine);
    // The writer thread drains the record buses; declared after the engine, it stops first.
    RecordingWriter recorder ({ &engine->getRecordBus (0), &engine->getRecordBus (1) });
    {
        RecordingTarget target;
        const auto sessionPath = std::filesystem::absolute (options.session);
        target.folder = sessionPath.parent_path().string();
        target.stem = sessionPath.stem().string();
        target.format.container = session.recording.flac ? RecordingFormat::Container::flac : RecordingFormat::Container::wav;
        target.format.sample = session.recording.floatSamples ? RecordingFormat::Sample::float32 : RecordingFormat::Sample::int24;
        target.sampleRate = rate;
        recorder.setTarget (target);
    }
    if (records)
        recorder.startThread();
    const auto preroll = (int64_t) std::llround ((options.prerollSec >= 0.0 ? options.prerollSec : script.prerollSec) * rate);
    const auto lookahead = (int64_t) rate;
    // A looping script restarts at durationSec: each pass feeds the plan's commands before it.
    std::vector<EngineCommand> passCommands;
    if (script.loop)
        std::copy_if (plan.commands.begin(), plan.commands.end(), std::back_inserter (passCommands),
                      [&] (const EngineCommand& command) { return command.sampleTime < plan.passFrames; });
    auto feeder = std::make_unique<CommandFeeder> (script.loop ? passCommands : plan.commands, preroll);
    // Later passes put the session state back at the loop point itself, not as they are queued.
    auto restartCommands = passCommands;
    for (auto& command : restartCommands)
        if (command.sampleTime == immediately)
            command.sampleTime = 0;
    int64_t passStart = preroll;   // engine sample of the current pass's script time 0
    int passCount = 1;

    // This thread is the engine's only command producer and event consumer. The first
    // second is queued before the callback starts, so script time 0 is sample-exact.
    feeder->feedUntil (*engine, preroll + lookahead);
    deviceManager.addAudioCallback (&callback);   // prepares the engine (audioDeviceAboutToStart)

    // Every output trails engine time by the limiter's look-ahead; `sample` in the event log
    // is engine time, so a recording lines up with an event `latency` samples later.
    const auto latency = engine->getLatency();
    const auto latencyMs = std::round ((double) latency * 1000.0 / rate * 1000.0) / 1000.0;
    std::cerr << "cuegrid: engine latency " << latency << " samples (" << latencyMs
              << " ms, the limiter's look-ahead): the outputs trail the event log's times by that much\n";
    if (eventLog)
    {
        nlohmann::ordered_json line;
        line["event"] = "engineLatency";
        line["latencySamples"] = latency;
        line["latencyMs"] = latencyMs;
        eventLog->write (line);
    }

    std::signal (SIGINT, onInterrupt);
    std::signal (SIGTERM, onInterrupt);
    const auto endPosition = script.loop ? std::numeric_limits<int64_t>::max() : preroll + plan.totalFrames;
    int lastXruns = device->getXRunCount();
    EngineEvent event;
    auto report = [&]
    {
        if (eventLog)
            if (const auto text = eventLog->takeReport(); ! text.empty())
                std::cerr << "cuegrid: warning: " << text << "\n";
    };
    auto drainEvents = [&]
    {
        for (const auto& line : timecodeLog.drain (engine->getTimecode()))
            if (eventLog)
                eventLog->write (line);
        if (ltcInput > 0 && eventLog)
            if (const auto line = timecodeLog.masterLine (engine->getTimecode()); ! line.is_null())
                eventLog->write (line);
        while (engine->popEvent (event))
            if (auto line = eventLogLine (event, session, rate, options.meters); ! line.is_null() && eventLog)
            {
                timecodeLog.annotate (event, line);
                eventLog->write (line);
            }
        for (const auto& line : recorder.takeReports())
        {
            if (eventLog)
                eventLog->write (line);
            const auto kind = line.value ("event", "");
            if (kind == "recordError")
                std::cerr << "cuegrid: warning: Record " << line.value ("bus", "") << ": " << line.value ("error", "") << "\n";
            else if (kind == "recordClosed")
                std::cerr << "cuegrid: recorded " << line.value ("bus", "") << ": " << line.value ("file", "") << " ("
                          << line.value ("seconds", 0.0) << " s, " << line.value ("discontinuities", 0) << " discontinuities)\n";
        }
        for (const auto& warning : MediaCache::instance().takeWarnings())   // non-finite samples, once per file
        {
            std::cerr << "cuegrid: warning: " << warning << "\n";
            if (eventLog)
                eventLog->write ({ { "event", "mediaWarning" }, { "sampleTime", engine->getSamplePosition() }, { "message", warning } });
        }
        if (const auto xruns = device->getXRunCount(); xruns != lastXruns)
        {
            lastXruns = xruns;
            if (eventLog)
                eventLog->write (describeXrun (xruns, engine->getSamplePosition(), rate));
        }
        if (eventLog)
            eventLog->retryIfDue();
        report();
    };

    // The device can go away mid-play (a JACK server killed): it stops by itself, reports an
    // error, or simply stops calling back. Then play ends with exit 5 instead of waiting for
    // samples that never come.
    const auto deviceType = device->getTypeName().toStdString(), deviceName = device->getName().toStdString();
    const auto stallLimit = std::chrono::milliseconds (2000);
    auto lastProgress = std::chrono::steady_clock::now();
    int64_t lastPosition = -1;
    std::string lostReason;
    while (engine->getSamplePosition() < endPosition && ! interrupted)
    {
        EngineCommand restart;
        restart.type = EngineCommand::Type::panic;
        restart.sampleTime = passStart + plan.passFrames;
        // The loop point, once every command of this pass is queued (a full queue is retried on
        // the next round): a Panic there ends every voice (1 ms protection fade) and a new feed
        // starts the script again from a clean state (its session state commands first), like
        // the next pass of render --loops.
        if (script.loop && engine->getSamplePosition() + lookahead >= restart.sampleTime
            && feeder->feedUntil (*engine, restart.sampleTime) && engine->post (restart))
        {
            const auto loopPoint = restart.sampleTime;
            passStart = loopPoint;
            ++passCount;
            feeder = std::make_unique<CommandFeeder> (restartCommands, passStart);
            if (eventLog)
                eventLog->write ({ { "event", "loopRestart" }, { "sample", loopPoint }, { "timeSec", (double) loopPoint / rate }, { "pass", passCount } });
        }
        feeder->feedUntil (*engine, engine->getSamplePosition() + lookahead);
        drainEvents();
        const auto now = std::chrono::steady_clock::now();
        if (const auto position = engine->getSamplePosition(); position != lastPosition)
        {
            lastPosition = position;
            lastProgress = now;
        }
        if (auto error = callback.takeDeviceError(); ! error.empty())
            lostReason = describeDeviceLoss (deviceType, deviceName, error);
        else if (! device->isOpen() || ! device->isPlaying() || callback.getStopCount() > 0)
            lostReason = describeDeviceLoss (deviceType, deviceName, {});
        else if (now - lastProgress > stallLimit)
            lostReason = deviceType + " \"" + deviceName + "\" stopped calling back (no audio for 2 s)";
        if (! lostReason.empty())
            break;
        std::this_thread::sleep_for (std::chrono::milliseconds (5));
    }
    if (! lostReason.empty())
    {
        const auto position = engine->getSamplePosition();
        const auto playing = engine->getVoiceStatus().playingGroupVoices;
        if (eventLog)
        {
            nlohmann::ordered_json line;
            line["event"] = "deviceLost";
            line["sample"] = position;
            line["timeSec"] = (double) position / rate;
            line["device"] = deviceType + ": " + deviceName;
            line["reason"] = lostReason;
            line["playingVoices"] = playing;
            eventLog->write (line);
        }
        deviceManager.removeAudioCallback (&callback);
        recorder.stopThread();
        recorder.closeAll();   // a take ends where the device was lost; its file stays valid
        drainEvents();
        deviceManager.closeAudioDevice();
        std::cerr << "cuegrid: error: audio device lost: " << lostReason << " (at " << (double) (position - preroll) / rate
                  << " s of " << (double) plan.totalFrames / rate << " s, " << playing << " voice(s) playing)\n";
        if (eventLog && eventLog->getDroppedLines() > 0)
            std::cerr << "cuegrid: warning: " << eventLog->getDroppedLines() << " event log line(s) were not written ("
                      << eventLog->getLastError() << ")\n";
        return noAudioDevice;
    }
    if (interrupted)
    {
        EngineCommand stopAll;
        stopAll.type = EngineCommand::Type::stopAll;
        engine->post (stopAll);
        std::this_thread::sleep_for (std::chrono::milliseconds (50));
        std::cerr << "cuegrid: interrupted; all clips stopped\n";
    }
    if (records)
    {
        // Takes still running end with the show: a RecordStop now, then the writer catches up.
        EngineCommand stop;
        stop.type = EngineCommand::Type::recordStop;
        stop.group = recordBusBoth;
        engine->post (stop);
        for (int i = 0; i < 100 && (engine->getRecordBus (0).isRecording() || engine->getRecordBus (1).isRecording()); ++i)
            std::this_thread::sleep_for (std::chrono::milliseconds (5));
    }
    deviceManager.removeAudioCallback (&callback);
    recorder.stopThread();
    recorder.closeAll();
    drainEvents();
    deviceManager.closeAudioDevice();
    std::cerr << "cuegrid: played " << (script.loop ? (double) (engine->getSamplePosition() - preroll) / rate : (double) plan.totalFrames / rate)
              << " s" << (script.loop ? ", " + std::to_string (passCount) + " pass(es)" : std::string()) << ", " << lastXruns << " xrun(s)\n";
    if (eventLog && eventLog->getDroppedLines() > 0)
        std::cerr << "cuegrid: warning: " << eventLog->getDroppedLines() << " event log line(s) were not written ("
                  << eventLog->getLastError() << ")\n";
    return interrupted ? failure : success;
}

} // namespace cuegrid::cli
