// CueGrid — GPL-3.0-or-later
#pragma once

#include "Control/OscServer.h"
#include "Control/ShowActions.h"
#include "Session/AppFolders.h"

#include <memory>
#include <optional>
#include <string>

namespace cuegrid
{

/** The app's OSC server and the MIDI and OSC debounce, as the preferences (and, for one run,
    `--osc-port N`, `--osc-network`, `--osc-passcode P`) set them. apply() takes effect at once:
    the server is started, stopped or restarted (a new port, network or passcode) without
    restarting the app; a port another program holds is reported, and OSC is then off.
    Message thread. */
class ControlSettings
{
public:
    explicit ControlSettings (ShowActions& showActions) : actions (showActions) {}

    /** This run's command-line OSC options (before the first apply()). */
    void setCommandLine (const OscServer::Settings& settings, bool wanted)
    {
        commandLine = settings;
        commandLineWanted = wanted;
    }

    /** Applies `preferences`' MIDI and OSC debounce and OSC server settings; the command line's
        options count until the OSC settings are saved changed (`fromPreferencesWindow`).
        Returns "" or the problem (port in use). */
    std::string apply (const Preferences& preferences, bool fromPreferencesWindow = false)
    {
        actions.setDebounceMs (ActionSource::midi, preferences.midiDebounceMs);
        actions.setDebounceMs (ActionSource::osc, preferences.oscDebounceMs);

        if (fromPreferencesWindow && applied && ! sameOsc (preferences, *applied))
            commandLineWanted = false, commandLine = {};   // the operator's choice replaces this run's options
        applied = preferences;

        OscServer::Settings wanted;
        wanted.port = commandLineWanted ? commandLine.port : preferences.oscPort;
        wanted.allowNetwork = commandLine.allowNetwork || preferences.oscNetwork;
        wanted.passcode = commandLine.passcode.empty() ? preferences.oscPasscode : commandLine.passcode;
        const bool on = commandLineWanted || preferences.oscEnabled;

        if (! on)
        {
            server.reset();
            problem.clear();
            return {};
        }
        if (server != nullptr && server->isRunning() && sameServer (running, wanted))
            return {};
        if (server == nullptr)
            server = std::make_unique<OscServer> (actions);
        running = wanted;
        problem = server->start (wanted);   // stops the old one first: its port is free for the new one
        return problem;
    }

    /** "OSC: on, port 53100 (this machine only)", "OSC: off", or the problem. For the
        Preferences window and the status file. */
    std::string describe() const
    {
        if (! problem.empty())
            return problem;
        if (server == nullptr || ! server->isRunning())
            return "OSC: off";
        return "OSC: on, UDP and TCP port " + std::to_string (running.port) + " ("
               + (running.allowNetwork ? "every interface" : "this machine only")
               + (running.passcode.empty() ? ")" : ", passcode)");
    }

    bool hasProblem() const noexcept { return ! problem.empty(); }
    bool isRunning() const noexcept { return server != nullptr && server->isRunning(); }
    const OscServer::Settings& getRunning() const noexcept { return running; }

    /** Ends the server (before the window whose ShowActions it uses goes). */
    void shutdown() { server.reset(); }

private:
    static bool sameOsc (const Preferences& a, const Preferences& b)
    {
        return a.oscEnabled == b.oscEnabled && a.oscPort == b.oscPort && a.oscNetwork == b.oscNetwork && a.oscPasscode == b.oscPasscode;
    }
    static bool sameServer (const OscServer::Settings& a, const OscServer::Settings& b)
    {
        return a.port == b.port && a.tcp == b.tcp && a.allowNetwork == b.allowNetwork && a.passcode == b.passcode;
    }

    ShowActions& actions;
    OscServer::Settings commandLine, running;
    bool commandLineWanted = false;
    std::optional<Preferences> applied;
    std::unique_ptr<OscServer> server;
    std::string problem;
};

} // namespace cuegrid
