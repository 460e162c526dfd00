// CueGrid — GPL-3.0-or-later
#include "MainComponent.h"

#include <cstdio>

namespace cuegrid
{

MainComponent::MainComponent (ShowController& showController, juce::AudioDeviceManager& deviceManager)
    : controller (showController), devices (deviceManager)
{
    title.setFont (juce::Font (20.0f, juce::Font::bold));
    title.setColour (juce::Label::textColourId, juce::Colours::white);
    addAndMakeVisible (title);

    pageSelector.setWantsKeyboardFocus (false);
    pageSelector.onChange = [this] { showPage (pageSelector.getSelectedItemIndex()); };
    addAndMakeVisible (pageSelector);

    stopAllButton.setColour (juce::TextButton::buttonColourId, juce::Colour (0xffb02828));
    stopAllButton.setWantsKeyboardFocus (false);
    stopAllButton.onClick = [this] { controller.stopAll(); };
    addAndMakeVisible (stopAllButton);

    settingsButton.setWantsKeyboardFocus (false);
    settingsButton.onClick = [this] { openAudioSettings(); };
    addAndMakeVisible (settingsButton);

    addAndMakeVisible (analysisView);

    tabs.setWantsKeyboardFocus (false);
    tabs.onChange = [this] (int index) { if (index >= 0 && index != currentTab) showTab (index); };
    addAndMakeVisible (tabs);
    addAndMakeVisible (grid);

    for (int group = 0; group < 4; ++group)
    {
        auto strip = std::make_unique<GroupStrip> ((char) ('A' + group));
        strip->onGainChanged = [this, group] (double db) { controller.setGroupGain (group, db); };
        strip->onMuteChanged = [this, group] (bool muted) { controller.setGroupMute (group, muted); };
        addAndMakeVisible (*strip);
        strips.push_back (std::move (strip));
    }

    setWantsKeyboardFocus (true);
    setSize (1280, 760);
    sessionChanged();
    startTimerHz (30);
}

MainComponent::~MainComponent() = default;

void MainComponent::sessionChanged()
{
    const auto& session = controller.getSession();
    title.setText ("CueGrid  |  " + juce::String (session.name), juce::dontSendNotification);
    pageSelector.clear (juce::dontSendNotification);
    for (size_t i = 0; i < session.pages.size(); ++i)
        pageSelector.addItem (juce::String (session.pages[i].name), (int) i + 1);
    for (int group = 0; group < 4; ++group)
        strips[(size_t) group]->setState (session.groups[(size_t) group].gainDb, session.groups[(size_t) group].muted);
    undoManager.clearUndoHistory();
    analysisView.startForSession();
    showPage (0);
}

void MainComponent::showPage (int page)
{
    const auto& pages = controller.getSession().pages;
    currentPage = juce::jlimit (0, juce::jmax (0, (int) pages.size() - 1), page);
    pageSelector.setSelectedItemIndex (currentPage, juce::dontSendNotification);

    tabs.clearTabs();
    for (int tab = 0; tab < Page::maxTabs; ++tab)
    {
        juce::String name = "Tab " + juce::String (tab + 1);
        if (currentPage < (int) pages.size() && tab < (int) pages[(size_t) currentPage].tabs.size())
            name = pages[(size_t) currentPage].tabs[(size_t) tab].name;
        tabs.addTab (name, juce::Colour (0xff30343a), tab);
    }
    showTab (0);
}

void MainComponent::showTab (int tab)
{
    currentTab = tab;
    tabs.setCurrentTabIndex (tab, false);
    rebuildGrid();
}

void MainComponent::rebuildGrid()
{
    buttons.clear();
    const auto& session = controller.getSession();
    const Tab* tab = nullptr;
    if (currentPage < (int) session.pages.size() && currentTab < (int) session.pages[(size_t) currentPage].tabs.size())
        tab = &session.pages[(size_t) currentPage].tabs[(size_t) currentTab];
    const int rows = tab != nullptr ? tab->rows : 4, columns = tab != nullptr ? tab->columns : 8;

    for (int row = 0; row < rows; ++row)
    {
        for (int column = 0; column < columns; ++column)
        {
            auto button = std::make_unique<ClipButton>();
            button->getProperties().set ("row", row);
            button->getProperties().set ("column", column);
            if (const auto* slot = tab != nullptr ? tab->slotAt (row, column) : nullptr)
            {
                const auto index = session.findClip (slot->clip);
                const auto& clip = session.clips[(size_t) index];
                const auto missing = ! controller.hasMedia (index);
                const auto warning = controller.mediaWarning (index);  // e.g. a truncated file
                button->setClip (index, clip.label, juce::Colour::fromString ("ff" + clip.colour.substr (1)),
                                 groupLetter (clip.group), missing,
                                 missing ? juce::String (controller.mediaError (index))
                                         : juce::String (clip.file) + (warning.empty() ? juce::String() : "\n" + juce::String (warning)));
                button->onFire = [this] (int clipIndex) { controller.toggleClip (clipIndex); };
            }
            grid.addAndMakeVisible (*button);
            buttons.push_back (std::move (button));
        }
    }
    showAnalysis();
    grid.getProperties().set ("rows", rows);
    grid.getProperties().set ("columns", columns);
    resized();
}

void MainComponent::showAnalysis()
{
    for (auto& button : buttons)
        if (button->getClipIndex() >= 0)
            button->setAnalysis (analysisView.getBadge (button->getClipIndex()), analysisView.getReason (button->getClipIndex()));
}

void MainComponent::paint (juce::Graphics& g)
{
    g.fillAll (juce::Colour (0xff1b1d20));
    g.setColour (juce::Colour (0xff101214));
    g.fillRect (statusArea);
    const auto alarm = problem.isNotEmpty() || controller.isDeviceLost() || ! controller.getWriteProblem().empty()
                       || ! controller.getActionProblem().empty();
    g.setColour (alarm ? juce::Colour (0xffff8060) : juce::Colours::lightgrey);
    g.setFont (juce::Font (14.0f));
    g.drawText (statusText(), statusArea.reduced (10, 0), juce::Justification::centredLeft);
}

juce::String MainComponent::statusText (bool withLoad) const
{
    juce::String text;
    if (controller.isDeviceLost())
        text << juce::String::fromUTF8 (controller.getDeviceProblem().c_str());
    else if (controller.isAudioRunning())
        text << controller.getDeviceDescription();
    else
    {
        const auto why = controller.getDeviceProblem();
        text << "No audio device" << (why.empty() ? juce::String() : ": " + juce::String::fromUTF8 (why.c_str())) << " (open Audio Settings)";
    }
    if (const auto action = controller.getActionProblem(); ! action.empty())
        text << "   |   " << juce::String::fromUTF8 (action.c_str());
    if (const auto write = controller.getWriteProblem(); ! write.empty())
        text << "   |   " << juce::String::fromUTF8 (write.c_str());
    // Problems first: the end of a long status line can be cut off on a narrow window.
    if (problem.isNotEmpty())
        text << "   |   " << problem;
    else if (analysisView.getProblem().isNotEmpty())
        text << "   |   " << analysisView.getProblem();
    if (withLoad)
        text << "   |   CPU " << juce::String (controller.isAudioRunning() ? controller.getLoad() * 100.0f : 0.0f, 1) << " %";
    text << "   |   Voices " << controller.getPlayingVoices() << " / 24"
         << "   |   Xruns " << controller.getXrunCount();
    if (const auto analysis = analysisView.getProgressText(); analysis.isNotEmpty())
        text << "   |   " << analysis;
    return text;
}

void MainComponent::setProblem (const juce::String& text)
{
    problem = text;
    repaint (statusArea);
}

void MainComponent::resized()
{
    auto area = getLocalBounds();
    statusArea = area.removeFromBottom (30);
    auto top = area.removeFromTop (48).reduced (10, 8);
    analysisView.setBounds (area.removeFromTop (30).reduced (10, 2).removeFromRight (420));
    settingsButton.setBounds (top.removeFromRight (130));
    top.removeFromRight (10);
    stopAllButton.setBounds (top.removeFromRight (160));
    top.removeFromRight (10);
    pageSelector.setBounds (top.removeFromRight (200));
    title.setBounds (top);

    auto stripsArea = area.removeFromRight (4 * 96).reduced (4, 8);
    for (auto& strip : strips)
        strip->setBounds (stripsArea.removeFromLeft (96).reduced (2, 0));

    area.reduce (8, 0);
    tabs.setBounds (area.removeFromTop (34));
    grid.setBounds (area.reduced (0, 6));

    const int rows = grid.getProperties().getWithDefault ("rows", 4), columns = grid.getProperties().getWithDefault ("columns", 8);
    const auto cellWidth = grid.getWidth() / juce::jmax (1, columns), cellHeight = grid.getHeight() / juce::jmax (1, rows);
    for (auto& button : buttons)
    {
        const int row = button->getProperties()["row"], column = button->getProperties()["column"];
        button->setBounds (column * cellWidth, row * cellHeight, cellWidth, cellHeight);
    }
    writeUiMap();
}

void MainComponent::writeUiMap()
{
    if (uiMapFile == juce::File() || ! isShowing())
        return;
    juce::String map;
    const auto& session = controller.getSession();
    for (const auto& button : buttons)
        if (button->getClipIndex() >= 0)
        {
            const auto centre = button->getScreenBounds().getCentre();
            map << "clip " << session.clips[(size_t) button->getClipIndex()].id << " " << centre.x << " " << centre.y << "\n";
        }
    for (const auto& [name, button] : std::initializer_list<std::pair<const char*, juce::Button*>> {
             { "apply", &analysisView.getApplyButton() }, { "showmode", &analysisView.getShowModeButton() } })
    {
        const auto centre = button->getScreenBounds().getCentre();
        map << "button " << name << " " << centre.x << " " << centre.y << "\n";
    }
    for (size_t group = 0; group < strips.size(); ++group)
    {
        const auto centre = strips[group]->getMuteButton().getScreenBounds().getCentre();
        map << "button mute" << (char) ('A' + group) << " " << centre.x << " " << centre.y << "\n";
    }
    if (! uiMapFile.replaceWithText (map))
        reportOnce ("cannot write the UI map " + uiMapFile.getFullPathName());
}

void MainComponent::writeStatusFile()
{
    if (statusFile == juce::File())
        return;
    const auto text = statusText (false);
    if (text == lastStatus)
        return;
    lastStatus = text;
    // A failing write (full disk) is reported once; the show goes on.
    if (! statusFile.replaceWithText (text + "\n"))
        reportOnce ("cannot write the status file " + statusFile.getFullPathName());
}

void MainComponent::reportOnce (const juce::String& text)
{
    if (text == lastReport)
        return;
    lastReport = text;
    std::fprintf (stderr, "CueGrid: %s\n", text.toRawUTF8());
}

bool MainComponent::keyPressed (const juce::KeyPress& key)
{
    if (key == juce::KeyPress::escapeKey)
    {
        controller.stopAll();
        return true;
    }
    if (key == juce::KeyPress ('z', juce::ModifierKeys::commandModifier, 0))
        return undoManager.undo();
    if (key == juce::KeyPress ('z', juce::ModifierKeys::commandModifier | juce::ModifierKeys::shiftModifier, 0))
        return undoManager.redo();
    return false;
}

void MainComponent::timerCallback()
{
    // An exception escaping a JUCE timer terminates the app: none may, mid-show.
    try
    {
        if (! hasKeyboardFocus (true) && isShowing())
            grabKeyboardFocus();

        controller.update();
        if (analysisView.update())
            showAnalysis();
        for (auto& button : buttons)
            if (button->getClipIndex() >= 0)
            {
                const auto state = controller.getClipState (button->getClipIndex());
                button->setPlayState (state.playing, state.progress);
            }

        const auto now = juce::Time::getMillisecondCounterHiRes() / 1000.0;
        const auto elapsed = lastTimerSeconds > 0 ? now - lastTimerSeconds : 0.0;
        lastTimerSeconds = now;
        const auto peaks = controller.takeMeterPeaks();
        for (size_t group = 0; group < strips.size(); ++group)
            strips[group]->getMeter().pushPeaks (peaks[group * 2], peaks[group * 2 + 1], elapsed);
        repaint (statusArea);

        if (! uiMapWritten && isShowing())
        {
            writeUiMap();
            uiMapWritten = true;
        }
        writeStatusFile();
    }
    catch (const std::exception& error)
    {
        reportOnce (juce::String ("unexpected error (the show goes on): ") + error.what());
    }
}

void MainComponent::openAudioSettings()
{
    auto selector = std::make_unique<juce::AudioDeviceSelectorComponent> (devices, 0, 0, 2, 4, false, false, true, false);
    selector->setSize (560, 420);
    juce::DialogWindow::LaunchOptions options;
    options.content.setOwned (selector.release());
    options.dialogTitle = "Audio Settings";
    options.dialogBackgroundColour = juce::Colour (0xff23262a);
    options.useNativeTitleBar = false;
    options.resizable = false;
    options.launchAsync();
}

} // namespace cuegrid
