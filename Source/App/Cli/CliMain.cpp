// CueGrid — GPL-3.0-or-later
// `cuegrid`: the headless CueGrid. Renders, plays and inspects sessions (docs/cli.md).
#include "CliCommands.h"

#include <CLI/CLI.hpp>

#include <iostream>

int main (int argc, char** argv)
{
    using namespace cuegrid::cli;

    CLI::App app { "cuegrid: headless CueGrid (render, play, info, devices). See docs/cli.md." };
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
    renderCommand->add_option ("--event-log", render.eventLog, "Write engine events as NDJSON");
    renderCommand->add_flag ("--allow-missing", render.allowMissing, "Render even if some media is missing (those clips stay silent)");

    PlayOptions play;
    auto* playCommand = app.add_subcommand ("play", "Play a show script in realtime on an audio device");
    playCommand->add_option ("SESSION", play.session, "Session manifest (*.cuegrid)")->required();
    playCommand->add_option ("--script", play.script, "Show script (JSON)")->required();
    playCommand->add_option ("--device-type", play.deviceType, "JACK or ALSA")->check (CLI::IsMember ({ "JACK", "ALSA" }));
    playCommand->add_option ("--device", play.deviceName, "Output device name (see: cuegrid devices)");
    playCommand->add_option ("--block-size", play.blockSize, "Frames per callback")->check (CLI::Range (16, 8192));
    playCommand->add_option ("--event-log", play.eventLog, "Write engine events as NDJSON");
    playCommand->add_option ("--preroll", play.prerollSec, "Seconds of silence before script time 0")->check (CLI::Range (0.0, 60.0));

    std::string infoSession;
    auto* infoCommand = app.add_subcommand ("info", "Describe a session and check its media");
    infoCommand->add_option ("SESSION", infoSession, "Session manifest (*.cuegrid)")->required();

    auto* devicesCommand = app.add_subcommand ("devices", "List audio device types and devices");

    try
    {
        app.parse (argc, argv);
    }
    catch (const CLI::ParseError& error)
    {
        const auto code = app.exit (error);
        return code == 0 ? success : invalidInput;
    }

    try
    {
        if (renderCommand->parsed()) return runRender (render);
        if (playCommand->parsed()) return runPlay (play);
        if (infoCommand->parsed()) return runInfo (infoSession);
        if (devicesCommand->parsed()) return runDevices();
    }
    catch (const std::exception& error)
    {
        std::cerr << "cuegrid: error: " << error.what() << "\n";
        return failure;
    }
    return failure;
}
