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
        if (! options.ltc.empty() && options.loops > 1)
            throw InputError (options.ltc, 0, 0, "--ltc cannot be combined with --loops (the timecode does not restart with the script)");
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
    for (const auto& warning : script.warnings)
        std::cerr << "cuegrid: warning: " << warning << "\n";
    for (const auto& warning : plan.placedWarnings)
        std::cerr << "cuegrid: warning: " << warning << "\n";
    for (const auto& warning : plan.warnings)
        std::cerr << "cuegrid: warning: " << options.script << ": " << warning << "\n";
    // A render has no inputs: Record A/B commands are left out (not recorded as silence).
    if (const auto removed = removeRecordCommands (plan); removed > 0)
        std::cerr << "cuegrid: warning: " << options.script << ": " << removed
                  << " RecordStart/RecordStop command(s) ignored: render has no inputs to record (use cuegrid play)\n";

    // The file: the preroll, every pass but the last cut at durationSec, the last with its tail.
    const int passes = options.loops;
    const auto outputFrames = plan.prerollFrames + (int64_t) (passes - 1) * plan.passFrames + plan.totalFrames;
    if (options.dumpEvents)
        printPlan (std::cout, script, plan, rate, passes);

    SampleFormat format {};
    parseSampleFormat (options.format, format);
    try
    {
        AudioFileWriter writer (options.output, rate, options.channels, format, outputFrames);
        std::unique_ptr<RenderEventLog> eventLog;   // atomic like the WAV: no empty or partial log
        if (! options.eventLog.empty())
            eventLog = std::make_unique<RenderEventLog> (options.eventLog);
        auto logLine = [&] (const nlohmann::ordered_json& line)
        {
            if (eventLog) eventLog->write (line);
            if (options.dumpEvents) std::cout << line.dump() << "\n";
        };

        const auto started = std::chrono::steady_clock::now();
        // Each pass starts from a clean state: a new engine, the session state, the script from
        // its start. So a render of N loops is N one-pass renders end to end, each but the last
        // cut at durationSec (the realtime player restarts there too).
        int64_t passStart = 0;   // the pass's engine sample 0 on the file's timeline
        for (int pass = 0; pass < passes; ++pass)
        {
            const bool last = pass + 1 == passes;
            const auto offset = pass == 0 ? plan.prerollFrames : 0;
            const auto frames = offset + (last ? plan.totalFrames : plan.passFrames);
            auto engine = std::make_unique<Engine>();
            // The show's timecode: the LTC file on input 0 (no input latency offline), the clips'
            // timecode triggers. Without --ltc the master never locks, so they never fire.
            auto& timecode = engine->getTimecode();
            if (! ltcInput.empty())
                timecode.setLtcInput (0, 0);
            timecode.setTriggers (timecodeTriggers (session, media, rate), options.chaseKeepsRolling);
            engine->prepare (rate, options.blockSize);
            CommandFeeder feeder (plan.commands, offset);
            TimecodeEventLog timecodeLog (session, rate);
            renderOffline (
                *engine, feeder, frames, options.blockSize, options.channels,
                [&] (const float* const* channels, int, int count) { writer.write (channels, count); },
                [&] (const EngineEvent& engineEvent)
                {
                    for (const auto& fire : timecodeLog.drain (timecode))
                        logLine (fire);
                    if (! last && engineEvent.sampleTime >= frames)
                        return;   // past the loop point: cut off with the pass
                    auto event = engineEvent;
                    event.sampleTime += passStart;
                    auto line = eventLogLine (event, session, rate, options.meters);
                    if (line.is_null())
                        return;
                    timecodeLog.annotate (event, line);
                    logLine (line);
                },
                ltcInput.empty() ? nullptr : &ltcInput);
            for (const auto& fire : timecodeLog.drain (timecode))
                logLine (fire);
            passStart += frames;
        }
        writer.commit();
        if (eventLog)
            eventLog->commit();

        const auto seconds = std::chrono::duration<double> (std::chrono::steady_clock::now() - started).count();
        const auto audioSeconds = (double) outputFrames / rate;
        std::cerr << "cuegrid: rendered " << audioSeconds << " s (" << outputFrames << " frames at " << rate
                  << " Hz, " << options.channels << (options.channels == 1 ? " channel" : " channels") << ") to " << options.output << (writer.isRf64() ? " (RF64: over 4 GiB)" : "") << " in " << seconds << " s, "
                  << (seconds > 0 ? audioSeconds / seconds : 0.0) << "x realtime"
                  << (passes > 1 ? ", " + std::to_string (passes) + " passes of " + std::to_string (plan.passFrames) + " frames" : std::string())
                  << "\n";
    }
    catch (const OutputError& error)
    {
        std::cerr << "cuegrid: error: " << error.what() << "\n";
        return outputUnwritable;
    }
    return success;
}

} // namespace cuegrid::cli
