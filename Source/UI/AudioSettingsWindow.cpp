// CueGrid — GPL-3.0-or-later
#include "AudioSettingsWindow.h"

namespace cuegrid
{

namespace
{
    constexpr int masterItem = 1000;   // a group's "feeds the master" choice
    const juce::Colour panelColour (0xff23262a);

    /** Combo box id of a 1-based pair (left channel l): l (ids must be > 0). */
    int pairId (const ChannelPair& pair) { return pair[0] * 100 + pair[1]; }
    ChannelPair pairFromId (int id) { return { id / 100, id % 100 }; }
}

RoutingPanel::RoutingPanel (ShowController& showController, juce::AudioDeviceManager& deviceManager)
    : controller (showController), devices (deviceManager)
{
    channelList.setColour (juce::Label::textColourId, juce::Colours::white.withAlpha (0.8f));
    channelList.setFont (juce::Font (13.0f));
    channelList.setJustificationType (juce::Justification::topLeft);
    addAndMakeVisible (channelList);
    warning.setColour (juce::Label::textColourId, juce::Colour (0xffffb060));
    warning.setFont (juce::Font (13.0f));
    warning.setJustificationType (juce::Justification::topLeft);
    addAndMakeVisible (warning);
    for (auto* box : { &master, &audition })
        addAndMakeVisible (*box);
    for (auto& box : groups)
        addAndMakeVisible (box);
    for (auto* box : { &master, &audition, &groups[0], &groups[1], &groups[2], &groups[3], &recordA, &recordB })
        box->onChange = [this] { if (! filling) applyChoices(); };
    addAndMakeVisible (recordA);
    addAndMakeVisible (recordB);
    devices.addChangeListener (this);
    refresh();
}

RoutingPanel::~RoutingPanel()
{
    devices.removeChangeListener (this);
}

void RoutingPanel::changeListenerCallback (juce::ChangeBroadcaster*)
{
    refresh();
}

void RoutingPanel::fill (juce::ComboBox& box, const ChannelPair* current, bool masterChoice)
{
    box.clear (juce::dontSendNotification);
    if (masterChoice)
        box.addItem ("Master (via the limiter)", masterItem);
    auto label = [&] (const ChannelPair& pair)
    {
        juce::String text = juce::String (pair[0]) + juce::String::fromUTF8 (" \xe2\x80\x93 ") + juce::String (pair[1]);
        if (pair[1] > channelNames.size())
            text << "  (the device has " << channelNames.size() << ")";
        else if (! enabled[pair[0] - 1] || ! enabled[pair[1] - 1])
            text << "  (not enabled)";
        return text;
    };
    for (int left = 1; left + 1 <= channelNames.size(); left += 2)
        box.addItem (label ({ left, left + 1 }), pairId ({ left, left + 1 }));
    if (current != nullptr && box.indexOfItemId (pairId (*current)) < 0)
        box.addItem (label (*current), pairId (*current));  // as the session says, even if the device lacks it
    box.setSelectedId (current != nullptr ? pairId (*current) : masterItem, juce::dontSendNotification);
}

void RoutingPanel::fillInputs (juce::ComboBox& box, const ChannelPair& current)
{
    box.clear (juce::dontSendNotification);
    auto label = [&] (const ChannelPair& pair)
    {
        juce::String text = juce::String ("in ") + juce::String (pair[0]) + juce::String::fromUTF8 (" \xe2\x80\x93 ") + juce::String (pair[1]);
        if (pair[1] > inputNames.size())
            text << "  (the device has " << inputNames.size() << ")";
        return text;
    };
    for (int left = 1; left + 1 <= inputNames.size(); left += 2)
        box.addItem (label ({ left, left + 1 }), pairId ({ left, left + 1 }));
    if (box.indexOfItemId (pairId (current)) < 0)
        box.addItem (label (current), pairId (current));   // as the session says, even if the device lacks it
    box.setSelectedId (pairId (current), juce::dontSendNotification);
}

void RoutingPanel::refresh()
{
    channelNames = controller.getOutputChannelNames();
    enabled = controller.getActiveOutputChannels();
    juce::String list;
    if (channelNames.isEmpty())
        list = "No audio device open: routing applies when one opens.";
    else
    {
        list << "Output channels (" << channelNames.size() << "):  ";
        for (int i = 0; i < channelNames.size(); ++i)
            list << (i > 0 ? ",  " : "") << (i + 1) << " " << channelNames[i] << (enabled[i] ? "" : " (off)");
    }
    channelList.setText (list, juce::dontSendNotification);

    const juce::ScopedValueSetter<bool> guard (filling, true);
    const auto& routing = controller.getSession().routing;
    fill (master, &routing.master, false);
    fill (audition, &routing.audition, false);
    auto* inputDevice = devices.getCurrentAudioDevice();
    inputNames = inputDevice != nullptr ? inputDevice->getInputChannelNames() : juce::StringArray();
    fillInputs (recordA, routing.recordA);
    fillInputs (recordB, routing.recordB);
    for (int group = 0; group < groupCount; ++group)
    {
        const auto& pair = routing.groups[(size_t) group];
        fill (groups[(size_t) group], pair ? &*pair : nullptr, true);
    }

    // What will not be heard where the operator expects it.
    juce::StringArray problems;
    auto check = [&] (const char* bus, const ChannelPair& pair, const char* fallback)
    {
        if (channelNames.isEmpty())
            return;
        if (pair[1] > channelNames.size() || ! enabled[pair[0] - 1] || ! enabled[pair[1] - 1])
            problems.add (juce::String (bus) + " " + juce::String (pair[0]) + "-" + juce::String (pair[1])
                          + " is not available: it plays on " + fallback + ".");
    };
    auto enableHint = [&]
    {
        if (! problems.isEmpty())
            problems.add ("Tick the channels under Active output channels (the device restarts: do it while nothing plays).");
    };
    check ("Master", routing.master, "the first two enabled channels");
    check ("Audition", routing.audition, "the master's channels");
    for (int group = 0; group < groupCount; ++group)
        if (const auto& pair = routing.groups[(size_t) group])
            check ((juce::String ("Group ") + groupLetter (group)).toRawUTF8(), *pair, "the master");
    enableHint();
    warning.setText (problems.joinIntoString ("\n"), juce::dontSendNotification);
}

std::vector<std::pair<juce::String, juce::Component*>> RoutingPanel::getControls()
{
    std::vector<std::pair<juce::String, juce::Component*>> controls { { "routingMaster", &master }, { "routingAudition", &audition } };
    for (int group = 0; group < groupCount; ++group)
        controls.emplace_back (juce::String ("routing") + groupLetter (group), &groups[(size_t) group]);
    controls.emplace_back ("routingRecordA", &recordA);
    controls.emplace_back ("routingRecordB", &recordB);
    return controls;
}

void RoutingPanel::applyChoices()
{
    RoutingSettings routing = controller.getSession().routing;
    routing.master = pairFromId (master.getSelectedId());
    routing.audition = pairFromId (audition.getSelectedId());
    for (int group = 0; group < groupCount; ++group)
    {
        const auto id = groups[(size_t) group].getSelectedId();
        routing.groups[(size_t) group] = id == masterItem ? std::nullopt : std::optional<ChannelPair> (pairFromId (id));
    }
    if (recordA.getSelectedId() > 0) routing.recordA = pairFromId (recordA.getSelectedId());
    if (recordB.getSelectedId() > 0) routing.recordB = pairFromId (recordB.getSelectedId());
    controller.setRouting (routing);
    refresh();
}

void RoutingPanel::paint (juce::Graphics& g)
{
    g.fillAll (panelColour);
    g.setColour (juce::Colours::white.withAlpha (0.15f));
    g.drawVerticalLine (0, 0.0f, (float) getHeight());
    g.setColour (juce::Colours::white);
    g.setFont (juce::Font (16.0f, juce::Font::bold));
    g.drawText ("Output routing", getLocalBounds().reduced (12, 6).removeFromTop (22), juce::Justification::centredLeft);

    g.setFont (juce::Font (14.0f));
    g.setColour (juce::Colours::white.withAlpha (0.85f));
    auto labelFor = [&] (juce::Component& box, const juce::String& text)
    {
        g.drawText (text, box.getBounds().withX (12).withWidth (box.getX() - 20), juce::Justification::centredLeft);
    };
    labelFor (master, "Master");
    labelFor (audition, "Audition (PFL)");
    for (int group = 0; group < groupCount; ++group)
        labelFor (groups[(size_t) group], juce::String ("Group ") + groupLetter (group));
    labelFor (recordA, "Record A from");
    labelFor (recordB, "Record B from");
}

void RoutingPanel::resized()
{
    auto area = getLocalBounds().reduced (12, 6);
    area.removeFromTop (26);
    channelList.setBounds (area.removeFromTop (58));
    auto row = [&] (juce::ComboBox& box)
    {
        box.setBounds (area.removeFromTop (28).withTrimmedLeft (120).withWidth (250));
        area.removeFromTop (4);
    };
    row (master);
    row (audition);
    for (auto& box : groups)
        row (box);
    area.removeFromTop (6);
    row (recordA);
    row (recordB);
    warning.setBounds (area);
}

struct AudioSettingsWindow::Content final : juce::Component
{
    Content (ShowController& controller, juce::AudioDeviceManager& devices)
        : selector (devices, 0, 0, 2, OutputRouting::maxChannels, false, false, true, false),
          routing (controller, devices)
    {
        addAndMakeVisible (selector);
        addAndMakeVisible (routing);
        setSize (860, 460);
    }

    void paint (juce::Graphics& g) override { g.fillAll (panelColour); }

    void resized() override
    {
        auto area = getLocalBounds();
        routing.setBounds (area.removeFromRight (410));
        selector.setBounds (area);
    }

    juce::AudioDeviceSelectorComponent selector;
    RoutingPanel routing;
};

AudioSettingsWindow::AudioSettingsWindow (ShowController& controller, juce::AudioDeviceManager& devices)
    : DocumentWindow ("Audio Settings", panelColour, DocumentWindow::closeButton)
{
    setUsingNativeTitleBar (false);  // also under Xvfb, where no window manager draws one
    content = new Content (controller, devices);
    setContentOwned (content, true);
    setResizable (true, false);
    setResizeLimits (720, 400, 2000, 2000);
}

std::vector<std::pair<juce::String, juce::Component*>> AudioSettingsWindow::getControls()
{
    return content->routing.getControls();
}

void AudioSettingsWindow::open()
{
    content->routing.refresh();
    if (! isVisible())
    {
        // Over the clip grid, below the top bar: the transport row (STOP ALL, PANIC) stays in view.
        setTopLeftPosition (200, 60);
        setVisible (true);
    }
    toFront (true);
}

} // namespace cuegrid
