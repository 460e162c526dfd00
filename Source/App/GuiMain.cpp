// CueGrid — GPL-3.0-or-later
// The CueGrid app: `CueGrid [SESSION] [--recover latest|none] [--event-log FILE] [--ui-map FILE]
// [--status-file FILE]`.
#include "ControlSettings.h"
#include "FileCommands.h"
#include "Control/SessionDocument.h"
#include "Control/OscServer.h"
#include "Control/MirrorReceiver.h"
#include "Control/MirrorSender.h"
#include "Control/MidiControl.h"
#include "Clock/PtpSource.h"
#include "Control/ShowController.h"
#include "Session/AppFolders.h"
#include "Session/Errors.h"
#include "Session/MetadataDatabase.h"
#include "Session/OutputGuard.h"
#include "Session/SessionStore.h"
#include "UI/MainComponent.h"

#include <juce_gui_extra/juce_gui_extra.h>

namespace cuegrid
{

class MainWindow final : public juce::DocumentWindow
{
public:
    MainWindow (const juce::String& name, std::unique_ptr<juce::Component> content, juce::MenuBarModel* menu)
        : DocumentWindow (name, juce::Colour (0xff1b1d20), DocumentWindow::allButtons)
    {
        setUsingNativeTitleBar (false);  // also under Xvfb, where no window manager draws one
        setMenuBar (menu, 26);
        setContentOwned (content.release(), true);
        setResizable (true, true);
        setResizeLimits (900, 560, 4096, 4096);
        // The title and menu bars come on top of the content's 770 px: on a 1280 x 800 screen the
        // status bar (where refused edits say why) would fall off the bottom. Fit the screen.
        if (const auto* display = juce::Desktop::getInstance().getDisplays().getPrimaryDisplay())
            setSize (juce::jmin (getWidth(), display->userArea.getWidth()), juce::jmin (getHeight(), display->userArea.getHeight()));
        setTopLeftPosition (0, 0);
        setVisible (true);
    }

    ~MainWindow() override { setMenuBar (nullptr); }

    void closeButtonPressed() override { juce::JUCEApplication::getInstance()->systemRequestedQuit(); }
};

class CueGridApplication final : public juce::JUCEApplication
{
public:
    const juce::String getApplicationName() override { return "CueGrid"; }
    const juce::String getApplicationVersion() override { return "0.1.0"; }
    bool moreThanOneInstanceAllowed() override { return true; }

