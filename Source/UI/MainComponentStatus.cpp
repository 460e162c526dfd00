// CueGrid — GPL-3.0-or-later
// What MainComponent reports: the status bar's text, problems shown once, and for tests the UI
// map (every control's name and bounds, --ui-map) and the status file (--status-file).
#include "MainComponent.h"

#include <cstdio>
#include <functional>

namespace cuegrid
{

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
    bool extraWarning = false;
    if (const auto extra = statusExtra ? statusExtra (extraWarning) : juce::String(); extra.isNotEmpty())
        text << "   |   " << extra;
    if (const auto action = controller.getActionProblem(); ! action.empty())
        text << "   |   " << juce::String::fromUTF8 (action.c_str());
    if (const auto write = controller.getWriteProblem(); ! write.empty())
        text << "   |   " << juce::String::fromUTF8 (write.c_str());
    // Problems first: the end of a long status line can be cut off on a narrow window.
    if (editNotice.isNotEmpty() && juce::Time::getMillisecondCounterHiRes() / 1000.0 - editNoticeSeconds < 5.0)
        text << "   |   " << editNotice;
    if (problem.isNotEmpty())
        text << "   |   " << problem;
    else if (analysisView.getProblem().isNotEmpty())
        text << "   |   " << analysisView.getProblem();
    if (withLoad)
        text << "   |   CPU " << juce::String (controller.isAudioRunning() ? controller.getLoad() * 100.0f : 0.0f, 1) << " %";
    text << "   |   Voices " << controller.getPlayingVoices() << " / 24"
         << "   |   Xruns " << controller.getXrunCount();
    if (const auto trigger = controller.describeLastTriggerLatency(); ! trigger.empty())
        text << "   |   Trigger " << trigger;   // the last clip start: its input's arrival → first sample
    if (const auto underruns = controller.getUnderrunCount(); underruns > 0)
        text << "   |   Disk underruns " << underruns;   // streamed media arrived late: silence was played
    if (const auto media = controller.getMediaProgress(); ! media.done)   // an opened show's media, read in the background
        text << "   |   Loading media " << media.clipsLoaded << " / " << media.clipsTotal;
    if (const auto analysis = analysisView.getProgressText(); analysis.isNotEmpty())
        text << "   |   " << analysis;
    return text;
}

void MainComponent::setProblem (const juce::String& text)
{
    problem = text;
    repaint (statusArea);
}

void MainComponent::writeUiMap()
{
    if (uiMapFile == juce::File() || ! isShowing())
        return;
    juce::String map;
    auto centreOf = [] (juce::Component& component)
    {
        const auto centre = component.getScreenBounds().getCentre();
        return juce::String (centre.x) + " " + juce::String (centre.y);
    };
    views[0]->writeUiMap (map, {});
    if (dualView)
    {
        views[1]->writeUiMap (map, "view2 ");
        for (size_t i = 0; i < views.size(); ++i)
            map << "view " << (int) i + 1 << " " << views[i]->getPage() << " " << views[i]->getTab() << " "
                << ((int) i == focusedViewIndex ? 1 : 0) << "\n";
    }
    for (const auto& [name, button] : std::initializer_list<std::pair<const char*, juce::Component*>> {
             { "apply", &analysisView.getApplyButton() }, { "showmode", &analysisView.getShowModeButton() },
             { "stopall", &stopAllButton }, { "fadeall", &fadeAllButton }, { "pauseall", &pauseAllButton },
             { "resumeall", &resumeAllButton }, { "panic", &panicButton }, { "settings", &settingsButton },
             { "master", &masterStrip }, { "inspector", &inspectorButton }, { "dualview", &dualViewButton },
             { "reca", &recordPanel.getButton (0) }, { "recb", &recordPanel.getButton (1) } })
        map << "button " << name << " " << centreOf (*button) << "\n";
    if (inspector.isVisible())
    {
        map << "inspector " << juce::String (inspector.getClipId()) << "\n";
        for (const auto& [name, control] : inspector.getControls())
            map << name << " " << centreOf (*control) << "\n";
        for (const auto& [name, value] : inspector.getValues())
            map << "value " << name << " " << value << "\n";
        for (const auto& [name, knob] : inspector.getHandles())
            map << "handle " << name << " " << knob.x << " " << knob.y << "\n";
    }
    for (size_t group = 0; group < strips.size(); ++group)
        map << "button mute" << groupLetter ((int) group) << " " << centreOf (strips[group]->getMuteButton()) << "\n";
    writeMidiUiMap (map);
    if (confirmBar.isVisible())
        for (const auto& [name, answer] : confirmBar.getAnswers())
            map << "button " << name << " " << centreOf (*answer) << "\n";
    if (settingsWindow != nullptr && settingsWindow->isVisible())
    {
        const auto bounds = settingsWindow->getScreenBounds();
        map << "window settings " << bounds.getX() << " " << bounds.getY() << " " << bounds.getWidth() << " " << bounds.getHeight() << "\n";
        for (const auto& [name, control] : settingsWindow->getControls())
            map << "button " << name << " " << centreOf (*control) << "\n";
    }
    if (auto* window = getTopLevelComponent(); window != nullptr && window != this)
    {
        const auto bounds = window->getScreenBounds();
        map << "title " << window->getName() << "\n"
            << "window main " << bounds.getX() << " " << bounds.getY() << " " << bounds.getWidth() << " " << bounds.getHeight() << "\n";
    }
    for (const auto& extra : uiMapWindows)
        if (extra.window != nullptr && extra.window->isVisible())
        {
            const auto bounds = extra.window->getScreenBounds();
            map << "window " << extra.name << " " << bounds.getX() << " " << bounds.getY() << " " << bounds.getWidth() << " " << bounds.getHeight() << "\n";
            for (const auto& [name, control] : extra.controls())
                if (control->isShowing())
                    map << "button " << name << " " << centreOf (*control) << "\n";
            if (extra.lines)
                map << extra.lines();
        }
    if (auto* modal = juce::Component::getCurrentlyModalComponent())
    {
        const auto bounds = modal->getScreenBounds();
        map << "menu " << bounds.getX() << " " << bounds.getY() << " " << bounds.getWidth() << " " << bounds.getHeight() << "\n";
        // "menuitem <text> x y" for each item of the open menu and its open submenus (separate
        // desktop windows), found by their accessibility role, so tests pick items by name.
        std::function<void (juce::Component&)> addItems = [&] (juce::Component& parent)
        {
            for (auto* child : parent.getChildren())
            {
                if (! child->isShowing())
                    continue;
                if (auto* handler = child->getAccessibilityHandler(); handler != nullptr && handler->getRole() == juce::AccessibilityRole::menuItem)
                    map << "menuitem " << handler->getTitle() << " " << centreOf (*child) << "\n";
                addItems (*child);
            }
        };
        auto& desktop = juce::Desktop::getInstance();
        for (int i = 0; i < desktop.getNumComponents(); ++i)
            if (auto* window = desktop.getComponent (i); window != nullptr && window->isShowing() && window != getTopLevelComponent())
                addItems (*window);
    }
    if (map == lastUiMap)
        return;
    lastUiMap = map;
    if (! uiMapFile.replaceWithText (map, false, false, "\n"))
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
    if (! statusFile.replaceWithText (text + "\n", false, false, "\n"))
        reportOnce ("cannot write the status file " + statusFile.getFullPathName());
}

void MainComponent::reportOnce (const juce::String& text)
{
    if (text == lastReport)
        return;
    lastReport = text;
    std::fprintf (stderr, "CueGrid: %s\n", text.toRawUTF8());
}

} // namespace cuegrid
