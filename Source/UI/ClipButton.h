// CueGrid — GPL-3.0-or-later
#pragma once

#include <juce_gui_basics/juce_gui_basics.h>

#include <functional>

namespace cuegrid
{

/** One cart button: label, colour, Clip Group letter, playing state with a progress bar,
    and a clear mark when the clip's media is missing. Message thread. */
class ClipButton final : public juce::Component, public juce::SettableTooltipClient
{
public:
    ClipButton();

    void setClip (int clipIndex, const juce::String& label, juce::Colour colour, char groupLetter,
                  bool mediaMissing, const juce::String& problem);
    void setPlayState (bool isPlaying, double progress);

    /** The analysis class ("TRANSIENT", "SUSTAINED", …; empty: not analysed) and its reason. */
    void setAnalysis (const juce::String& badge, const juce::String& reason);
    int getClipIndex() const noexcept { return clip; }

    std::function<void (int clipIndex)> onFire;

    void paint (juce::Graphics&) override;
    void mouseDown (const juce::MouseEvent&) override;

private:
    int clip = -1;
    juce::String text, fileTooltip, analysisBadge;
    juce::Colour colour { juce::Colours::grey };
    char group = 'A';
    bool missing = false, playing = false;
    double playProgress = 0.0;
};

} // namespace cuegrid
