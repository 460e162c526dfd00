// CueGrid — GPL-3.0-or-later
// The CueGrid app: `CueGrid [SESSION] [--recover latest|none] [--event-log FILE] [--ui-map FILE]
// [--status-file FILE]`.
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
    MainWindow (const juce::String& name, std::unique_ptr<juce::Component> content)
        : DocumentWindow (name, juce::Colour (0xff1b1d20), DocumentWindow::allButtons)
    {
        setUsingNativeTitleBar (false);  // also under Xvfb, where no window manager draws one
        setContentOwned (content.release(), true);
        setResizable (true, true);
        setResizeLimits (900, 560, 4096, 4096);
        setTopLeftPosition (0, 0);
        setVisible (true);
    }

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
            else if (! arguments[i].startsWith ("-")) sessionPath = arguments[i];
        }
        if (sessionPath.isEmpty())
            sessionPath = CUEGRID_DEMO_SESSION;

        controller = std::make_unique<ShowController> (devices);
        juce::String problem;
        if (recover.isNotEmpty() && recover != "latest" && recover != "none")
        {
            problem = "--recover " + recover + ": expected latest or none; the saved session was opened";
            recover = "none";
        }
        const auto absoluteSession = juce::File::getCurrentWorkingDirectory().getChildFile (sessionPath).getFullPathName().toStdString();
        try
        {
            openSession (absoluteSession, recover, problem);
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
        main->sessionChanged();
        main->setSessionStore (store.get());  // Ctrl+S saves through it
        main->onQuit = [] { juce::JUCEApplicationBase::quit(); };
        if (store != nullptr)
        {
            // Autosave: the timer asks once a second; a point is written when one is due.
            autosaveTimer.callback = [this, main]
            {
                auto& editor = main->getEditor();
                const auto failure = autosaver.tick (juce::Time::getMillisecondCounterHiRes() / 1000.0, editor.hasUnsavedChanges(),
                                                     editor.getChangeCount(), *store, controller->getSession());
                if (! failure.empty() && failure != lastAutosaveFailure)
                {
                    std::fprintf (stderr, "CueGrid: autosave failed: %s\n", failure.c_str());
                    main->setProblem ("Autosave failed: " + juce::String (failure));
                }
                lastAutosaveFailure = failure.empty() ? lastAutosaveFailure : failure;
            };
            autosaveTimer.startTimer (1000);
        }
        if (problem.isNotEmpty())
        {
            std::fprintf (stderr, "CueGrid: %s\n", problem.toRawUTF8());
            main->setProblem (problem);
        }
        window = std::make_unique<MainWindow> ("CueGrid", std::move (content));
        if (pendingOffer)
            askAboutRecovery (main);
    }

    void shutdown() override
    {
        autosaveTimer.stopTimer();
        window.reset();
        // A clean close: the run marker goes; but a recovered session never saved keeps it, so
        // the next start offers the recovery again rather than the older saved file.
        if (store != nullptr && recoveredUnsaved && store->getSaveCount() == 0)
            store->keepRunMarker();
        store.reset();
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
    static juce::String localTime (std::int64_t micros)
    {
        return juce::Time (micros / 1000).formatted ("%Y-%m-%d %H:%M:%S");
    }

    /** Loads the recovery point as the session at `path` (which the next save writes) and
        notes it in the session database's audit trail. Throws InputError. */
    void recoverFrom (const std::string& path, const RecoveryPoint& point)
    {
        auto recovered = SessionStore::loadRecoveryPoint (point.path);
        controller->loadSession (path, std::move (recovered.session));
        std::fprintf (stderr, "CueGrid: recovered %s from the recovery point of %s (%s)\n", path.c_str(),
                      point.createdUtc.c_str(), point.path.c_str());
        recoveredUnsaved = true;
        try
        {
            MetadataDatabase (MetadataDatabase::pathForSession (path))
                .addAudit ("recovery", nlohmann::json ({ { "point", point.path.string() }, { "createdUtc", point.createdUtc },
                                                         { "reason", recovered.reason } }).dump());
        }
        catch (const std::exception& error)
        {
            std::fprintf (stderr, "CueGrid: the recovery is not in the session database: %s\n", error.what());
        }
    }

    /** After a crash, started without --recover: asks whether to recover (Return, R) or keep
        the saved file (Escape, O). Non-blocking; the saved session is loaded meanwhile. */
    void askAboutRecovery (MainComponent* main)
    {
        const auto offer = *pendingOffer;
        pendingOffer.reset();
        const auto savedAt = offer.savedMicros > 0 ? "The saved file is from " + localTime (offer.savedMicros) + ".\n" : juce::String();
        juce::AlertWindow::showAsync (
            juce::MessageBoxOptions()
                .withIconType (juce::MessageBoxIconType::QuestionIcon)
                .withTitle ("CueGrid did not close cleanly")
                .withMessage ("A recovery point of " + localTime (offer.point->createdMicros) + " holds changes that were not saved.\n"
                              + savedAt + "Recover them, or open the saved file?")
                .withButton ("Recover")
                .withButton ("Open saved file")
                .withAssociatedComponent (main),
            [this, main = juce::Component::SafePointer<MainComponent> (main), offer] (int result)
            {
                if (main == nullptr)  // dismissed as the app quits
                    return;
                if (result != 1)
                {
                    main->setProblem ({});
                    return;
                }
                try
                {
                    recoverFrom (controller->getSessionPath(), *offer.point);
                    main->sessionChanged();
                    main->setProblem ({});
                }
                catch (const InputError& error)
                {
                    main->setProblem (error.what());
                }
            });
    }

    /** Loads the session, or its newest recovery point when the last run crashed and `recover`
        is "latest", and writes its run marker. Without --recover, a crash is reported and the
        recovery is offered in a dialog (askAboutRecovery). Throws InputError as loadSession does. */
    void openSession (const std::string& path, const juce::String& recover, juce::String& problem)
    {
        const auto preferences = Preferences::load (Preferences::defaultPath());
        if (! preferences.problem.empty())
            std::fprintf (stderr, "CueGrid: %s\n", preferences.problem.c_str());
        const StoreSettings settings { AppFolders (preferences.preferences).getHome() / "Autosave",
                                       preferences.preferences.backupsKept, preferences.preferences.recoveryPointsKept };
        SessionStore::pruneAutosave (settings.autosaveRoot);  // shows closed over 30 days ago
        const auto offer = SessionStore::findRecovery (path, settings.autosaveRoot);
        if (offer.point && recover == "latest")
            recoverFrom (path, *offer.point);
        else
        {
            controller->loadSession (path);
            if (offer.point && recover.isEmpty())
            {
                problem = "CueGrid did not close cleanly: a recovery point of " + localTime (offer.point->createdMicros)
                          + " is newer than the saved session (Recover in the dialog, or start with --recover latest).";
                pendingOffer = offer;  // asked once the window is up
            }
            else if (recover == "latest")
                std::fprintf (stderr, "CueGrid: --recover latest: no recovery point newer than the saved session\n");
        }
        if (offer.otherInstanceRunning)
            problem = "This session seems open in another CueGrid: " + juce::String (offer.markerText).replace ("\n", " ");
        // Recent sessions: a preferences file that could not be read is left for the user to see.
        if (preferences.problem.empty() && path != juce::File (CUEGRID_DEMO_SESSION).getFullPathName().toStdString())
        {
            auto updated = preferences.preferences;
            updated.addRecentSession (path);
            try
            {
                updated.save (Preferences::defaultPath());
            }
            catch (const OutputError& error)
            {
                std::fprintf (stderr, "CueGrid: recent sessions not kept: %s\n", error.what());
            }
        }
        store = std::make_unique<SessionStore> (path, settings);
        try
        {
            store->markOpen();
        }
        catch (const OutputError& error)  // the store still saves; only crash detection is lost
        {
            std::fprintf (stderr, "CueGrid: no crash recovery for this session: %s\n", error.what());
        }
        autosaver.setInterval (preferences.preferences.autosaveSeconds);
    }

    struct CallbackTimer final : juce::Timer
    {
        std::function<void()> callback;
        void timerCallback() override { callback(); }
    };

    juce::AudioDeviceManager devices;
    std::unique_ptr<ShowController> controller;
    std::unique_ptr<SessionStore> store;
    Autosaver autosaver;
    CallbackTimer autosaveTimer;
    std::string lastAutosaveFailure;  // reported once
    bool recoveredUnsaved = false;    // opened from a recovery point (--recover latest or the dialog)
    std::optional<RecoveryOffer> pendingOffer;  // a crash to ask about once the window is up
    std::unique_ptr<MainWindow> window;
};

} // namespace cuegrid

START_JUCE_APPLICATION (cuegrid::CueGridApplication)
