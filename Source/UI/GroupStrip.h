// CueGrid — GPL-3.0-or-later
#pragma once

#include "FaderSlider.h"
#include "LevelMeter.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <functional>

namespace cuegrid
{

/** A Clip Group's channel strip: name, gain fader (dB), mute, and its level meter (peak,
    RMS, hold, clip indicator, dB scale), with how many of its voices play. Message thread. */
class GroupStrip final : public juce::Component
{
public:
    explicit GroupStrip (char groupLetter);

    void setState (double gainDb, bool muted);
    /** Follows the group's level when MIDI or OSC moved it (not while the fader is held). */
    void followGain (double gainDb) { fader.follow (gainDb); }
    juce::Component& getFader() noexcept { return fader; }
    /** Voices of the group playing now (fading tails not counted). */
    void setPlayingVoices (int voices);
    LevelMeter& getMeter() noexcept { return meter; }
    juce::Button& getMuteButton() noexcept { return mute; }

    std::function<void (double gainDb)> onGainChanged;
    std::function<void (bool muted)> onMuteChanged;
    /** A right click on the fader or the strip's name (the MIDI learn menu). */
    std::function<void()> onMenu;

    void paint (juce::Graphics&) override;
    void resized() override;
    void mouseDown (const juce::MouseEvent& e) override { if (e.mods.isPopupMenu() && onMenu) onMenu(); }

private:
    char letter;
    int playing = 0;
    FaderSlider fader;
    juce::TextButton mute { "MUTE" };
    LevelMeter meter { 2, true };
};

} // namespace cuegrid
