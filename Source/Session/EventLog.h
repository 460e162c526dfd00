// CueGrid — GPL-3.0-or-later
#pragma once

#include "../Engine/EngineMessages.h"
#include "AtomicFile.h"
#include "SessionModel.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

namespace cuegrid
{

/** An engine event as one NDJSON object (see docs/cli.md, "Event log"), naming clips and
    groups the way the session does. Meter events give a null json (they are logged only on
    request, through describeMeterEvent). */
nlohmann::ordered_json describeEvent (const EngineEvent& event, const Session& session, double sampleRate);

/** A meter event as one NDJSON object: per bus (groups "A"–"D", "Audition", "master") the
    [left, right] sample peak since the last meter event and RMS over 300 ms in dBFS (0.01 dB,
    null = digital silence), the master's momentary and short-term loudness in LUFS (0.1 LU,
    null = silence or not measured yet) and the limiter's deepest gain reduction in dB
    (0.01 dB, ≥ 0). Null json for any other event. Any thread. */
nlohmann::ordered_json describeMeterEvent (const EngineEvent& event, double sampleRate);

/** A device xrun as one NDJSON object; `count` is the device's running total. */
nlohmann::ordered_json describeXrun (int count, int64_t sampleTime, double sampleRate);

/** Appends NDJSON lines to a file, flushed per line so another process can follow it.
    A line is written whole or not at all: after a failed or short write the file is cut back
    to its last complete line. Control thread only. The constructor throws OutputError if the
    file cannot be created. */
class EventLogWriter
{
public:
    explicit EventLogWriter (const std::string& path);
    ~EventLogWriter();
    EventLogWriter (const EventLogWriter&) = delete;
    EventLogWriter& operator= (const EventLogWriter&) = delete;

    /** Appends one line; false and `error` ("path: write failed: reason") on failure. */
    bool tryWrite (const nlohmann::ordered_json& line, std::string& error) noexcept;

    const std::string& getPath() const noexcept { return path; }

private:
    int descriptor = -1;
    long long goodSize = 0;   // bytes of complete lines written so far
    std::string path;
};

/** The event log of an offline render, written like its WAV: into a temporary beside the
    destination, renamed into place by commit(). A render that fails (a full disk, Ctrl-C)
    leaves neither an empty nor a partial log, and an older log stays as it was. Lines are
    buffered (64 KiB at a time). Control thread only. Throws OutputError (exit 4). */
class RenderEventLog
{
public:
    explicit RenderEventLog (const std::string& path);

    void write (const nlohmann::ordered_json& line);

    /** Writes what is buffered, flushes to disk and renames over the destination. */
    void commit();

private:
    AtomicFile file;
    std::string buffer;
};

/** The event log of a live show (the app, cuegrid play): a failing write never throws and
    never stops anything. While writes fail (a full disk), lines are counted and dropped, and
    a write is tried again every `retrySeconds` (on the next line, or from retryIfDue()). The
    first line written after a gap is an "eventLogGap" event saying how many lines were
    dropped and why. Each change (failing, writing again) is reported once, in words, through
    takeReport(). Control thread only. The constructor throws OutputError if the file cannot
    be created. */
class LiveEventLog
{
public:
    explicit LiveEventLog (const std::string& path, double retrySeconds = 3.0);

    void write (const nlohmann::ordered_json& line) noexcept;

    /** While failing: tries to write again if the retry interval has passed. */
    void retryIfDue() noexcept;

    /** A new state change in words ("event log …: No space left on device; events are
        dropped and retried every 3 s"), once; empty when nothing changed since the last call. */
    std::string takeReport();

    /** While failing: what fails and how many lines were dropped so far; empty when writing. */
    std::string getProblem() const;

    bool isFailing() const noexcept { return failing; }
    long long getDroppedLines() const noexcept { return droppedTotal; }
    /** The last write error ("path: write failed: reason"), also after writing resumed. */
    const std::string& getLastError() const noexcept { return lastError; }
    const std::string& getPath() const noexcept { return writer.getPath(); }

private:
    bool tryNow (const nlohmann::ordered_json* line) noexcept;
    void fail (const std::string& error) noexcept;

    EventLogWriter writer;
    const double retrySeconds;
    bool failing = false;
    std::string lastError, report;
    long long droppedInGap = 0, droppedTotal = 0;
    double gapStartSeconds = 0.0, lastAttemptSeconds = 0.0;
};

} // namespace cuegrid
