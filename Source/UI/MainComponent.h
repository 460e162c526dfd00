// CueGrid — GPL-3.0-or-later
#pragma once

#include "ClipAnalysisView.h"
#include "ClipButton.h"
#include "GroupStrip.h"
#include "Control/ShowController.h"

#include <juce_audio_utils/juce_audio_utils.h>

#include <memory>
#include <vector>

namespace cuegrid
{

/** The operator's main window content: page selector, the page's 8 tabs, the clip grid,
    Group A–D strips and the status bar. Click fires a clip, click on a playing clip stops
    it, Escape stops all. Only presentation: every action goes through the ShowController.
    Message thread. */
class MainComponent final : public juce::Component, private juce::Timer
{
public:
    MainComponent (ShowController& controller, juce::AudioDeviceManager& devices);
    ~MainComponent() override;

    /** Writes "clip <id> <x> <y>" (screen centre of each visible clip button) to `path`
        after each layout, for automation and the GUI test. */
    void setUiMapFile (const juce::File& path) { uiMapFile = path; }

    /** Writes the status bar's text (without the CPU figure) to `path` whenever it changes,
        for automation and the GUI tests. */
    void setStatusFile (const juce::File& path) { statusFile = path; }

    /** Shows a problem in the status bar (e.g. a session that failed to load). */
    void setProblem (const juce::String& text);

    /** Rebuilds everything from the controller's session. */
    void sessionChanged();

    void paint (juce::Graphics&) override;
    void resized() override;
    bool keyPressed (const juce::KeyPress&) override;

private:
    void timerCallback() override;
    void showPage (int page);
    void showTab (int tab);
    void rebuildGrid();
    void showAnalysis();
    void writeUiMap();
    void openAudioSettings();
    juce::String statusText (bool withLoad = true) const;
    void writeStatusFile();
    void reportOnce (const juce::String& text);

    ShowController& controller;
    juce::AudioDeviceManager& devices;

    juce::Label title;
    juce::ComboBox pageSelector;
    juce::TextButton stopAllButton { "STOP ALL  (Esc)" }, settingsButton { "Audio Settings" };
    struct PageTabs final : juce::TabbedButtonBar
    {
        PageTabs() : juce::TabbedButtonBar (TabsAtTop) {}
        void currentTabChanged (int index, const juce::String&) override { if (onChange) onChange (index); }
        std::function<void (int)> onChange;
    };
    PageTabs tabs;
    juce::Component grid;
    std::vector<std::unique_ptr<ClipButton>> buttons;
    std::vector<std::unique_ptr<GroupStrip>> strips;
    juce::UndoManager undoManager;
    ClipAnalysisView analysisView { controller, undoManager };
    juce::Rectangle<int> statusArea;
    juce::String problem;

    int currentPage = 0, currentTab = 0;
    juce::File uiMapFile, statusFile;
    juce::String lastStatus, lastReport;
    double lastTimerSeconds = 0.0;
    bool uiMapWritten = false;
};

} // namespace cuegrid
