// CueGrid — GPL-3.0-or-later
// `cuegrid`: the headless CueGrid. Renders, plays and inspects sessions (docs/cli.md).
#include "CliCommands.h"
#include "CliMediaFolder.h"
#include "CliPackage.h"
#include "CliRelink.h"
#include "CliTimecode.h"

#include "Session/AtomicFile.h"

#include <CLI/CLI.hpp>

#include <iostream>

int main (int argc, char** argv)
{
    using namespace cuegrid::cli;

    CLI::App app { "cuegrid: headless CueGrid (render, play, info, analyze, new, import, relink, export, import-package, devices, timecode). See docs/cli.md." };
    app.require_subcommand (1);
    app.set_version_flag ("--version", "cuegrid 0.1.0");

    RenderOptions render;
    auto* renderCommand = app.add_subcommand ("render", "Render a show script offline to a WAV file");
    renderCommand->add_option ("SESSION", render.session, "Session manifest (*.cuegrid)")->required();
    renderCommand->add_option ("--script", render.script, "Show script (JSON)")->required();
    renderCommand->add_option ("--out", render.output, "Output WAV file")->required();
    renderCommand->add_option ("--block-size", render.blockSize, "Frames per engine block")->check (CLI::Range (1, 65536));
    renderCommand->add_option ("--format", render.format, "Sample format")->check (CLI::IsMember ({ "f32", "s24", "s16" }));
    renderCommand->add_flag ("--dump-events", render.dumpEvents, "Print the resolved plan and the engine events");
    renderCommand->add_option ("--loops", render.loops, "Passes of the script, each restarted at durationSec with a clean state (default 1)")
        ->check (CLI::Range (1, 10000));
    renderCommand->add_option ("--event-log", render.eventLog, "Write engine events as NDJSON");
    renderCommand->add_flag ("--allow-missing", render.allowMissing, "Render even if some media is missing (those clips stay silent)");
    renderCommand->add_option ("--channels", render.channels, "Channels of the WAV (default 2); the session's routing maps buses onto them")
        ->check (CLI::Range (1, 64));
    renderCommand->add_flag ("--meters", render.meters, "Also log meter readings (peak, RMS, LUFS, limiter) every 25 ms");
    renderCommand->add_option ("--ltc", render.ltc, "LTC audio file (at the session's rate) fed to the engine's input: the show's timecode");
    renderCommand->add_option ("--ltc-channel", render.ltcChannel, "Channel of the --ltc file holding the LTC, from 1 (default 1)")
        ->check (CLI::Range (1, 64));
    renderCommand->add_flag ("--chase-keeps-rolling", render.chaseKeepsRolling,
                             "Chasing clips roll on when the timecode stops (default: they stop after the flywheel time)");

    PlayOptions play;
    auto* playCommand = app.add_subcommand ("play", "Play a show script in realtime on an audio device");
    playCommand->add_option ("SESSION", play.session, "Session manifest (*.cuegrid)")->required();
    playCommand->add_option ("--script", play.script, "Show script (JSON)")->required();
    playCommand->add_option ("--device-type", play.deviceType, "JACK or ALSA")->check (CLI::IsMember ({ "JACK", "ALSA" }));
    playCommand->add_option ("--device", play.deviceName, "Output device name (see: cuegrid devices)");
    playCommand->add_option ("--block-size", play.blockSize, "Frames per callback")->check (CLI::Range (16, 8192));
    playCommand->add_option ("--event-log", play.eventLog, "Write engine events as NDJSON");
    playCommand->add_option ("--preroll", play.prerollSec, "Seconds of silence before script time 0 (default: the script's prerollSec)")->check (CLI::Range (0.0, 60.0));
    playCommand->add_flag ("--dump-events", play.dumpEvents, "Print the resolved plan before playing");
    playCommand->add_option ("--channels", play.channels, "Device output channels to open (default 2); the session's routing maps buses onto them")
        ->check (CLI::Range (1, 64));
    playCommand->add_flag ("--meters", play.meters, "Also log meter readings (peak, RMS, LUFS, limiter) every 25 ms");
    playCommand->add_option ("--ltc-channel", play.ltcChannel, "Device input carrying LTC, from 1 (default: none)")
        ->check (CLI::Range (1, 64));
    playCommand->add_flag ("--chase-keeps-rolling", play.chaseKeepsRolling,
                           "Chasing clips roll on when the timecode stops (default: they stop after the flywheel time)");
    playCommand->add_option ("--ltc-latency", play.ltcLatency,
                             "Samples from the LTC source to the engine's input (default: the device's input latency; 0 for a JACK client connected directly)")
        ->check (CLI::Range (0, 1 << 20));

    AnalyzeOptions analyze;
    auto& config = analyze.config;
    auto* analyzeCommand = app.add_subcommand ("analyze", "Bimodal gain analysis (SessionPrep-compatible) of media files");
    analyzeCommand->add_option ("PATH", analyze.paths, "Files, folders or a .cuegrid session")->required();
    analyzeCommand->add_option ("--json", analyze.json, "Write the analysis as JSON");
    analyzeCommand->add_option ("--report", analyze.report, "Write the text report to this file");
    analyzeCommand->add_option ("--write", analyze.write, "Write gained copies and sessionprep.json into this folder");
    analyzeCommand->add_option ("--classifier", analyze.classifier, "cuegrid (default) or sessionprep (the reference rule, exactly)")->check (CLI::IsMember ({ "sessionprep", "cuegrid" }));
    analyzeCommand->add_flag ("--recursive", analyze.recursive, "Descend into subfolders");
    analyzeCommand->add_option ("--jobs", analyze.jobs, "Files analysed at once (default: one per hardware thread), 1 to 256; the output does not depend on it")
        ->check (CLI::Range (1, 256));
    analyzeCommand->add_option ("--target_rms", config.targetRms, "dBFS, sustained material (default -18), -80 to 0")->check (CLI::Range (-80.0, 0.0));
    analyzeCommand->add_option ("--target_peak", config.targetPeak, "dBFS, transient material (default -6), -80 to 0")->check (CLI::Range (-80.0, 0.0));
    analyzeCommand->add_option ("--crest_threshold", config.crestThreshold, "dB (default 12), 0 to 60")->check (CLI::Range (0.0, 60.0));
    analyzeCommand->add_option ("--decay_db_threshold", config.decayDbThreshold, "dB (default 12)")->check (CLI::Range (3.0, 30.0));
    analyzeCommand->add_option ("--decay_lookahead_ms", config.decayLookaheadMs, "ms (default 200)")->check (CLI::Range (50.0, 1000.0));
    analyzeCommand->add_option ("--sparse_density_threshold", config.sparseDensityThreshold, "0-1 (default 0.25)")->check (CLI::Range (0.0, 1.0));
    analyzeCommand->add_option ("--gate_relative_db", config.gateRelativeDb, "dB (default 40), 0 to 144")->check (CLI::Range (0.0, 144.0));
    analyzeCommand->add_option ("--rms_anchor", config.rmsAnchor, "percentile or max")->check (CLI::IsMember ({ "percentile", "max" }));
    analyzeCommand->add_option ("--rms_percentile", config.rmsPercentile, "(default 95)")
        ->check (CLI::Range (0.0, 100.0))
        ->check (CLI::Validator ([] (std::string& value)
                                 { const auto p = std::stod (value); return p > 0 && p < 100 ? std::string() : "must be above 0 and below 100"; },
                                 "0 < P < 100"));
    analyzeCommand->add_option ("--window", config.windowMs, "momentary RMS window, ms (default 400), 1 to 10000")->check (CLI::Range (1.0, 10000.0));
    analyzeCommand->add_option ("--stereo_mode", config.stereoMode, "avg or sum")->check (CLI::IsMember ({ "avg", "sum" }));
    analyzeCommand->add_option ("--tail_min_exceed_db", config.tailMinExceedDb, "dB (default 3), 0 to 60")->check (CLI::Range (0.0, 60.0));
    analyzeCommand->add_option ("--tail_hop_ms", config.tailHopMs, "ms (default 10), 1 to 1000")->check (CLI::Range (1.0, 1000.0));
    analyzeCommand->add_option ("--tail_max_regions", config.tailMaxRegions, "(default 20), 0 to 1000")->check (CLI::Range (0, 1000));
    // One value per occurrence, so "--group D:kick media/" leaves media/ to PATH.
    analyzeCommand->add_option ("--group", config.groups, "Gain-linked group Name:pattern,pattern (repeatable)")
        ->expected (1)->multi_option_policy (CLI::MultiOptionPolicy::TakeAll);
    analyzeCommand->add_option ("--force_transient", config.forceTransient, "Keywords forcing Transient (comma-separated, repeatable)")
        ->expected (1)->multi_option_policy (CLI::MultiOptionPolicy::TakeAll)->delimiter (',');
    analyzeCommand->add_option ("--force_sustained", config.forceSustained, "Keywords forcing Sustained (comma-separated, repeatable)")
        ->expected (1)->multi_option_policy (CLI::MultiOptionPolicy::TakeAll)->delimiter (',');
    analyzeCommand->add_option ("--anchor", config.anchor, "Track whose fader ends at 0 dB");
    auto* targetLufs = analyzeCommand->add_option ("--target_lufs", analyze.targetLufs,
        "Loudness target mode: a gain per clip to this integrated loudness, LUFS, -70 to 0 (docs/analysis.md 8)")->check (CLI::Range (-70.0, 0.0));
    analyzeCommand->add_option ("--true_peak_ceiling", analyze.truePeakCeilingDbtp, "dBTP the target mode never exceeds (default -1), -20 to 0")
        ->check (CLI::Range (-20.0, 0.0))->needs (targetLufs);

    NewOptions create;
    auto* newCommand = app.add_subcommand ("new", "Create an empty session (one page of 8 tabs, 4 x 8 each; limiter on)");
    newCommand->add_option ("SESSION", create.session, "Session manifest to create (*.cuegrid); never replaced")->required();
    newCommand->add_option ("--media-folder", create.mediaFolder, "The session's media folder: created if missing, checked, recorded");

    ImportOptions importing;
    auto* importCommand = app.add_subcommand ("import", "Add clips for audio files to a tab's empty cells, with their analysis");
    importCommand->add_option ("SESSION", importing.session, "Session manifest (*.cuegrid)")->required();
    importCommand->add_option ("PATH", importing.paths, "Audio files or folders")->required();
    importCommand->add_option ("--page", importing.page, "Page number, from 1 (default 1)")->check (CLI::Range (1, 1000));
    importCommand->add_option ("--tab", importing.tab, "Tab number on the page, 1-8 (default 1); missing tabs are added")->check (CLI::Range (1, 8));
    importCommand->add_option ("--group", importing.group, "Clip Group of the new clips (default A)")->check (CLI::IsMember ({ "A", "B", "C", "D" }));
    importCommand->add_flag ("--recursive", importing.recursive, "Descend into subfolders");
    importCommand->add_flag ("--apply-gain", importing.applyGain, "Set each new clip's gain and level trim from the analysis");
    importCommand->add_flag ("--copy", importing.copy, "Copy the files into the session's media folder (cuegrid new --media-folder) first");
    auto* importTarget = importCommand->add_option ("--target_lufs", importing.targetLufs,
        "Loudness target mode: --apply-gain sets each clip's loudness gain to this LUFS, level trim 0 (-70 to 0)")->check (CLI::Range (-70.0, 0.0));
    importCommand->add_option ("--true_peak_ceiling", importing.truePeakCeilingDbtp, "dBTP the target mode never exceeds (default -1), -20 to 0")
        ->check (CLI::Range (-20.0, 0.0))->needs (importTarget);

    RelinkOptions relink;
    auto* relinkCommand = addRelinkCommand (app, relink);

    std::string infoSession;
    auto* infoCommand = app.add_subcommand ("info", "Describe a session and check its media");
    infoCommand->add_option ("SESSION", infoSession, "Session manifest (*.cuegrid)")->required();

    auto* devicesCommand = app.add_subcommand ("devices", "List audio device types and devices");

    TimecodeOptions timecode;
    addTimecodeCommands (app, timecode);

    PackageOptions packages;
    addPackageCommands (app, packages);

    MediaFolderOptions mediaFolder;
    addMediaFolderCommand (app, mediaFolder);

    try
    {
        app.parse (argc, argv);
    }
    catch (const CLI::ParseError& error)
    {
        const auto code = app.exit (error);
        return code == 0 ? success : invalidInput;
    }

    // An interrupted render or analysis leaves no temporary file behind (play handles Ctrl-C itself).
    if (renderCommand->parsed() || analyzeCommand->parsed() || newCommand->parsed() || importCommand->parsed()
        || relinkCommand->parsed() || packages.exportCommand->parsed() || packages.importCommand->parsed())
        cuegrid::removeTemporaryFilesOnSignals();

    try
    {
        if (renderCommand->parsed()) return runRender (render);
        if (playCommand->parsed()) return runPlay (play);
        if (infoCommand->parsed()) return runInfo (infoSession);
        if (analyzeCommand->parsed()) return runAnalyze (analyze);
        if (newCommand->parsed()) return runNew (create);
        if (importCommand->parsed()) return runImport (importing);
        if (relinkCommand->parsed()) return runRelink (relink);
        if (devicesCommand->parsed()) return runDevices();
        if (mediaFolder.command->parsed()) return runMediaFolder (mediaFolder);
        if (timecode.command->parsed()) return runTimecode (timecode);
        if (packages.exportCommand->parsed() || packages.importCommand->parsed()) return runPackageCommand (packages);
    }
    catch (const std::exception& error)
    {
        std::cerr << "cuegrid: error: " << error.what() << "\n";
        return failure;
    }
    return failure;
}
