// CueGrid — GPL-3.0-or-later
#pragma once

#include "Analysis/AnalysisConfig.h"

#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace cuegrid::cli
{

/** Process exit codes of `cuegrid` (docs/cli.md). */
enum ExitCode : int
{
    success = 0,
    failure = 1,           // anything unexpected
    invalidInput = 2,      // bad usage, malformed session or script
    missingMedia = 3,      // render: a clip's media is missing or unreadable (see --allow-missing)
    outputUnwritable = 4,  // output file or event log cannot be written
    noAudioDevice = 5      // play: the device cannot be opened, or it went away mid-play
};

struct RenderOptions
{
    std::string session, script, output;
    int blockSize = 512;
    std::string format = "f32";
    bool dumpEvents = false;
    std::string eventLog;
    bool allowMissing = false;
    int channels = 2;          // file channels, 1–64; the session's routing maps buses onto them
    bool meters = false;       // log meter events too
    std::string ltc;           // an LTC file fed to the engine's input as the show's timecode (empty: none)
    int ltcChannel = 1;        // its channel holding the LTC, from 1
    bool chaseKeepsRolling = false;   // chasing clips roll on when the timecode stops (preference; default: they stop)
    int loops = 1;             // passes of the script, each restarted at durationSec with a clean state; the last keeps its tail
};

struct PlayOptions
{
    std::string session, script;
    std::string deviceType, deviceName;
    int blockSize = 0;
    std::string eventLog;
    double prerollSec = -1.0;  // seconds before script time 0; < 0: the script's prerollSec
    bool dumpEvents = false;   // print the resolved plan before playing
    int channels = 2;          // device output channels, 1–64
    bool meters = false;       // log meter events too
    int ltcChannel = 0;        // device input carrying LTC, from 1; 0 = none
    int ltcLatency = -1;       // samples from the LTC connector to the engine's input; -1 = the device's reported input latency
    bool chaseKeepsRolling = false;   // as RenderOptions
};

struct AnalyzeOptions
{
    std::vector<std::string> paths;
    std::string json, report, write, classifier = "cuegrid";
    bool recursive = false;
    int jobs = 0;                   // --jobs: files analysed at once; 0 = one per hardware thread
    analysis::AnalysisConfig config;
    double targetLufs = std::numeric_limits<double>::quiet_NaN();   // --target_lufs, LUFS; NaN = no loudness target mode
    double truePeakCeilingDbtp = -1.0;                                // --true_peak_ceiling, dBTP
};

/** `cuegrid new` (docs/cli.md). */
struct NewOptions
{
    std::string session;
    std::string mediaFolder;   // empty: none recorded
};

/** `cuegrid import` (docs/cli.md). Page and tab are 1-based. */
struct ImportOptions
{
    std::string session;
    std::vector<std::string> paths;
    int page = 1, tab = 1;
    std::string group = "A";
    bool recursive = false;
    bool applyGain = false;    // set each clip's gain and level trim from the analysis
    double targetLufs = std::numeric_limits<double>::quiet_NaN();   // --target_lufs: --apply-gain sets the loudness gain instead; NaN = off
    double truePeakCeilingDbtp = -1.0;                                // --true_peak_ceiling, dBTP
    bool copy = false;         // copy the files into the session's media folder first
};


int runRender (const RenderOptions& options);
int runNew (const NewOptions& options);
int runImport (const ImportOptions& options);
int runAnalyze (const AnalyzeOptions& options);
int runPlay (const PlayOptions& options);
int runInfo (const std::string& session);
int runDevices();

} // namespace cuegrid::cli