    void initialise (const juce::String&) override
    {
        juce::String sessionPath, eventLogPath, uiMapPath, statusPath, recover;
        const auto arguments = getCommandLineParameterArray();
        for (int i = 0; i < arguments.size(); ++i)
        {
            if (arguments[i] == "--event-log" && i + 1 < arguments.size()) eventLogPath = arguments[++i];
            else if (arguments[i] == "--ui-map" && i + 1 < arguments.size()) uiMapPath = arguments[++i];
            else if (arguments[i] == "--status-file" && i + 1 < arguments.size()) statusPath = arguments[++i];
            else if (arguments[i] == "--recover" && i + 1 < arguments.size()) recover = arguments[++i];
            else if (arguments[i] == "--osc-port" && i + 1 < arguments.size()) oscSettings.port = arguments[++i].getIntValue(), oscWanted = true;
            else if (arguments[i] == "--osc-network") oscSettings.allowNetwork = true;
            else if (arguments[i] == "--osc-passcode" && i + 1 < arguments.size()) oscSettings.passcode = arguments[++i].toStdString();
            else if (arguments[i] == "--role" && i + 1 < arguments.size()) mirrorRole = arguments[++i];
            else if (arguments[i] == "--mirror" && i + 1 < arguments.size()) mirrorTarget = arguments[++i];
            else if (arguments[i] == "--listen" && i + 1 < arguments.size()) mirrorListen = arguments[++i].getIntValue();
            else if (arguments[i] == "--mirror-delay" && i + 1 < arguments.size()) mirrorDelayMs = arguments[++i].getDoubleValue();
            else if (arguments[i] == "--midi-learn" && i + 1 < arguments.size()) midiLearn = arguments[++i];
            else if (arguments[i] == "--clock-quality" && i + 1 < arguments.size()) clockQuality = arguments[++i].getIntValue();
            else if (! arguments[i].startsWith ("-")) sessionPath = arguments[i];
        }
        if (sessionPath.isEmpty())
            sessionPath = CUEGRID_DEMO_SESSION;

        controller = std::make_unique<ShowController> (devices);
        document = std::make_unique<SessionDocument> (*controller, Preferences::defaultPath());
        if (! document->getPreferencesProblem().empty())
            std::fprintf (stderr, "CueGrid: %s\n", document->getPreferencesProblem().c_str());
        juce::String problem;
        auto recovery = SessionDocument::Recovery::ask;
        if (recover == "latest")
            recovery = SessionDocument::Recovery::latest;
        else if (recover == "none")
            recovery = SessionDocument::Recovery::none;
        else if (recover.isNotEmpty())
            problem = "--recover " + recover + ": expected latest or none; the saved session was opened";
        const auto absoluteSession = juce::File::getCurrentWorkingDirectory().getChildFile (sessionPath).getFullPathName().toStdString();
        try
        {
            const auto opened = document->open (absoluteSession, problem.isEmpty() ? recovery : SessionDocument::Recovery::none,
                                                juce::File (CUEGRID_DEMO_SESSION).getFullPathName().toStdString());
            if (! opened.problem.empty())
                problem = juce::String::fromUTF8 (opened.problem.c_str());
            pendingOffer = opened.toAsk;
        }
        catch (const InputError& error)
        {
            problem = error.what();
            // A damaged manifest: say where the previous version is (saves keep it).
            if (const auto backup = SessionStore::backupPath (absoluteSession, 1); std::filesystem::is_regular_file (backup))
                problem << " (the previous version is " << backup.string() << ")";
        }
        // No output may replace the session, its database or its media, nor another output.
        OutputGuard guard;
        if (controller->getSessionPath().size() > 0)
            guard.protectSession (controller->getSessionPath(), controller->getSession());
        auto claim = [&] (juce::String& path, const char* option)
        {
            if (path.isEmpty())
                return;
            try
            {
                guard.claimOutput (juce::File::getCurrentWorkingDirectory().getChildFile (path).getFullPathName().toStdString(), option);
            }
            catch (const OutputError& error)
            {
                problem << (problem.isEmpty() ? "" : "   |   ") << error.what();
                path = {};
            }
        };
        claim (eventLogPath, "--event-log");
        claim (uiMapPath, "--ui-map");
        claim (statusPath, "--status-file");
        try
        {
            if (eventLogPath.isNotEmpty())
                controller->setEventLog (eventLogPath.toStdString());
        }
        catch (const OutputError& error)
        {
            problem = error.what();
        }
        if (const auto deviceProblem = controller->openDefaultDevice(); ! deviceProblem.empty())
            std::fprintf (stderr, "CueGrid: no audio device: %s\n", deviceProblem.c_str());

        auto content = std::make_unique<MainComponent> (*controller, devices);
        auto* main = content.get();
        if (uiMapPath.isNotEmpty())
            main->setUiMapFile (juce::File::getCurrentWorkingDirectory().getChildFile (uiMapPath));
        if (statusPath.isNotEmpty())
            main->setStatusFile (juce::File::getCurrentWorkingDirectory().getChildFile (statusPath));
        main->onQuit = [] { juce::JUCEApplicationBase::quit(); };
        // Dual-page view is this workstation's choice: kept in the preferences, not the show.
        main->setDualView (document->getPreferences().dualPageView);
        // The global action keys are this workstation's too (preferences `keymap`).
        main->getShowKeys().getKeyMap().setGlobalKeymap (document->getPreferences().keymap);
        main->onGlobalKeymapChanged = [this] (const GlobalKeymap& keymap)
        {
            auto changed = document->getPreferences();
            changed.keymap = keymap;
            try
            {
                document->setPreferences (changed);
            }
            catch (const std::exception& error)
            {
                std::fprintf (stderr, "CueGrid: the keymap is not kept: %s\n", error.what());
            }
        };
        main->onDualViewChanged = [this] (bool dual)
        {
            auto changed = document->getPreferences();
            changed.dualPageView = dual;
            try
            {
                document->setPreferences (changed);
            }
            catch (const std::exception& error)
            {
                std::fprintf (stderr, "CueGrid: the view is not kept: %s\n", error.what());
            }
        };
        // OSC and the MIDI/OSC debounce: the preferences' (oscEnabled, oscPort, oscNetwork,
        // oscPasscode, midiDebounceMs, oscDebounceMs), or for this run --osc-port N (--osc-network:
        // not only from this machine; --osc-passcode P). The Preferences window applies changes at once.
        osc = std::make_unique<ControlSettings> (main->getShowActions());
        osc->setCommandLine (oscSettings, oscWanted);
        if (const auto oscProblem = osc->apply (document->getPreferences()); ! oscProblem.empty())
            problem = oscProblem;
        else if (osc->isRunning())
            std::fprintf (stderr, "CueGrid: OSC on UDP and TCP port %d (%s)\n", osc->getRunning().port,
                          osc->getRunning().allowNetwork ? "every interface" : "this machine only");
        startMidi (*main, problem);
        startMirroring (*main, problem);
        fileCommands = std::make_unique<FileCommands> (*document, *main);
        fileCommands->onPreferencesSaved = [this] (const Preferences& changed) { return osc->apply (changed, true); };
        fileCommands->describeControl = [this] { return std::pair { osc->describe(), osc->hasProblem() }; };
        fileCommands->sessionInstalled();
        if (problem.isNotEmpty())
        {
            std::fprintf (stderr, "CueGrid: %s\n", problem.toRawUTF8());
            main->setProblem (problem);
        }
        window = std::make_unique<MainWindow> ("CueGrid", std::move (content), &fileCommands->getMenu());
        window->addKeyListener (fileCommands.get());
        main->addUiMapWindow ("menubar", window->getMenuBarComponent(), [] { return std::vector<std::pair<juce::String, juce::Component*>>(); });
        if (pendingOffer)
            fileCommands->askAboutRecovery (*pendingOffer);
        pendingOffer.reset();
    }

