// CueGrid — GPL-3.0-or-later
// The CueGrid app: `CueGrid [SESSION] [--event-log FILE] [--ui-map FILE] [--status-file FILE]`.
#include "Control/ShowController.h"
#include "Session/Errors.h"
#include "Session/OutputGuard.h"
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
        juce::String sessionPath, eventLogPath, uiMapPath, statusPath;
        const auto arguments = getCommandLineParameterArray();
        for (int i = 0; i < arguments.size(); ++i)
        {
            if (arguments[i] == "--event-log" && i + 1 < arguments.size()) eventLogPath = arguments[++i];
            else if (arguments[i] == "--ui-map" && i + 1 < arguments.size()) uiMapPath = arguments[++i];
            else if (arguments[i] == "--status-file" && i + 1 < arguments.size()) statusPath = arguments[++i];
            else if (! arguments[i].startsWith ("-")) sessionPath = arguments[i];
        }
        if (sessionPath.isEmpty())
            sessionPath = CUEGRID_DEMO_SESSION;

        controller = std::make_unique<ShowController> (devices);
        juce::String problem;
        try
        {
            controller->loadSession (juce::File::getCurrentWorkingDirectory().getChildFile (sessionPath).getFullPathName().toStdString());
        }
        catch (const InputError& error)
        {
            problem = error.what();
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
        if (problem.isNotEmpty())
        {
            std::fprintf (stderr, "CueGrid: %s\n", problem.toRawUTF8());
            main->setProblem (problem);
        }
        window = std::make_unique<MainWindow> ("CueGrid", std::move (content));
    }

    void shutdown() override
    {
        window.reset();
        controller.reset();
        devices.closeAudioDevice();
    }

    void systemRequestedQuit() override { quit(); }

private:
    juce::AudioDeviceManager devices;
    std::unique_ptr<ShowController> controller;
    std::unique_ptr<MainWindow> window;
};

} // namespace cuegrid

START_JUCE_APPLICATION (cuegrid::CueGridApplication)
