// CueGrid — GPL-3.0-or-later
#pragma once

#include <juce_gui_basics/juce_gui_basics.h>

namespace cuegrid
{

/** CueGrid's dark look: a near-black background, grey panels, white text, and readable
    menus and combo boxes. Message thread. */
class ShowLookAndFeel final : public juce::LookAndFeel_V4
{
public:
    ShowLookAndFeel()
        : LookAndFeel_V4 ({ 0xff1a1c1f, 0xff23262a, 0xff2c3035, 0xff4a4f56, 0xffffffff,
                            0xff4a90d9, 0xffffffff, 0xff4a90d9, 0xffffffff })
    {
        setColour (juce::PopupMenu::backgroundColourId, juce::Colour (0xff2a2e33));
        setColour (juce::PopupMenu::highlightedBackgroundColourId, juce::Colour (0xff4a90d9));
        setColour (juce::TextButton::buttonColourId, juce::Colour (0xff33373d));
        setColour (juce::Slider::thumbColourId, juce::Colour (0xffd8dde3));
        setColour (juce::Slider::trackColourId, juce::Colour (0xff4a90d9));
        setColour (juce::Slider::backgroundColourId, juce::Colour (0xff0d0f11));
        setColour (juce::TooltipWindow::backgroundColourId, juce::Colour (0xff2a2e33));
    }

    juce::Font getPopupMenuFont() override { return juce::Font (16.0f); }
};

} // namespace cuegrid
