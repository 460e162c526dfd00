// CueGrid — GPL-3.0-or-later
#pragma once

#include "../Engine/EngineMessages.h"
#include "SessionModel.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

namespace cuegrid
{

/** An engine event as one NDJSON object (see docs/cli.md, "Event log"), naming clips and
    groups the way the session does. Meter events give a null json (they are not logged). */
nlohmann::ordered_json describeEvent (const EngineEvent& event, const Session& session, double sampleRate);

/** A device xrun as one NDJSON object; `count` is the device's running total. */
nlohmann::ordered_json describeXrun (int count, int64_t sampleTime, double sampleRate);

/** Appends NDJSON lines to a file, flushed per line so another process can follow it.
    Control thread only. The constructor throws OutputError if the file cannot be created. */
class EventLogWriter
{
public:
    explicit EventLogWriter (const std::string& path);
    ~EventLogWriter();
    EventLogWriter (const EventLogWriter&) = delete;
    EventLogWriter& operator= (const EventLogWriter&) = delete;

    void write (const nlohmann::ordered_json& line);

private:
    std::FILE* file = nullptr;
    std::string path;
};

} // namespace cuegrid
