// CueGrid — GPL-3.0-or-later
#pragma once

#include "Control/ShowController.h"

#include <juce_audio_utils/juce_audio_utils.h>

#include <array>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace cuegrid
{

/** Output routing as the operator sets it: the open device's output channels (name, and
    whether it is enabled), and a choice of channel pair for the master, the audition bus and
    each group (a group may also feed the master). A change is applied at once through
    ShowController::setRouting and kept in the session. Message thread. */
class RoutingPanel final : public juce::Component, private juce::ChangeListener
{
public:
    RoutingPanel (ShowController& controller, juce::AudioDeviceManager& devices);
    ~RoutingPanel() override;

    /** Re-reads the device's channels and the session's routing. */
    void refresh();

    /** The routing choices by name ("routingMaster", "routingAudition", "routingA" … "routingD"),
        for the UI map. */
    std::vector<std::pair<juce::String, juce::Component*>> getControls();

    void paint (juce::Graphics&) override;
    void resized() override;

private:
    void changeListenerCallback (juce::ChangeBroadcaster*) override;
    void fill (juce::ComboBox& box, const ChannelPair* current, bool masterChoice);
    void applyChoices();

    ShowController& controller;
    juce::AudioDeviceManager& devices;
    juce::StringArray channelNames;
    juce::BigInteger enabled;
    juce::Label channelList;
    juce::ComboBox master, audition;
    std::array<juce::ComboBox, groupCount> groups;
    juce::ComboBox recordA, recordB;   // device INPUT pairs of Record A/B
    juce::StringArray inputNames;      // the open device's input channels
    void fillInputs (juce::ComboBox& box, const ChannelPair& current);
    juce::Label warning;
    bool filling = false;
};

/** Audio Settings: the device (type, device, rate, block size, enabled channels) and the
    output routing, in an ordinary window that never blocks the main window: STOP ALL, FADE
    ALL and PANIC stay reachable while it is open, and its Escape goes to STOP ALL too.
    Closing it only hides it. Message thread. */
class AudioSettingsWindow final : public juce::DocumentWindow
{
public:
    AudioSettingsWindow (ShowController& controller, juce::AudioDeviceManager& devices);

    /** Shows the window in front, its routing re-read. */
    void open();

    void closeButtonPressed() override { setVisible (false); }

    /** Its routing choices by name (RoutingPanel::getControls). */
    std::vector<std::pair<juce::String, juce::Component*>> getControls();

private:
    struct Content;
    Content* content = nullptr;
};

} // namespace cuegrid
