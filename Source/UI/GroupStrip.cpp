// CueGrid — GPL-3.0-or-later
#include "GroupStrip.h"

namespace cuegrid
{

void PeakMeter::pushPeaks (float left, float right, double secondsSinceLast)
{
    const float fall = (float) (20.0 * secondsSinceLast);
    levels[0] = std::max (toDecibels (left), levels[0] - fall);
    levels[1] = std::max (toDecibels (right), levels[1] - fall);
    repaint();
}

void PeakMeter::paint (juce::Graphics& g)
{
    const auto bounds = getLocalBounds().toFloat();
    g.setColour (juce::Colour (0xff15171a));
    g.fillRect (bounds);
    constexpr float floorDb = -60.0f;
    auto heightFor = [&] (float db) { return bounds.getHeight() * juce::jlimit (0.0f, 1.0f, (db - floorDb) / -floorDb); };
    const auto barWidth = bounds.getWidth() / 2.0f;
    for (int channel = 0; channel < 2; ++channel)
    {
        const auto level = levels[channel];
        const auto height = heightFor (level);
        const auto colour = level > -0.1f ? juce::Colour (0xffff3030) : level > -9.0f ? juce::Colour (0xffe0c030) : juce::Colour (0xff40c060);
        g.setColour (colour);
        g.fillRect (bounds.getX() + channel * barWidth + 1.0f, bounds.getBottom() - height, barWidth - 2.0f, height);
    }
    g.setColour (juce::Colours::white.withAlpha (0.25f));
    for (float db : { 0.0f, -6.0f, -12.0f, -24.0f, -48.0f })
        g.drawHorizontalLine ((int) (bounds.getBottom() - heightFor (db)), bounds.getX(), bounds.getRight());
}

GroupStrip::GroupStrip (char groupLetter) : letter (groupLetter)
{
    fader.setRange (-60.0, 12.0, 0.1);
    fader.setSkewFactorFromMidPoint (-12.0);
    fader.setDoubleClickReturnValue (true, 0.0);
    fader.setTextValueSuffix (" dB");
    fader.setTextBoxStyle (juce::Slider::TextBoxBelow, false, 70, 20);
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

void GroupStrip::paint (juce::Graphics& g)
{
    g.setColour (juce::Colour (0xff23262a));
    g.fillRoundedRectangle (getLocalBounds().toFloat().reduced (2.0f), 5.0f);
    g.setColour (juce::Colours::white);
    g.setFont (juce::Font (16.0f, juce::Font::bold));
    g.drawText (juce::String ("Group ") + juce::String::charToString ((juce::juce_wchar) letter),
                getLocalBounds().removeFromTop (28), juce::Justification::centred);
}

void GroupStrip::resized()
{
    auto area = getLocalBounds().reduced (6);
    area.removeFromTop (24);
    mute.setBounds (area.removeFromBottom (28));
    area.removeFromBottom (6);
    meter.setBounds (area.removeFromRight (16).withTrimmedBottom (24));
    fader.setBounds (area);
}

} // namespace cuegrid
