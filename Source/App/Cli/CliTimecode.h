// CueGrid — GPL-3.0-or-later
// `cuegrid timecode decode|generate` (docs/cli.md, "timecode").
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace cuegrid::cli
{

/** Exit code of `timecode decode` when the file holds no LTC (docs/cli.md). */
constexpr int noTimecodeFound = 6;

struct TimecodeOptions
{
    CLI::App* command = nullptr;
    CLI::App* decode = nullptr;
    CLI::App* generate = nullptr;
    CLI::App* monitor = nullptr;

    std::string file;            // decode: the WAV (any libsndfile format)
    int channel = 1;             // decode: 1-based

    std::string fps, start, out; // generate
    double seconds = 0.0;
    double sampleRate = 48000.0;
    double levelDb = -6.0;

    int ltcChannel = 0;          // monitor: device input holding LTC, from 1 (0: none)
    std::string deviceType;      // monitor: "JACK", "ALSA" or "" (the first that opens)
    double monitorSeconds = 0.0; // monitor: stop after this long (0: at Ctrl+C)
    double monitorRate = 48000.0;
    int qualityThreshold = -1;   // monitor: ClockSettings::qualityThreshold (−1: the default)
    double flywheelSeconds = -1; // monitor: ClockSettings::flywheelSeconds (−1: the default)
    std::string masterTrace;     // monitor: NDJSON file of the master at every block ("": none)
};

/** `timecode monitor` (CliTimecodeMonitor.cpp). */
int runTimecodeMonitor (const TimecodeOptions& options);

/** Adds `timecode` and its subcommands to the CLI, bound to `options`. */
void addTimecodeCommands (CLI::App& app, TimecodeOptions& options);

/** Runs the parsed `timecode` subcommand; returns the exit code. */
int runTimecode (const TimecodeOptions& options);

} // namespace cuegrid::cli
