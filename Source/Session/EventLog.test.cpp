// CueGrid — GPL-3.0-or-later
#include "Errors.h"
#include "EventLog.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

// /dev/full accepts the open and fails every write with ENOSPC: a full disk without root.

TEST_CASE ("EventLogWriter::tryWrite reports a full disk with its reason", "[eventlog]")
{
    cuegrid::EventLogWriter writer ("/dev/full");
    std::string error;
    REQUIRE_FALSE (writer.tryWrite ({ { "event", "x" } }, error));
    REQUIRE (error.find ("No space left on device") != std::string::npos);
}

TEST_CASE ("LiveEventLog drops lines on a full disk without throwing, reports once, retries later", "[eventlog]")
{
    cuegrid::LiveEventLog log ("/dev/full", 3600.0);
    REQUIRE_FALSE (log.isFailing());
    REQUIRE_NOTHROW (log.write ({ { "event", "voiceStart" } }));
    REQUIRE (log.isFailing());
    const auto report = log.takeReport();
    REQUIRE (report.find ("No space left on device") != std::string::npos);
    REQUIRE (report.find ("retried every 3600 s") != std::string::npos);
    for (int i = 0; i < 9; ++i)
        REQUIRE_NOTHROW (log.write ({ { "event", "voiceEnd" } }));
    REQUIRE (log.getDroppedLines() == 10);
    REQUIRE (log.takeReport().empty());  // reported once, not per line
    REQUIRE (log.getProblem() == "Event log not written (No space left on device), 10 line(s) dropped, retrying");
    REQUIRE_NOTHROW (log.retryIfDue());   // not due yet: nothing changes
    REQUIRE (log.isFailing());
}

TEST_CASE ("LiveEventLog writes valid lines, invalid UTF-8 included", "[eventlog]")
{
    const auto path = std::filesystem::temp_directory_path() / "cuegrid-eventlog-test.ndjson";
    {
        cuegrid::LiveEventLog log (path.string());
        log.write ({ { "event", "a" } });
        log.write ({ { "event", "b" }, { "file", std::string ("caf\xe9.wav") } });  // Latin-1, not UTF-8
        REQUIRE_FALSE (log.isFailing());
        REQUIRE (log.getDroppedLines() == 0);
    }
    std::ifstream in (path);
    std::string first, second;
    std::getline (in, first);
    std::getline (in, second);
    REQUIRE (first == R"({"event":"a"})");
    REQUIRE (second == "{\"event\":\"b\",\"file\":\"caf\xef\xbf\xbd.wav\"}");
    std::filesystem::remove (path);
}

TEST_CASE ("Show playback events are described with their clip, group, fade length and end reason", "[eventlog]")
{
    using cuegrid::EngineEvent;
    cuegrid::Session session;
    session.clips.push_back ({});
    session.clips.back().id = "organ";
    const double rate = 48000.0;

    EngineEvent fading;
    fading.type = EngineEvent::Type::voiceFading;
    fading.clipSlot = 0;
    fading.group = 1;
    fading.voice = 3;
    fading.sampleTime = 96000;
    fading.length = 14400;
    REQUIRE (cuegrid::describeEvent (fading, session, rate).dump()
             == R"({"event":"voiceFading","sample":96000,"timeSec":2.0,"clip":"organ","group":"B","voice":3,"fadeSamples":14400,"fadeMs":300.0})");

    auto paused = fading;
    paused.type = EngineEvent::Type::voicePaused;
    REQUIRE (cuegrid::describeEvent (paused, session, rate).dump()
             == R"({"event":"voicePaused","sample":96000,"timeSec":2.0,"clip":"organ","group":"B","voice":3})");
    paused.type = EngineEvent::Type::voiceResumed;
    paused.group = cuegrid::auditionGroup;
    REQUIRE (cuegrid::describeEvent (paused, session, rate)["event"] == "voiceResumed");
    REQUIRE (cuegrid::describeEvent (paused, session, rate)["group"] == "Audition");

    EngineEvent panic;
    panic.type = EngineEvent::Type::panic;
    panic.sampleTime = 336000;
    panic.length = 3;
    REQUIRE (cuegrid::describeEvent (panic, session, rate).dump() == R"({"event":"panic","sample":336000,"timeSec":7.0})");

    auto ended = fading;
    ended.type = EngineEvent::Type::voiceEnded;
    ended.reason = cuegrid::VoiceEndReason::choked;
    REQUIRE (cuegrid::describeEvent (ended, session, rate)["reason"] == "choked");
    ended.reason = cuegrid::VoiceEndReason::panic;
    REQUIRE (cuegrid::describeEvent (ended, session, rate)["reason"] == "panic");

    // A streamed clip's data was late: the clip, when, and how much played as silence.
    EngineEvent underrun;
    underrun.type = EngineEvent::Type::underrun;
    underrun.clipSlot = 0;
    underrun.group = 2;
    underrun.voice = 5;
    underrun.sampleTime = 144000;
    underrun.length = 96;
    REQUIRE (cuegrid::describeEvent (underrun, session, rate).dump()
             == R"({"event":"underrun","sample":144000,"timeSec":3.0,"clip":"organ","group":"C","voice":5,"silentFrames":96,"silentMs":2.0})");

    // Fades of a fraction of a millisecond keep three decimals.
    fading.length = 11;
    REQUIRE (cuegrid::describeEvent (fading, session, 44100.0)["fadeMs"] == 0.249);
}

TEST_CASE ("Meter events are logged only through describeMeterEvent, in dBFS, LUFS and dB", "[eventlog]")
{
    using cuegrid::EngineEvent;
    EngineEvent meter;
    meter.type = EngineEvent::Type::meter;
    meter.sampleTime = 1200;
    meter.peaks[0] = 0.5f;                      // A left: −6.02 dBFS
    meter.peaks[10] = 0.891251f;                // master left at the −1 dBFS ceiling
    meter.peaks[11] = 1.0f;
    meter.rms[8] = 0.1f;                        // Audition left: −20 dBFS
    meter.lufsMomentary = -23.04f;
    meter.lufsShortTerm = -200.0f;              // not measured yet
    meter.gainReductionDb = 2.345f;

    REQUIRE (cuegrid::describeEvent (meter, cuegrid::Session {}, 48000.0).is_null());
    const auto line = cuegrid::describeMeterEvent (meter, 48000.0);
    REQUIRE (line.dump()
             == R"({"event":"meter","sample":1200,"timeSec":0.025,)"
                R"("peakDbfs":{"A":[-6.02,null],"B":[null,null],"C":[null,null],"D":[null,null],"Audition":[null,null],"master":[-1.0,0.0]},)"
                R"("rmsDbfs":{"A":[null,null],"B":[null,null],"C":[null,null],"D":[null,null],"Audition":[-20.0,null],"master":[null,null]},)"
                R"("lufsMomentary":-23.0,"lufsShortTerm":null,"limiterReductionDb":2.35})");

    EngineEvent start;
    start.type = EngineEvent::Type::voiceStarted;
    REQUIRE (cuegrid::describeMeterEvent (start, 48000.0).is_null());
}
