// CueGrid — GPL-3.0-or-later
#pragma once

#include <juce_gui_basics/juce_gui_basics.h>

namespace cuegrid
{

/** An ordinary window of the app that never blocks the show (the file browser, New session,
    Preferences): not modal, its title bar drawn by JUCE (so it works without a window
    manager, as under Xvfb), resizable, and closing it only hides it. Message thread. */
class ToolWindow : public juce::DocumentWindow
{
public:
    static inline const juce::Colour panelColour { 0xff23262b };

    /** Owns `content`; `minimum` is the smallest size the window may take. */
    ToolWindow (const juce::String& name, juce::Component* content, juce::Point<int> minimum)
        : DocumentWindow (name, panelColour, DocumentWindow::closeButton)
    {
        setUsingNativeTitleBar (false);
        setContentOwned (content, true);
        setResizable (true, false);
        setResizeLimits (minimum.x, minimum.y, 3000, 3000);
    }

    void closeButtonPressed() override { setVisible (false); }

    /** Shows the window at `topLeft` (over the clip grid, below the top bar, so the transport
        row with STOP ALL and PANIC stays in view) unless it is already open, and in front. */
    void showInFront (juce::Point<int> topLeft)
    {
        if (! isVisible())
        {
            setTopLeftPosition (topLeft);
            setVisible (true);
        }
        toFront (true);
    }
};

/** The content of a ToolWindow: its background. */
struct ToolPanel : juce::Component
{
    void paint (juce::Graphics& g) override { g.fillAll (ToolWindow::panelColour); }
};

} // namespace cuegrid