    void shutdown() override
    {
        if (window != nullptr && fileCommands != nullptr)
            window->removeKeyListener (fileCommands.get());
        if (auto* main = window != nullptr ? dynamic_cast<MainComponent*> (window->getContentComponent()) : nullptr)
            main->setMidiControl (nullptr);
        midi.reset();
        ptp.reset();
        osc.reset();   // its network thread hands actions to the window's ShowActions
        mirrorSender.reset();
        mirrorReceiver.reset();
        window.reset();
        fileCommands.reset();
        // A clean close: the run marker goes; but a recovered session never saved keeps it, so
        // the next start offers the recovery again rather than the older saved file.
        document.reset();
        controller.reset();
        devices.closeAudioDevice();
    }

    /** The window's close button, Ctrl+Q and the desktop's quit: with clips playing or unsaved
        changes, the main component asks first (never modal) and quits on its answer. */
    void systemRequestedQuit() override
    {
        if (auto* main = window != nullptr ? dynamic_cast<MainComponent*> (window->getContentComponent()) : nullptr)
            if (! main->requestQuit())
                return;
        quit();
    }

private:
    /** MIDI (ALSA devices and the JACK MIDI client "cuegrid-midi"), always on; `--midi-learn
        fire:ID,group:A,...` arms learn for those targets in turn (tests, scripted set-ups). */
    void startMidi (MainComponent& main, juce::String& problem)
    {
        midi = std::make_unique<MidiControl> (main.getShowActions());
        // Every MIDI input's MTC is a peer source of the engine's clock manager; PTP beside them.
        auto& timecode = controller->getTimecode();
        midi->setClock (&timecode.getManager(), &timecode.getSampleClock());
        ptp = std::make_unique<PtpSource> (timecode.getManager(), timecode.getSampleClock());
        ptp->start();
        // This machine's clock preferences, applied live (the clock panel's Settings row edits them).
        auto clockPrefs = document->getPreferences().clock;
        if (clockQuality >= 0)   // --clock-quality N: the quality threshold (0-100) for this run
            clockPrefs.settings.qualityThreshold = juce::jlimit (0, 100, clockQuality);
        main.getClockWindow().setPreferences (clockPrefs);
        main.getClockWindow().onSave = [this] (const ClockPreferences& clock) -> juce::String
        {
            auto changed = document->getPreferences();
            changed.clock = clock;
            try
            {
                document->setPreferences (changed);
            }
            catch (const std::exception& error)
            {
                return juce::String ("not kept: ") + error.what();
            }
            return {};
        };
        midi->onJackReopened = [this] (const std::string& reopenProblem)
        {
            controller->writeEventLog ({ { "event", "jackMidiReopened" }, { "reason", "stalled" }, { "ok", reopenProblem.empty() },
                                         { "problem", reopenProblem } });
        };
        midi->onJackRunning = [this] (const std::string& client)
        {
            controller->writeEventLog ({ { "event", "jackMidiRunning" }, { "client", client } });
        };
        if (const auto midiProblem = midi->start(); ! midiProblem.empty())
            std::fprintf (stderr, "CueGrid: %s\n", midiProblem.c_str());
        std::vector<MidiTarget> targets;
        for (const auto& text : juce::StringArray::fromTokens (midiLearn, ",", {}))
            if (auto target = MidiTarget::parse (text.trim().toStdString()))
                targets.push_back (*target);
            else
                problem << (problem.isEmpty() ? "" : "   |   ") << "--midi-learn: unknown target " << text;
        midi->getMapper().armLearnSequence (std::move (targets));
        // What is learned becomes an undoable edit of the session (MidiLearn, through the window's
        // SessionEditor), also the Learn MIDI of the clip menu, the inspector and the faders.
        main.setMidiControl (midi.get());
    }

