// CueGrid — GPL-3.0-or-later
#pragma once

#include <juce_gui_basics/juce_gui_basics.h>

#include <cmath>
#include <functional>

namespace cuegrid
{

/** A vertical fader whose right click opens the owner's menu (onMenu: MIDI learn) instead of
    moving the level, and which follows a level set from elsewhere (MIDI, OSC) unless the
    operator is dragging it. Message thread. */
class FaderSlider final : public juce::Slider
{
public:
    FaderSlider() : juce::Slider (juce::Slider::LinearVertical, juce::Slider::TextBoxBelow) {}

    std::function<void()> onMenu;

    /** Shows `value` without notifying, unless the fader is held (the operator's hand wins). */
    void follow (double value)
    {
        if (! isMouseButtonDown() && std::abs (getValue() - value) > 1.0e-9)
            setValue (value, juce::dontSendNotification);
    }

    void mouseDown (const juce::MouseEvent& e) override
    {
        if (e.mods.isPopupMenu())
        {
            if (onMenu) onMenu();
            return;
        }
        juce::Slider::mouseDown (e);
    }
    void mouseDrag (const juce::MouseEvent& e) override { if (! e.mods.isPopupMenu()) juce::Slider::mouseDrag (e); }
    void mouseUp (const juce::MouseEvent& e) override { if (! e.mods.isPopupMenu()) juce::Slider::mouseUp (e); }
};

} // namespace cuegrid
