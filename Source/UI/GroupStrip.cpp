// CueGrid — GPL-3.0-or-later
#include "GroupStrip.h"

namespace cuegrid
{

GroupStrip::GroupStrip (char groupLetter) : letter (groupLetter)
{
    fader.setRange (-60.0, 12.0, 0.1);
    fader.setSkewFactorFromMidPoint (-12.0);
    fader.setDoubleClickReturnValue (true, 0.0);
    fader.setNumDecimalPlacesToDisplay (1);
    fader.setTextBoxStyle (juce::Slider::TextBoxBelow, false, 44, 20);
    fader.setTooltip ("Group gain, dB (double-click: 0 dB; right click: MIDI learn)");
    fader.onMenu = [this] { if (onMenu) onMenu(); };
    fader.setWantsKeyboardFocus (false);
    fader.onValueChange = [this] { if (onGainChanged) onGainChanged (fader.getValue()); };
    addAndMakeVisible (fader);

    mute.setClickingTogglesState (true);
    mute.setColour (juce::TextButton::buttonOnColourId, juce::Colour (0xffd08020));
    mute.setWantsKeyboardFocus (false);
    mute.onClick = [this] { if (onMuteChanged) onMuteChanged (mute.getToggleState()); };
    addAndMakeVisible (mute);
    addAndMakeVisible (meter);
}

void GroupStrip::setState (double gainDb, bool muted)
{
    fader.setValue (gainDb, juce::dontSendNotification);
    mute.setToggleState (muted, juce::dontSendNotification);
}

void GroupStrip::setPlayingVoices (int voices)
{
    if (voices == playing)
        return;
    playing = voices;
    repaint (getLocalBounds().removeFromTop (44));
}

void GroupStrip::paint (juce::Graphics& g)
{
    g.setColour (juce::Colour (0xff202327));
    g.fillRoundedRectangle (getLocalBounds().toFloat().reduced (1.0f), 5.0f);
    auto header = getLocalBounds().removeFromTop (44).reduced (4, 4);
    g.setColour (juce::Colours::white);
    g.setFont (juce::Font (15.0f, juce::Font::bold));
    g.drawFittedText (juce::String ("GROUP ") + juce::String::charToString ((juce::juce_wchar) letter),
                      header.removeFromTop (20), juce::Justification::centred, 1);
    g.setFont (juce::Font (12.0f));
    g.setColour (playing > 0 ? juce::Colour (0xff5ee07a) : juce::Colours::white.withAlpha (0.4f));
    const auto words = getWidth() >= 80 ? (playing == 1 ? " voice" : " voices") : "";
    g.drawText (playing > 0 ? juce::String::fromUTF8 ("\xe2\x96\xb6 ") + juce::String (playing) + words : juce::String ("idle"),
                header, juce::Justification::centred);
}

void GroupStrip::resized()
{
    auto area = getLocalBounds().reduced (5);
    area.removeFromTop (42);
    mute.setBounds (area.removeFromBottom (30));
    area.removeFromBottom (6);
    meter.setScaleVisible (getWidth() >= 80);  // narrow window: the fader keeps its width
    meter.setBounds (area.removeFromRight (meter.isScaleVisible() ? 38 : 18).withTrimmedBottom (24));
    fader.setBounds (area);
}

} // namespace cuegrid