    /** Primary/backup mirroring (docs/control.md): `--role primary --mirror HOST:PORT` sends
        every operator action and a heartbeat to the backup; `--role backup --listen PORT
        [--mirror-delay MS]` performs them at the same moments of its own timeline. */
    void startMirroring (MainComponent& main, juce::String& problem)
    {
        const auto report = [&problem] (const std::string& text)
        {
            if (! text.empty())
                problem << (problem.isEmpty() ? "" : "   |   ") << juce::String::fromUTF8 (text.c_str());
        };
        if (mirrorRole.isEmpty() && mirrorTarget.isEmpty() && mirrorListen == 0)
            return;
        if (mirrorRole == "primary")
        {
            MirrorSender::Settings settings;
            settings.host = mirrorTarget.upToLastOccurrenceOf (":", false, false).toStdString();
            settings.port = mirrorTarget.fromLastOccurrenceOf (":", false, false).getIntValue();
            mirrorSender = std::make_unique<MirrorSender> (*controller);
            if (const auto why = mirrorSender->start (settings); ! why.empty())
                return report (why);
            main.getShowActions().toMirror = [this] (const ShowAction& action, ActionSource, const ShowActions::Result& result)
            {
                mirrorSender->actionPerformed (action, result);
            };
            main.statusExtra = [this] (bool& warning) { return juce::String (mirrorSender->describe (warning)); };
            std::fprintf (stderr, "CueGrid: mirroring to %s\n", mirrorTarget.toRawUTF8());
        }
        else if (mirrorRole == "backup")
        {
            MirrorReceiver::Settings settings;
            settings.port = mirrorListen;
            settings.delayMs = juce::jlimit (0.0, 1000.0, mirrorDelayMs);
            mirrorReceiver = std::make_unique<MirrorReceiver> (main.getShowActions());
            if (const auto why = mirrorReceiver->start (settings); ! why.empty())
                return report (why);
            main.statusExtra = [this] (bool& warning) { return juce::String (mirrorReceiver->describe (warning)); };
            std::fprintf (stderr, "CueGrid: backup, listening for the primary on TCP port %d\n", mirrorListen);
        }
        else
            report ("--role: expected primary (with --mirror HOST:PORT) or backup (with --listen PORT)");
    }

    juce::AudioDeviceManager devices;
    std::unique_ptr<ShowController> controller;
    std::unique_ptr<SessionDocument> document;
    std::unique_ptr<FileCommands> fileCommands;
    std::optional<RecoveryOffer> pendingOffer;  // a crash to ask about once the window is up
    std::unique_ptr<MainWindow> window;
    OscServer::Settings oscSettings;
    bool oscWanted = false;
    juce::String midiLearn;
    std::unique_ptr<MidiControl> midi;    // uses the window's ShowActions: destroyed before it
    std::unique_ptr<PtpSource> ptp;       // a source of the engine's clock manager (issue 12)
    int clockQuality = -1;                // --clock-quality N
    std::unique_ptr<ControlSettings> osc; // the OSC server: after the window, destroyed first (it uses the window's ShowActions)
    juce::String mirrorRole, mirrorTarget;
    int mirrorListen = 0;
    double mirrorDelayMs = 20.0;
    std::unique_ptr<MirrorSender> mirrorSender;       // --role primary: uses the controller's engine
    std::unique_ptr<MirrorReceiver> mirrorReceiver;   // --role backup: uses the window's ShowActions
};

} // namespace cuegrid

START_JUCE_APPLICATION (cuegrid::CueGridApplication)
