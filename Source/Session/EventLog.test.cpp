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
