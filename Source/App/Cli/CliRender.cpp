// CueGrid — GPL-3.0-or-later
#include "CliCommands.h"
#include "CliMediaFacts.h"
#include "CliShow.h"
#include "CliTimecodeShow.h"

#include "Engine/CommandFeeder.h"
#include "Engine/OfflineRenderer.h"
#include "Session/AudioFileWriter.h"
#include "Session/Errors.h"
#include "Session/EventLog.h"
#include "Session/OutputGuard.h"
#include "Session/SessionManifest.h"
#include "Session/SessionMedia.h"
#include "Session/ShowScript.h"
#include "Session/TimecodeTriggers.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>

namespace cuegrid::cli
{

int runRender (const RenderOptions& options)
{
    // Validate everything before touching the output: nothing is written on bad input.
    Session session;
    ShowScript script;
    std::vector<std::vector<float>> ltcInput;   // --ltc: the engine's input 0
    try
    {
        session = SessionManifest::load (options.session);
        script = loadShowScript (options.script);
        validateShowScript (script, session);
        if (! options.ltc.empty())
            ltcInput.push_back (readLtcChannel (options.ltc, options.ltcChannel, session.sampleRate));
    }
    catch (const InputError& error)
    {
        std::cerr << "cuegrid: error: " << error.what() << "\n";
        return invalidInput;
    }

    // No output may replace the session, its script, its media or another output.
    try
    {
        OutputGuard guard;
        protectShowInputs (guard, options.session, session, options.script, script);
        if (! options.ltc.empty())
            guard.protectInput (options.ltc, "the --ltc file");
        guard.claimOutput (options.output, "--out");
        if (! options.eventLog.empty())
            guard.claimOutput (options.eventLog, "--event-log");
    }
    catch (const ProtectedOutputError& error)
    {
        std::cerr << "cuegrid: error: " << error.what() << "\n";
        return outputUnwritable;
    }

    recordMediaFacts (session, options.session);   // a replaced file is warned about, never silently rendered
    const auto rate = session.sampleRate;
    LoadedSession loaded { options.session, session, loadClipMedia (session, options.session, rate) };
    auto mediaWarnings = loaded.mediaWarnings();
    auto mediaErrors = loaded.mediaErrors();
    const auto fileMedia = loadScriptMedia (script, options.session, rate, mediaErrors, mediaWarnings);
    for (const auto& warning : mediaWarnings)
        std::cerr << "cuegrid: warning: " << warning << "\n";
    for (const auto& error : mediaErrors)
        std::cerr << "cuegrid: " << (options.allowMissing ? "warning: " : "error: ") << error << "\n";
    if (! mediaErrors.empty() && ! options.allowMissing)
    {
        std::cerr << "cuegrid: error: " << mediaErrors.size()
                  << " media file(s) missing or unreadable; nothing rendered (use --allow-missing to render without them)\n";
        return missingMedia;
    }
    if (options.meters && options.eventLog.empty() && ! options.dumpEvents)
        std::cerr << "cuegrid: warning: --meters logs into --event-log or --dump-events; neither was given\n";

    const auto media = loaded.audio();
    if (const auto streamed = std::count_if (media.begin(), media.end(), [] (const auto& audio) { return audio != nullptr && audio->isStreamed(); }); streamed > 0)
        std::cerr << "cuegrid: " << streamed << " of " << media.size() << " clips stream from disk\n";
    auto plan = resolveShowScript (script, session, media, rate, fileMedia);
    for (const auto& warning : plan.warnings)
        std::cerr << "cuegrid: warning: " << options.script << ": " << warning << "\n";
    // A render has no inputs: Record A/B commands are left out (not recorded as silence).
    if (const auto removed = removeRecordCommands (plan); removed > 0)
        std::cerr << "cuegrid: warning: " << options.script << ": " << removed
                  << " RecordStart/RecordStop command(s) ignored: render has no inputs to record (use cuegrid play)\n";

    if (options.dumpEvents)
    {
        for (const auto& command : script.commands)
            std::cout << "plan " << std::llround (command.timeSec * rate) << " (" << command.timeSec << " s) "
                      << describeScriptCommand (command) << "\n";
    }

    SampleFormat format {};
    parseSampleFormat (options.format, format);
    try
    {
        AudioFileWriter writer (options.output, rate, options.channels, format, plan.totalFrames);
        std::unique_ptr<RenderEventLog> eventLog;   // atomic like the WAV: no empty or partial log
        if (! options.eventLog.empty())
            eventLog = std::make_unique<RenderEventLog> (options.eventLog);

        auto engine = std::make_unique<Engine>();
        // The show's timecode: the LTC file on input 0 (no input latency offline), the clips'
        // timecode triggers. Without --ltc the master never locks, so they never fire.
        auto& timecode = engine->getTimecode();
        if (! ltcInput.empty())
            timecode.setLtcInput (0, 0);
        timecode.setTriggers (timecodeTriggers (session, media, rate), options.chaseKeepsRolling);
        engine->prepare (rate, options.blockSize);
        CommandFeeder feeder (plan.commands);
        TimecodeEventLog timecodeLog (session, rate);
        auto logLine = [&] (const nlohmann::ordered_json& line)
        {
            if (eventLog) eventLog->write (line);
            if (options.dumpEvents) std::cout << line.dump() << "\n";
        };

        const auto started = std::chrono::steady_clock::now();
        renderOffline (
            *engine, feeder, plan.totalFrames, options.blockSize, options.channels,
            [&] (const float* const* channels, int, int frames) { writer.write (channels, frames); },
            [&] (const EngineEvent& event)
            {
                for (const auto& fire : timecodeLog.drain (timecode))
                    logLine (fire);
                auto line = eventLogLine (event, session, rate, options.meters);
                if (line.is_null())
                    return;
                timecodeLog.annotate (event, line);
                logLine (line);
            },
            ltcInput.empty() ? nullptr : &ltcInput);
        for (const auto& fire : timecodeLog.drain (timecode))
            logLine (fire);
        writer.commit();
        if (eventLog)
            eventLog->commit();

        const auto seconds = std::chrono::duration<double> (std::chrono::steady_clock::now() - started).count();
        const auto audioSeconds = (double) plan.totalFrames / rate;
        std::cerr << "cuegrid: rendered " << audioSeconds << " s (" << plan.totalFrames << " frames at " << rate
                  << " Hz, " << options.channels << (options.channels == 1 ? " channel" : " channels") << ") to " << options.output << (writer.isRf64() ? " (RF64: over 4 GiB)" : "") << " in " << seconds << " s, "
                  << (seconds > 0 ? audioSeconds / seconds : 0.0) << "x realtime\n";
    }
    catch (const OutputError& error)
    {
        std::cerr << "cuegrid: error: " << error.what() << "\n";
        return outputUnwritable;
    }
    return success;
}

} // namespace cuegrid::cli
