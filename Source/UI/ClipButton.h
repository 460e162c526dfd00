// CueGrid — GPL-3.0-or-later
#pragma once

#include "Control/ShowController.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <functional>

namespace cuegrid
{

/** One cart button: label, colour, Clip Group letter, a clear mark when the clip's media is
    missing, and while it plays: elapsed and remaining time (mm:ss.t), a progress bar, and
    its state — LOOP ×n / LOOP ∞, PAUSED, FADE IN, FADE (with a bar that runs out with the
    fade), PFL (auditioning). A left click fires it (onFire); a right click asks for its menu
    (onMenu) and never fires it. Message thread. */
class ClipButton final : public juce::Component, public juce::SettableTooltipClient
{
public:
    ClipButton();

    void setClip (int clipIndex, const juce::String& label, juce::Colour colour, char groupLetter,
                  bool mediaMissing, const juce::String& problem);
    void setPlayState (const ShowController::ClipState& state);

    /** The analysis class ("TRANSIENT", "SUSTAINED", …; empty: not analysed) and its reason. */
    void setAnalysis (const juce::String& badge, const juce::String& reason);
    int getClipIndex() const noexcept { return clip; }
    const juce::String& getLabel() const noexcept { return text; }

    /** What the button shows as text (state tags and times), for the UI map and tests:
        e.g. "PLAYING LOOP x2 00:01.3 -00:07.9"; "" when idle. */
    juce::String describeState() const;

    /** "mm:ss.t" (elapsed: rounded down; remaining: rounded up, so it reads 00:00.0 only at
        the end). Negative seconds: "∞". */
    static juce::String formatTime (double seconds, bool roundUp = false);

    std::function<void (int clipIndex)> onFire;
    std::function<void (int clipIndex)> onMenu;
    std::function<void()> onEmptyMenu;   // a right click on an empty cell

    void paint (juce::Graphics&) override;
    void mouseDown (const juce::MouseEvent&) override;

private:
    bool isActive() const noexcept { return state.playing || state.fading; }

    int clip = -1;
    juce::String text, fileTooltip, analysisBadge;
    juce::Colour colour { juce::Colours::grey };
    char group = 'A';
    bool missing = false;
    ShowController::ClipState state;
};

} // namespace cuegrid
