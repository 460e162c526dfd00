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

    std::string file;            // decode: the WAV (any libsndfile format)
    int channel = 1;             // decode: 1-based

    std::string fps, start, out; // generate
    double seconds = 0.0;
    double sampleRate = 48000.0;
    double levelDb = -6.0;
};

/** Adds `timecode` and its subcommands to the CLI, bound to `options`. */
void addTimecodeCommands (CLI::App& app, TimecodeOptions& options);

/** Runs the parsed `timecode` subcommand; returns the exit code. */
int runTimecode (const TimecodeOptions& options);

} // namespace cuegrid::cli
